// SPDX-License-Identifier: MIT
// The statistics table's print view: report.html?scope=45&until=YYYY-MM-DD reads
// GET /api/report and fills the table of the notice's attachment, with each row's
// self-checks beside it (not printed); downloads the .xlsx; files this period's report
// (city staff); lists funding entries (organisers enter them here) and filed reports.
'use strict';
window.SGReport = (() => {
    const $ = (id) => document.getElementById(id);
    let csrf = '';

    async function call(method, path, body) {
        const headers = { Accept: 'application/json' };
        if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
        if (body) headers['Content-Type'] = 'application/json';
        const r = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined, credentials: 'same-origin' });
        const json = await r.json().catch(() => ({}));
        if (r.status === 401) location.href = '/staff/#/login';
        if (!r.ok) throw new Error(json.error?.message || `出错了（${r.status}）`);
        return json;
    }

    function row(tbody, cells, cls) {
        const tr = document.createElement('tr');
        if (cls) tr.className = cls;
        for (const c of cells) {
            const td = document.createElement('td');
            td.textContent = c.text;
            if (c.cls) td.className = c.cls;
            tr.appendChild(td);
        }
        tbody.appendChild(tr);
    }

    function cn(date) {
        const [y, m, d] = date.split('-').map(Number);
        return `${y}年${m}月${d}日`;
    }

    function table(rep) {
        $('title').textContent = rep.title;
        $('unit').textContent = `填报单位：${rep.unit}`;
        $('made').textContent = `填报时间：${cn(rep.made)}　　（统计截至${cn(rep.until)}，${rep.campaign.name}）`;
        const body = document.querySelector('#table tbody');
        body.textContent = '';
        for (const r of [...rep.rows, rep.total]) {
            const warn = r.checks.map((c) => c.code);
            const cells = r.cells.map((text, i) => ({
                text,
                cls: (warn.includes('returns_sum') && i >= 1 && i <= 3) || (warn.includes('people_sum') && [5, 9, 11, 13].includes(i)) ||
                    (warn.includes('no_funding') && i === 14) ? 'warn' : '',
            }));
            cells.push({ text: r.checks.map((c) => c.message).join('；'), cls: 'checks no-print' });
            row(body, cells, r.total ? 'total' : '');
        }
    }

    async function lists(params) {
        const entries = await call('GET', `/api/funding?${params}`);
        const eb = document.querySelector('#entries tbody');
        eb.textContent = '';
        for (const e of entries.entries)
            row(eb, [e.scope_name, e.amount, e.source, e.date, e.entered_by].map((text) => ({ text })));
        const filings = await call('GET', `/api/report/filings?${params}`);
        const fb = document.querySelector('#filings tbody');
        fb.textContent = '';
        for (const f of filings.filings) {
            row(fb, [f.id, f.scope_name, f.until, f.due ? `${f.due.date} ${f.due.before}前` : '', f.filed_by, f.filed_at].map((text) => ({ text })));
            const a = document.createElement('a');
            a.href = `/api/report/filings/${f.id}.xlsx`;
            a.textContent = '下载存档';
            const td = document.createElement('td');
            td.appendChild(a);
            fb.lastChild.appendChild(td);
        }
    }

    async function load() {
        const scope = $('scope').value.trim();
        const params = new URLSearchParams({ until: $('until').value });
        if (scope) params.set('scope', scope);
        $('xlsx').href = `/api/report.xlsx?${params}`;
        $('status').textContent = '正在计算…';
        $('status').className = '';
        try {
            table(await call('GET', `/api/report?${params}`));
            await lists(new URLSearchParams(scope ? { scope } : {}));
            $('status').textContent = '';
        } catch (e) {
            $('status').textContent = e.message;
            $('status').className = 'error';
        }
    }

    async function schedule() {
        const s = await call('GET', '/api/report/schedule');
        const due = $('due');
        if (!s.next_due) due.textContent = '本活动没有待报送的期次';
        else due.textContent = `下次报送：${cn(s.next_due.date)} ${s.next_due.before}前` + (s.filed === null ? '' : s.filed ? '（本期已报送）' : '（本期未报送）');
        due.className = s.filed === false ? 'late' : '';
    }

    async function start() {
        const me = await call('GET', '/api/me');
        csrf = me.csrf;
        const q = new URLSearchParams(location.search);
        $('scope').value = q.get('scope') || me.scope;
        // today as the server counts it (China time), not the computer's clock
        const campaign = await call('GET', '/api/campaign').catch(() => ({}));
        $('until').value = q.get('until') || campaign.today || new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
        $('file').hidden = !me.permissions.includes('report') || me.scope.length > 4;
        $('funding').hidden = !me.permissions.includes('transport');
        $('funding').elements.scope.value = me.scope.length === 4 ? me.scope : '';
        $('load').addEventListener('click', load);
        $('print').addEventListener('click', () => window.print());
        $('file').addEventListener('click', async () => {
            try {
                const f = await call('POST', '/api/report/filings', { until: $('until').value });
                $('status').textContent = `已报送（存档编号 ${f.id}）`;
                await schedule();
                await load();
            } catch (e) {
                $('status').textContent = e.message;
                $('status').className = 'error';
            }
        });
        $('funding').addEventListener('submit', async (ev) => {
            ev.preventDefault();
            const f = ev.target.elements;
            try {
                await call('POST', '/api/funding', { scope: f.scope.value, amount: f.amount.value, source: f.source.value, ...(f.date.value ? { date: f.date.value } : {}) });
                f.amount.value = '';
                await load();
            } catch (e) {
                $('status').textContent = e.message;
                $('status').className = 'error';
            }
        });
        await schedule().catch(() => {});
        await load();
    }

    document.addEventListener('DOMContentLoaded', () => start().catch((e) => ($('status').textContent = e.message)));
    return { load };
})();
