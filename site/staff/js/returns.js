// SPDX-License-Identifier: MIT
// Village return figures: enter a village's outbound / returned / not returned as of a
// date; the latest of every village in scope with totals and the mismatch flag; history.
import { ApiError, get, post } from './api.js';
import { fill, h, localTime, num } from './dom.js';

function flag(v) {
    return v.mismatch ? h('span', { class: 'flag' }, '⚠ 返乡+未返乡≠外出') : h('span', { class: 'ok' }, '✓');
}

function entryForm(me, today, villages, after) {
    const msg = h('p', { class: 'error', role: 'alert' });
    const villageInput =
        me.scope.length === 12
            ? h('input', { type: 'hidden', name: 'village', value: me.scope })
            : villages.length
              ? h('select', { name: 'village' }, villages.map((v) => h('option', { value: v.code }, v.name)))
              : h('input', { name: 'village', placeholder: '村代码（12位）', inputmode: 'numeric', maxlength: 12 });
    const numField = (name, label) => h('label', { class: 'field', 'data-field': name }, h('span', { class: 'field-label' }, label), h('input', { name, type: 'number', min: 0, step: 1, inputmode: 'numeric', required: true }), h('span', { class: 'error' }));
    const form = h(
        'form',
        { class: 'returns-form', novalidate: true },
        me.scope.length === 12 ? villageInput : h('label', { class: 'field' }, h('span', { class: 'field-label' }, '村'), villageInput),
        numField('outbound', '外出农民工总数（人）'),
        numField('returned', '其中：已返乡（人）'),
        numField('not_returned', '其中：未返乡（人）'),
        h('label', { class: 'field', 'data-field': 'as_of' }, h('span', { class: 'field-label' }, '统计截至日期'), h('input', { name: 'as_of', type: 'date', value: today, max: today }), h('span', { class: 'error' })),
        msg,
        h('button', { type: 'submit', class: 'primary wide' }, '保存'),
    );
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const f = form.elements;
        const n = (k) => (f[k].value === '' ? null : Number(f[k].value));
        const body = { village: f.village.value, outbound: n('outbound'), returned: n('returned'), not_returned: n('not_returned'), as_of: f.as_of.value };
        form.querySelectorAll('.field').forEach((x) => x.classList.remove('bad'));
        try {
            const r = await post('/api/returns', body);
            msg.textContent = '';
            after(r);
        } catch (e) {
            if (e instanceof ApiError)
                for (const [k, m] of Object.entries(e.fields)) {
                    const box = form.querySelector(`[data-field="${k}"]`);
                    box?.classList.add('bad');
                    if (box) box.querySelector('.error').textContent = m;
                }
            msg.textContent = e.message;
        }
    });
    return form;
}

function table(headers, rows) {
    return h('div', { class: 'scroll' }, h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, headers.map((t) => h('th', {}, t)))), h('tbody', {}, rows)));
}

async function history(box, code) {
    const r = await get(`/api/returns/${code}`);
    const rows = r.entries.map((e) =>
        h('tr', {}, h('td', {}, e.as_of), h('td', { class: 'n' }, num(e.outbound)), h('td', { class: 'n' }, num(e.returned)), h('td', { class: 'n' }, num(e.not_returned)), h('td', {}, flag(e)), h('td', {}, e.entered_by), h('td', {}, localTime(e.entered_at))),
    );
    fill(box, h('h2', {}, `${r.entries[0]?.name || ''} 填报历史`), table(['截至日期', '外出', '返乡', '未返乡', '核对', '填报人', '填报时间'], rows));
    box.scrollIntoView({ behavior: 'smooth' });
}

export async function showReturns(view, me, today) {
    const saved = h('p', { class: 'notice', role: 'status' });
    const listBox = h('div', { class: 'card' });
    const histBox = h('div', { class: 'card', hidden: true });
    const canEdit = me.permissions.includes('edit');
    let villages = [];
    if (canEdit && me.scope.length === 9) villages = (await get(`/api/stats?scope=${me.scope}`).catch(() => null))?.children || [];
    const formCard = canEdit
        ? h('div', { class: 'card' }, h('h2', {}, '填报返乡数据'), h('p', { class: 'muted' }, '三个数字应满足：已返乡 + 未返乡 = 外出总数。对不上也能保存，但会标出来。'), entryForm(me, today, villages, (r) => {
              saved.textContent = r.mismatch ? `已保存。注意：返乡 ${r.returned} + 未返乡 ${r.not_returned} ≠ 外出 ${r.outbound}` : r.latest ? '已保存' : '已保存到历史（已有更晚日期的数字，当前数字不变）';
              load();
          }))
        : null;
    fill(view, h('h1', {}, '返乡数据（外出 / 返乡 / 未返乡）'), saved, formCard, listBox, histBox);
    async function load() {
        const r = await get(`/api/returns?scope=${me.scope}`);
        const t = r.totals;
        const rows = r.villages.map((v) =>
            h(
                'tr',
                { class: v.mismatch ? 'row-warn' : '' },
                h('td', {}, v.name),
                h('td', { class: 'n' }, num(v.outbound)),
                h('td', { class: 'n' }, num(v.returned)),
                h('td', { class: 'n' }, num(v.not_returned)),
                h('td', {}, flag(v)),
                h('td', {}, v.as_of),
                h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => { histBox.hidden = false; history(histBox, v.village); } }, '历史')),
            ),
        );
        fill(
            listBox,
            h('h2', {}, '各村最新数字'),
            h('p', {}, `合计：外出 ${num(t.outbound)} 人，返乡 ${num(t.returned)} 人，未返乡 ${num(t.not_returned)} 人（${t.villages}个村已填报）`, t.flagged ? h('span', { class: 'flag' }, ` ⚠ ${t.flagged}个村数字对不上`) : null),
            r.villages.length ? table(['村', '外出', '返乡', '未返乡', '核对', '截至', ''], rows) : h('p', { class: 'muted' }, '还没有村填报。'),
        );
    }
    await load();
}
