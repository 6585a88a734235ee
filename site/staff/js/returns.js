// SPDX-License-Identifier: MIT
// Village return figures: enter a village's outbound / returned / not returned as of a
// date, with their sum checked as they are typed; a township enters all its villages in
// one table; the latest of every village in scope with totals and the mismatch flag
// (shown as a warning); history.
import { ApiError, get, post } from './api.js';
import { fill, h, localTime, num } from './dom.js';

/** "返乡 100 + 未返乡 19 = 119，外出 120：差 1" as the three numbers are typed. */
function sumLine(outbound, returned, notReturned) {
    const v = [outbound, returned, notReturned].map((x) => (x === '' || x === null ? null : Number(x)));
    if (v.some((x) => x === null || !Number.isFinite(x))) return { text: '', bad: false };
    const sum = v[1] + v[2];
    return sum === v[0]
        ? { text: `返乡 ${num(v[1])} + 未返乡 ${num(v[2])} = ${num(sum)}，等于外出 ✓`, bad: false }
        : { text: `返乡 ${num(v[1])} + 未返乡 ${num(v[2])} = ${num(sum)}，外出是 ${num(v[0])}：差 ${num(Math.abs(v[0] - sum))}，请核对`, bad: true };
}

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
    const sum = h('p', { class: 'sum-line', role: 'status' });
    const form = h(
        'form',
        { class: 'returns-form', novalidate: true },
        me.scope.length === 12 ? villageInput : h('label', { class: 'field' }, h('span', { class: 'field-label' }, '村'), villageInput),
        numField('outbound', '外出农民工总数（人）'),
        numField('returned', '其中：已返乡（人）'),
        numField('not_returned', '其中：未返乡（人）'),
        sum,
        h('label', { class: 'field', 'data-field': 'as_of' }, h('span', { class: 'field-label' }, '统计截至日期'), h('input', { name: 'as_of', type: 'date', value: today, max: today }), h('span', { class: 'error' })),
        msg,
        h('button', { type: 'submit', class: 'primary wide' }, '保存'),
    );
    form.addEventListener('input', () => {
        const f = form.elements;
        const r = sumLine(f.outbound.value, f.returned.value, f.not_returned.value);
        sum.textContent = r.text;
        sum.className = r.bad ? 'sum-line bad' : 'sum-line';
    });
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

/**
 * A township's villages in one table: each row's three numbers (the latest entered shown
 * first), its sum checked as typed; 保存 sends every changed row (one POST each) with the
 * date above and says row by row what happened.
 */
function bulkTable(villages, latest, today, after) {
    const asOf = h('input', { type: 'date', name: 'as_of', value: today, max: today });
    const cell = (name, v) => h('td', { class: 'n' }, h('input', { type: 'number', min: 0, step: 1, inputmode: 'numeric', name, value: v ?? '', 'aria-label': name }));
    const rows = villages.map((v) => {
        const l = latest.get(v.code);
        const tr = h('tr', { 'data-village': v.code }, h('th', { scope: 'row' }, v.name), cell('outbound', l?.outbound), cell('returned', l?.returned), cell('not_returned', l?.not_returned), h('td', { class: 'row-state' }, l ? `截至${l.as_of}` : '未填'));
        tr.dataset.was = JSON.stringify([l?.outbound ?? '', l?.returned ?? '', l?.not_returned ?? ''].map(String));
        return tr;
    });
    const msg = h('p', { role: 'status' });
    const read = (tr) => ['outbound', 'returned', 'not_returned'].map((k) => tr.querySelector(`[name=${k}]`).value);
    const body = h('tbody', {}, rows);
    body.addEventListener('input', (ev) => {
        const tr = ev.target.closest('tr');
        const r = sumLine(...read(tr));
        tr.classList.toggle('row-warn', r.bad);
        tr.querySelector('.row-state').textContent = r.text ? (r.bad ? '⚠ 返乡+未返乡≠外出' : '✓') : '';
    });
    const save = async () => {
        const changed = rows.filter((tr) => JSON.stringify(read(tr)) !== tr.dataset.was && read(tr).every((x) => x !== ''));
        if (!changed.length) return (msg.textContent = '没有改动的村。');
        let ok = 0, warn = 0;
        for (const tr of changed) {
            const [outbound, returned, notReturned] = read(tr).map(Number);
            try {
                const r = await post('/api/returns', { village: tr.dataset.village, outbound, returned, not_returned: notReturned, as_of: asOf.value });
                tr.dataset.was = JSON.stringify(read(tr));
                tr.querySelector('.row-state').textContent = r.mismatch ? '已保存 ⚠ 对不上' : '已保存 ✓';
                ok++;
                warn += r.mismatch ? 1 : 0;
            } catch (e) {
                tr.classList.add('row-warn');
                tr.querySelector('.row-state').textContent = `没有保存：${Object.values(e.fields || {})[0] || e.message}`;
            }
        }
        msg.className = warn || ok < changed.length ? 'notice refused' : 'notice';
        msg.textContent = `保存了 ${ok} 个村${warn ? `，其中 ${warn} 个村数字对不上，请核对` : ''}${ok < changed.length ? `；${changed.length - ok} 个村没有保存，见表中红字` : ''}。`;
        after();
    };
    return h('div', { class: 'bulk' },
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, '统计截至日期'), asOf),
        h('div', { class: 'scroll' }, h('table', { class: 'grid bulk-table' }, h('thead', {}, h('tr', {}, h('th', {}, '村'), h('th', { class: 'n' }, '外出（人）'), h('th', { class: 'n' }, '已返乡'), h('th', { class: 'n' }, '未返乡'), h('th', {}, '核对'))), body)),
        msg,
        h('button', { type: 'button', class: 'primary wide', onclick: save }, '保存改动的村'));
}

/** headers: texts; a number column's ends with "#" (its header right-aligned over its numbers). */
function table(headers, rows) {
    return h('div', { class: 'scroll wide' }, h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, headers.map((t) => (t.endsWith('#') ? h('th', { class: 'n' }, t.slice(0, -1)) : h('th', {}, t))))), h('tbody', {}, rows)));
}

async function history(box, code) {
    const r = await get(`/api/returns/${code}`);
    const rows = r.entries.map((e) =>
        h('tr', {}, h('td', {}, e.as_of), h('td', { class: 'n' }, num(e.outbound)), h('td', { class: 'n' }, num(e.returned)), h('td', { class: 'n' }, num(e.not_returned)), h('td', {}, flag(e)), h('td', {}, e.entered_by), h('td', {}, localTime(e.entered_at))),
    );
    fill(box, h('h2', {}, `${r.entries[0]?.name || ''} 填报历史`), table(['截至日期', '外出#', '返乡#', '未返乡#', '核对', '填报人', '填报时间'], rows));
    box.scrollIntoView({ behavior: 'smooth' });
}

export async function showReturns(view, me, today) {
    const saved = h('p', { class: 'notice', role: 'status' });
    const listBox = h('div', { class: 'card' });
    const histBox = h('div', { class: 'card', hidden: true });
    const canEdit = me.permissions.includes('edit');
    let villages = [];
    if (canEdit && me.scope.length === 9) villages = (await get(`/api/stats?scope=${me.scope}`).catch(() => null))?.children || [];
    const bulkBox = h('div');
    const formCard = !canEdit
        ? null
        : villages.length
          ? h('div', { class: 'card' }, h('h2', {}, '填报各村返乡数据'), h('p', { class: 'muted' }, '每个村一行。三个数字应满足：已返乡 + 未返乡 = 外出总数；对不上也能保存，但会标出来。只保存改动过的村。'), bulkBox)
          : h('div', { class: 'card' }, h('h2', {}, '填报返乡数据'), h('p', { class: 'muted' }, '三个数字应满足：已返乡 + 未返乡 = 外出总数。对不上也能保存，但会标出来。'), entryForm(me, today, villages, (r) => {
                saved.className = r.mismatch ? 'notice refused' : 'notice';
                saved.textContent = r.mismatch ? `已保存，但数字对不上：返乡 ${num(r.returned)} + 未返乡 ${num(r.not_returned)} = ${num(r.returned + r.not_returned)}，外出是 ${num(r.outbound)}。请核对后重新填报。` : r.latest ? '已保存 ✓' : '已保存到历史（已有更晚日期的数字，当前数字不变）';
                load();
            }));
    fill(view, h('h1', {}, '返乡数据（外出 / 返乡 / 未返乡）'), saved, formCard, listBox, histBox);
    async function load() {
        const r = await get(`/api/returns?scope=${me.scope}`);
        if (villages.length && !bulkBox.firstChild) fill(bulkBox, bulkTable(villages, new Map(r.villages.map((v) => [v.village, v])), today, load));
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
            r.villages.length ? table(['村', '外出#', '返乡#', '未返乡#', '核对', '截至', ''], rows) : h('p', { class: 'muted' }, '还没有村填报。'),
        );
    }
    await load();
}
