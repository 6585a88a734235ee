// SPDX-License-Identifier: MIT
// Once matched, the worker's status page shows at its top the trip card: the vehicle,
// each person's seat, the pickup, the escort's phone to call, and a personal QR code for
// boarding check-in that decodes to the check-in link. On a train, the status page and the escort's check-in
// give the carriage and the seat in it. Screenshots for a person to look at.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startStack } from '../integration/lib/harness.mjs';
import { companion, signup } from '../integration/lib/people.mjs';
import { PASSWORD, addUser, busPlan, login } from '../integration/lib/transport.mjs';
import { launch, openPage, shot } from './lib/browser.mjs';

let stack, browser;
before(async () => {
    stack = await startStack('browser-assigned');
    browser = await launch();
});
after(async () => {
    await browser?.close();
    await stack?.close();
});

test('the status page shows the vehicle, seats, escort and a check-in QR', async () => {
    const srv = stack.server;
    addUser(srv, 'org', 'organiser', '4501');
    const org = await login(srv, 'org');
    const v = await org.post('/api/vehicles', busPlan({ depart_date: '2027-02-03' }));
    assert.equal(v.status, 201, v.text);
    const body = signup({ name: '黄秀英', companions: [companion({ name: '韦大明' })], flex_days: 0 });
    const r = await srv.post('/api/registrations', body);
    assert.equal(r.status, 201, r.text);
    assert.equal((await org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: true })).status, 200);

    const page = await openPage(browser.context);
    await page.goto(`${srv.url}/status?code=${r.json.code}`);
    await page.fill('#f-phone4', body.phone.slice(-4));
    await page.click('#lookup-go');
    await page.waitForSelector('#result', { state: 'visible' });
    await page.waitForSelector('img.checkin-qr');
    await page.waitForFunction(() => document.querySelector('img.checkin-qr').naturalWidth > 0);
    const text = await page.textContent('#r-trip');
    for (const want of ['专车', '桂A12345', '2月3日', '08:30', '民生街道政府门口', '黄秀英', '韦大明', '黄志强', '13912345678'])
        assert.ok(text.includes(want), `${want} in: ${text}`);
    assert.equal(await page.getAttribute('#r-trip a[href^="tel:"]', 'href'), 'tel:13912345678');
    assert.deepEqual(page.problems, []);
    await shot(page, '9-status-assigned');

    // the QR on the page decodes to this worker's check-in link
    const src = await page.getAttribute('img.checkin-qr', 'src');
    const png = await srv.get(src.replace('.svg', '.png'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-qr-'));
    fs.writeFileSync(path.join(dir, 'q.png'), png.buf);
    const z = spawnSync('zbarimg', ['--raw', '--nodbus', '-q', path.join(dir, 'q.png')], { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    assert.match(z.stdout.trim(), new RegExp(`^${srv.url}/staff/checkin\\.html#`));
    await page.close();
});

test('a train: the status page and the escort\'s check-in give carriage and seat', async () => {
    const srv = stack.server;
    addUser(srv, 'org-train', 'organiser', '4501');
    addUser(srv, 'escort-train', 'city', '4501');
    const org = await login(srv, 'org-train');
    const plan = busPlan({ type: 'train', number: 'D3856', capacity: 100, carriage_size: 20, depart_date: '2027-02-05', drivers: [] });
    const train = await org.post('/api/vehicles', plan);
    assert.equal(train.status, 201, train.text);
    const groups = [];
    for (const n of [10, 9, 3]) {
        const body = signup({ mode: 'train', depart_date: '2027-02-05', flex_days: 0, companions: Array.from({ length: n - 1 }, () => companion()) });
        const r = await srv.post('/api/registrations', body);
        assert.equal(r.status, 201, r.text);
        groups.push({ code: r.json.code, phone: body.phone });
    }
    assert.equal((await org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: true })).json.assigned, 3);
    // the group that sits in carriage 2 (22 people in carriages of 20: one does)
    let g, a;
    for (const x of groups) {
        const look = await srv.get(`/api/registrations/${x.code}?phone4=${x.phone.slice(-4)}`);
        if (look.json.assignment.seats.some((s) => s.carriage === 2)) [g, a] = [x, look.json.assignment];
    }
    assert.ok(g, 'someone sits in carriage 2');
    const want = a.seats.map((s) => `${s.carriage}车厢 ${s.seat}`);

    const page = await openPage(browser.context);
    await page.goto(`${srv.url}/status?code=${g.code}`);
    await page.fill('#f-phone4', g.phone.slice(-4));
    await page.click('#lookup-go');
    await page.waitForSelector('img.checkin-qr');
    const text = await page.textContent('#r-trip');
    assert.ok(text.includes('专列') && text.includes('D3856'), text);
    for (const w of want) assert.ok(text.includes(`${w}号`), `${w}号 in ${text}`);
    await shot(page, '9t-status-train');

    // the escort opens the check-in link (no session yet: the login comes first)
    await page.goto(a.checkin.url);
    await page.getByLabel('用户名').fill('escort-train');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('✓ 已签到').waitFor();
    assert.equal(await page.textContent('#vehicle'), '专列 D3856');
    const seats = await page.locator('#people .seat').allTextContents();
    assert.deepEqual(seats, want.map((w) => `${w}座`));
    assert.deepEqual(page.problems.filter((e) => !/status of 401/.test(e)), [], 'only the /api/me asked before the login');
    await shot(page, '9t-checkin-train');
    await page.close();
});
