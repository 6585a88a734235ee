// SPDX-License-Identifier: MIT
// Face-to-face entry (当面登记) as township and county staff use it, on a phone (360×740)
// and a laptop (1366×768): the village chosen by name (a township's villages to tap, a
// county's found by typing part of a name), staff's own words next to the field when it
// is missing, a ticked consent box no longer red, the submit button above the fold on the
// laptop, and after 提交登记 the success card with the code in the viewport (the page used
// to stay scrolled down on a blank form); a companion's 脱贫人口 must be chosen.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../integration/lib/harness.mjs';
import { newId } from '../integration/lib/people.mjs';
import { addUser } from '../integration/lib/staff.mjs';
import { SIZES, assertNoSideways, inViewport, launch, openSized, shot, staffLogin } from './lib/browser.mjs';

let stack, browser;
before(async () => {
    stack = await startStack('browser-entry');
    addUser(stack.server, 'town', 'township', '450102001');
    addUser(stack.server, 'county', 'county', '450102');
    browser = await launch();
});
after(async () => {
    await browser?.close();
    await stack?.close();
});

async function fillPerson(form, name) {
    await form.locator('input[name="name"]').fill(name);
    await form.locator('input[name="id_number"]').fill(newId());
    await form.locator('select[name="poverty"]').selectOption('none');
    await form.locator('select[name="dest_province"]').selectOption('44');
    await form.locator('select[name="dest_city"]').selectOption('4419');
    await form.locator('input[name="depart_date"]').fill('2027-02-03');
}

for (const size of SIZES) {
    test(`township staff on a ${size.name}: the village by name, the code in view after 提交登记`, async () => {
        const page = await openSized(browser.context, size);
        await staffLogin(page, stack.server.url, 'town', undefined, '#/entry');
        await page.getByRole('heading', { name: '当面登记' }).waitFor();
        // jobs and pushes are the county's and above: no 岗位 tab for a township
        assert.ok(await page.locator('#tab-jobs').isHidden(), 'no 岗位 tab for a township');
        const form = page.locator('form.regform');
        await form.waitFor();
        // nothing chosen yet: staff words next to the village field, nothing sent
        await fillPerson(form, '韦小宝');
        await form.locator('input[name="consent"]').check();
        await page.getByRole('button', { name: '提交登记' }).click();
        const village = page.locator('[data-field="village"]');
        assert.match(await village.locator('.error').textContent(), /请先选择村/);
        assert.doesNotMatch(await page.textContent('main'), /扫描本村的二维码/, 'no worker wording for staff');
        await shot(page, `entry-${size.name}-village-missing`);
        // a township's villages are listed by name: tap one
        await village.getByRole('option', { name: /官桥村委会/ }).click();
        assert.match(await village.locator('.chosen').textContent(), /官桥村委会/);
        assert.equal(await village.locator('.error').textContent(), '', 'the mark went with the choice');
        // a companion whose 脱贫人口 is not chosen: asked for, not sent as 否
        await page.getByRole('button', { name: '＋ 添加同行人' }).click();
        await form.locator('input[name="companions[0].name"]').fill('黄秀英');
        await form.locator('input[name="companions[0].id_number"]').fill(newId());
        await page.getByRole('button', { name: '提交登记' }).click();
        assert.equal(await form.locator('[data-field="companions[0].poverty"] .error').textContent(), '请选择是不是脱贫人口');
        await form.locator('select[name="companions[0].poverty"]').selectOption('alleviated');
        assert.equal(await form.locator('[data-field="companions[0].poverty"] .error').textContent(), '', 'unmarked once chosen');
        // 低收入人口: the village knows it; ticked for the companion
        await form.locator('input[name="companions[0].low_income"]').check();
        if (size.name === 'laptop') {
            // two columns: the submit button is reached without scrolling from the top
            await page.evaluate(() => window.scrollTo(0, 0));
            assert.ok(await inViewport(page.getByRole('button', { name: '提交登记' })), 'submit above the fold');
        }
        await assertNoSideways(page, 'entry form');
        await shot(page, `entry-${size.name}-filled`);
        const [res] = await Promise.all([
            page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/registrations'),
            page.getByRole('button', { name: '提交登记' }).click(),
        ]);
        assert.equal(res.status(), 201, await res.text());
        const { code } = await res.json();
        const card = page.locator('.card.success.entered');
        await card.waitFor();
        assert.ok(await inViewport(card.locator('.code-big')), 'the code is on the screen');
        assert.equal((await card.locator('.code-big').textContent()).replace(/\s/g, ''), code);
        assert.match(await card.textContent(), /韦小宝、黄秀英/);
        const stored = await page.evaluate(async (c) => (await fetch(`/api/registrations/${c}`)).json(), code);
        assert.equal(stored.village.code, '450102001201');
        assert.deepEqual(stored.people.map((p) => p.poverty), ['none', 'alleviated']);
        assert.deepEqual(stored.people.map((p) => p.low_income), [false, true]);
        // the next entry keeps the village
        assert.match(await village.locator('.chosen').textContent(), /官桥村委会/);
        await shot(page, `entry-${size.name}-done`, { fullPage: false });
        assert.deepEqual(page.problems, []);
        await page.close();
    });
}

test('county staff type part of a name; the consent mark goes once ticked', async () => {
    const page = await openSized(browser.context, SIZES[0]);
    await staffLogin(page, stack.server.url, 'county', undefined, '#/entry');
    const village = page.locator('[data-field="village"]');
    await village.locator('input[type=search]').fill('官桥');
    const pick = village.getByRole('option', { name: /官桥村委会/ });
    await pick.waitFor();
    assert.match(await pick.textContent(), /民生街道/, 'the township says which 官桥');
    await shot(page, 'entry-phone-county-search');
    await pick.click();
    const form = page.locator('form.regform');
    await fillPerson(form, '韦小宝');
    await page.getByRole('button', { name: '提交登记' }).click();
    const consent = form.locator('[data-field="consent"]');
    assert.ok(await consent.evaluate((e) => e.classList.contains('bad')));
    await form.locator('input[name="consent"]').check();
    assert.ok(!(await consent.evaluate((e) => e.classList.contains('bad'))), 'not red once ticked');
    await village.locator('input[type=search]').count();
    await page.close();
});

test('a township enters its villages\' return figures in one table, added up as typed', async () => {
    const page = await openSized(browser.context, SIZES[1]);
    await staffLogin(page, stack.server.url, 'town', undefined, '#/returns');
    const table = page.locator('table.bulk-table');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    assert.ok((await rows.count()) >= 10, 'all the township\'s villages');
    const fillRow = async (i, a, b, c) => {
        const r = rows.nth(i);
        await r.locator('input[name=outbound]').fill(String(a));
        await r.locator('input[name=returned]').fill(String(b));
        await r.locator('input[name=not_returned]').fill(String(c));
        return r;
    };
    const good = await fillRow(0, 120, 100, 20);
    const bad = await fillRow(1, 80, 50, 20);
    assert.match(await good.locator('.row-state').textContent(), /✓/);
    assert.match(await bad.locator('.row-state').textContent(), /返乡\+未返乡≠外出/);
    assert.ok(await bad.evaluate((tr) => tr.classList.contains('row-warn')));
    await page.getByRole('button', { name: '保存改动的村' }).click();
    const said = page.locator('.bulk .notice.refused');
    await said.waitFor();
    assert.match(await said.textContent(), /保存了 2 个村，其中 1 个村数字对不上/);
    await page.locator('table.grid:not(.bulk-table) tbody tr').nth(1).waitFor();
    assert.match(await page.textContent('main'), /合计：外出 200 人，返乡 150 人，未返乡 40 人（2个村已填报）/);
    await assertNoSideways(page, 'returns');
    await shot(page, 'returns-laptop-township');
    await page.setViewportSize({ width: 360, height: 740 });
    await assertNoSideways(page, 'returns (phone)');
    // on a phone the three numbers of a village fit beside its name: no sideways scrolling to type
    const fits = await page.locator('table.bulk-table').evaluate((t) => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 1);
    assert.ok(fits, 'the villages\' table fits a phone');
    assert.ok(await bad.evaluate((tr) => getComputedStyle(tr.cells[1]).backgroundColor !== 'rgba(0, 0, 0, 0)'), 'a row that does not add up is coloured');
    await shot(page, 'returns-phone-township');
    await page.close();
});
