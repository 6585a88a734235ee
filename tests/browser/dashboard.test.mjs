// SPDX-License-Identifier: MIT
// The dashboard (概况) on a phone (360×740) and a laptop (1366×768), with sign-ups to 5
// provinces and 45 departure days: the charts are ECharts' (served by the project, on
// staff pages only), every label whole inside its chart and none overlapping another (by
// their bounding boxes), the date chart a readable height with values on its columns; a
// township's villages are links; number headers align with their numbers; the wide table
// says it scrolls on a phone; the next-report line and the posters are there.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../integration/lib/harness.mjs';
import { signup } from '../integration/lib/people.mjs';
import { addUser, villagesUnder } from '../integration/lib/staff.mjs';
import { SIZES, assertNoSideways, launch, openSized, overlaps, shot, staffLogin } from './lib/browser.mjs';

const CITIES = ['4501', '4419', '4403', '3301', '3205', '4401', '4502'];
let stack, browser;
before(async () => {
    stack = await startStack('browser-dashboard');
    addUser(stack.server, 'org', 'organiser', '45');
    addUser(stack.server, 'town', 'township', '450102001');
    const villages = villagesUnder('450102001', 3);
    const sends = [];
    for (let i = 0; i < 90; i++) {
        const day = new Date(Date.UTC(2027, 0, 12 + (i % 45))).toISOString().slice(0, 10);
        sends.push(stack.server.post('/api/registrations', signup({ village: villages[i % 3], dest_city: CITIES[i % CITIES.length], depart_date: day, low_income: i % 9 === 0 })));
        if (sends.length === 10) (await Promise.all(sends.splice(0))).forEach((r) => assert.equal(r.status, 201, r.text));
    }
    (await Promise.all(sends)).forEach((r) => assert.equal(r.status, 201, r.text));
    browser = await launch();
});
after(async () => {
    await browser?.close();
    await stack?.close();
});

/** Every label of a chart: inside the chart's box, and none over another. */
async function checkLabels(page, which) {
    const box = page.locator(`.chart-${which}`).first();
    const texts = box.locator('svg text');
    assert.ok((await texts.count()) > 3, `${which}: labels drawn`);
    assert.deepEqual(await overlaps(texts), [], `${which}: labels overlap`);
    const outside = await box.evaluate((el) => {
        const b = el.getBoundingClientRect();
        return [...el.querySelectorAll('svg text')].filter((t) => {
            const r = t.getBoundingClientRect();
            return r.width > 0 && (r.left < b.left - 1 || r.right > b.right + 1 || r.top < b.top - 1 || r.bottom > b.bottom + 1);
        }).map((t) => t.textContent);
    });
    assert.deepEqual(outside, [], `${which}: labels cut at the chart's edge`);
    return texts.allTextContents();
}

for (const size of SIZES) {
    test(`the region's dashboard on a ${size.name}: charts that read at a glance`, async () => {
        const page = await openSized(browser.context, size);
        const scripts = [];
        page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
        await staffLogin(page, stack.server.url, 'org');
        await page.locator('.stat.big .stat-value', { hasText: '90' }).waitFor();
        await page.waitForFunction(() => document.querySelectorAll('.chart[data-drawn] svg').length === 3);
        assert.ok(scripts.includes('/vendor/echarts/echarts.min.js'), 'ECharts served by the project');
        assert.ok(scripts.every((p) => !/^https?:/.test(p)));
        const provinces = await checkLabels(page, 'bars');
        assert.ok(provinces.includes('广西壮族自治区'), `the whole name: ${provinces}`);
        assert.ok(provinces.some((t) => /^\d[\d,]*人$/.test(t)), 'each bar says its value');
        const dates = await checkLabels(page, 'columns');
        assert.ok(dates.filter((t) => /^\d+月\d+日$/.test(t)).length >= 4, `date labels: ${dates}`);
        assert.ok(dates.filter((t) => /^\d+$/.test(t)).length > 3, 'values on more than the tallest column');
        const h = await page.locator('.chart-columns').evaluate((e) => e.getBoundingClientRect().height);
        assert.ok(h <= 300, `the date chart is ${h} px tall`);
        const fontPx = await page.locator('.chart-columns svg text').first().evaluate((t) => parseFloat(getComputedStyle(t).fontSize));
        assert.ok(fontPx <= 14, `chart text ${fontPx} px`);
        // numbers right-aligned under right-aligned headers
        const align = await page.$$eval('table.children th', (ths) => ths.map((th) => getComputedStyle(th).textAlign));
        assert.deepEqual(align.slice(1, 9), Array(8).fill('right'));
        // the notice's groups to watch: 脱贫, 大龄 and 低收入 (10 of the 90 marked)
        assert.equal(await page.locator('.stat', { hasText: '低收入人口' }).locator('.stat-value').textContent(), '10');
        await page.locator('.due-box .due').waitFor({ timeout: 5000 });
        assert.doesNotMatch(await page.textContent('.due-box'), /未报送/, 'the region receives reports, it does not file');
        await page.locator('.posters select').waitFor();
        await assertNoSideways(page, 'dashboard');
        if (size.name === 'phone') {
            const hint = await page.locator('.scroll.wide').first().evaluate((e) => getComputedStyle(e, '::before').content);
            assert.match(hint, /左右滑动/, 'the wide table says it scrolls');
        }
        await shot(page, `dashboard-${size.name}-region`);
        if (size.name === 'laptop') {
            // a chart drawn while its box had no width (laid out late, or hidden) draws again
            // once it has one: whole bars and labels, not a cut strip
            // hidden for a rendered frame or two (a box hidden and shown again within one frame
            // never changed size, and rightly draws nothing again; a loaded machine made that race)
            await page.evaluate(() => new Promise((done) => {
                document.querySelector('.charts').style.display = 'none';
                dispatchEvent(new Event('resize'));
                requestAnimationFrame(() => requestAnimationFrame(() => done()));
            }));
            const before = await page.locator('.chart-bars').first().getAttribute('data-drawn');
            await page.evaluate(() => { document.querySelector('.charts').style.display = ''; });
            await page.waitForFunction((b) => document.querySelector('.chart-bars').dataset.drawn !== b, before);
            const again = await checkLabels(page, 'bars');
            assert.ok(again.includes('广西壮族自治区'), `drawn again whole: ${again}`);
            const widest = await page.locator('.chart-bars svg path').evaluateAll((ps) => Math.max(...ps.map((p) => p.getBoundingClientRect().width)));
            assert.ok(widest > 100, `the longest bar is ${widest} px wide`);
        }
        assert.deepEqual(page.problems, []);
        await page.close();
    });
}

test('a township\'s villages are links to their own figures; the posters of the township', async () => {
    const page = await openSized(browser.context, SIZES[0]);
    await staffLogin(page, stack.server.url, 'town');
    const link = page.locator('table.children a.row-link').first();
    await link.waitFor();
    assert.ok((await link.boundingBox()).height >= 44, 'a finger-sized link on a phone');
    const name = await link.textContent();
    await link.click();
    await page.locator('h1', { hasText: `${name} · 报名概况` }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.chart[data-drawn] svg').length === 3);
    await checkLabels(page, 'columns');
    assert.equal(await page.locator('.poster-links a').count(), 2);
    assert.match(await page.locator('.poster-links a').first().getAttribute('href'), /^\/api\/posters\.pdf\?scope=450102001$/);
    await shot(page, 'dashboard-phone-village');
    await page.close();
});

for (const size of SIZES) {
    test(`the audit log on a ${size.name}: every action and detail in words; 44 px targets`, async () => {
        addUser(stack.server, `admin-${size.name}`, 'admin', '45');
        const page = await openSized(browser.context, size);
        await staffLogin(page, stack.server.url, `admin-${size.name}`);
        const logout = await page.getByRole('button', { name: '退出登录' }).boundingBox();
        assert.ok(logout.height >= 44 && logout.width >= 44, `退出登录 is ${logout.width}×${logout.height}`);
        await page.locator('#tabs').getByRole('link', { name: '操作记录' }).click();
        const rows = page.locator('table.audit tbody tr');
        await rows.first().waitFor();
        const cells = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
        for (const [, user, action, , address, detail] of cells) {
            assert.match(action, /^\p{Script=Han}/u, `action ${action}`);
            assert.doesNotMatch(`${action} ${detail}`, /\b(login|manifest|registrations|yuan|rows=|campaign=)\b/, `raw words: ${action} ${detail}`);
            assert.doesNotMatch(user + address, /^cli:|local$/, 'the command line named in words');
        }
        assert.ok(cells.some(([, , a, , , d]) => a === '新增账号' && d === '管理员'), JSON.stringify(cells.slice(0, 3)));
        await assertNoSideways(page, 'audit');
        await shot(page, `audit-${size.name}`);
        if (size.name === 'phone') {
            await page.locator('#tabs').getByRole('link', { name: '报名名单' }).click();
            const code = page.locator('table.list tbody td a').first();
            await code.waitFor();
            assert.ok((await code.boundingBox()).height >= 44, 'a code link a finger can hit');
            await assertNoSideways(page, 'list');
            await shot(page, 'list-phone');
        }
        await page.close();
    });
}
