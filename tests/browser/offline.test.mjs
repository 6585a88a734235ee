// SPDX-License-Identifier: MIT
// A weak network: the first send never reaches the server (route aborted), the page says
// it is waiting and keeps trying by itself, survives a reload, and when a later try is
// stored but its answer is lost, the next try (same Idempotency-Key) gets the same code:
// the sign-up lands exactly once, without the worker doing anything.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack, until } from '../integration/lib/harness.mjs';
import { newId, newPhone } from '../integration/lib/people.mjs';
import { VILLAGE, fillForm, launch, openSignup, shot, storedCodes } from './lib/browser.mjs';

let stack, browser;
before(async () => {
    stack = await startStack('browser-offline');
    browser = await launch();
});
after(async () => {
    await browser?.close();
    await stack?.close();
});

test('network cut on the first send: waits, retries by itself, lands exactly once', async () => {
    const page = await openSignup(browser.context, stack.server.url);
    let mode = 'cut';
    const keys = [];
    await page.route('**/api/registrations', async (route) => {
        keys.push(await route.request().headerValue('idempotency-key'));
        if (mode === 'cut') return route.abort('internetdisconnected');
        if (mode === 'lose-answer') {
            mode = 'pass';
            await route.fetch(); // the server stores it ...
            return route.abort('connectionreset'); // ... but the phone never hears back
        }
        return route.continue();
    });
    await fillForm(page, { name: '覃丽华', id_number: newId(), phone: newPhone() });
    await page.click('#submit');

    await page.locator('#waiting-title', { hasText: '网络不好' }).waitFor();
    assert.ok(await page.isVisible('#retry-now'));
    assert.match(await page.textContent('#waiting-next'), /秒后自动重试/);
    await shot(page, '11-waiting');
    assert.deepEqual(await storedCodes(stack.redis), []);

    // Closing or reloading the page loses nothing: it picks the waiting sign-up up again.
    await page.reload();
    await page.locator('#waiting-title', { hasText: '网络不好' }).waitFor();
    assert.ok(keys.length >= 2);

    mode = 'lose-answer';
    await page.waitForSelector('#done-code', { state: 'visible', timeout: 60000 });
    const code = (await page.textContent('#done-code')).replace(/\s+/g, '');
    assert.equal(mode, 'pass', 'one try was stored with its answer lost');
    assert.deepEqual(await storedCodes(stack.redis), [code], 'exactly one sign-up, and it is the one shown');
    assert.ok(keys.length >= 4, `tries: ${keys.length}`);
    assert.equal(new Set(keys).size, 1, `every try carries the same Idempotency-Key: ${keys}`);
    assert.match(keys[0], /^[A-Za-z0-9_-]{8,64}$/);

    // The form and the queue are gone from the phone; a new form gets a new key.
    const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('sg.draft') || k === 'sg.outbox'));
    assert.deepEqual(kept, [], 'the sent form and its queue entry are cleared');
    await page.click('#another');
    const draft = await until(() => page.evaluate((k) => JSON.parse(localStorage.getItem(k) || 'null'), `sg.draft.${VILLAGE}`), 3000);
    assert.ok(draft && draft.key !== keys[0], 'a new form, a new key');
    await page.close();
});

test('the form survives a reload while typing', async () => {
    const page = await openSignup(browser.context, stack.server.url);
    const id = newId();
    await fillForm(page, { name: '陆建国', id_number: id, phone: newPhone() }, [{ name: '蒙海燕', id_number: newId() }]);
    await page.waitForTimeout(500); // the draft is written 300 ms after the last keystroke
    await page.reload();
    await page.waitForFunction(() => document.querySelector('#f-city').value === '4419');
    assert.equal(await page.inputValue('#f-name'), '陆建国');
    assert.equal(await page.inputValue('#f-id'), id);
    assert.equal(await page.inputValue('[name="companions[0].name"]'), '蒙海燕');
    assert.ok(await page.isChecked('[name="mode"][value="bus"]'));
    await page.close();
});
