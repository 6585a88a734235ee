// SPDX-License-Identifier: MIT
// Registrations in scope: search, filters, pages; one registration with edit, cancel and
// "核对" of an unknown ID region; exports (full ID numbers only for organiser and admin).
import { api, get, newIdempotencyKey, patch, post } from './api.js';
import { fill, h, localTime, num } from './dom.js';
import { registrationForm } from './form.js';
import { villagePicker } from './village.js';

const STATUS = { registered: '已报名', assigned: '已安排车辆', cancelled: '已取消', boarded: '已上车' };
const MODE = { any: '都可以', bus: '专车', train: '专列', flight: '专机' };
const PER_PAGE = 20;

function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== '' && v !== undefined && v !== null) q.set(k, v);
    return q.toString();
}

function exportLinks(me, params) {
    const base = query({ ...params, page: '', per_page: '' });
    const links = [
        h('a', { class: 'button secondary', href: `/api/registrations.csv?${base}`, download: '' }, '导出 CSV'),
        h('a', { class: 'button secondary', href: `/api/registrations.xlsx?${base}`, download: '' }, '导出 Excel'),
    ];
    if (me.permissions.includes('export_full'))
        links.push(h('a', { class: 'button warn', href: `/api/registrations.xlsx?${query({ ...params, page: '', per_page: '', full: 1 })}`, download: '', title: '含完整身份证号，会记入操作记录' }, '导出完整名单（含身份证号）'));
    return h('div', { class: 'exports' }, links);
}

function row(item) {
    const p = item.people[0];
    const flagged = item.people.some((x) => x.region_unknown) && !item.flag_checked;
    return h(
        'tr',
        { class: item.status === 'cancelled' ? 'row-off' : '' },
        h('td', {}, h('a', { href: `#/registration/${item.code}` }, item.code)),
        h('td', {}, p.name, item.people.length > 1 ? h('span', { class: 'muted' }, ` 等${item.people.length}人`) : null, flagged ? h('span', { class: 'flag', title: '身份证号地区码不在现行名单中，请核对' }, ' 待核对') : null),
        h('td', {}, item.village?.name || ''),
        h('td', {}, `${item.dest_city?.province || ''} ${item.dest_city?.name || ''}`),
        h('td', {}, item.depart_date),
        h('td', {}, STATUS[item.status] || item.status),
    );
}

/** The list with its search form; params come from the URL hash. */
export async function showList(view, me, params) {
    const p = { scope: params.scope || me.scope, q: params.q || '', status: params.status || '', date: params.date || '', page: Number(params.page || 1) };
    const form = h(
        'form',
        { class: 'filters', onsubmit: (ev) => {
            ev.preventDefault();
            const f = ev.target.elements;
            location.hash = `#/registrations?${query({ scope: p.scope, q: f.q.value.trim(), status: f.status.value, date: f.date.value, page: 1 })}`;
        } },
        h('input', { name: 'q', value: p.q, placeholder: '姓名、报名号、身份证或手机后4位' }),
        h('select', { name: 'status' }, [['', '全部状态'], ...Object.entries(STATUS)].map(([v, t]) => h('option', { value: v, selected: v === p.status }, t))),
        h('input', { name: 'date', type: 'date', value: p.date, title: '出发日期' }),
        h('button', { type: 'submit', class: 'primary' }, '查找'),
    );
    const out = h('div', {}, h('p', { class: 'muted' }, '正在读取…'));
    fill(view, h('div', { class: 'head-row' }, h('h1', {}, '报名名单'), exportLinks(me, { scope: p.scope, q: p.q, status: p.status, date: p.date })), h('div', { class: 'card' }, form, out));
    try {
        const r = await get(`/api/registrations?${query({ ...p, per_page: PER_PAGE })}`);
        const pages = Math.max(1, Math.ceil(r.total / r.per_page));
        const go = (n) => `#/registrations?${query({ ...p, page: n })}`;
        fill(
            out,
            h('p', { class: 'muted' }, `共 ${num(r.total)} 份报名`),
            h('div', { class: 'scroll wide' }, h('table', { class: 'grid list' }, h('thead', {}, h('tr', {}, ['报名号', '姓名', '村', '目的地', '出发日期', '状态'].map((t) => h('th', {}, t)))), h('tbody', {}, r.items.map(row)))),
            h('div', { class: 'pager' }, p.page > 1 ? h('a', { href: go(p.page - 1) }, '‹ 上一页') : null, h('span', {}, `第 ${p.page} / ${pages} 页`), p.page < pages ? h('a', { href: go(p.page + 1) }, '下一页 ›') : null),
        );
    } catch (e) {
        fill(out, h('p', { class: 'error' }, e.message));
    }
}

function detailTable(item) {
    const rows = [
        ['报名号', item.code],
        ['状态', STATUS[item.status] || item.status],
        ['村', item.village?.name],
        ['目的地', `${item.dest_city?.province || ''} ${item.dest_city?.name || ''}`],
        ['用工单位', item.employer || '—'],
        ['已落实岗位', item.job_confirmed ? '是' : '否'],
        ['出发日期', `${item.depart_date}（可前后${item.flex_days}天）`],
        ['出行方式', MODE[item.mode] || item.mode],
        ['登记时间', item.created_at ? localTime(item.created_at) : ''],
        ['录入方式', item.entered_by ? `工作人员 ${item.entered_by} 当面登记` : '本人扫码报名'],
    ];
    return h('table', { class: 'kv' }, rows.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v))));
}

function peopleTable(item) {
    const POV = { none: '否', alleviated: '脱贫人口', monitored: '监测对象' };
    return h(
        'table',
        { class: 'grid' },
        h('thead', {}, h('tr', {}, ['姓名', '身份证号', '手机', '性别', '年龄', '脱贫'].map((t) => h('th', {}, t)))),
        h('tbody', {}, item.people.map((p) => h('tr', {}, h('td', {}, p.name, p.region_unknown ? h('span', { class: 'flag' }, ' 地区码待核对') : null), h('td', { class: 'mono' }, p.id_number), h('td', { class: 'mono' }, p.phone || '—'), h('td', {}, p.sex === 'male' ? '男' : '女'), h('td', {}, p.age ?? ''), h('td', {}, POV[p.poverty] || p.poverty)))),
    );
}

/** One registration: details, then edit / cancel / check. */
export async function showDetail(view, me, code, today) {
    fill(view, h('p', { class: 'muted' }, '正在读取…'));
    let item;
    try {
        item = await get(`/api/registrations/${encodeURIComponent(code)}`);
    } catch (e) {
        fill(view, h('p', { class: 'error' }, e.message), h('a', { href: '#/registrations' }, '← 返回名单'));
        return;
    }
    const note = h('p', { class: 'notice', role: 'status' });
    const editBox = h('div');
    const canEdit = me.permissions.includes('edit') && item.status !== 'cancelled';
    const needsCheck = item.people.some((p) => p.region_unknown) && !item.flag_checked;
    const act = async (fn, okText) => {
        try {
            await fn();
            await showDetail(view, me, code, today);
            view.querySelector('.notice').textContent = okText;
        } catch (e) {
            note.textContent = e.message;
        }
    };
    const actions = h(
        'div',
        { class: 'actions' },
        canEdit ? h('button', { class: 'primary', type: 'button', onclick: () => edit(editBox, item, today, () => act(async () => {}, '已保存修改')) }, '修改') : null,
        canEdit && needsCheck ? h('button', { class: 'secondary', type: 'button', onclick: () => act(() => post(`/api/registrations/${code}/flag-checked`), '已标记为核对无误') }, '核对：身份证地区码无误') : null,
        canEdit ? h('button', { class: 'danger', type: 'button', onclick: () => confirm(`确定取消 ${item.people[0].name} 的报名吗？取消后名额会释放。`) && act(() => post(`/api/registrations/${code}/cancel`), '报名已取消') }, '取消报名') : null,
    );
    fill(view, h('div', { class: 'head-row' }, h('h1', {}, `报名 ${item.code}`), h('a', { href: '#/registrations', class: 'back' }, '← 返回名单')), note, h('div', { class: 'card' }, detailTable(item), h('h2', {}, `人员（${item.people.length}人）`), h('div', { class: 'scroll' }, peopleTable(item)), actions), editBox);
}

function edit(box, item, today, saved) {
    const card = h('div', { class: 'card' }, h('h2', {}, '修改报名'));
    const formBox = h('div');
    card.append(formBox);
    fill(box, card);
    registrationForm(formBox, { village: item.village.code, initial: item, today, get, submit: (body) => patch(`/api/registrations/${item.code}`, body), done: saved, submitLabel: '保存修改' });
    card.scrollIntoView({ behavior: 'smooth' });
}

/** Face-to-face entry for a worker without a phone of their own. */
export async function showEntry(view, me, today, village, last) {
    const inVillage = me.scope.length === 12;
    const picker = inVillage ? null : villagePicker({ scope: me.scope, value: village || '' });
    const box = h('div');
    // the last entry's code, large, at the top of the screen: staff read it out to the person
    const result = last
        ? h('div', { class: 'card success entered', role: 'status', tabindex: '-1' },
              h('h2', {}, `✓ 登记成功（共 ${last.people} 人）`),
              h('p', {}, '报名号（请告诉本人，让他抄下或拍照）：'),
              h('p', { class: 'code-big' }, last.code.replace(/^(.{4})(.{4})$/, '$1 $2')),
              h('p', {}, last.names),
              h('p', { class: 'actions' }, h('a', { class: 'button secondary', href: `#/registration/${last.code}` }, '查看这份报名'), h('button', { type: 'button', class: 'primary', onclick: () => box.querySelector('input[name="name"]')?.focus() }, '登记下一位')))
        : null;
    fill(view, result, h('div', { class: 'head-row' }, h('h1', {}, '当面登记'), h('span', { class: 'muted' }, '为没有智能手机的务工人员登记，系统会记下是谁登记的')), h('div', { class: 'card' }, box));
    // One key for this person: a retry after a lost answer (a bad network at the village
    // office) cannot enter them twice; the next person's form gets a new one.
    const key = newIdempotencyKey();
    await registrationForm(box, {
        village: inVillage ? me.scope : '',
        today,
        get,
        before: () => {
            if (!picker || picker.value()) return true;
            picker.mark(me.scope.length === 9 ? '请先选择村：在村名上点一下' : '请先选择村：输入村名，在下面点一下');
            picker.el.scrollIntoView({ block: 'center' });
            return false;
        },
        submit: (body) => api('POST', '/api/registrations', { ...body, village: picker ? picker.value() : me.scope }, { 'Idempotency-Key': key }),
        // the server's words for a worker ("scan your village's QR code") are not for staff
        staffError: (e) => {
            if (e.code !== 'unknown_village' || !picker) return false;
            picker.mark('找不到这个村，请重新输入村名选择');
            return true;
        },
        done: async (r, body) => {
            const names = [body.name, ...body.companions.map((c) => c.name)].join('、');
            await showEntry(view, me, today, picker?.value(), { ...r, names });
            window.scrollTo(0, 0);
            view.querySelector('.entered')?.focus({ preventScroll: true });
        },
        submitLabel: '提交登记',
        lead: picker ? picker.el : h('p', { class: 'field' }, `所在村：${me.division?.name}`),
    });
}
