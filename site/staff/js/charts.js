// SPDX-License-Identifier: MIT
// The dashboard's charts, drawn by Apache ECharts (site/vendor/echarts, a custom build of
// bar charts with the SVG renderer), fetched on the first draw only: horizontal bars
// (destinations: whole names, never clipped; each bar with its value) and columns
// (departure dates: labels that ECharts thins out rather than overlaps; values on the
// columns, hidden where they would run into each other). A chart keeps its element and its
// ECharts instance across the live updates: each update is one setOption.
import { h } from './dom.js';

const BLUE = '#1d5fa8';
const INK = '#1f2933';
const FONT = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
let lib = null;
const charts = new Map(); // key -> {el, chart}

function load() {
    lib ??= import('/vendor/echarts/echarts.min.js').catch((e) => {
        lib = null; // a failed fetch is tried again at the next update
        throw e;
    });
    return lib;
}

// A chart is drawn again whenever its box changes size: a window turned or resized, and a
// box that had no width when it was first drawn (laid out late, or hidden) once it has one.
const sized = typeof ResizeObserver === 'function'
    ? new ResizeObserver((entries) => entries.forEach((e) => {
        const c = [...charts.values()].find((x) => x.el === e.target);
        if (c?.chart && !c.chart.isDisposed() && e.contentRect.width > 0) draw(c);
    }))
    : null;
if (!sized) addEventListener('resize', () => charts.forEach((c) => c.chart && draw(c)));

const num = (n) => Number(n || 0).toLocaleString('zh-CN');

function barsOption(rows, unit) {
    return {
        animation: false,
        textStyle: { fontFamily: FONT },
        grid: { left: 4, right: 16, top: 4, bottom: 4, containLabel: true },
        xAxis: { type: 'value', show: false, max: (v) => v.max * 1.25 || 1 }, // room for the value after the longest bar
        yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.label), axisTick: { show: false }, axisLine: { lineStyle: { color: '#d9dee3' } }, axisLabel: { color: INK, fontSize: 14 } },
        series: [{ type: 'bar', data: rows.map((r) => r.value), barMaxWidth: 22, itemStyle: { color: BLUE, borderRadius: [0, 3, 3, 0] }, label: { show: true, position: 'right', color: INK, fontSize: 13, formatter: (p) => `${num(p.value)}${unit}` } }],
    };
}

/**
 * Columns for width px: a date label every kd-th column and a value every kv-th where they
 * would not fit on each (a phone shows 45 days in 300 px), so that every label reads.
 */
function columnsOption(cols, width) {
    const per = Math.max(1, (width - 70) / Math.max(1, cols.length)); // px a column gets
    const digits = Math.max(1, ...cols.map((c) => num(c.value).length));
    const kd = Math.ceil(58 / per), kv = Math.ceil((digits * 7.5 + 6) / per);
    return {
        animation: false,
        textStyle: { fontFamily: FONT },
        grid: { left: 8, right: 30, top: 24, bottom: 4, containLabel: true }, // right: half a date label past the last column
        xAxis: { type: 'category', data: cols.map((c) => c.short || c.label), axisTick: { alignWithLabel: true }, axisLine: { lineStyle: { color: '#aab4be' } }, axisLabel: { color: INK, fontSize: 13, hideOverlap: true, interval: kd - 1 } },
        // no scale labels: the values stand on the columns (and never run into a scale's digits)
        yAxis: { type: 'value', splitNumber: 3, minInterval: 1, axisLabel: { show: false }, splitLine: { lineStyle: { color: '#eef0f2' } } },
        series: [{ type: 'bar', data: cols.map((c) => c.value), barMaxWidth: 36, itemStyle: { color: BLUE, borderRadius: [2, 2, 0, 0] }, label: { show: true, position: 'top', color: INK, fontSize: 12, formatter: (p) => (p.dataIndex % kv === 0 ? num(p.value) : '') }, labelLayout: { hideOverlap: true } }],
    };
}

function draw(c) {
    c.chart.resize();
    c.chart.setOption(c.kind === 'bars' ? barsOption(c.rows, c.unit) : columnsOption(c.rows, c.el.clientWidth), true);
    c.el.dataset.drawn = String(Date.now());
}

/**
 * The chart named key (kept across updates), drawn into a box of the given height (CSS
 * px) once ECharts has loaded; rows: [{label, value}]. kind: 'bars' or 'columns'.
 */
export function chart(key, kind, rows, { title = '', unit = '人', height } = {}) {
    let c = charts.get(key);
    if (!c) {
        c = { el: h('div', { class: `chart chart-${kind}`, role: 'img' }), chart: null };
        charts.set(key, c);
        sized?.observe(c.el);
    }
    c.el.setAttribute('aria-label', `${title}：${rows.map((r) => `${r.label} ${num(r.value)}${unit}`).join('，') || '暂无数据'}`);
    c.el.style.height = `${height ?? (kind === 'bars' ? Math.max(1, rows.length) * 34 + 12 : 260)}px`;
    c.el.classList.toggle('empty', !rows.length);
    c.el.dataset.empty = rows.length ? '' : '暂无数据';
    Object.assign(c, { kind, rows, unit });
    load()
        .then((echarts) => {
            if (!c.el.isConnected) return;
            if (!c.chart || c.chart.isDisposed()) c.chart = echarts.init(c.el, null, { renderer: 'svg' });
            draw(c);
        })
        .catch(() => {
            c.el.dataset.empty = '图表没有加载（网络不好），数字见上面的表格';
            c.el.classList.add('empty');
        });
    return c.el;
}

/** Forget every chart (leaving the dashboard). */
export function disposeCharts() {
    charts.forEach((c) => {
        sized?.unobserve(c.el);
        c.chart?.dispose();
    });
    charts.clear();
}
