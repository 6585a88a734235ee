// SPDX-License-Identifier: MIT
// Matching (编排): preview what POST /api/match would do in a scope (existing vehicles
// filled from their pickup areas, new vehicles per pickup area with the seats and the
// minimum loads chosen here), as a city × date table that holds a province, and the
// people left over with what the organiser can do about them; then accept that same
// proposal after a confirmation and show what was created, assigned and left.
import { post } from './api.js';
import { fill, h, num, shortDate } from './dom.js';
import { activeCampaign, scopeOptions } from './vehicles.js';

// The seats of proposed vehicles (POST /api/match "sizes"): the server's defaults and ranges (domain/vehicle.c).
const SIZES = [
    { key: 'bus', label: '专车座位', value: 50, min: 5, max: 65 },
    { key: 'train', label: '专列座位', value: 1000, min: 100, max: 2400 },
    { key: 'train_carriage', label: '每节车厢', value: 100, min: 20, max: 150 },
    { key: 'flight', label: '专机座位', value: 150, min: 30, max: 400 },
];
// The fewest people a proposed vehicle carries ("min_load"): the server's defaults (a bus half full).
const MINIMA = [
    { key: 'bus', label: '专车最少人数', value: 25, min: 1, max: 65 },
    { key: 'train', label: '专列最少人数', value: 300, min: 1, max: 2400 },
    { key: 'flight', label: '专机最少人数', value: 100, min: 1, max: 400 },
];
const AREAS = [['township', '按乡镇（每辆新车只接一个乡镇的人）'], ['county', '按县（一辆车可在县里几个乡镇接人）'], ['village', '按村']];
const REASONS = {
    no_stop: ['有车经过，但没有为他们设上车点', '在那辆车的方案里加一个为他们的乡镇或村设的上车点，再编排或手工调入。'],
    below_minimum: ['人数凑不够一辆车', '手工调到同方向、有空座的车（先给车加上车点），或计划一辆车，或为他们购买普通车票。'],
    too_big: ['同行人太多，放不进任何一辆车', '手工安排到座位更多的车，或分开购票。'],
};
const UNPLACED_SHOWN = 200; // groups listed; all are counted

function sizesUsed(r) {
    const s = r.sizes, m = r.min_load;
    return `新增车辆按每辆专车 ${s.bus} 座、每列专列 ${num(s.train)} 座（每节车厢 ${s.train_carriage} 座）、每架专机 ${s.flight} 座计算；` +
        `每辆新车至少 专车 ${m.bus} 人、专列 ${num(m.train)} 人、专机 ${m.flight} 人；上车片区${r.area === 'county' ? '按县' : r.area === 'village' ? '按村' : '按乡镇'}。`;
}

const stat = (label, value, note, cls = '') => h('div', { class: `stat ${cls}` }, h('div', { class: 'stat-label' }, label), h('div', { class: 'stat-value' }, value), note ? h('div', { class: 'stat-note' }, note) : null);

/** The city × date table: one row per city and date, a subtotal per city. */
function planTable(rows) {
    if (!rows.length) return h('p', { class: 'muted' }, '这次没有车要坐人。');
    const body = [];
    const tr = (r, cls, city) => h('tr', { class: cls },
        h('td', {}, city), h('td', {}, r.depart_date ? shortDate(r.depart_date) : '合计'),
        h('td', { class: 'n' }, num(r.people)), h('td', { class: 'n' }, r.vehicles.bus || ''), h('td', { class: 'n' }, r.vehicles.train || ''), h('td', { class: 'n' }, r.vehicles.flight || ''),
        h('td', { class: 'n' }, num(r.seats)), h('td', { class: `n ${r.load < 50 ? 'low' : ''}` }, `${Math.round(r.load)}%`));
    for (let i = 0; i < rows.length;) {
        const city = rows[i].dest_city, group = [];
        while (i < rows.length && rows[i].dest_city === city) group.push(rows[i++]);
        group.forEach((r, k) => body.push(tr(r, k === 0 ? 'first' : '', k === 0 ? r.dest_city_name || r.dest_city : '')));
        if (group.length > 1) {
            const sum = { people: 0, seats: 0, vehicles: { bus: 0, train: 0, flight: 0 } };
            for (const r of group) {
                sum.people += r.people;
                sum.seats += r.seats;
                for (const t of ['bus', 'train', 'flight']) sum.vehicles[t] += r.vehicles[t];
            }
            sum.load = sum.seats ? (100 * sum.people) / sum.seats : 0;
            body.push(tr(sum, 'subtotal', ''));
        }
    }
    return h('div', { class: 'scroll tall' }, h('table', { class: 'grid plan-table' },
        h('thead', {}, h('tr', {}, ['目的地', '日期', '人数', '专车', '专列', '专机', '座位', '满座率'].map((t) => h('th', {}, t)))),
        h('tbody', {}, body)));
}

/** The people left, by reason, city and date, with what can be done. */
function unplacedBox(r) {
    if (!r.unplaced.length) return h('p', { class: 'ok' }, '所有人都安排上了。');
    const byReason = Object.keys(REASONS).map((reason) => [reason, r.unplaced.filter((u) => u.reason === reason)]).filter(([, list]) => list.length);
    return byReason.map(([reason, list]) => {
        const people = list.reduce((n, u) => n + u.people, 0);
        const shown = list.slice(0, UNPLACED_SHOWN);
        return h('div', { class: `card warnbox unplaced ${reason}` },
            h('h3', {}, `${REASONS[reason][0]}：${num(people)} 人`),
            h('p', { class: 'todo' }, `怎么办：${REASONS[reason][1]}`),
            h('div', { class: 'scroll mid' }, h('table', { class: 'grid unplaced-list' },
                h('thead', {}, h('tr', {}, ['目的地', '日期', '人数', '报名号（点开可手工安排）'].map((t) => h('th', {}, t)))),
                h('tbody', {}, shown.map((u) => h('tr', {}, h('td', {}, u.dest_city_name || u.dest_city), h('td', {}, shortDate(u.depart_date)), h('td', { class: 'n' }, num(u.people)),
                    h('td', { class: 'codes' }, u.codes.slice(0, 6).map((c) => [h('a', { href: `#/registration/${c}`, class: 'mono' }, c), ' ']), u.registrations > 6 ? `等 ${num(u.registrations)} 份` : null)))))),
            list.length > shown.length ? h('p', { class: 'muted' }, `只列出前 ${UNPLACED_SHOWN} 组，共 ${num(list.length)} 组。`) : null);
    });
}

/** The floor to compare the new vehicles with: by each group's own date while that holds;
 * once people were moved to a neighbouring date they accept, the one with dates ignored. */
function lowerBound(r) {
    if (r.new_vehicles >= r.lower_bound) return `理论最少 ${num(r.lower_bound)} 辆（日期可调时最少 ${num(r.lower_bound_city)} 辆）`;
    return `理论最少 ${num(r.lower_bound_city)} 辆（有人调到了可接受的相邻日期拼车）`;
}

function preview(r) {
    const filled = r.existing.filter((e) => e.added > 0);
    return [
        h('p', { class: 'muted sizes-used' }, sizesUsed(r)),
        h('div', { class: 'stats' },
            stat('待安排', num(r.people), `${num(r.registrations)} 份报名`),
            stat('能安排', num(r.people_placed), '人', 'big'),
            stat('需新增车辆', num(r.new_vehicles), lowerBound(r)),
            stat('安排不了', num(r.people_unplaced), r.people_unplaced ? '人，见下面' : '人', r.people_unplaced ? 'warn' : '')),
        h('h2', {}, '按目的地和日期'),
        planTable(r.plan),
        h('h2', {}, `先坐满已有的车（${num(filled.length)} 辆有新增）`),
        filled.length ? h('ul', { class: 'lines' }, filled.slice(0, 20).map((e) => h('li', {}, h('a', { href: `#/vehicle/${e.id}` }, e.number || `${e.id}号车`), `：原有 ${e.used_before} 人，新增 ${e.added} 人，共 ${e.used_before + e.added} / ${e.capacity} 座`)), filled.length > 20 ? h('li', { class: 'muted' }, `……另有 ${num(filled.length - 20)} 辆`) : null) : h('p', { class: 'muted' }, '已有的车坐不下更多的人（或没有计划中的车）。'),
        h('h2', {}, '安排不了的人'),
        unplacedBox(r),
    ];
}

function accepted(r) {
    return h('div', {},
        h('div', { class: 'card success' },
            h('h2', {}, '编排已确认'),
            h('p', {}, `已安排 ${num(r.assigned)} 份报名，共 ${num(r.assigned_people)} 人。`),
            h('p', { class: 'muted sizes-used' }, sizesUsed(r)),
            r.created.length ? h('p', {}, `新建了 ${num(r.created.length)} 辆车（方案待补全：车牌/车次、上车点的地点和时间、司机、带队人）：`,
                r.created.slice(0, 20).map((id) => [' ', h('a', { href: `#/vehicle/${id}` }, `${id}号车`)]), r.created.length > 20 ? ' ……' : '', ' ', h('a', { href: '#/vehicles?incomplete=1' }, '去补全')) : h('p', {}, '没有新建车辆。'),
            r.skipped_count ? h('p', { class: 'flag' }, `${r.skipped_count} 份报名在编排期间被取消或已被安排，已跳过：${r.skipped.join('、')}`) : null,
            h('a', { class: 'button primary', href: '#/vehicles' }, '去车辆列表')),
        r.people_unplaced ? [h('h2', {}, `安排不了的人（${num(r.people_unplaced)} 人）`), unplacedBox(r)] : null);
}

function numberFields(list, prefix, group) {
    return list.map((s) => {
        const input = h('input', { type: 'number', name: `${prefix}.${s.key}`, value: s.value, min: s.min, max: s.max, step: 1, inputmode: 'numeric', required: true });
        return { key: s.key, prefix, input, field: h('label', { class: 'field size', 'data-field': `${prefix}.${s.key}` }, h('span', { class: 'field-label' }, s.label), input, h('span', { class: 'error' })), group };
    });
}

/** The numbers typed, by key; a field left empty keeps the server's default. */
function valuesOf(fields) {
    const out = {};
    for (const f of fields) if (f.input.value.trim() !== '') out[f.key] = Number(f.input.value);
    return out;
}

function showFieldError(fields, e) {
    for (const f of fields) {
        const bad = e?.field === `${f.prefix}.${f.key}`;
        f.field.classList.toggle('bad', bad);
        fill(f.field.querySelector('.error'), bad ? e.message : '');
    }
}

export async function showMatching(view, me) {
    const [c, scopes] = await Promise.all([activeCampaign(), scopeOptions(me)]);
    const out = h('div');
    const scope = h('select', { name: 'scope', 'aria-label': '编排范围' }, scopes.map(([code, name]) => h('option', { value: code }, name)));
    const area = h('select', { name: 'area', 'aria-label': '上车片区' }, AREAS.map(([v, t]) => h('option', { value: v }, t)));
    const sizes = numberFields(SIZES, 'sizes'), minima = numberFields(MINIMA, 'min_load');
    const fields = [...sizes, ...minima];
    // accept sends what was previewed: what was shown is what is applied
    const run = async (accept, previewed) => {
        const body = accept ? { ...previewed, accept } : { campaign: c.id, scope: scope.value, accept, sizes: valuesOf(sizes), min_load: valuesOf(minima), area: area.value };
        if (accept && !confirm('确认按这个方案编排吗？会新建上面列出的车辆，并把报名的人安排上车；安排不了的人不会被安排。')) return;
        fill(out, h('p', { class: 'muted' }, accept ? '正在编排…' : '正在计算…'));
        try {
            const r = await post('/api/match', body);
            showFieldError(fields, null);
            if (accept) fill(out, accepted(r));
            else fill(out, h('div', { class: 'card' }, preview(r), r.people_placed || r.new.length
                ? h('button', { type: 'button', class: 'primary wide', onclick: () => run(true, { campaign: body.campaign, scope: body.scope, sizes: r.sizes, min_load: r.min_load, area: r.area }) }, '确认编排')
                : h('p', {}, '现在没有能安排的报名。')));
        } catch (e) {
            showFieldError(fields, e);
            const named = fields.some((f) => e.field === `${f.prefix}.${f.key}`);
            fill(out, h('p', { class: 'error' }, named ? '请先改正标红的数字。' : e.message));
        }
    };
    fill(view,
        h('div', { class: 'head-row' }, h('h1', {}, '自动编排'), h('a', { href: '#/vehicles', class: 'back' }, '← 车辆列表')),
        h('p', { class: 'muted' }, `${c.name || c.id}：把还没安排车辆的报名，按目的地、出发日期和出行方式分到车上。先坐满计划中的车（只接它的上车点所在乡镇、村的人），再按上车片区建议新增车辆；人数凑不够最低人数的不建车，列出来请您处理。同行人不拆开，同村的人尽量坐一起。预览不会改动任何数据。`),
        h('div', { class: 'card inline' },
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, '编排范围'), scope),
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, '上车片区'), area),
            h('div', { class: 'sizes', role: 'group', 'aria-label': '新增车辆的座位数' }, sizes.map((f) => f.field)),
            h('div', { class: 'sizes', role: 'group', 'aria-label': '新增车辆的最少人数' }, minima.map((f) => f.field)),
            h('button', { type: 'button', class: 'primary', onclick: () => run(false) }, '预览编排')),
        out);
}
