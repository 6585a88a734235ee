// SPDX-License-Identifier: MIT
// The worker's path in a real browser: open /s/{village}, see the village's full name,
// fill everything with a companion, send, see the code, find it on /status, cancel it.
// Mistakes: a bad ID number is caught before anything is sent; the server's 422 field
// errors and 409 (already registered) show next to their fields. A screenshot of each screen.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../integration/lib/harness.mjs';
import { badCheck, newId, newPhone, signup } from '../integration/lib/people.mjs';
import { fillForm, launch, openSignup, posts, shot, storedCodes, villagePath } from './lib/browser.mjs';

let stack, browser;
before(async () => {
    stack = await startStack('browser-signup');
    browser = await launch();
});
after(async () => {
    await browser?.close();
    await stack?.close();
});

const worker = () => ({ name: '韦小宝', id_number: newId(), phone: newPhone() });

async function openForm(name) {
    const page = await openSignup(browser.context, stack.server.url);
    if (name) await shot(page, name);
    return page;
}

test('sign up with a companion, see the code, find it on /status, cancel it', async () => {
    const page = await openForm('1-form-empty');
    const header = await page.textContent('#village');
    for (const part of villagePath()) assert.ok(header.includes(part), `village name part ${part} missing in ${header}`);
    assert.equal((await page.$$eval('#f-province option', (os) => os.map((o) => o.textContent)))[1], '广东省', 'Guangdong comes first');

    const me = worker();
    const mate = { name: '黄秀英', id_number: newId({ x: true }), phone: '' };
    await fillForm(page, me, [mate]);
    assert.match(await page.textContent('[data-field="id_number"] .ok'), /出生/);
    await shot(page, '2-form-filled');
    await page.click('#submit');
    await page.waitForSelector('#done-code', { state: 'visible' });
    const code = (await page.textContent('#done-code')).replace(/\s+/g, '');
    assert.match(code, /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{8}$/);
    assert.deepEqual(await storedCodes(stack.redis), [code]);
    const summary = await page.textContent('#done-summary');
    assert.ok(summary.includes('韦小宝') && summary.includes('黄秀英') && summary.includes('东莞市'), summary);
    await shot(page, '3-done');
    await page.click('#save-image');
    await page.waitForSelector('#done-image', { state: 'visible' });
    assert.match(await page.getAttribute('#done-image', 'src'), /^data:image\/png;base64,/);
    await shot(page, '4-done-image');
    assert.equal(posts(page, '/api/registrations').length, 1);

    await page.click('#done-status');
    await page.waitForURL(/\/status\?code=/);
    assert.equal(await page.inputValue('#f-code'), code, 'the code is carried over');
    await shot(page, '5-status-lookup');
    await page.fill('#f-phone4', me.phone.slice(-4));
    await page.click('#lookup-go');
    await page.waitForSelector('#result', { state: 'visible' });
    const result = await page.textContent('#result');
    assert.ok(result.includes('已报名'), result);
    assert.ok(result.includes('黄秀英') && result.includes('东莞市'), result);
    assert.ok(result.includes(`${me.id_number.slice(0, 6)}********${me.id_number.slice(-4)}`), 'ID masked');
    assert.ok(!result.includes(me.id_number) && !result.includes(me.phone), 'nothing unmasked on the page');
    await shot(page, '6-status-found');

    await page.click('#cancel');
    await shot(page, '7-status-cancel-confirm');
    await page.click('#cancel-yes');
    await page.waitForSelector('#r-status.cancelled');
    assert.ok(await page.isVisible('#signup-again'));
    await shot(page, '8-status-cancelled');
    assert.deepEqual(page.problems, [], 'no console errors (CSP violations show there)');

    // The ID numbers are free again: the same two people sign up anew.
    const again = await stack.server.post('/api/registrations', signup({ id_number: me.id_number, companions: [{ name: mate.name, id_number: mate.id_number }] }));
    assert.equal(again.status, 201, again.text);
    await page.close();
});

test('a bad ID number is shown next to its field before anything is sent', async () => {
    const page = await openForm();
    const me = { ...worker(), id_number: badCheck(newId()) };
    await fillForm(page, me);
    await page.click('#submit');
    const err = page.locator('[data-field="id_number"] .err');
    await err.waitFor({ state: 'visible' });
    assert.equal(await err.textContent(), '身份证号最后一位不对，请再核对一遍', 'no jargon (校验位)');
    assert.equal(posts(page, '/api/registrations').length, 0, 'no POST for a form with mistakes');
    assert.ok(await page.isVisible('#form-error'));
    await shot(page, '9-form-bad-id');
    // Fixing it clears the message while typing.
    await page.fill('#f-id', newId());
    await err.waitFor({ state: 'hidden' });
    // A companion's bad ID is named by its index, like the server does.
    await page.click('#add-companion');
    await page.fill('[name="companions[0].name"]', '黄秀英');
    await page.fill('[name="companions[0].id_number"]', '45010219900230123X');
    await page.click('#submit');
    await page.locator('[data-field="companions[0].id_number"] .err').waitFor({ state: 'visible' });
    assert.equal(posts(page, '/api/registrations').length, 0);
    await page.close();
});

test("the server's 422 field errors and 409 show next to their fields", async () => {
    const page = await openForm();
    await page.route('**/api/registrations', (route) =>
        route.fulfill({
            status: 422,
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: 'invalid', message: 'x', fields: { 'companions[0].name': '含有不允许的字符', employer: '太长了，请精简' } } }),
        }),
    );
    await fillForm(page, worker(), [{ name: '黄秀英', id_number: newId() }]);
    await page.click('#submit');
    await page.locator('[data-field="companions[0].name"] .err', { hasText: '含有不允许的字符' }).waitFor();
    await page.locator('[data-field="employer"] .err', { hasText: '太长了' }).waitFor();
    await page.unroute('**/api/registrations');

    // 409: a companion already registered by someone else.
    const taken = newId();
    assert.equal((await stack.server.post('/api/registrations', signup({ id_number: taken }))).status, 201);
    await page.fill('[name="companions[0].id_number"]', taken);
    await page.click('#submit');
    const err = page.locator('[data-field="companions[0].id_number"] .err');
    await err.waitFor({ state: 'visible' });
    assert.match(await err.textContent(), /已经报过名/);
    // the way to that sign-up: the lookup by ID number, the number carried over (not in the URL)
    assert.equal(await err.locator('a').getAttribute('href'), '/status?lost=1');
    await shot(page, '10-form-409');
    await err.locator('a').click();
    await page.waitForURL(/\/status\?lost=1$/);
    assert.equal(await page.inputValue('#f-lost-id'), taken);
    await shot(page, '10b-status-lost-from-409');
    await page.close();
});
