// SPDX-License-Identifier: MIT
// The dashboard of a scope: totals, today's sign-ups, children with their return figures,
// destinations and departure dates. Live: an EventSource on /api/stats/stream; the
// browser reconnects by itself when the stream ends or the network drops.
import { bars, columns } from './charts.js';
import { fill, h, num, shortDate } from './dom.js';

const LEVEL_CHILD = { province: '市', city: '县（市、区）', county: '乡镇（街道）', township: '村（社区）' };
let source = null;
let due = null; // the reporting deadline line, read once per dashboard

function dueLine(s) {
    if (!s.next_due) return h('p', { class: 'muted' }, '统计表：本活动没有待报送的期次');
    const [y, m, d] = s.next_due.date.split('-').map(Number);
    const filed = s.filed === null ? '' : s.filed ? '（本期已报送）' : '（本期尚未报送）';
    return h('p', { class: s.filed === false ? 'due late' : 'due' }, h('a', { href: '/staff/report.html' }, '统计表'),
        `：下次报送 ${y}年${m}月${d}日 ${s.next_due.before}前${filed}`);
}

export function stopDashboard() {
    if (source) source.close();
    source = null;
}

function card(label, value, note, cls = '') {
    return h('div', { class: `stat ${cls}` }, h('div', { class: 'stat-label' }, label), h('div', { class: 'stat-value' }, value), note ? h('div', { class: 'stat-note' }, note) : null);
}

function returnsCell(r) {
    if (!r.villages) return [h('td', { class: 'muted' }, '未填'), h('td'), h('td'), h('td')];
    const flag = r.flagged ? h('span', { class: 'flag', title: '返乡 + 未返乡 ≠ 外出' }, `⚠ ${r.flagged}个村不一致`) : h('span', { class: 'ok' }, '✓ 一致');
    return [h('td', {}, num(r.outbound)), h('td', {}, num(r.returned)), h('td', {}, num(r.not_returned)), h('td', {}, flag)];
}

function totals(st) {
    const t = st.totals, r = t.returns;
    const mismatch = r.villages && r.returned + r.not_returned !== r.outbound;
    return h(
        'div',
        { class: 'stats' },
        card('报名人数', num(t.people), `${num(t.regs)} 份报名`, 'big'),
        card('今日新增', num(t.today), `${shortDate(st.today)}报名的人数`, 'today'),
        card('脱贫人口（含监测对象）', num(t.poverty), t.people ? `占 ${Math.round((100 * t.poverty) / t.people)}%` : ''),
        card('50岁以上', num(t.age50), t.people ? `占 ${Math.round((100 * t.age50) / t.people)}%` : ''),
        card('外出 / 返乡 / 未返乡', r.villages ? `${num(r.outbound)} / ${num(r.returned)} / ${num(r.not_returned)}` : '未填报', r.villages ? (mismatch ? `⚠ 数字对不上（${r.flagged}个村）` : `${r.villages}个村已填报`) : '请到“返乡数据”填报', mismatch ? 'warn' : ''),
    );
}

function childrenTable(st, onOpen) {
    if (!st.children.length) return null;
    const rows = st.children.map((c) =>
        h(
            'tr',
            { class: c.returns.flagged ? 'row-warn' : '' },
            h('td', {}, st.scope.level === 'township' ? c.name : h('a', { href: `#/dashboard/${c.code}`, onclick: () => onOpen(c.code) }, c.name)),
            h('td', { class: 'n' }, num(c.people)),
            h('td', { class: 'n' }, c.today ? h('b', {}, `+${num(c.today)}`) : '0'),
            h('td', { class: 'n' }, num(c.poverty)),
            h('td', { class: 'n' }, num(c.age50)),
            returnsCell(c.returns),
        ),
    );
    return h(
        'div',
        { class: 'card' },
        h('h2', {}, `各${LEVEL_CHILD[st.scope.level] || '下级'}`),
        h(
            'div',
            { class: 'scroll' },
            h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, ['名称', '报名人数', '今日', '脱贫', '50岁+', '外出', '返乡', '未返乡', '核对'].map((t) => h('th', {}, t)))), h('tbody', {}, rows)),
        ),
    );
}

/** Transport, per division one level down: assigned, told, boarded, departed, arrived (people). */
function transportTable(st, onOpen) {
    const t = st.transport || st.totals.transport;
    if (!t || !t.assigned) return null;
    const pct = (a, b) => (b ? ` (${Math.round((100 * a) / b)}%)` : '');
    const cells = (x) => [
        h('td', { class: 'n' }, num(x.assigned)),
        h('td', { class: `n ${x.notified < x.assigned ? 'flag' : ''}` }, `${num(x.notified)}${pct(x.notified, x.assigned)}`),
        h('td', { class: 'n' }, num(x.boarded)), h('td', { class: 'n' }, num(x.departed)), h('td', { class: 'n' }, num(x.arrived))];
    const rows = st.children.filter((c) => c.transport && c.transport.assigned).map((c) => h('tr', {},
        h('td', {}, st.scope.level === 'township' ? c.name : h('a', { href: `#/dashboard/${c.code}`, onclick: () => onOpen(c.code) }, c.name)), cells(c.transport)));
    return h('div', { class: 'card' },
        h('h2', {}, '送工进度（人）'),
        h('div', { class: 'scroll' }, h('table', { class: 'grid transport' },
            h('thead', {}, h('tr', {}, ['名称', '已安排车辆', '已通知本人', '已上车', '已发车', '已到达'].map((x) => h('th', {}, x)))),
            h('tbody', {}, rows, h('tr', { class: 'total' }, h('td', {}, h('b', {}, '合计')), cells(t))))),
        h('p', { class: 'hint' }, '已通知：村里打电话告诉本人车次和上车点后打的勾；已上车：带队人签到；已发车、已到达：签到上车的人随车出发、到达。'));
}

function charts(st) {
    const provinces = [...st.by_province].sort((a, b) => b.people - a.people).slice(0, 8);
    const cities = st.by_city.slice(0, 10);
    const dates = st.by_date.map((d) => ({ label: d.date, short: shortDate(d.date), value: d.people }));
    return h(
        'div',
        { class: 'charts' },
        h('div', { class: 'card' }, h('h2', {}, '去往哪个省'), bars(provinces.map((p) => ({ label: p.name || p.code, value: p.people })), { title: '按目的地省份' })),
        h('div', { class: 'card' }, h('h2', {}, '去往哪个城市（前10）'), bars(cities.map((c) => ({ label: c.name || c.code, value: c.people })), { title: '按目的地城市' })),
        h('div', { class: 'card span2' }, h('h2', {}, '哪天出发'), columns(dates, { title: '按出发日期' })),
    );
}

function render(view, st, me, status, onOpen) {
    const crumbs = [];
    if (st.scope.code !== me.scope) crumbs.push(h('a', { href: '#/dashboard', class: 'back' }, `← 返回${me.division?.name || '本级'}`));
    fill(
        view,
        h('div', { class: 'head-row' }, h('h1', {}, `${st.scope.name} · 报名概况`), status, crumbs),
        due,
        totals(st),
        childrenTable(st, onOpen),
        transportTable(st, onOpen),
        charts(st),
    );
}

/** Show the figures of scope in view, live. */
export function showDashboard(view, me, scope, onOpen) {
    stopDashboard();
    const status = h('span', { class: 'live wait', id: 'live' }, '正在连接…');
    fill(view, h('p', { class: 'muted' }, '正在读取数据…'));
    due = null;
    fetch('/api/report/schedule', { credentials: 'same-origin' })
        .then((r) => (r.ok ? r.json() : null))
        .then((s) => {
            if (s) due = dueLine(s);
        })
        .catch(() => {});
    const es = new EventSource(`/api/stats/stream?scope=${encodeURIComponent(scope)}`);
    source = es;
    es.addEventListener('stats', (ev) => {
        if (source !== es) return;
        const st = JSON.parse(ev.data);
        const t = new Date();
        status.className = 'live on';
        status.textContent = `实时更新 · ${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}:${String(t.getSeconds()).padStart(2, '0')}`;
        render(view, st, me, status, onOpen);
    });
    es.addEventListener('error', () => {
        if (source !== es) return;
        status.className = 'live off';
        status.textContent = '连接中断，正在重连…';
        if (es.readyState === EventSource.CLOSED) {
            // a 401/403 closes the stream for good: fall back to one plain request to say why
            fetch(`/api/stats?scope=${encodeURIComponent(scope)}`).then(async (r) => {
                if (r.status === 401) location.hash = '#/login';
                else if (!r.ok) fill(view, h('p', { class: 'error' }, (await r.json()).error?.message || '读取失败'));
            });
        }
    });
}
