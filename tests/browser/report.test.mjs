// SPDX-License-Identifier: MIT
// The statistics table (统计表) inside the staff app (#/report), on a phone (360×740) and a
// laptop (1366×768), as each role meets it: an organiser of the region sees the table with
// a departed bus, its checked-in people and the funding, chooses a city by name, enters
// funding with its area chosen by name (a missing field turns red beside it), and prints it
// on one A4 landscape page (Chromium's PDF, counted by pdfinfo; the 地区 names unbroken);
// city staff file after a confirmation and are told so, with the time in local words;
// the region is told which cities filed, never a red "not filed"; city staff get no
// funding form; county staff get no tab. No page is wider than the screen.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startStack } from '../integration/lib/harness.mjs';
import { signup } from '../integration/lib/people.mjs';
import { addUser, login } from '../integration/lib/staff.mjs';
import { busPlan } from '../integration/lib/transport.mjs';
import { SCREEN_DIR, SIZES, assertNoSideways, launch, openSized, shot, staffLogin } from './lib/browser.mjs';

let stack, browser, srv;
before(async () => {
    stack = await startStack('browser-report');
    srv = stack.server;
    browser = await launch();
    addUser(srv, 'org', 'organiser', '45');
    addUser(srv, 'city-nn', 'city', '4501');
    addUser(srv, 'county', 'county', '450102');
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
    for (const status of ['boarding', 'departed']) assert.equal((await org.request('PATCH', `/api/vehicles/${v.id}`, { json: { status } })).status, 200);
    assert.equal((await org.post('/api/funding', { campaign: '2027-spring', scope: '4501', amount: '1.5', source: '自治区就业补助资金' })).status, 201);
});
after(async () => {
    await browser?.close();
    await stack?.close();
});

const cells = (page) => page.evaluate(() => [...document.querySelectorAll('.report-table tbody tr')].map((tr) => [...tr.cells].map((td) => td.textContent.trim())));

for (const size of SIZES) {
    test(`an organiser of the region on a ${size.name}: the table in the app, a city by name, funding`, async () => {
        const page = await openSized(browser.context, size);
        await staffLogin(page, srv.url, 'org');
        await page.locator('#tabs').getByRole('link', { name: '统计表' }).click();
        await page.locator('.report-table tbody tr.total').waitFor();
        // the bus left on 12 January: the table up to the end of the month
        await page.fill('.toolbar input[name=until]', '2027-01-31');
        await page.waitForFunction(() => document.querySelector('.report-sheet .meta')?.textContent.includes('统计截至2027年1月31日'));
        assert.ok(await page.isVisible('nav#tabs'), 'inside the app: the tabs are there');
        const rows = await cells(page);
        const nn = rows.find((r) => r[0] === '南宁市');
        const total = rows.find((r) => r[0] === '合计');
        // columns: 甲 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16
        assert.equal(nn[4], '1', 'col 4: one bus');
        assert.equal(nn[10], '1', 'col 10: buses');
        assert.equal(nn[11], '2', 'col 11: checked-in people on them');
        assert.equal(nn[14], '1.50', 'col 14: funding in 万元');
        assert.match(nn[15], /自治区就业补助资金/);
        assert.equal(total[11], '2');
        assert.equal(await page.locator('.toolbar select[name=scope] option:checked').textContent(), '广西壮族自治区（各市）', 'the scope by name');
        assert.doesNotMatch(await page.textContent('.report-view'), /本期未报送|本期还没有报送/, 'the region receives reports, it does not file');
        assert.match(await page.textContent('.report-view'), /各市报送：0\/14 个市已报送/);
        // funding: a missing field turns red beside it; the area is chosen by name
        const form = page.locator('form.funding-form');
        await form.getByRole('button', { name: '录入' }).click();
        assert.equal(await form.locator('[data-field="scope"] .error').textContent(), '请选择地区');
        assert.ok(await form.locator('[data-field="amount"]').evaluate((e) => e.classList.contains('bad')));
        const city = size.name === 'phone' ? '柳州市' : '桂林市';
        await form.locator('select[name=scope]').selectOption({ label: city });
        await form.locator('input[name=amount]').fill('0.8');
        await form.locator('input[name=source]').fill('本级就业补助资金');
        await form.getByRole('button', { name: '录入' }).click();
        await page.locator('.report-view > .notice', { hasText: `已录入：${city} 0.8 万元` }).waitFor();
        assert.equal((await cells(page)).find((r) => r[0] === city)[14], '0.80');
        await assertNoSideways(page, 'report');
        await shot(page, `report-${size.name}-region`);
        // a city by name: its counties' rows
        await page.locator('.toolbar select[name=scope]').selectOption({ label: '南宁市（各县区）' });
        await page.waitForFunction(() => document.querySelector('.report-table tbody tr')?.cells[0].textContent.includes('区'));
        assert.ok((await cells(page)).some((r) => r[0] === '兴宁区'));
        assert.deepEqual(page.problems, []);
        await page.close();
    });
}

test('printed: the region\'s table on one A4 landscape page, like the .xlsx', async () => {
    const page = await openSized(browser.context, SIZES[1]);
    await staffLogin(page, srv.url, 'org', undefined, '#/report?until=2027-01-31');
    await page.locator('.report-table tbody tr.total').waitFor();
    await page.emulateMedia({ media: 'print' });
    await shot(page, 'report-print');
    // the 地区 names stay on one line (南宁/市 no more)
    const wraps = await page.$$eval('.report-table tbody td.area', (tds) =>
        tds.filter((td) => {
            const r = document.createRange();
            r.selectNodeContents(td);
            return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1; // more than one line of text
        }).map((td) => td.textContent));
    assert.deepEqual(wraps, []);
    const file = path.join(SCREEN_DIR, 'report-print.pdf');
    await page.pdf({ path: file, format: 'A4', landscape: true, preferCSSPageSize: true, printBackground: true });
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    assert.match(info, /^Pages:\s+1$/m, info);
    assert.match(info, /Page size:\s+841\.\d+ x 59[45]\.\d+ pts/, 'A4 landscape');
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const want of ['合计', '审核人', '填报人', '南宁市', '崇左市']) assert.ok(text.includes(want), `${want} on the page`);
    assert.doesNotMatch(text, /自检|资金投入记录|已报送的表/, 'nothing of the screen\'s tools printed');
    execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', file, path.join(SCREEN_DIR, 'report-print-pdf')]);
    // a city's table (its counties and 市本级) on one page too, signatures included
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${srv.url}/staff/#/report?scope=4501&until=2027-01-31`);
    await page.waitForFunction(() => document.querySelector('.report-sheet h1')?.textContent.includes('南宁市'));
    await page.emulateMedia({ media: 'print' });
    const city = path.join(SCREEN_DIR, 'report-print-city.pdf');
    await page.pdf({ path: city, format: 'A4', landscape: true, preferCSSPageSize: true, printBackground: true });
    assert.match(execFileSync('pdfinfo', [city], { encoding: 'utf8' }), /^Pages:\s+1$/m);
    const cityText = execFileSync('pdftotext', ['-layout', city, '-'], { encoding: 'utf8' });
    for (const want of ['兴宁区', '合计', '审核人', '填报人']) assert.ok(cityText.includes(want), `${want} on the city's page`);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', city, path.join(SCREEN_DIR, 'report-print-city-pdf')]);
    await page.close();
});

for (const size of SIZES) {
    test(`city staff on a ${size.name}: file after a confirmation, told when in local time; no funding form`, async () => {
        const page = await openSized(browser.context, size);
        await staffLogin(page, srv.url, 'city-nn', undefined, '#/report');
        await page.locator('.report-table tbody tr.total').waitFor();
        assert.equal(await page.locator('form.funding-form').count(), 0, 'funding is entered by organisers');
        assert.equal(await page.locator('.toolbar select[name=scope]').count(), 0, 'a city sees its own table');
        const filing = page.locator('.card.filing');
        if (size.name === 'phone') {
            assert.match(await filing.textContent(), /本期还没有报送/);
            await filing.getByRole('button', { name: '报送本期' }).click();
            const ask = filing.locator('.confirm-box');
            await ask.waitFor();
            assert.match(await ask.textContent(), /确定报送吗/);
            await shot(page, 'report-phone-city-confirm', { fullPage: false });
            await ask.getByRole('button', { name: '取消' }).click();
            assert.ok(await ask.isHidden(), 'nothing filed without yes');
            await filing.getByRole('button', { name: '报送本期' }).click();
            await ask.getByRole('button', { name: '确定报送' }).click();
            await page.locator('.report-view > .notice', { hasText: /✓ 已报送（存档编号 \d+/ }).waitFor();
        }
        const said = await page.locator('.card.filing').textContent();
        assert.match(said, /本期已报送（\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d，city-nn）/, said);
        assert.doesNotMatch(await page.textContent('.report-view'), /\d{4}-\d\d-\d\dT/, 'no raw ISO times');
        await assertNoSideways(page, 'report (city)');
        await shot(page, `report-${size.name}-city`);
        await page.close();
    });
}

test('the region then sees the city as filed; county staff have no tab', async () => {
    const page = await openSized(browser.context, SIZES[0]);
    await staffLogin(page, srv.url, 'org', undefined, '#/report');
    await page.locator('.report-table tbody tr.total').waitFor();
    assert.match(await page.textContent('.report-view'), /各市报送：1\/14 个市已报送/);
    assert.doesNotMatch(await page.textContent('.cities-filed .missing'), /南宁市/);
    await staffLogin(page, srv.url, 'county');
    assert.ok(await page.locator('#tab-report').isHidden(), 'no tab for a county');
    await page.goto(`${srv.url}/staff/#/report`);
    await page.locator('.notice', { hasText: '统计表由市级和自治区填报' }).waitFor();
    assert.equal(await page.locator('.error').filter({ hasText: /\S/ }).count(), 0, 'no red error');
    await shot(page, 'report-phone-county');
    // the old address leads into the app
    await page.goto(`${srv.url}/staff/report.html`);
    await page.waitForURL(/\/staff\/#\/report$/);
    await page.close();
});

test('the old report page is only a way into the app', () => {
    const html = fs.readFileSync(path.resolve('site/staff/report.html'), 'utf8');
    assert.match(html, /url=\/staff\/#\/report/);
});
