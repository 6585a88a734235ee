// SPDX-License-Identifier: MIT
// Matching (编排): preview what POST /api/match would do in a scope (existing vehicles
// filled, new vehicles proposed with the seats chosen here, the lower bound beside it,
// groups too big for any vehicle), then accept that same proposal after a confirmation
// and show what was created and assigned.
import { post } from './api.js';
import { fill, h, num } from './dom.js';
import { activeCampaign, scopeOptions } from './vehicles.js';

// The seats of proposed vehicles (POST /api/match "sizes"): the server's defaults and ranges (domain/vehicle.c).
const SIZES = [
    { key: 'bus', label: '专车座位', value: 50, min: 5, max: 65 },
    { key: 'train', label: '专列座位', value: 1000, min: 100, max: 2400 },
    { key: 'train_carriage', label: '每节车厢', value: 100, min: 20, max: 150 },
    { key: 'flight', label: '专机座位', value: 150, min: 30, max: 400 },
];

function sizesUsed(s) {
    return `新增车辆按每辆专车 ${s.bus} 座、每列专列 ${num(s.train)} 座（每节车厢 ${s.train_carriage} 座）、每架专机 ${s.flight} 座计算。`;
}

function preview(r) {
    const existing = r.existing.filter((e) => e.added > 0);
    return [
        h('p', { class: 'muted sizes-used' }, sizesUsed(r.sizes)),
        h('div', { class: 'stats' },
            h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, '待安排'), h('div', { class: 'stat-value' }, num(r.people)), h('div', { class: 'stat-note' }, `${num(r.registrations)} 份报名`)),
            h('div', { class: 'stat big' }, h('div', { class: 'stat-label' }, '能安排'), h('div', { class: 'stat-value' }, num(r.people_placed)), h('div', { class: 'stat-note' }, '人')),
            h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, '需新增车辆'), h('div', { class: 'stat-value' }, num(r.new_vehicles)), h('div', { class: 'stat-note' }, `理论最少 ${num(r.lower_bound)} 辆（日期可调时按城市算最少 ${num(r.lower_bound_city)} 辆）`))),
        h('h2', {}, '先坐满已有的车'),
        existing.length ? h('ul', { class: 'lines' }, existing.map((e) => h('li', {}, h('a', { href: `#/vehicle/${e.id}` }, e.number || `${e.id}号车`), `：原有 ${e.used_before} 人，新增 ${e.added} 人，共 ${e.used_before + e.added} / ${e.capacity} 座`))) : h('p', { class: 'muted' }, '已有的车坐不下更多的人（或没有计划中的车）。'),
        h('h2', {}, '还需要新增的车'),
        r.new.length ? h('ul', { class: 'lines big' }, r.new.map((n) => h('li', {}, n.summary))) : h('p', { class: 'muted' }, '不需要新增车辆。'),
        r.too_big.length ? h('div', { class: 'card warnbox' }, h('h2', {}, '人数太多、哪辆车都放不下的同行组（需要人工安排）'), h('ul', {}, r.too_big.map((t) => h('li', {}, h('a', { href: `#/registration/${t.code}`, class: 'mono' }, t.code), `：${t.people} 人`)))) : null,
    ];
}

function accepted(r) {
    return h('div', { class: 'card success' },
        h('h2', {}, '编排已确认'),
        h('p', {}, `已安排 ${num(r.assigned)} 份报名，共 ${num(r.assigned_people)} 人。`),
        h('p', { class: 'muted sizes-used' }, sizesUsed(r.sizes)),
        r.created.length ? h('p', {}, `新建了 ${r.created.length} 辆车（方案待补全）：`, r.created.map((id) => [' ', h('a', { href: `#/vehicle/${id}` }, `${id}号车`)])) : h('p', {}, '没有新建车辆。'),
        r.skipped_count ? h('p', { class: 'flag' }, `${r.skipped_count} 份报名在编排期间被取消或已被安排，已跳过：${r.skipped.join('、')}`) : null,
        h('a', { class: 'button primary', href: '#/vehicles' }, '去车辆列表补全方案'));
}

function sizeFields() {
    return SIZES.map((s) => {
        const input = h('input', { type: 'number', name: `sizes.${s.key}`, value: s.value, min: s.min, max: s.max, step: 1, inputmode: 'numeric', required: true });
        return { key: s.key, input, field: h('label', { class: 'field size', 'data-field': `sizes.${s.key}` }, h('span', { class: 'field-label' }, s.label), input, h('span', { class: 'error' })) };
    });
}

/** The sizes typed, as numbers; a field left empty keeps the server's default. */
function sizesOf(fields) {
    const out = {};
    for (const f of fields) if (f.input.value.trim() !== '') out[f.key] = Number(f.input.value);
    return out;
}

function showSizeError(fields, e) {
    for (const f of fields) {
        const bad = e?.field === `sizes.${f.key}`;
        f.field.classList.toggle('bad', bad);
        fill(f.field.querySelector('.error'), bad ? e.message : '');
    }
}

export async function showMatching(view, me) {
    const [c, scopes] = await Promise.all([activeCampaign(), scopeOptions(me)]);
    const out = h('div');
    const scope = h('select', { name: 'scope', 'aria-label': '编排范围' }, scopes.map(([code, name]) => h('option', { value: code }, name)));
    const sizes = sizeFields();
    // accept sends the scope and sizes that were previewed: what was shown is what is applied
    const run = async (accept, previewed) => {
        const body = accept ? { ...previewed, accept } : { campaign: c.id, scope: scope.value, accept, sizes: sizesOf(sizes) };
        if (accept && !confirm('确认按这个方案编排吗？会新建上面列出的车辆，并把报名的人安排上车。')) return;
        fill(out, h('p', { class: 'muted' }, accept ? '正在编排…' : '正在计算…'));
        try {
            const r = await post('/api/match', body);
            showSizeError(sizes, null);
            if (accept) fill(out, accepted(r));
            else fill(out, h('div', { class: 'card' }, preview(r), r.people_placed || r.new.length ? h('button', { type: 'button', class: 'primary wide', onclick: () => run(true, { campaign: body.campaign, scope: body.scope, sizes: r.sizes }) }, '确认编排') : h('p', {}, '现在没有需要安排的报名。')));
        } catch (e) {
            showSizeError(sizes, e);
            const bySize = sizes.some((f) => e.field === `sizes.${f.key}`);
            fill(out, h('p', { class: 'error' }, bySize ? '请先改正标红的座位数。' : e.message));
        }
    };
    fill(view,
        h('div', { class: 'head-row' }, h('h1', {}, '自动编排'), h('a', { href: '#/vehicles', class: 'back' }, '← 车辆列表')),
        h('p', { class: 'muted' }, `${c.name || c.id}：把还没安排车辆的报名，按目的地、出发日期和出行方式分到车上。先坐满计划中的车，再建议新增车辆；同行人不拆开，同村的人尽量坐一起。预览不会改动任何数据。`),
        h('div', { class: 'card inline' },
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, '编排范围'), scope),
            h('div', { class: 'sizes', role: 'group', 'aria-label': '新增车辆的座位数' }, sizes.map((f) => f.field)),
            h('button', { type: 'button', class: 'primary', onclick: () => run(false) }, '预览编排')),
        out);
}
