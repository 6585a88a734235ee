// SPDX-License-Identifier: MIT
// The statistics table's print view (site/staff/report.html) as an organiser sees it: the
// two-level header, a departed bus with its checked-in passengers in its city's row, the
// funding, and the total row; screenshots of the screen and of the print layout.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../integration/lib/harness.mjs';
import { signup } from '../integration/lib/people.mjs';
import { PASSWORD, addUser, busPlan, login } from '../integration/lib/transport.mjs';
import { launch, openPage, shot } from './lib/browser.mjs';

let stack, browser;
before(async () => {
    stack = await startStack('browser-report');
    browser = await launch();
});
after(async () => {
    await browser?.close();
    await stack?.close();
});

test('the print view shows the table with a departed bus, its people and the funding', async () => {
    const srv = stack.server;
    addUser(srv, 'org', 'organiser', '45');
    const org = await login(srv, 'org');
    const v = (await org.post('/api/vehicles', busPlan({ scope: '4501', depart_date: '2027-01-12' }))).json;
    const codes = [];
    for (let i = 0; i < 3; i++) {
        const body = signup({ depart_date: '2027-01-12', flex_days: 0, poverty: i === 0 ? 'alleviated' : 'none' });
        const r = await srv.post('/api/registrations', body);
        assert.equal(r.status, 201, r.text);
        codes.push({ code: r.json.code, phone4: body.phone.slice(7) });
    }
    assert.equal((await org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: true })).status, 200);
    for (const c of codes.slice(0, 2)) {
        const look = await srv.get(`/api/registrations/${c.code}?phone4=${c.phone4}`);
        assert.equal((await org.post(`/api/checkin/${look.json.assignment.checkin.token}`, {})).status, 200);
    }
    for (const status of ['boarding', 'departed'])
        assert.equal((await org.patch(`/api/vehicles/${v.id}`, { status })).status, 200);
    assert.equal((await org.post('/api/funding', { campaign: '2027-spring', scope: '4501', amount: '1.5', source: '自治区就业补助资金' })).status, 201);

    const page = await openPage(browser.context);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${srv.url}/staff/`);
    await page.getByLabel('用户名').fill('org');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('nav#tabs').waitFor();
    page.problems.length = 0; // the login page's own "not logged in yet" (401) is expected
    await page.locator('nav a[href="/staff/report.html"]').first().click(); // the tab (the dashboard links it too)
    await page.waitForURL(/report\.html/);
    await page.fill('#until', '2027-01-31');
    await page.fill('#scope', '45');
    await page.click('#load');
    // the page loaded the table once already (until = today): wait for the reloaded one
    await page.waitForFunction(() => document.getElementById('made').textContent.includes('统计截至2027年1月31日'));
    await page.waitForFunction(() => document.querySelectorAll('#table tbody tr').length >= 15);
    const row = await page.evaluate(() =>
        [...document.querySelectorAll('#table tbody tr')].map((tr) => [...tr.cells].map((td) => td.textContent.trim())),
    );
    const nn = row.find((r) => r[0] === '南宁市');
    const total = row.find((r) => r[0] === '合计');
    assert.ok(nn && total, JSON.stringify(row.slice(0, 2)));
    // columns: 甲 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16
    assert.equal(nn[4], '1', 'col 4: one bus');
    assert.equal(nn[5], '0.00', 'col 5: 2 people = 0.0002 万人, shown to 2 decimals');
    assert.equal(nn[10], '1', 'col 10: buses');
    assert.equal(nn[11], '2', 'col 11: checked-in people on them');
    assert.equal(nn[14], '1.50', 'col 14: funding in 万元');
    assert.match(nn[15], /自治区就业补助资金/);
    assert.equal(total[11], '2');
    assert.match(await page.textContent('#title'), /2027年全区“点对点”送工服务情况统计表/);
    assert.deepEqual(page.problems, []);
    await shot(page, 'report-screen');
    await page.emulateMedia({ media: 'print' });
    await shot(page, 'report-print');
    await page.close();
});
