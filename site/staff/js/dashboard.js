// SPDX-License-Identifier: MIT
// The dashboard of a scope: totals, today's sign-ups, children with their return figures,
// destinations and departure dates. Live: an EventSource on /api/stats/stream; the
// browser reconnects by itself when the stream ends or the network drops.
import { chart, disposeCharts } from './charts.js';
import { fill, h, num, shortDate } from './dom.js';
import { division } from './places.js';
import { mayReport } from './report.js';

const LEVEL_CHILD = { province: '市', city: '县（市、区）', county: '乡镇（街道）', township: '村（社区）' };
let source = null;
let dueBox = null; // the reporting deadline line: filled as soon as the schedule is read, kept across updates
let postersBox = null; // the posters card, kept across updates

function dueLine(s) {
    if (!s.next_due) return h('p', { class: 'muted' }, '统计表：本活动没有待报送的期次');
    const [y, m, d] = s.next_due.date.split('-').map(Number);
    const filed = s.filed === null ? '' : s.filed ? '（本期已报送）' : '（本期尚未报送）';
    return h('p', { class: s.filed === false ? 'due late' : 'due' }, h('a', { href: '#/report' }, '统计表'),
        `：下次报送 ${y}年${m}月${d}日 ${s.next_due.before}前${filed}`);
}

export function stopDashboard() {
    if (source) source.close();
    source = null;
    disposeCharts();
}

function card(label, value, note, cls = '') {
    return h('div', { class: `stat ${cls}` }, h('div', { class: 'stat-label' }, label), h('div', { class: 'stat-value' }, value), note ? h('div', { class: 'stat-note' }, note) : null);
}

function returnsCell(r) {
    if (!r.villages) return [h('td', { class: 'n muted' }, '未填'), h('td', { class: 'n' }), h('td', { class: 'n' }), h('td')];
    const flag = r.flagged ? h('span', { class: 'flag', title: '返乡 + 未返乡 ≠ 外出' }, `⚠ ${r.flagged}个村不一致`) : h('span', { class: 'ok' }, '✓ 一致');
    return [h('td', { class: 'n' }, num(r.outbound)), h('td', { class: 'n' }, num(r.returned)), h('td', { class: 'n' }, num(r.not_returned)), h('td', {}, flag)];
}

function totals(st) {
    const t = st.totals, r = t.returns;
    const mismatch = r.villages && r.returned + r.not_returned !== r.outbound;
    return h(
        'div',
        { class: 'stats' },
        card('报名人数', num(t.people), `${num(t.regs)} 份报名`, 'big'),
        card('今日新增', num(t.today), `${shortDate(st.today)}报名的人数`, 'today'),
        card('脱贫人口（含监测对象）', num(t.poverty), t.people ? `占 ${Math.round((100 * t.poverty) / t.people)}%` : ''),
        card('50岁以上', num(t.age50), t.people ? `占 ${Math.round((100 * t.age50) / t.people)}%` : ''),
        card('低收入人口', num(t.low_income), t.people ? `占 ${Math.round((100 * t.low_income) / t.people)}%` : ''),
        card('外出 / 返乡 / 未返乡', r.villages ? `${num(r.outbound)} / ${num(r.returned)} / ${num(r.not_returned)}` : '未填报', r.villages ? (mismatch ? `⚠ 数字对不上（${r.flagged}个村）` : `${r.villages}个村已填报`) : '请到“返乡数据”填报', mismatch ? 'warn' : ''),
    );
}

function childrenTable(st, onOpen) {
    if (!st.children.length) return null;
    const rows = st.children.map((c) =>
        h(
            'tr',
            { class: c.returns.flagged ? 'row-warn' : '' },
            h('td', {}, h('a', { class: 'row-link', href: `#/dashboard/${c.code}`, onclick: () => onOpen(c.code) }, c.name)),
            h('td', { class: 'n' }, num(c.people)),
            h('td', { class: 'n' }, c.today ? h('b', {}, `+${num(c.today)}`) : '0'),
            h('td', { class: 'n' }, num(c.poverty)),
            h('td', { class: 'n' }, num(c.age50)),
            h('td', { class: 'n' }, num(c.low_income)),
            returnsCell(c.returns),
        ),
    );
    return h(
        'div',
        { class: 'card' },
        h('h2', {}, `各${LEVEL_CHILD[st.scope.level] || '下级'}`),
        h(
            'div',
            { class: 'scroll wide' },
            h('table', { class: 'grid children' }, h('thead', {}, h('tr', {}, [['名称'], ['报名人数', 1], ['今日', 1], ['脱贫', 1], ['50岁+', 1], ['低收入', 1], ['外出', 1], ['返乡', 1], ['未返乡', 1], ['核对']].map(([t, n]) => h('th', { class: n ? 'n' : null }, t)))), h('tbody', {}, rows)),
        ),
    );
}

/** Transport, per division one level down: assigned, told, boarded, departed, arrived (people). */
function transportTable(st, onOpen) {
    const t = st.transport || st.totals.transport;
    if (!t || !t.assigned) return null;
    const pct = (a, b) => (b ? ` (${Math.round((100 * a) / b)}%)` : '');
    const cells = (x) => [
        h('td', { class: 'n' }, num(x.assigned)),
        h('td', { class: `n ${x.notified < x.assigned ? 'flag' : ''}` }, `${num(x.notified)}${pct(x.notified, x.assigned)}`),
        h('td', { class: 'n' }, num(x.boarded)), h('td', { class: 'n' }, num(x.departed)), h('td', { class: 'n' }, num(x.arrived))];
    const rows = st.children.filter((c) => c.transport && c.transport.assigned).map((c) => h('tr', {},
        h('td', {}, st.scope.level === 'township' ? c.name : h('a', { href: `#/dashboard/${c.code}`, onclick: () => onOpen(c.code) }, c.name)), cells(c.transport)));
    return h('div', { class: 'card' },
        h('h2', {}, '送工进度（人）'),
        h('div', { class: 'scroll' }, h('table', { class: 'grid transport' },
            h('thead', {}, h('tr', {}, ['名称', '已安排车辆', '已通知本人', '已上车', '已发车', '已到达'].map((x) => h('th', {}, x)))),
            h('tbody', {}, rows, h('tr', { class: 'total' }, h('td', {}, h('b', {}, '合计')), cells(t))))),
        h('p', { class: 'hint' }, '已通知：村里打电话告诉本人车次和上车点后打的勾；已上车：带队人签到；已发车、已到达：签到上车的人随车出发、到达。'));
}

function charts(st) {
    const provinces = [...st.by_province].sort((a, b) => b.people - a.people).slice(0, 8);
    const cities = st.by_city.slice(0, 10);
    const dates = st.by_date.map((d) => ({ label: d.date, short: shortDate(d.date), value: d.people }));
    return h(
        'div',
        { class: 'charts' },
        h('div', { class: 'card' }, h('h2', {}, '去往哪个省'), chart('province', 'bars', provinces.map((p) => ({ label: p.name || p.code, value: p.people })), { title: '按目的地省份' })),
        h('div', { class: 'card' }, h('h2', {}, '去往哪个城市（前10）'), chart('city', 'bars', cities.map((c) => ({ label: c.name || c.code, value: c.people })), { title: '按目的地城市' })),
        h('div', { class: 'card span2' }, h('h2', {}, '哪天出发'), chart('dates', 'columns', dates, { title: '按出发日期' })),
    );
}

/** Posters and label sheets of a scope: at once for a county and below, else of a county chosen by name. */
function posters(me) {
    const links = h('p', { class: 'actions poster-links' });
    const show = (code, name) => fill(links, code
        ? [h('a', { class: 'button secondary', href: `/api/posters.pdf?scope=${code}`, download: '' }, `${name}各村报名海报（PDF，每村一页）`),
            h('a', { class: 'button secondary', href: `/api/posters.pdf?scope=${code}&layout=labels`, download: '' }, `${name}各村二维码标签纸（PDF）`)]
        : h('span', { class: 'muted' }, '先选一个县（市、区）'));
    const box = h('div', { class: 'card posters' }, h('h2', {}, '打印报名海报'), h('p', { class: 'muted' }, '每个村一张二维码海报，贴在村里；务工人员扫码报名。'));
    if (me.scope.length >= 6) {
        show(me.scope, me.division?.name || '');
        box.append(links);
        return box;
    }
    const sel = h('select', { 'aria-label': '县（市、区）', onchange: () => show(sel.value, sel.selectedOptions[0]?.textContent || '') }, h('option', { value: '' }, '选择县（市、区）'));
    (async () => {
        const top = await division(me.scope);
        const cities = me.scope.length === 2 ? await Promise.all(top.children.map((c) => division(c.code))) : [top];
        sel.append(...cities.map((c) => h('optgroup', { label: c.name }, c.children.map((x) => h('option', { value: x.code }, x.name)))));
    })().catch(() => {});
    show('', '');
    box.append(h('label', { class: 'field' }, h('span', { class: 'field-label' }, '县（市、区）'), sel), links);
    return box;
}

function render(view, st, me, status, onOpen) {
    const crumbs = [];
    if (st.scope.code !== me.scope) crumbs.push(h('a', { href: '#/dashboard', class: 'back' }, `← 返回${me.division?.name || '本级'}`));
    fill(
        view,
        h('div', { class: 'head-row' }, h('h1', {}, `${st.scope.name} · 报名概况`), status, crumbs),
        dueBox,
        totals(st),
        childrenTable(st, onOpen),
        transportTable(st, onOpen),
        charts(st),
        postersBox,
    );
}

/** Show the figures of scope in view, live. */
export function showDashboard(view, me, scope, onOpen) {
    stopDashboard();
    const status = h('span', { class: 'live wait', id: 'live' }, '正在连接…');
    dueBox = h('div', { class: 'due-box' });
    postersBox = posters(me);
    fill(view, h('p', { class: 'muted' }, '正在读取数据…'));
    // the deadline line goes in as soon as it is read, not at the next figures
    if (mayReport(me))
        fetch('/api/report/schedule', { credentials: 'same-origin' })
            .then((r) => (r.ok ? r.json() : null))
            .then((s) => {
                if (s) fill(dueBox, dueLine(s));
            })
            .catch(() => {});
    const es = new EventSource(`/api/stats/stream?scope=${encodeURIComponent(scope)}`);
    source = es;
    es.addEventListener('stats', (ev) => {
        if (source !== es) return;
        const st = JSON.parse(ev.data);
        const t = new Date();
        status.className = 'live on';
        status.textContent = `实时更新 · ${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}:${String(t.getSeconds()).padStart(2, '0')}`;
        render(view, st, me, status, onOpen);
    });
    es.addEventListener('error', () => {
        if (source !== es) return;
        status.className = 'live off';
        status.textContent = '连接中断，正在重连…';
        if (es.readyState === EventSource.CLOSED) {
            // a 401/403 closes the stream for good: fall back to one plain request to say why
            fetch(`/api/stats?scope=${encodeURIComponent(scope)}`).then(async (r) => {
                if (r.status === 401) location.hash = '#/login';
                else if (!r.ok) fill(view, h('p', { class: 'error' }, (await r.json()).error?.message || '读取失败'));
            });
        }
    });
}
