// SPDX-License-Identifier: MIT
// The statistics table's print view: report.html?scope=45&until=YYYY-MM-DD reads
// GET /api/report and fills the table of the notice's attachment, with each row's
// self-checks beside it (not printed); downloads the .xlsx; files this period's report
// (city staff); lists funding entries (organisers enter them here) and filed reports.
// A module on js/api.js (session, CSRF, errors) and js/dom.js, like the staff app.
import { ApiError, get, post, setCsrf } from './js/api.js';
import { fill, h } from './js/dom.js';

const $ = (id) => document.getElementById(id);

/** Rethrows e; a lost session goes to the staff login first. */
function toLoginOn401(e) {
    if (e instanceof ApiError && e.status === 401) location.href = '/staff/#/login';
    throw e;
}

const read = (path) => get(path).catch(toLoginOn401);
const send = (path, body) => post(path, body).catch(toLoginOn401);

/** A table row of cells {text (or a node), cls}. */
function row(cells, cls) {
    return h('tr', { class: cls || null }, cells.map((c) => h('td', { class: c.cls || null }, c.text)));
}

function cn(date) {
    const [y, m, d] = date.split('-').map(Number);
    return `${y}年${m}月${d}日`;
}

function status(text, isError) {
    $('status').textContent = text;
    $('status').className = isError ? 'error' : '';
}

function table(rep) {
    $('title').textContent = rep.title;
    $('unit').textContent = `填报单位：${rep.unit}`;
    $('made').textContent = `填报时间：${cn(rep.made)}　　（统计截至${cn(rep.until)}，${rep.campaign.name}）`;
    const rows = [...rep.rows, rep.total].map((r) => {
        const warn = r.checks.map((c) => c.code);
        const cells = r.cells.map((text, i) => ({
            text,
            cls: (warn.includes('returns_sum') && i >= 1 && i <= 3) || (warn.includes('people_sum') && [5, 9, 11, 13].includes(i)) ||
                (warn.includes('no_funding') && i === 14) ? 'warn' : '',
        }));
        cells.push({ text: r.checks.map((c) => c.message).join('；'), cls: 'checks no-print' });
        return row(cells, r.total ? 'total' : '');
    });
    fill(document.querySelector('#table tbody'), rows);
}

async function lists(params) {
    const entries = await read(`/api/funding?${params}`);
    fill(document.querySelector('#entries tbody'), entries.entries.map((e) => row([e.scope_name, e.amount, e.source, e.date, e.entered_by].map((text) => ({ text })))));
    const filings = await read(`/api/report/filings?${params}`);
    fill(
        document.querySelector('#filings tbody'),
        filings.filings.map((f) =>
            row([f.id, f.scope_name, f.until, f.due ? `${f.due.date} ${f.due.before}前` : '', f.filed_by, f.filed_at, h('a', { href: `/api/report/filings/${f.id}.xlsx` }, '下载存档')].map((text) => ({ text }))),
        ),
    );
}

async function load() {
    const scope = $('scope').value.trim();
    const params = new URLSearchParams({ until: $('until').value });
    if (scope) params.set('scope', scope);
    $('xlsx').href = `/api/report.xlsx?${params}`;
    status('正在计算…');
    try {
        table(await read(`/api/report?${params}`));
        await lists(new URLSearchParams(scope ? { scope } : {}));
        status('');
    } catch (e) {
        status(e.message, true);
    }
}

async function schedule() {
    const s = await read('/api/report/schedule');
    const due = $('due');
    if (!s.next_due) due.textContent = '本活动没有待报送的期次';
    else due.textContent = `下次报送：${cn(s.next_due.date)} ${s.next_due.before}前` + (s.filed === null ? '' : s.filed ? '（本期已报送）' : '（本期未报送）');
    due.className = s.filed === false ? 'late' : '';
}

async function fileReport() {
    try {
        const f = await send('/api/report/filings', { until: $('until').value });
        status(`已报送（存档编号 ${f.id}）`);
        await schedule();
        await load();
    } catch (e) {
        status(e.message, true);
    }
}

async function addFunding(ev) {
    ev.preventDefault();
    const f = ev.target.elements;
    try {
        await send('/api/funding', { scope: f.scope.value, amount: f.amount.value, source: f.source.value, ...(f.date.value ? { date: f.date.value } : {}) });
        f.amount.value = '';
        await load();
    } catch (e) {
        status(e.message, true);
    }
}

async function start() {
    const me = await read('/api/me');
    setCsrf(me.csrf);
    const q = new URLSearchParams(location.search);
    $('scope').value = q.get('scope') || me.scope;
    // today as the server counts it (China time), not the computer's clock
    const campaign = await get('/api/campaign').catch(() => ({}));
    $('until').value = q.get('until') || campaign.today || new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    $('file').hidden = !me.permissions.includes('report') || me.scope.length > 4;
    $('funding').hidden = !me.permissions.includes('transport');
    $('funding').elements.scope.value = me.scope.length === 4 ? me.scope : '';
    $('load').addEventListener('click', load);
    $('print').addEventListener('click', () => window.print());
    $('file').addEventListener('click', fileReport);
    $('funding').addEventListener('submit', addFunding);
    await schedule().catch(() => {});
    await load();
}

start().catch((e) => ($('status').textContent = e.message));
