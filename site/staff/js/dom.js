// SPDX-License-Identifier: MIT
// Building DOM nodes without innerHTML: every text from the server goes in as text.
export function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
        if (v === null || v === undefined || v === false) continue;
        if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
        else if (k === 'class') el.className = v;
        else if (v === true) el.setAttribute(k, '');
        else el.setAttribute(k, String(v));
    }
    append(el, children);
    return el;
}

function append(el, children) {
    for (const c of children.flat(Infinity)) {
        if (c === null || c === undefined || c === false) continue;
        el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
}

/** Replace the children of el. */
export function fill(el, ...children) {
    el.replaceChildren();
    append(el, children);
    return el;
}

/** 12,345 */
export const num = (n) => Number(n || 0).toLocaleString('zh-CN');

/** 2027-02-03 -> 2月3日 */
export function shortDate(d) {
    const [, m, day] = d.split('-').map(Number);
    return `${m}月${day}日`;
}

/** ISO time -> local 2027-01-10 08:00 */
export function localTime(iso) {
    const t = new Date(iso);
    const p = (n) => String(n).padStart(2, '0');
    return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}`;
}

/** ISO time -> local 2026年12月5日 02:30 */
export function cnTime(iso) {
    const t = new Date(iso);
    if (Number.isNaN(t.getTime())) return iso || '';
    const p = (n) => String(n).padStart(2, '0');
    return `${t.getFullYear()}年${t.getMonth() + 1}月${t.getDate()}日 ${p(t.getHours())}:${p(t.getMinutes())}`;
}
