// SPDX-License-Identifier: MIT
// Two small hand-made SVG charts: horizontal bars (destinations) and columns (departure
// dates). Sizes come from the viewBox, so they scale with the page.
const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs, text) {
    const el = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    if (text !== undefined) el.textContent = text;
    return el;
}

/** rows: [{label, value}]; the largest first is the caller's choice. */
export function bars(rows, { title = '', unit = '人' } = {}) {
    const rowH = 30, labelW = 96, width = 380, valueW = 64;
    const max = Math.max(1, ...rows.map((r) => r.value));
    const svg = s('svg', { viewBox: `0 0 ${width} ${Math.max(1, rows.length) * rowH + 4}`, role: 'img', 'aria-label': title, class: 'chart' });
    rows.forEach((r, i) => {
        const y = i * rowH + 2, w = ((width - labelW - valueW) * r.value) / max;
        svg.append(s('text', { x: labelW - 8, y: y + 19, 'text-anchor': 'end', class: 'lbl' }, r.label));
        svg.append(s('rect', { x: labelW, y: y + 4, width: Math.max(2, w), height: rowH - 10, rx: 3, class: 'bar' }));
        svg.append(s('text', { x: labelW + Math.max(2, w) + 6, y: y + 19, class: 'val' }, `${r.value.toLocaleString('zh-CN')}${unit}`));
    });
    if (!rows.length) svg.append(s('text', { x: 10, y: 20, class: 'lbl' }, '暂无数据'));
    return svg;
}

/** cols: [{label, value}] in order (dates). */
export function columns(cols, { title = '', highlight = '' } = {}) {
    const width = 380, height = 180, base = 150, top = 22;
    const max = Math.max(1, ...cols.map((c) => c.value));
    const step = cols.length ? Math.min(48, (width - 20) / cols.length) : 48;
    const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, class: 'chart' });
    svg.append(s('line', { x1: 10, y1: base, x2: width - 10, y2: base, class: 'axis' }));
    const labelEvery = Math.ceil(cols.length / 7);
    cols.forEach((c, i) => {
        const x = 10 + i * step, h = ((base - top) * c.value) / max;
        svg.append(s('rect', { x: x + step * 0.15, y: base - h, width: step * 0.7, height: Math.max(1, h), rx: 2, class: c.label === highlight ? 'bar hi' : 'bar' }));
        if (cols.length <= 10 || c.value === max) svg.append(s('text', { x: x + step / 2, y: base - h - 5, 'text-anchor': 'middle', class: 'val' }, c.value.toLocaleString('zh-CN')));
        if (i % labelEvery === 0) svg.append(s('text', { x: x + step / 2, y: base + 18, 'text-anchor': 'middle', class: 'lbl' }, c.short || c.label));
    });
    if (!cols.length) svg.append(s('text', { x: 10, y: 40, class: 'lbl' }, '暂无数据'));
    return svg;
}
