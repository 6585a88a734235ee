// SPDX-License-Identifier: MIT
// Once matched, the worker's status page shows the vehicle, each person's seat, the
// pickup, the escort's phone to call, and a personal QR code for boarding check-in that
// decodes to the check-in link. A screenshot for a person to look at.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startStack } from '../integration/lib/harness.mjs';
import { companion, signup } from '../integration/lib/people.mjs';
import { addUser, busPlan, login } from '../integration/lib/transport.mjs';
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
    const text = await page.textContent('#r-assignment');
    for (const want of ['专车', '桂A12345', '2月3日', '08:30', '民生街道政府门口', '黄秀英', '韦大明', '黄志强', '13912345678'])
        assert.ok(text.includes(want), `${want} in: ${text}`);
    assert.equal(await page.getAttribute('#r-assignment a[href^="tel:"]', 'href'), 'tel:13912345678');
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
