// SPDX-License-Identifier: MIT
// Vehicles of the scope (organisers and admins): the list (filters, search, pages), what
// several planned vehicles share filled in once (批量填写: a convoy's departure time, its
// leader, the hand-over, the emergency contact, notes), a new plan, and one vehicle: its plan, status buttons along the allowed transitions,
// manifests, and its passengers by pickup stop (moved in, out and to the vehicles their
// group fits, by hand).
import { ApiError, del, get, patch, post } from './api.js';
import { fill, h, num, shortDate } from './dom.js';
import { placeName } from './places.js';
import { planForm, showFieldErrors } from './plan.js';

export const STATUS = { planned: '计划中', boarding: '上车中', departed: '已发车', arrived: '已到达', cancelled: '已取消' };
// the transitions the server allows, as buttons: [to, label, class, question to confirm]
const NEXT = {
    planned: [['boarding', '开始上车', 'primary'], ['cancelled', '取消这辆车', 'danger', '确定取消这辆车吗？车上的人会回到待安排。']],
    boarding: [['departed', '已发车', 'primary', '确定已发车吗？发车后不能再签到。'], ['planned', '退回计划中', 'secondary'], ['cancelled', '取消这辆车', 'danger', '确定取消这辆车吗？车上的人会回到待安排。']],
    departed: [['arrived', '已到达', 'primary']],
};
// why the server refused to move someone, in words for the organiser
const MOVE_WHY = {
    not_matching: '这辆车的目的地、出发日期（含可调整天数）或车型与此人报名的不符，不能调入。',
    no_room: '这辆车座位已满，放不下这一组人（同行人不拆开）。',
    no_stop: '这辆车没有为此人所在的村（或乡镇）设上车点：先在方案里加一个上车点，再调入。',
    not_planned: '这辆车已开始上车、已发车或已取消，不能再调人进来。',
    not_open: '这个报名已取消，不能上车。',
    boarded: '此人已上车签到，不能再调出。',
    departed: '这趟车已经发车，车上的人不能再调出。',
    match_busy: '有人正在编排车辆，请稍等几秒再试。',
    not_found: '找不到这个报名号（或不在这辆车上），请核对。',
    forbidden: '这个报名不在您管辖的范围内。',
};

let campaign = null;
let provinces = null;

export async function activeCampaign() {
    campaign = campaign || (await get('/api/campaign'));
    return campaign;
}

/** The user's scope and the divisions one level down: [[code, name]]. */
export async function scopeOptions(me) {
    const s = await get(`/api/stats?scope=${me.scope}`).catch(() => ({ children: [] }));
    return [[me.scope, me.division?.name || me.scope], ...(s.children || []).map((c) => [c.code, `　${c.name}`])];
}

export function statusBadge(status) {
    return h('span', { class: `badge st-${status}` }, STATUS[status] || status);
}

const title = (v) => `${v.type_label} ${v.number || `${v.id}号车（车牌/车次待定）`}`;
const when = (v) => `${shortDate(v.depart_date)} ${v.depart_time || ''}`.trim();
const PER_PAGE = 50;
const TYPE_LABEL = { bus: '专车', train: '专列', flight: '专机' };

function listQuery(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== '' && v !== undefined && v !== null && v !== false) q.set(k, v);
    return q.toString();
}

/** The vehicles of the scope: filters that hold a province (date, destination, type, status, plan incomplete), search by number, pages. */
export async function showVehicles(view, me, params = {}) {
    const c = await activeCampaign();
    const p = { date: params.date || '', dest_city: params.dest_city || '', type: params.type || '', status: params.status || '', incomplete: params.incomplete === '1' ? '1' : '', q: params.q || '', page: Number(params.page || 1) };
    const r = await get(`/api/vehicles?${listQuery({ scope: me.scope, campaign: c.id, ...p, per_page: PER_PAGE })}`);
    const go = (over) => `#/vehicles?${listQuery({ ...p, ...over })}`;
    const sel = (name, label, options) => h('label', { class: 'field' }, h('span', { class: 'field-label' }, label),
        h('select', { name }, [['', '全部'], ...options].map(([v, t]) => h('option', { value: v, selected: v === p[name] }, t))));
    const form = h('form', { class: 'filters vehicle-filters', onsubmit: (ev) => {
        ev.preventDefault();
        const f = ev.target.elements;
        location.hash = go({ date: f.date.value, dest_city: f.dest_city.value, type: f.type.value, status: f.status.value, incomplete: f.incomplete.checked ? '1' : '', q: f.q.value.trim(), page: 1 });
    } },
    sel('date', '出发日期', r.dates.map((d) => [d, shortDate(d)])),
    sel('dest_city', '目的地', r.cities.map((x) => [x.code, x.name])),
    sel('type', '类型', Object.entries(TYPE_LABEL)),
    sel('status', '状态', Object.entries(STATUS)),
    h('label', { class: 'field check-inline' }, h('input', { type: 'checkbox', name: 'incomplete', checked: p.incomplete === '1' }), ' 只看方案待补全'),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, '车牌/车次'), h('input', { name: 'q', value: p.q, placeholder: '如 桂A123、D38', autocomplete: 'off' })),
    h('button', { type: 'submit', class: 'primary' }, '查找'),
    Object.values(p).some((x) => x && x !== 1) ? h('a', { href: '#/vehicles', class: 'button secondary' }, '清除条件') : null);
    const picks = new Map(); // vehicle id -> its checkbox, for 批量填写 (planned vehicles only)
    const row = (v) => h('tr', { class: v.status === 'cancelled' ? 'row-off' : '' },
        h('td', { class: 'pick' }, v.status === 'planned' ? (picks.set(v.id, h('input', { type: 'checkbox', 'aria-label': `选中 ${title(v)}`, 'data-id': v.id })), picks.get(v.id)) : null),
        h('td', {}, h('a', { href: `#/vehicle/${v.id}` }, title(v)), v.status === 'planned' && !v.plan_complete ? h('span', { class: 'plan-todo' }, '方案待补全') : null,
            h('div', { class: 'sub' }, `${v.dest_city_name} · ${when(v)} · ${v.stops[0]?.name ? v.stops[0].name + ' · ' : ''}${v.used}/${v.capacity}人 `, statusBadge(v.status))),
        h('td', {}, v.dest_city_name), h('td', {}, when(v)),
        h('td', {}, v.stops.map((s) => s.name).join('、') || '待定'),
        h('td', { class: 'n' }, `${num(v.used)} / ${num(v.capacity)}`),
        h('td', {}, statusBadge(v.status)));
    const rows = r.vehicles.map(row);
    const allBox = picks.size ? h('input', { type: 'checkbox', 'aria-label': '选中本页计划中的车辆', onchange: (ev) => picks.forEach((b) => (b.checked = ev.target.checked)) }) : '';
    const pages = Math.max(1, Math.ceil(r.total / PER_PAGE));
    fill(view,
        h('div', { class: 'head-row' }, h('h1', {}, '车辆'), h('div', { class: 'exports' }, h('a', { class: 'button primary', href: '#/vehicle/new' }, '＋ 新建车辆'), h('a', { class: 'button secondary', href: '#/matching' }, '自动编排'))),
        h('div', { class: 'card' },
            h('p', { class: 'muted' }, `${c.name || c.id}：共 ${num(r.count_all)} 辆车，已安排 ${num(r.people_all)} 人`),
            form,
            h('p', { class: 'muted found' }, `符合条件的 ${num(r.total)} 辆`),
            r.vehicles.length ? h('div', { class: 'scroll' }, h('table', { class: 'grid list vehicles' }, h('thead', {}, h('tr', {}, h('th', { class: 'pick' }, allBox), ['车辆', '目的地', '出发', '上车点', '人数/座位', '状态'].map((t) => h('th', {}, t)))), h('tbody', {}, rows)))
                : h('p', {}, r.count_all ? '没有符合条件的车辆。' : '还没有车辆。可以新建车辆，或用“自动编排”按报名情况生成。'),
            pages > 1 ? h('div', { class: 'pager' }, p.page > 1 ? h('a', { href: go({ page: p.page - 1 }) }, '‹ 上一页') : null, h('span', {}, `第 ${p.page} / ${pages} 页`), p.page < pages ? h('a', { href: go({ page: p.page + 1 }) }, '下一页 ›') : null) : null),
        picks.size ? bulkForm(r.vehicles, picks, allBox, () => showVehicles(view, me, params)) : null);
}

// What 批量填写 may set: what the vehicles of one convoy share. Not the number, stops, drivers
// or escort: those are each vehicle's own.
const BULK_FIELDS = [
    ['depart_time', '发车时间', { type: 'time' }],
    ['arrive_time', '预计到达', { type: 'time' }],
    ['convoy', '车队', { placeholder: '如：宾阳—东莞第1车队', maxlength: 40 }],
    ['convoy_leader', '车队长及电话', { placeholder: '如：李国强 13900002222', maxlength: 40 }],
    ['handover', '到达交接：接收单位对接人及电话', { placeholder: '如：宏达电子人事部 王芳 0769-12345678', maxlength: 40 }],
    ['emergency', '应急联系人及电话', { placeholder: '如：宾阳县人社局 0771-8221234', maxlength: 60 }],
    ['notes', '注意事项', { maxlength: 500 }],
];

/** 批量填写: the fields filled in go to every vehicle ticked, one PATCH each; what a vehicle
 * refused (e.g. a departure before its last stop) is listed with its reason, the rest saved. */
function bulkForm(vehicles, picks, allBox, reload) {
    const byId = new Map(vehicles.map((v) => [v.id, v]));
    const count = h('span', { class: 'bulk-count' });
    const ticked = () => [...picks.values()].filter((b) => b.checked).map((b) => b.dataset.id);
    const recount = () => (count.textContent = `已选 ${ticked().length} 辆`);
    for (const b of picks.values()) b.addEventListener('change', recount);
    allBox.addEventListener('change', recount);
    const out = h('div', { class: 'bulk-out', role: 'status' });
    const form = h('form', { class: 'bulk', novalidate: true, onsubmit: async (ev) => {
        ev.preventDefault();
        const f = ev.target.elements;
        const body = {};
        const said = [];
        for (const [name, label] of BULK_FIELDS) {
            const value = f[name].value.trim();
            if (value) (body[name] = value), said.push(`${label} ${value}`);
        }
        const ids = ticked();
        if (!ids.length) return void (out.textContent = '请先在表格左边勾选要填写的车辆。');
        if (!said.length) return void (out.textContent = '请至少填写一项。没填的项不会改动。');
        if (!confirm(`为选中的 ${ids.length} 辆车填写：\n${said.join('\n')}\n\n没填的项不改动。确定吗？`)) return;
        const button = form.querySelector('button[type=submit]');
        button.disabled = true;
        const failed = [];
        let done = 0;
        const next = async () => {
            for (let id; (id = ids.shift()) !== undefined;) {
                try {
                    await patch(`/api/vehicles/${id}`, body);
                } catch (e) {
                    const why = e instanceof ApiError && Object.keys(e.fields).length ? Object.values(e.fields).join('；') : e.message;
                    failed.push([byId.get(id), why]);
                }
                out.textContent = `正在保存… ${++done} 辆`;
            }
        };
        await Promise.all([next(), next(), next(), next()]);
        button.disabled = false;
        fill(out, h('p', { class: failed.length ? 'warn' : 'ok' }, `已填写 ${done - failed.length} 辆${failed.length ? `，${failed.length} 辆没有改动：` : '。'}`),
            failed.length ? h('ul', { class: 'bulk-failed' }, failed.map(([v, why]) => h('li', {}, h('a', { href: `#/vehicle/${v.id}` }, title(v)), `：${why}`))) : null,
            h('button', { type: 'button', class: 'secondary', onclick: reload }, '刷新列表'));
    } },
    h('p', { class: 'hint' }, '同一车队的几辆车常有相同的发车时间、车队长、到达交接人和应急联系人：在表格左边勾选（只能选“计划中”的车），填写要统一的项，没填的项不改动。车牌、上车点、司机、带队人请逐辆填写。'),
    h('div', { class: 'bulk-grid' }, BULK_FIELDS.map(([name, label, attrs]) =>
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), h('input', { name, autocomplete: 'off', ...attrs })))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, '填写到选中的车辆'), count),
    out);
    recount();
    return h('details', { class: 'card bulk-card' }, h('summary', {}, '批量填写方案（同一车队的车）'), form);
}

export async function showNewVehicle(view, me) {
    const [c, scopes] = await Promise.all([activeCampaign(), scopeOptions(me)]);
    provinces = provinces || (await get('/api/destinations')).provinces;
    const box = h('div', { class: 'card' });
    fill(view, h('div', { class: 'head-row' }, h('h1', {}, '新建车辆（一车一方案）'), h('a', { href: '#/vehicles', class: 'back' }, '← 车辆列表')), h('p', { class: 'muted' }, '必填：类型、座位数、目的地城市、出发日期。其余可以先空着，但“开始上车”前必须补全：车牌/车次、发车时间、上车点、司机（专车）、带队人及手机、应急联系人。'), box);
    planForm(box, { provinces, scopes, submit: async (body) => (await post('/api/vehicles', { ...body, campaign: c.id })), done: (v) => (location.hash = `#/vehicle/${v.id}`), submitLabel: '保存，建立车辆' });
}

function planTable(v) {
    const rows = [
        ['类型', `${v.type_label}，${v.capacity} 座${v.carriage_size ? `（每节车厢 ${v.carriage_size} 座）` : ''}`],
        ['车牌/车次', v.number || '待定'],
        ['目的地', `${v.dest_city_name}${v.employer ? ` · ${v.employer}` : ''}`],
        ['出发', `${v.depart_date} ${v.depart_time || '时间待定'}${v.arrive_time ? `，预计 ${v.arrive_time} 到达` : ''}`],
        ['上车点', v.stops.length ? h('ol', { class: 'stops' }, v.stops.map((s) => h('li', {}, `${s.time || '时间待定'} ${s.name}`, s.serves ? h('span', { class: 'muted serves', 'data-code': s.serves }) : null))) : '待定'],
        ['司机', v.drivers.join('、') || '待定'],
        ['带队人', v.escort_name ? [v.escort_name, ' ', h('a', { href: `tel:${v.escort_phone}` }, v.escort_phone)] : '待定'],
        ['应急联系人', v.emergency || '待定'],
        ['车长 / 副车长', [v.captain, v.vice_captain].filter(Boolean).join('　') || '—'],
        ['车队', v.convoy || v.convoy_leader ? `${v.convoy || '（未命名）'}${v.convoy_leader ? `，车队长 ${v.convoy_leader}` : ''}` : '—'],
        ['到达交接', v.handover || '—'],
        ['注意事项', v.notes || '—'],
    ];
    return h('table', { class: 'kv' }, rows.map(([k, val]) => h('tr', {}, h('th', {}, k), h('td', {}, val))));
}

function links(me, v) {
    const base = `/api/vehicles/${v.id}/manifest`;
    const a = (href, text, cls = 'secondary', extra = {}) => h('a', { class: `button ${cls}`, href, ...extra }, text);
    return h('div', { class: 'exports' },
        a(`/staff/manifest.html?id=${v.id}`, '打印名单', 'primary', { target: '_blank' }),
        a(`${base}.pdf`, 'PDF', 'secondary', { download: '' }), a(`${base}.xlsx`, 'Excel', 'secondary', { download: '' }), a(`${base}.csv`, 'CSV', 'secondary', { download: '' }),
        me.permissions.includes('export_full') ? a(`${base}.xlsx?full=1`, '完整名单（含身份证号，团体票用）', 'warn', { download: '', title: '含完整身份证号，会记入操作记录' }) : null,
        a(`#/boarding/${v.id}`, '上车签到', 'secondary'));
}

export async function showVehicle(view, me, id) {
    const v = await get(`/api/vehicles/${encodeURIComponent(id)}`);
    const note = h('p', { class: 'notice', role: 'status' });
    const editBox = h('div');
    const reload = async (text) => {
        await showVehicle(view, me, id);
        view.querySelector('.notice').textContent = text;
    };
    const edit = () => {
        const card = h('div', { class: 'card edit' }, h('h2', {}, '修改方案'));
        const box = h('div');
        card.append(box);
        fill(editBox, card);
        const form = planForm(box, { v, provinces, submit: (body) => patch(`/api/vehicles/${v.id}`, body), done: () => reload('方案已保存'), submitLabel: '保存方案' });
        card.scrollIntoView();
        return form;
    };
    const setStatus = async ([to, , , question]) => {
        if (question && !confirm(question)) return;
        try {
            await patch(`/api/vehicles/${v.id}`, { status: to });
            await reload(`状态已改为：${STATUS[to]}`);
        } catch (e) {
            if (!(e instanceof ApiError)) throw e;
            note.textContent = `不能改为“${STATUS[to]}”：${e.message}`;
            if (Object.keys(e.fields).length) {
                const form = edit();
                showFieldErrors(form, e, form.querySelector('p.error'));
                note.textContent = `不能“${NEXT[v.status].find((n) => n[0] === to)[1]}”：请先补全下面标红的内容，保存后再试。`;
            }
        }
    };
    provinces = provinces || (await get('/api/destinations')).provinces;
    const passengers = h('div', {}, h('p', { class: 'muted' }, '正在读取名单…'));
    fill(view,
        h('div', { class: 'head-row' }, h('h1', {}, title(v), ' ', statusBadge(v.status)), h('a', { href: '#/vehicles', class: 'back' }, '← 车辆列表')),
        note,
        h('div', { class: 'card' }, planTable(v),
            h('div', { class: 'actions' }, v.status === 'planned' || v.status === 'boarding' ? h('button', { type: 'button', class: 'secondary', onclick: edit }, '修改方案') : null, (NEXT[v.status] || []).map((n) => h('button', { type: 'button', class: n[2], onclick: () => setStatus(n) }, n[1])))),
        editBox,
        h('div', { class: 'card' }, h('h2', {}, '名单'), links(me, v)),
        h('div', { class: 'card' }, h('h2', {}, `乘车人员（${v.used} / ${v.capacity} 人）`), passengers));
    // who boards at each stop, by name (the plan keeps codes)
    view.querySelectorAll('.serves[data-code]').forEach(async (el) => {
        el.textContent = `（${await placeName(el.dataset.code, v.scope).catch(() => el.dataset.code)} 在这里上车）`;
    });
    await showPassengers(passengers, v, reload);
}

/** The vehicles the group of code may be moved into (GET /api/vehicles?fits=CODE), as options. */
async function fillTargets(sel, v, code) {
    if (sel.dataset.loaded) return;
    sel.dataset.loaded = '1';
    fill(sel, h('option', { value: '' }, '正在找可调的车…'));
    try {
        const r = await get(`/api/vehicles?${listQuery({ scope: v.scope, campaign: v.campaign, fits: code, page: 1, per_page: 200 })}`);
        fill(sel, h('option', { value: '' }, r.total ? `调到…（${r.total} 辆可调）` : '没有可调的车'),
            r.vehicles.map((t) => h('option', { value: t.id }, `${t.number || t.id + '号车'} ${t.dest_city_name} ${when(t)}（空 ${t.capacity - t.used}）`)));
    } catch (e) {
        delete sel.dataset.loaded;
        fill(sel, h('option', { value: '' }, `读不到：${e.message}`));
    }
}

async function showPassengers(box, v, reload) {
    const m = await get(`/api/vehicles/${v.id}/manifest`);
    const msg = h('p', { class: 'notice refused', role: 'alert' });
    const open = v.status === 'planned' || v.status === 'boarding';
    const move = async (code, to) => {
        try {
            const r = to ? await post(`/api/vehicles/${to}/passengers`, { code }) : await del(`/api/vehicles/${v.id}/passengers/${code}`);
            await reload(to ? `报名 ${code} 已调到 ${to} 号车，座位 ${r.seat}` : `报名 ${code} 已移出，回到待安排`);
        } catch (e) {
            msg.textContent = `没有调动：${MOVE_WHY[e.code] || e.message}`;
        }
    };
    const seen = new Set();
    const row = (p) => {
        const first = !seen.has(p.code);
        seen.add(p.code);
        // only the vehicles this group fits (city, day, mode, room, pickup area), read when the list is opened
        const sel = h('select', { 'aria-label': `${p.name} 调到哪辆车`, onfocus: () => fillTargets(sel, v, p.code), onpointerdown: () => fillTargets(sel, v, p.code) }, h('option', { value: '' }, '调到…'));
        return h('tr', { class: p.boarded ? 'row-ok' : '' },
            h('td', { class: 'n' }, p.seat), h('td', {}, p.name, p.boarded ? h('span', { class: 'ok' }, ' 已上车') : null), h('td', {}, p.stop), h('td', {}, p.place), h('td', { class: 'mono' }, p.code),
            h('td', {}, first && open && !p.boarded ? h('div', { class: 'tools' }, sel, h('button', { type: 'button', class: 'secondary small', onclick: () => sel.value && move(p.code, sel.value) }, '调过去'), h('button', { type: 'button', class: 'danger small', onclick: () => confirm(`把 ${p.name}（报名 ${p.code}，同行人一起）移出这辆车？`) && move(p.code, '') }, '移出')) : first ? '' : h('span', { class: 'muted' }, '同行')));
    };
    const add = h('form', { class: 'inline', onsubmit: (ev) => {
        ev.preventDefault();
        const code = ev.target.elements.code.value.trim().toUpperCase().replace(/[^0-9A-Z]/g, '');
        if (code) move(code, v.id);
    } }, h('input', { name: 'code', placeholder: '报名号，如 7KQ2M9XA', 'aria-label': '报名号', maxlength: 12, autocomplete: 'off' }), h('button', { type: 'submit', class: 'secondary' }, '加到这辆车'));
    fill(box,
        msg,
        m.passengers.length ? h('div', { class: 'scroll' }, h('table', { class: 'grid passengers' }, h('thead', {}, h('tr', {}, ['座位', '姓名', '上车点', '乡镇/村', '报名号', open ? '调整' : ''].map((t) => h('th', {}, t)))), h('tbody', {}, m.passengers.map(row)))) : h('p', { class: 'muted' }, '车上还没有人。'),
        h('p', { class: 'muted' }, `共 ${m.people} 人，其中脱贫人口 ${m.poverty} 人，已上车 ${m.boarded} 人。名单按上车点的先后排列。同行人一起调动，不拆开；已上车的人不能再调出。`),
        open ? add : null);
}
