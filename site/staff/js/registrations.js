// SPDX-License-Identifier: MIT
// Registrations in scope: search, filters, pages; one registration with edit, cancel and
// "核对" of an unknown ID region; exports (full ID numbers only for organiser and admin).
// The village's call-back loop: each assigned person's vehicle, date and time, pickup and
// seat; 拨打 reveals the person's number (logged) and calls it; 已通知 records that the
// person was told; the list filters the people not told yet.
import { api, get, newIdempotencyKey, patch, post } from './api.js';
import { fill, h, localTime, num, shortDate } from './dom.js';
import { registrationForm } from './form.js';
import { villagePicker } from './village.js';

const STATUS = { registered: '已报名', assigned: '已安排车辆', cancelled: '已取消', untold: '待通知' }; // untold: assigned, not told yet
const TRIP = { assigned: '已安排', boarded: '已上车', departed: '已发车', arrived: '已到达', no_show: '未上车' };
/** Checked in, or the vehicle left: the record stays as it travelled (the server refuses 409 boarded / departed). */
const locked = (a) => !!a && (['boarded', 'departed', 'arrived'].includes(a.trip) || ['departed', 'arrived'].includes(a.status));

/** Where an assigned person travels, in one line: vehicle, date and time, pickup and time, seats. */
function tripLine(a) {
    const seats = a.seats.map((x) => (x.carriage ? `${x.carriage}车${x.seat}座` : `${x.seat}号`)).join('、');
    return [`${a.type_label} ${a.number || a.vehicle + '号车'} · ${shortDate(a.depart_date)} ${a.depart_time || ''}`,
        h('div', { class: 'sub' }, `${a.pickup ? `上车：${a.pickup} ${a.pickup_time || ''} · ` : ''}座位 ${seats} · ${TRIP[a.trip] || a.trip}`)];
}

/** 拨打: reveal one person's number (POST …/phone, logged each time) as a link that calls it. */
function callButton(code, person, name) {
    const b = h('button', { type: 'button', class: 'call small', onclick: async () => {
        b.disabled = true;
        try {
            const r = await post(`/api/registrations/${code}/phone`, { person });
            b.replaceWith(h('a', { class: 'button call small', href: `tel:${r.phone}` }, `☎ ${r.phone}`)); // a tap calls
        } catch (e) {
            b.disabled = false;
            b.title = e.message;
            b.textContent = `拨打（${e.message}）`;
        }
    } }, `拨打${name ? ' ' + name : ''}`);
    return b;
}

/** 已通知: a tick recorded on the server (POST …/notified), taken back by unticking. Only
 * once there is a whole trip to tell (the vehicle's time, the stop and its time): until
 * then a note, and the person stays 待通知 (the server refuses the tick: trip_not_set). */
function toldBox(code, a) {
    if (!a.notified && (!a.depart_time || !a.pickup_time))
        return h('span', { class: 'told-wait', title: '发车时间或上车点、上车时间还没定，定好后再打电话通知' }, '时间待定，定好再通知');
    const box = h('input', { type: 'checkbox', checked: a.notified, 'aria-label': '已通知', onchange: async () => {
        box.disabled = true;
        try {
            await post(`/api/registrations/${code}/notified`, { notified: box.checked });
        } catch (e) {
            box.checked = !box.checked;
            alert(e.message);
        }
        box.disabled = false;
    } });
    return h('label', { class: 'told' }, box, '已通知');
}
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

function row(item, me) {
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
        h('td', { class: 'trip' }, item.assignment ? tripLine(item.assignment) : STATUS[item.status] || item.status,
            item.assignment && me.permissions.includes('call') ? h('div', { class: 'callback' }, item.people[0].phone ? callButton(item.code, 0) : null, toldBox(item.code, item.assignment)) : null),
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
    fill(view, h('div', { class: 'head-row' }, h('h1', {}, '报名名单'), exportLinks(me, { scope: p.scope, q: p.q, status: p.status === 'untold' ? 'assigned' : p.status, date: p.date })), h('div', { class: 'card' }, form, out));
    try {
        const untold = p.status === 'untold'; // 已安排、未通知: the assigned people of the scope not told yet
        const r = await get(`/api/registrations?${query({ ...p, status: untold ? 'assigned' : p.status, notified: untold ? 0 : '', per_page: PER_PAGE })}`);
        const pages = Math.max(1, Math.ceil(r.total / r.per_page));
        const go = (n) => `#/registrations?${query({ ...p, page: n })}`;
        fill(
            out,
            h('p', { class: 'muted' }, `共 ${num(r.total)} 份报名`),
            h('div', { class: 'scroll wide' }, h('table', { class: 'grid list' }, h('thead', {}, h('tr', {}, ['报名号', '姓名', '村', '目的地', '出发日期', me.permissions.includes('call') ? '车辆 · 上车 · 通知' : '车辆 · 上车'].map((t) => h('th', {}, t)))), h('tbody', {}, r.items.map((x) => row(x, me))))),
            h('div', { class: 'pager' }, p.page > 1 ? h('a', { href: go(p.page - 1) }, '‹ 上一页') : null, h('span', {}, `第 ${p.page} / ${pages} 页`), p.page < pages ? h('a', { href: go(p.page + 1) }, '下一页 ›') : null),
        );
    } catch (e) {
        fill(out, h('p', { class: 'error' }, e.message));
    }
}

function assignmentRows(a) {
    if (!a) return [];
    const seats = a.seats.map((x) => (x.carriage ? `${x.carriage}车${x.seat}座` : `${x.seat}号`)).join('、');
    return [
        ['车辆', h('a', { href: `#/vehicle/${a.vehicle}` }, `${a.type_label} ${a.number || a.vehicle + '号车'}`)],
        ['发车', `${a.depart_date} ${a.depart_time || '（时间待定）'}`],
        ['上车点', a.pickup ? `${a.pickup} ${a.pickup_time || ''}` : '待定'],
        ['座位', seats],
        ['行程', TRIP[a.trip] || a.trip],
        ['带队人', a.escort_name ? `${a.escort_name} ${a.escort_phone}` : '待定'],
        ['通知', a.notified ? `已通知${a.notified_by ? `（${a.notified_by}，${localTime(a.notified_at)}）` : ''}` : '还没有通知'],
    ];
}

function detailTable(item) {
    const rows = [
        ['报名号', item.code],
        ['状态', STATUS[item.status] || item.status],
        ...assignmentRows(item.assignment),
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
        h('thead', {}, h('tr', {}, ['姓名', '身份证号', '手机', '性别', '年龄', '脱贫', '低收入'].map((t) => h('th', {}, t)))),
        h('tbody', {}, item.people.map((p) => h('tr', {}, h('td', {}, p.name, p.region_unknown ? h('span', { class: 'flag' }, ' 地区码待核对') : null), h('td', { class: 'mono' }, p.id_number), h('td', { class: 'mono' }, p.phone || '—'), h('td', {}, p.sex === 'male' ? '男' : '女'), h('td', {}, p.age ?? ''), h('td', {}, POV[p.poverty] || p.poverty), h('td', {}, p.low_income ? '是' : '否')))),
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
    const canEdit = me.permissions.includes('edit') && item.status !== 'cancelled' && !locked(item.assignment);
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
        locked(item.assignment) ? h('p', { class: 'muted' }, '已上车或车已发出：这份报名不能再修改、取消或调车。') : null,
    );
    // the call-back loop: call each person with a phone, then tick 已通知
    const callback = item.assignment && me.permissions.includes('call')
        ? h('div', { class: 'callback' }, item.people.map((p, i) => (p.phone ? callButton(code, i, p.name) : null)), toldBox(code, item.assignment))
        : null;
    fill(view, h('div', { class: 'head-row' }, h('h1', {}, `报名 ${item.code}`), h('a', { href: '#/registrations', class: 'back' }, '← 返回名单')), note, h('div', { class: 'card' }, detailTable(item), callback, h('h2', {}, `人员（${item.people.length}人）`), h('div', { class: 'scroll' }, peopleTable(item)), actions), editBox);
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
