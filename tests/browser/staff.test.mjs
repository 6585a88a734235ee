// SPDX-License-Identifier: MIT
// A village user on a phone: logs in, watches today's sign-up appear on the dashboard
// without a reload, enters return figures, opens and edits a registration, exports CSV,
// enters a person face to face (the worker page's rules: a 25-character name is fine).
// Screenshots of every screen go to $SONGGONG_TEST_OUT/screens/ for people to look at.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { OUT_DIR, TODAY, startStack } from '../integration/lib/harness.mjs';
import { companion, newId, signup } from '../integration/lib/people.mjs';
import { PASSWORD, addUser, villagesUnder } from '../integration/lib/staff.mjs';

const SCREENS = path.join(OUT_DIR, 'screens');
const [VILLAGE] = villagesUnder('450102001');
let stack, srv, browser, context, page, profile, live;
const consoleErrors = [];

async function shot(name) {
    await page.screenshot({ path: path.join(SCREENS, `${name}.png`), fullPage: true });
}

before(async () => {
    fs.mkdirSync(SCREENS, { recursive: true });
    stack = await startStack('browser');
    srv = stack.server;
    addUser(srv, 'cun.gan', 'village', VILLAGE);
    // two sign-ups from before, so the pages have something to show
    await srv.post('/api/registrations', signup({ village: VILLAGE, companions: [companion({ poverty: 'alleviated' })] }));
    await srv.post('/api/registrations', signup({ village: VILLAGE, dest_city: '4403', depart_date: '2027-02-12' }));
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 1,
        locale: 'zh-CN',
        acceptDownloads: true,
    });
    browser = context;
    page = context.pages()[0] || (await context.newPage());
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
});

after(async () => {
    await browser?.close();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
    await stack?.close();
});

test('the staff pages are served under a strict CSP', async () => {
    const r = await srv.get('/staff/');
    assert.equal(r.status, 200);
    const csp = r.headers.get('content-security-policy');
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.doesNotMatch(r.text, /<script>|style=|onclick=/, 'no inline script or style');
});

test('log in; today\'s sign-up appears on the dashboard without a reload', async () => {
    await page.goto(`${srv.url}/staff/`);
    await page.getByLabel('用户名').waitFor();
    await shot('01-login');
    await page.getByLabel('用户名').fill('cun.gan');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('用户名或密码不对').waitFor();
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    const today = page.locator('.stat.today .stat-value');
    await today.waitFor();
    await page.getByText('实时更新').waitFor();
    assert.equal(await today.textContent(), '3');
    await shot('02-dashboard');
    const origin = await page.evaluate(() => performance.timeOrigin);
    const body = signup({ village: VILLAGE, poverty: 'monitored', companions: [companion()] });
    const r = await srv.post('/api/registrations', body);
    assert.equal(r.status, 201, r.text);
    live = { body, code: r.json.code };
    await page.waitForFunction(() => document.querySelector('.stat.today .stat-value')?.textContent === '5', null, { timeout: 10000 });
    assert.equal(await page.evaluate(() => performance.timeOrigin), origin, 'the page was not reloaded');
    await shot('03-dashboard-live');
});

test('enter return figures; a mismatch is shown', async () => {
    await page.getByRole('link', { name: '返乡数据' }).click();
    await page.getByLabel('外出农民工总数（人）').fill('120');
    await page.getByLabel('其中：已返乡（人）').fill('100');
    await page.getByLabel('其中：未返乡（人）').fill('19');
    // added up as they are typed, before anything is saved
    assert.match(await page.textContent('.sum-line.bad'), /= 119，外出是 120：差 1/);
    await page.getByRole('button', { name: '保存' }).click();
    // saved, and said as a warning (not the neutral blue of a plain "saved")
    const saved = page.locator('.notice.refused', { hasText: '已保存，但数字对不上' });
    await saved.waitFor();
    assert.match(await saved.textContent(), /外出是 120/);
    await page.getByRole('button', { name: '历史' }).click();
    await page.getByText('填报历史').waitFor();
    await shot('04-returns');
});

test('face-to-face entry form', async () => {
    await page.getByRole('link', { name: '当面登记' }).click();
    await page.getByRole('button', { name: '提交登记' }).click();
    await page.getByText('有些内容需要修改').waitFor();
    await shot('05-entry-errors');
});

test('open a registration, edit it, export', async () => {
    await page.getByRole('link', { name: '报名名单' }).click();
    await page.locator('table.list tbody tr').first().waitFor();
    assert.equal(await page.locator('table.list tbody tr').count(), 3);
    await shot('06-list');
    await page.locator('table.list tbody tr a').first().click();
    await page.getByRole('button', { name: '修改' }).waitFor();
    await shot('07-detail');
    // edit today's sign-up: a later departure date only. The numbers show masked and are
    // left as they are: the server keeps the stored ones (nobody retypes ID cards for a date).
    await page.goto(`${srv.url}/staff/#/registration/${live.code}`);
    await page.getByRole('button', { name: '修改' }).click();
    const form = page.locator('form.regform');
    const masked = (id) => `${id.slice(0, 6)}********${id.slice(-4)}`;
    assert.equal(await form.locator('input[name="id_number"]').inputValue(), masked(live.body.id_number));
    assert.equal(await form.locator('input[name="companions[0].id_number"]').inputValue(), masked(live.body.companions[0].id_number));
    await form.locator('input[name="depart_date"]').fill('2027-02-20');
    await shot('08-edit-form');
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.getByText('已保存修改').waitFor();
    await page.getByText('2027-02-20').first().waitFor();
    await shot('09-edited');
    // the numbers were kept: the worker's own lookup (last 4 of the phone) still works, and
    // the same ID numbers still hold their place (a new sign-up with one is a duplicate)
    const mine = await srv.get(`/api/registrations/${live.code}?phone4=${live.body.phone.slice(-4)}`);
    assert.equal(mine.status, 200, mine.text);
    assert.equal(mine.json.depart_date, '2027-02-20');
    assert.equal(mine.json.people[0].id_number, masked(live.body.id_number));
    const dup = await srv.post('/api/registrations', { ...live.body, companions: [] });
    assert.equal(dup.status, 409, dup.text);
    // exports: the CSV button downloads the village's registrations, masked
    await page.getByRole('link', { name: '报名名单' }).click();
    await page.locator('table.list tbody tr').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 CSV' }).click()]);
    const file = path.join(SCREENS, 'export.csv');
    await download.saveAs(file);
    const csv = fs.readFileSync(file, 'utf8');
    const codes = new Set(csv.trim().split('\n').slice(1).map((l) => l.split(',')[0]));
    assert.deepEqual(codes.size, 3, 'one row per person of the 3 registrations');
    assert.match(csv, /2027-02-20/, 'the edit is in the export');
    assert.doesNotMatch(csv, new RegExp(live.body.id_number), 'numbers are masked');
    assert.equal(await page.getByRole('link', { name: /导出完整名单/ }).count(), 0, 'no full export for village staff');
});

// The staff form checks with the worker page's rules (site/assets/check.js), with the
// server's allowances for staff as options: names of up to 30 characters, no phone needed.
test('face to face: a 25-character name and no phone are stored (201, the success card)', async () => {
    const name = '阿卜杜热合曼·买买提明江·艾合买提江·吐尔逊托合提';
    assert.equal([...name].length, 25);
    await page.getByRole('link', { name: '当面登记' }).click();
    const form = page.locator('form.regform');
    await form.locator('input[name="name"]').fill(name);
    await form.locator('input[name="id_number"]').fill(newId());
    await form.locator('select[name="poverty"]').selectOption('none'); // a choice, no default
    await form.locator('select[name="dest_province"]').selectOption('44');
    await form.locator('select[name="dest_city"]').selectOption('4419');
    await form.locator('input[name="depart_date"]').fill('2027-02-03');
    await form.locator('input[name="consent"]').check();
    const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/registrations'),
        page.getByRole('button', { name: '提交登记' }).click(),
    ]);
    assert.equal(res.status(), 201, await res.text());
    // the form sends its own Idempotency-Key: a retry after a lost answer cannot enter the person twice
    assert.match(res.request().headers()['idempotency-key'] || '', /^staff-[0-9a-f]{32}$/);
    const { code } = await res.json();
    const card = page.locator('.card.success', { hasText: '登记成功（共 1 人）' });
    await card.waitFor();
    assert.equal((await card.locator('.code-big').textContent()).replace(/\s/g, ''), code);
    const stored = await page.evaluate(async (c) => (await fetch(`/api/registrations/${c}`)).json(), code);
    assert.equal(stored.people[0].name, name, 'stored whole');
    assert.ok(!stored.people[0].phone, 'no phone');
    await shot('10-entry-long-name-stored');
});

test('a 31-character name: the worker page\'s message next to the field, nothing sent', async () => {
    const name = '韦'.repeat(31);
    // what the worker page says for it, and what the server says
    const worker = await context.newPage();
    await worker.goto(`${srv.url}/s/${VILLAGE}`);
    await worker.waitForFunction(() => document.querySelector('#f-province').options.length > 30);
    await worker.fill('#f-name', name);
    await worker.click('#submit');
    const workerSays = (await worker.locator('[data-field="name"] .err').textContent()).trim();
    await worker.close();
    const r = await srv.post('/api/registrations', signup({ village: VILLAGE, name }));
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.fields.name, workerSays);

    const posts = [];
    const onRequest = (q) => q.method() === 'POST' && posts.push(q.url());
    page.on('request', onRequest);
    const form = page.locator('form.regform');
    await form.locator('input[name="name"]').fill(name);
    await form.locator('input[name="id_number"]').fill(newId());
    await page.getByRole('button', { name: '提交登记' }).click();
    const err = form.locator('[data-field="name"] .error');
    await page.getByText('有些内容需要修改').waitFor();
    assert.equal((await err.textContent()).trim(), workerSays);
    assert.equal(workerSays, '太长了，请精简');
    assert.equal(await form.locator('[data-field="id_number"] .error').textContent(), '', 'a good ID number is not marked');
    await shot('11-entry-name-too-long');
    page.off('request', onRequest);
    assert.deepEqual(posts, [], 'nothing sent');
});

test('no script errors on any screen', () => {
    assert.deepEqual(consoleErrors.filter((e) => !/40[134]|Failed to load resource/.test(e)), []);
});

test('today is the fixed test day', () => assert.equal(TODAY, '2027-01-10'));
