// SPDX-License-Identifier: MIT
// The statistics table (统计表) inside the staff app, #/report[?scope=&until=]: the table of
// the notice's attachment from GET /api/report with each row's self-checks beside it (not
// printed), printed on one A4 landscape page like the .xlsx; the scope chosen by name (the
// region or one of its cities for region staff); filing this period's table (cities) after
// a confirmation; for the region, which cities filed; funding entries (organisers) with
// their area chosen among the table's rows, errors next to their fields; filed copies.
import { ApiError, get, post } from './api.js';
import { cnTime, fill, h } from './dom.js';

/** Who sees the tab: the report permission in the region or a city (counties and below do not file). */
export const mayReport = (me) => me.permissions.includes('report') && me.scope.length <= 4;

const cn = (date) => {
    const [y, m, d] = date.split('-').map(Number);
    return `${y}年${m}月${d}日`;
};

const HEAD = [
    ['外出农民工总量', '万人'], ['返乡农民工人数', '万人'], ['未返乡农民工人数', '万人'],
];
const TRANSPORT = [
    ['专列、专车合计', '次'], ['接送人数合计', '万人'], ['其中：接送脱贫人口(含防止返贫监测对象)人数合计', '万人'], ['其中：接送广东方向人数合计', '万人'],
    ['组织专列数', '列'], ['运送人数', '人'], ['组织专车数', '辆'], ['运送人数', '人'], ['组织专机数', '次'], ['运送人数', '人'],
];
const th = (text, unit, attrs = {}) => h('th', attrs, text, unit ? h('br') : null, unit ? `(${unit})` : null);

// widths as the .xlsx gives them (in characters of the body's size): the names whole,
// the long headings of columns 6 and 7 wrapped instead of widening the page
const WIDTHS = [6, 5, 5, 5, 4.5, 4.5, 7, 6, 3.5, 4.5, 3.5, 4.5, 3.5, 4.5, 4.5, 10, 3];

function tableHead() {
    return h('thead', {},
        h('tr', {}, th('地区', '', { rowspan: 2, class: 'area' }), HEAD.map(([t, u]) => th(t, u, { rowspan: 2 })), h('th', { colspan: 10 }, '组织包车运输'), h('th', { colspan: 2 }, '资金投入'), th('备注', '', { rowspan: 2 }), h('th', { rowspan: 2, class: 'no-print' }, '自检')),
        h('tr', {}, TRANSPORT.map(([t, u]) => th(t, u)), th('投入金额', '万元'), th('资金出处', '')),
        h('tr', { class: 'no' }, ['甲', ...Array.from({ length: 16 }, (_, i) => String(i + 1))].map((t) => h('td', {}, t)), h('td', { class: 'no-print' })));
}

function tableRow(r) {
    const warn = r.checks.map((c) => c.code);
    const bad = (i) => (warn.includes('returns_sum') && i >= 1 && i <= 3) || (warn.includes('people_sum') && [5, 9, 11, 13].includes(i)) || (warn.includes('no_funding') && i === 14);
    return h('tr', { class: r.total ? 'total' : null },
        r.cells.map((text, i) => h('td', { class: [i === 0 ? 'area' : i === 15 || i === 16 ? 'text' : 'n', bad(i) ? 'warn' : ''].join(' ').trim() }, text)),
        h('td', { class: 'checks no-print' }, r.checks.map((c) => c.message).join('；')));
}

function sheet(rep) {
    return h('section', { class: 'report-sheet' },
        h('h1', {}, rep.title),
        h('p', { class: 'meta' }, h('span', {}, `填报单位：${rep.unit}`), h('span', {}, `填报时间：${cn(rep.made)}`), h('span', { class: 'no-print muted' }, `统计截至${cn(rep.until)}，${rep.campaign.name}`)),
        h('div', { class: 'scroll wide report-scroll' }, h('table', { class: 'report-table' },
            h('colgroup', {}, WIDTHS.map((w) => h('col', { 'data-w': w, class: `w${String(w).replace('.', '_')}` })), h('col', { class: 'no-print checks-col' })),
            tableHead(), h('tbody', {}, [...rep.rows, rep.total].map(tableRow)))),
        h('p', { class: 'sign' }, '审核人：', h('span', { class: 'line' }), '　　　　填报人：', h('span', { class: 'line' })));
}

/** The scope picker: the region and its cities for region staff; a city's own name otherwise. */
async function scopeChoice(me, scope) {
    if (me.scope.length !== 2) return h('span', { class: 'field-label' }, `范围：${me.division?.name || me.scope}`);
    const region = await get(`/api/divisions/${me.scope}?children=1`);
    return h('label', { class: 'inline-field' }, '范围 ',
        h('select', { name: 'scope' }, h('option', { value: me.scope, selected: scope === me.scope }, `${region.name}（各市）`),
            region.children.map((c) => h('option', { value: c.code, selected: scope === c.code }, `${c.name}（各县区）`))));
}

function mark(form, name, message) {
    const box = form.querySelector(`[data-field="${name}"]`);
    if (!box) return false;
    box.classList.toggle('bad', !!message);
    box.querySelector('.error').textContent = message || '';
    return true;
}

/** The funding entry form: the area among the table's rows, errors next to their fields. */
function fundingForm(rep, campaign, today, after) {
    const field = (label, input, name) => h('label', { class: 'field', 'data-field': name }, h('span', { class: 'field-label' }, label), input, h('span', { class: 'error' }));
    const areas = rep.rows.map((r) => h('option', { value: r.code }, r.own ? `${rep.scope.name}本级` : r.name));
    const msg = h('p', { class: 'error', role: 'alert' });
    const form = h('form', { class: 'funding-form', novalidate: true },
        field('地区', h('select', { name: 'scope' }, h('option', { value: '' }, '请选择'), areas), 'scope'),
        field('金额（万元）', h('input', { name: 'amount', inputmode: 'decimal', autocomplete: 'off' }), 'amount'),
        field('资金出处', h('input', { name: 'source', list: 'funding-sources', autocomplete: 'off' }), 'source'),
        h('datalist', { id: 'funding-sources' }, ['自治区就业补助资金', '本级就业补助资金', '农民工就业创业奖补资金'].map((v) => h('option', { value: v }))),
        field('日期', h('input', { name: 'date', type: 'date', value: rep.until < today ? rep.until : today, max: today }), 'date'),
        h('div', { class: 'field' }, h('span', { class: 'field-label' }, '　'), h('button', { type: 'submit', class: 'primary' }, '录入')),
        msg);
    form.addEventListener('input', (ev) => mark(form, ev.target.name, ''));
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const f = form.elements;
        const missing = ['scope', 'amount', 'source'].filter((k) => !f[k].value.trim());
        for (const k of ['scope', 'amount', 'source', 'date']) mark(form, k, missing.includes(k) ? (k === 'scope' ? '请选择地区' : '此项必须填写') : '');
        if (missing.length) {
            msg.textContent = '有些内容需要修改，请看标红的地方';
            return;
        }
        try {
            await post(`/api/funding?campaign=${encodeURIComponent(campaign)}`, { scope: f.scope.value, amount: f.amount.value.trim(), source: f.source.value.trim(), ...(f.date.value ? { date: f.date.value } : {}) });
            msg.textContent = '';
            after(`已录入：${f.scope.selectedOptions[0].textContent} ${f.amount.value.trim()} 万元`);
        } catch (e) {
            const placed = e instanceof ApiError && [...Object.entries(e.fields), ...(e.field ? [[e.field, e.message]] : [])].filter(([k, m]) => mark(form, k, m)).length;
            msg.textContent = placed ? '有些内容需要修改，请看标红的地方' : e.message;
        }
    });
    return form;
}

function listTable(heads, rows, empty) {
    if (!rows.length) return h('p', { class: 'muted' }, empty);
    return h('div', { class: 'scroll' }, h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, heads.map(([t, n]) => h('th', { class: n ? 'n' : null }, t)))), h('tbody', {}, rows)));
}

const dueText = (due) => (due ? `${cn(due.date)} ${due.before}前` : '');

/** Filing: for city staff, once confirmed; the answer said in words. */
function filingBox(me, schedule, until, campaign, done) {
    if (me.scope.length !== 4 || !me.permissions.includes('report')) return null;
    const status = h('p', { role: 'status' });
    const ask = h('div', { class: 'confirm-box', hidden: true },
        h('p', {}, h('b', {}, '确定报送吗？'), ` 会把截至${cn(until)}的这张表存档，作为${schedule.next_due ? `${dueText(schedule.next_due)}这一期` : '本期'}的报送；以后数字再变，已报送的不变。`),
        h('button', { type: 'button', class: 'primary', onclick: async () => {
            ask.hidden = true;
            try {
                const f = await post(`/api/report/filings?campaign=${encodeURIComponent(campaign)}`, { until });
                done(`✓ 已报送（存档编号 ${f.id}，统计截至${cn(until)}）`);
            } catch (e) {
                status.className = 'error';
                status.textContent = `没有报送：${e.message}`;
            }
        } }, '确定报送'),
        h('button', { type: 'button', class: 'secondary', onclick: () => (ask.hidden = true) }, '取消'));
    const filed = schedule.filed ? `本期已报送（${cnTime(schedule.filing.filed_at)}，${schedule.filing.filed_by}）` : schedule.next_due ? '本期还没有报送' : '';
    return h('div', { class: 'card filing no-print' },
        h('p', { class: schedule.filed === false ? 'due late' : 'due' }, schedule.next_due ? `下次报送：${dueText(schedule.next_due)}。` : '本活动没有待报送的期次。', filed),
        h('button', { type: 'button', class: 'primary', onclick: () => (ask.hidden = false) }, schedule.filed ? '再次报送（更新本期）' : '报送本期'),
        ask, status);
}

/** For the region: which cities filed for the next deadline. */
function citiesFiled(me, schedule, filings, cities) {
    if (me.scope.length !== 2 || !schedule.next_due) return null;
    const due = schedule.next_due;
    const filed = new Set(filings.filter((f) => f.scope.length === 4 && f.due && f.due.date === due.date && f.due.before === due.before).map((f) => f.scope));
    const missing = cities.filter((c) => !filed.has(c.code)).map((c) => c.name);
    return h('div', { class: 'card cities-filed no-print' },
        h('p', { class: 'due' }, `本期（${dueText(due)}）各市报送：${filed.size}/${cities.length} 个市已报送。`),
        missing.length ? h('p', { class: 'muted missing' }, `还没有报送：${missing.join('、')}。`) : h('p', { class: 'ok missing' }, '全部已报送 ✓'));
}

/** The view. params: {scope, until} from the hash. */
export async function showReport(view, me, params, today) {
    if (!mayReport(me)) {
        fill(view, h('h1', {}, '统计表'), h('p', { class: 'notice' }, '统计表由市级和自治区填报。本账号的范围看不到统计表；本地的数字请看“概况”。'));
        return;
    }
    const scope = params.scope || me.scope;
    const until = params.until || today;
    const campaign = (await get('/api/campaign').catch(() => null))?.id || '';
    const q = new URLSearchParams({ scope, until, ...(campaign ? { campaign } : {}) });
    const go = (changes) => (location.hash = `#/report?${new URLSearchParams({ scope, until, ...changes })}`);
    const note = h('p', { class: 'notice no-print', role: 'status' });
    const toolbar = h('div', { class: 'toolbar no-print' },
        h('label', { class: 'inline-field' }, '统计截至 ', h('input', { type: 'date', name: 'until', value: until, onchange: (ev) => ev.target.value && go({ until: ev.target.value }) })),
        await scopeChoice(me, scope),
        h('button', { type: 'button', class: 'secondary', onclick: () => window.print() }, '打印'),
        h('a', { class: 'button secondary', href: `/api/report.xlsx?${q}`, download: '' }, '下载 Excel'));
    toolbar.querySelector('select[name=scope]')?.addEventListener('change', (ev) => go({ scope: ev.target.value }));
    fill(view, h('div', { class: 'report-view' }, h('h1', { class: 'no-print' }, '统计表'), toolbar, note, h('p', { class: 'muted' }, '正在计算…')));
    const [rep, schedule, funding, filings] = await Promise.all([
        get(`/api/report?${q}`),
        get('/api/report/schedule').catch(() => ({})),
        get(`/api/funding?${new URLSearchParams({ scope, ...(campaign ? { campaign } : {}) })}`),
        get(`/api/report/filings?${new URLSearchParams({ scope: me.scope, ...(campaign ? { campaign } : {}) })}`),
    ]);
    const reload = (text) => showReport(view, me, params, today).then(() => {
        const n = view.querySelector('.report-view > .notice');
        if (n) n.textContent = text;
    });
    const cities = me.scope.length === 2 ? (await get(`/api/divisions/${me.scope}?children=1`)).children : [];
    const fundingRows = funding.entries.map((e) => h('tr', {}, h('td', {}, e.scope_name), h('td', { class: 'n' }, e.amount), h('td', {}, e.source), h('td', {}, cn(e.date)), h('td', {}, e.entered_by)));
    const filingRows = filings.filings.slice().reverse().map((f) => h('tr', {}, h('td', {}, f.scope_name), h('td', {}, cn(f.until)), h('td', {}, dueText(f.due)), h('td', {}, f.filed_by), h('td', {}, cnTime(f.filed_at)), h('td', {}, h('a', { href: `/api/report/filings/${f.id}.xlsx` }, '下载存档'))));
    fill(view, h('div', { class: 'report-view' },
        h('h1', { class: 'no-print' }, '统计表'),
        toolbar,
        note,
        filingBox(me, schedule, until, campaign, reload),
        citiesFiled(me, schedule, filings.filings, cities),
        sheet(rep),
        h('div', { class: 'no-print' },
            h('div', { class: 'card' }, h('h2', {}, '资金投入（第14、15列）'),
                me.permissions.includes('transport') ? fundingForm(rep, campaign, today, reload) : null,
                listTable([['地区'], ['金额（万元）', 1], ['资金出处'], ['日期'], ['录入人']], fundingRows, '还没有资金投入记录。')),
            h('div', { class: 'card' }, h('h2', {}, '已报送的表'), listTable([['地区'], ['统计截至'], ['对应报送期'], ['报送人'], ['报送时间'], ['']], filingRows, '还没有报送过。')))));
}
