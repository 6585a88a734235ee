// SPDX-License-Identifier: MIT
// Choosing a place by name: the counties, townships and villages under a scope as linked
// selects (GET /api/divisions/{code}?children=1, each answer kept for the page's life).
// The plan form uses it for the place whose people board at a pickup stop (a stop's
// `serves`: a county, township or village code; the server checks it exists).
import { get } from './api.js';
import { h } from './dom.js';

const cache = new Map(); // code -> Promise of {code, name, level, path, children}

/** The division with its path and children. */
export function division(code) {
    if (!cache.has(code)) {
        const p = get(`/api/divisions/${encodeURIComponent(code)}?children=1`);
        p.catch(() => cache.delete(code)); // a failure is not kept: the next call asks again
        cache.set(code, p);
    }
    return cache.get(code);
}

/** The name of a division under a scope, from below the scope down: 民生街道 官桥村委会. */
export async function placeName(code, scope = '') {
    const d = await division(code);
    const below = d.path.filter((p) => p.code.length > scope.length);
    return (below.length ? below : [d]).map((p) => p.name).join(' ');
}

const LEVELS = [6, 9, 12]; // the code lengths a stop may serve: county, township, village
const WHAT = { 6: '县（市、区）', 9: '乡镇（街道）', 12: '村（社区）' };

const option = (value, text, selected) => h('option', { value, selected: selected || null }, text);

/** Fill select with the children of parent (for a region: the counties grouped by city); want is selected.
 * current() is the parent the level above shows once the answer is in: another one, and nothing changes. */
async function fillLevel(select, parentCode, len, want, first, current) {
    const parent = await division(parentCode);
    const cities = parentCode.length === 2 && len === 6 ? await Promise.all(parent.children.map((c) => division(c.code))) : null;
    if (current() !== parentCode) return; // the level above was changed meanwhile
    const head = option('', first ? '（不指定）' : `（整个${parent.name}）`, !want);
    let options;
    if (cities) {
        options = cities.map((c) => h('optgroup', { label: c.name }, c.children.map((x) => option(x.code, x.name, x.code === want))));
    } else {
        options = parent.children.map((x) => option(x.code, x.name, x.code === want));
    }
    select.replaceChildren(head, ...options);
    select.disabled = false;
}

/**
 * A picker of the place under root whose people board at a stop: one select per level
 * (county where root is a city or the region, township, village), each level optional
 * below the first. The chosen code is in the hidden input it returns with (data-key
 * "serves"); value is the code chosen before, shown by its names. label names the stop
 * for screen readers ("第2个上车点").
 */
export function servesPicker({ root, value = '', label }) {
    const hidden = h('input', { type: 'hidden', 'data-key': 'serves', value });
    const lens = /^[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{3})?)?)?$/.test(root) ? LEVELS.filter((n) => n > root.length) : [];
    const selects = lens.map((len) => h('select', { 'aria-label': `${label}：${WHAT[len]}`, 'data-level': len, disabled: true }, option('', '　')));
    const box = h('div', { class: 'picker' }, selects, hidden);
    if (!selects.length) return box; // a village's vehicle: its own people only
    const parentOf = (i) => (i === 0 ? root : selects[i - 1].value);
    const clearFrom = (i) => selects.slice(i).forEach((s) => {
        s.replaceChildren(option('', s === selects[0] ? '（不指定）' : '先选上一级'));
        s.disabled = true;
    });
    const chosen = () => [...selects].reverse().find((s) => s.value)?.value || '';
    selects.forEach((s, i) => s.addEventListener('change', async () => {
        hidden.value = chosen();
        clearFrom(i + 1);
        if (s.value && selects[i + 1]) await fillLevel(selects[i + 1], s.value, lens[i + 1], '', false, () => s.value).catch(() => {});
    }));
    (async () => {
        clearFrom(0);
        const under = value.startsWith(root) && value.length > root.length;
        if (value && !under) {
            // saved under another scope (the vehicle's scope was changed): keep it, by name
            const name = await placeName(value, value.slice(0, 2)).catch(() => value);
            selects[0].replaceChildren(option('', '（不指定）'), option(value, `${name}（不在本车区划内）`, true));
            selects[0].disabled = false;
            return;
        }
        for (const [i, len] of lens.entries()) {
            const want = value.length >= len ? value.slice(0, len) : '';
            await fillLevel(selects[i], parentOf(i), len, want, i === 0, () => parentOf(i));
            if (!want) break;
        }
    })().catch(() => {
        selects[0].replaceChildren(option(value, '地名读取失败，请稍后再打开', true));
    });
    return box;
}
