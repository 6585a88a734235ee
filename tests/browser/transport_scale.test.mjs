// SPDX-License-Identifier: MIT
// Issue 12's screens in a browser: the matching preview as a city × date table with the
// people left over and what to do about them (a county with many destinations and
// dates); the vehicle list of 60-odd vehicles with its filters, search and pages; the
// village's call-back loop (拨打 reveals the number, 已通知 is kept) on a phone; and the
// worker's trip card, all of it above the fold of a 360×740 phone, through 已上车 (no
// cancel any more). Screenshots: $SONGGONG_TEST_OUT/screens/scale-*.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startStack } from '../integration/lib/harness.mjs';
import { companion, signup } from '../integration/lib/people.mjs';
import { villagesUnder } from '../integration/lib/staff.mjs';
import { PASSWORD, addUser, busPlan, login } from '../integration/lib/transport.mjs';
import { SCREEN_DIR, launch, openPage, shot } from './lib/browser.mjs';

const COUNTY = '450126'; // 宾阳县
const TOWNSHIPS = ['450126101', '450126102', '450126103', '450126115']; // 黎塘镇, 甘棠镇, 思陇镇, 陈平镇
const VILLAGES = TOWNSHIPS.map((t) => villagesUnder(t, 2));
const CITIES = ['4419', '4403', '4401', '4406'];
const LIULV = '450126102202';

let stack, srv, org, browser, page;
const ignorable = (e) => /Failed to load resource|40[0-9]|422/.test(e);

async function signUp(over, people = 1) {
    const body = signup({ flex_days: 0, companions: Array.from({ length: people - 1 }, () => companion()), ...over });
    const r = await srv.post('/api/registrations', body);
    assert.equal(r.status, 201, r.text);
    return { code: r.json.code, body, phone4: body.phone.slice(7) };
}

async function logIn(p, user) {
    await p.getByLabel('用户名').fill(user);
    await p.getByLabel('密码').fill(PASSWORD);
    await p.getByRole('button', { name: '登录' }).click();
}

before(async () => {
    stack = await startStack('browser-scale');
    srv = stack.server;
    addUser(srv, 'diaodu-by', 'organiser', COUNTY);
    addUser(srv, 'cun-liulv', 'village', LIULV);
    org = await login(srv, 'diaodu-by');
    // a county's departures: 4 townships × 4 cities × 3 days, 1-14 people each (some groups of 2)
    let k = 0;
    for (const [t, vs] of VILLAGES.entries())
        for (const [ci, city] of CITIES.entries())
            for (const day of ['2027-02-08', '2027-02-09', '2027-02-10']) {
                const n = 1 + ((t * 7 + ci * 5 + Number(day.slice(-2)) * 3) % 14);
                for (let i = 0; i < n; i++) await signUp({ village: vs[k++ % 2], dest_city: city, depart_date: day, mode: i % 9 === 8 ? 'train' : 'any' }, i % 6 === 5 ? 2 : 1);
            }
    browser = await launch();
    page = await openPage(browser.context);
    page.on('dialog', (d) => d.accept());
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${srv.url}/staff/#/matching`);
    await logIn(page, 'diaodu-by');
});
after(async () => {
    await browser?.close();
    await stack?.close();
});

test('the preview: a city × date table the county fits in, and the people left with what to do', async () => {
    await page.getByRole('button', { name: '预览编排' }).waitFor();
    await page.getByLabel('上车片区').selectOption('county');
    await page.getByRole('button', { name: '预览编排' }).click();
    await page.getByText('按目的地和日期').waitFor();
    const api = (await org.post('/api/match', { campaign: '2027-spring', scope: COUNTY, area: 'county' })).json;
    const rows = page.locator('table.plan-table tbody tr:not(.subtotal)');
    assert.equal(await rows.count(), api.plan.length, 'one row per city and date');
    for (const [i, r] of api.plan.entries()) {
        const cells = await rows.nth(i).locator('td').allTextContents();
        assert.equal(cells[2], r.people.toLocaleString('zh-CN'), `people of ${r.dest_city} ${r.depart_date}`);
        assert.equal(cells[3], r.vehicles.bus ? String(r.vehicles.bus) : '');
        assert.equal(cells[7], `${Math.round(r.load)}%`);
    }
    assert.ok(api.plan.length >= 8 && api.plan.every((r) => r.people >= 25), JSON.stringify(api.plan.map((r) => r.people)));
    assert.equal(await page.locator('table.plan-table tr.subtotal').count() > 0, true, 'a subtotal per city');
    // the train riders are too few for a train: listed with what to do
    const left = page.locator('.unplaced.below_minimum');
    assert.match(await left.locator('h3').textContent(), new RegExp(`人数凑不够一辆车：${api.people_unplaced} 人`));
    assert.match(await left.textContent(), /为他们购买普通车票/);
    const code = api.unplaced[0].codes[0];
    assert.equal(await left.locator(`a[href="#/registration/${code}"]`).count(), 1, 'each code opens the registration');
    const h = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(h < 3000, `the preview is ${h} px tall, not a 20,000 px list`);
    await shot(page, 'scale-01-preview');
    await page.setViewportSize({ width: 360, height: 740 });
    await shot(page, 'scale-01p-preview-phone');
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole('button', { name: '确认编排' }).click();
    await page.getByText('编排已确认').waitFor();
    assert.match(await page.textContent('#view'), /安排不了的人/);
    await shot(page, 'scale-02-accepted');
    assert.deepEqual(page.problems.filter((e) => !ignorable(e)), []);
});

test('the vehicle list: filters, search by number, pages', async () => {
    // more vehicles planned by hand: 4 days × 3 cities × 4 numbers
    let n = 0;
    for (const day of ['2027-02-14', '2027-02-15', '2027-02-16', '2027-02-17'])
        for (const city of ['4419', '4403', '4401'])
            for (let i = 0; i < 4; i++) {
                const r = await org.post('/api/vehicles', busPlan({ scope: COUNTY, dest_city: city, depart_date: day, number: `桂A7${String(++n).padStart(4, '0')}`, type: i === 3 ? 'train' : 'bus', capacity: i === 3 ? 600 : 50, carriage_size: i === 3 ? 100 : undefined, drivers: i === 3 ? [] : ['李建国'] }));
                assert.equal(r.status, 201, r.text);
            }
    const all = (await org.get(`/api/vehicles?scope=${COUNTY}&campaign=2027-spring`)).json;
    assert.ok(all.total > 50, `${all.total} vehicles: more than a page`);
    await page.goto(`${srv.url}/staff/#/vehicles`);
    await page.locator('table.vehicles tbody tr').nth(49).waitFor();
    assert.equal(await page.locator('table.vehicles tbody tr').count(), 50);
    assert.match(await page.textContent('.pager'), new RegExp(`第 1 / ${Math.ceil(all.total / 50)} 页`));
    await shot(page, 'scale-03-vehicles-page1');
    await page.getByRole('link', { name: '下一页 ›' }).click();
    await page.waitForFunction((want) => document.querySelectorAll('table.vehicles tbody tr').length === want, all.total - 50);
    // filters: a date, a destination, a type
    const filters = page.locator('form.vehicle-filters');
    await filters.getByLabel('出发日期').selectOption('2027-02-15');
    await filters.getByLabel('目的地').selectOption({ label: '深圳市' });
    await filters.getByLabel('类型').selectOption('bus');
    await filters.getByRole('button', { name: '查找' }).click();
    await page.waitForFunction(() => document.querySelectorAll('table.vehicles tbody tr').length === 3);
    for (const row of await page.locator('table.vehicles tbody tr').allTextContents()) assert.match(row, /深圳市.*2月15日/);
    assert.match(await page.textContent('.found'), /符合条件的 3 辆/);
    await shot(page, 'scale-04-vehicles-filtered');
    // search by number, and the plans still to complete (the vehicles matching made)
    await page.goto(`${srv.url}/staff/#/vehicles?q=A70007`);
    await page.waitForFunction(() => document.querySelectorAll('table.vehicles tbody tr').length === 1);
    assert.match(await page.textContent('table.vehicles tbody'), /桂A70007/);
    await page.goto(`${srv.url}/staff/#/vehicles?incomplete=1`);
    await page.waitForFunction(() => document.querySelector('form.vehicle-filters [name=incomplete]')?.checked);
    const todo = await page.locator('table.vehicles tbody tr').count();
    assert.equal(await page.locator('table.vehicles .plan-todo').count(), todo, 'every one needs its plan');
    await page.setViewportSize({ width: 360, height: 740 });
    await shot(page, 'scale-04p-vehicles-phone');
    await page.setViewportSize({ width: 1366, height: 768 });
    assert.deepEqual(page.problems.filter((e) => !ignorable(e)), []);
});

test('批量填写: a convoy\'s shared fields go to every vehicle ticked at once; a vehicle that refuses is named with its reason', async () => {
    // a convoy of 4 buses to 惠州 on 2027-02-24, their time not set yet; the 4th boards at 09:00
    const ids = [];
    for (let i = 0; i < 4; i++) {
        const r = await org.post('/api/vehicles', busPlan({ scope: COUNTY, dest_city: '4413', depart_date: '2027-02-24', depart_time: '', arrive_time: '', number: `桂B1000${i}`, stops: [{ name: '宾州镇汽车站', time: i === 3 ? '09:00' : '07:00' }] }));
        assert.equal(r.status, 201, r.text);
        ids.push(r.json.id);
    }
    await page.goto(`${srv.url}/staff/#/vehicles?date=2027-02-24&dest_city=4413`);
    await page.waitForFunction(() => document.querySelectorAll('table.vehicles tbody tr').length === 4);
    await page.getByLabel('选中本页计划中的车辆').check();
    await page.getByText('批量填写方案（同一车队的车）').click();
    const bulk = page.locator('form.bulk');
    assert.equal(await bulk.locator('.bulk-count').textContent(), '已选 4 辆');
    await bulk.getByLabel('发车时间').fill('08:00');
    await bulk.getByLabel('车队', { exact: true }).fill('宾阳—惠州第1车队');
    await bulk.getByLabel('车队长及电话').fill('李国强 13900002222');
    await bulk.getByLabel('到达交接：接收单位对接人及电话').fill('惠州某电子厂人事部 王芳 0752-1234567');
    await shot(page, 'scale-04b-bulk-form');
    await bulk.getByRole('button', { name: '填写到选中的车辆' }).click(); // (the confirmation is accepted)
    await bulk.getByText('已填写 3 辆，1 辆没有改动：').waitFor();
    const failed = await bulk.locator('.bulk-failed').textContent();
    assert.match(failed, /桂B10003：上车点时间应按先后顺序/, failed);
    await shot(page, 'scale-04c-bulk-done');
    for (const [i, id] of ids.entries()) {
        const v = (await org.get(`/api/vehicles/${id}`)).json;
        const want = i === 3 ? ['', '', '', ''] : ['08:00', '宾阳—惠州第1车队', '李国强 13900002222', '惠州某电子厂人事部 王芳 0752-1234567'];
        assert.deepEqual([v.depart_time, v.convoy, v.convoy_leader, v.handover], want, `vehicle ${i}: a refused vehicle keeps all it had`);
        assert.deepEqual([v.number, v.stops[0].name], [`桂B1000${i}`, '宾州镇汽车站'], 'what was not filled in stays');
    }
    // on a phone: the boxes and the form fit the screen
    await page.setViewportSize({ width: 360, height: 740 });
    await page.getByRole('button', { name: '刷新列表' }).click();
    await page.waitForFunction(() => document.querySelectorAll('table.vehicles tbody tr').length === 4);
    await page.getByText('批量填写方案（同一车队的车）').click();
    const form = await page.locator('form.bulk').boundingBox();
    assert.ok(form.x + form.width <= 360, `the form fits a phone: ${JSON.stringify(form)}`);
    await shot(page, 'scale-04d-bulk-phone');
    await page.setViewportSize({ width: 1366, height: 768 });
    assert.deepEqual(page.problems.filter((e) => !ignorable(e)), []);
});

let worker; // {code, body, phone4} of a 六律 worker on a bus
test('the village calls its people on a phone: 拨打 reveals the number, 已通知 is kept, 待通知 lists who is left', async () => {
    worker = await signUp({ village: LIULV, name: '黄秀英', dest_city: '4413', depart_date: '2027-02-20', companions: [companion({ name: '韦大明' })] });
    const bus = (await org.post('/api/vehicles', busPlan({ scope: COUNTY, dest_city: '4413', depart_date: '2027-02-20', depart_time: '08:30', number: '桂A55555', stops: [{ name: '六律村委会门口', time: '07:15', serves: LIULV }] }))).json;
    assert.equal((await org.post(`/api/vehicles/${bus.id}/passengers`, { code: worker.code })).status, 200);
    const b = await launch();
    try {
        const p = await openPage(b.context);
        await p.goto(`${srv.url}/staff/#/registrations?status=untold`);
        await logIn(p, 'cun-liulv');
        const row = p.locator('table.list tbody tr', { hasText: worker.code });
        await row.waitFor();
        assert.match(await row.textContent(), /专车 桂A55555 · 2月20日 08:30/);
        assert.match(await row.textContent(), /上车：六律村委会门口 07:15/);
        assert.match(await row.textContent(), /座位 1号、2号/);
        const button = await row.getByRole('button', { name: '拨打' }).boundingBox();
        assert.ok(button.x + button.width <= 360, `拨打 on the screen, not behind a sideways scroll: ${JSON.stringify(button)}`);
        await shot(p, 'scale-05-village-untold');
        await row.getByRole('button', { name: '拨打' }).click();
        await row.locator(`a[href="tel:${worker.body.phone}"]`).waitFor();
        await row.getByLabel('已通知').check();
        await p.waitForFunction(() => !document.querySelector('.told input').disabled);
        await p.reload(); // the same list again: the one told is gone from it
        await p.getByText('共 0 份报名').waitFor();
        const d = (await (await p.request.get(`${srv.url}/api/registrations/${worker.code}`)).json()).assignment;
        assert.equal(d.notified, true);
        assert.equal(d.notified_by, 'cun-liulv');
        // a seat whose time and stop matching left to the organiser: nothing to tick yet
        const early = await signUp({ village: LIULV, name: '蒙桂兰', dest_city: '4413', depart_date: '2027-02-22' });
        const proposed = (await org.post('/api/vehicles', busPlan({ scope: COUNTY, dest_city: '4413', depart_date: '2027-02-22', depart_time: '', number: '', stops: [{ name: '甘棠镇（上车点待定）', time: '', serves: LIULV.slice(0, 9) }] }))).json;
        assert.equal((await org.post(`/api/vehicles/${proposed.id}/passengers`, { code: early.code })).status, 200);
        await p.reload();
        const wait = p.locator('table.list tbody tr', { hasText: early.code });
        await wait.waitFor();
        assert.match(await wait.textContent(), /时间待定，定好再通知/);
        assert.equal(await wait.getByLabel('已通知').count(), 0, 'no tick while the time and stop are not set');
        const note = await wait.locator('.told-wait').boundingBox();
        assert.ok(note.x + note.width <= 360, `the note on the screen: ${JSON.stringify(note)}`);
        await shot(p, 'scale-05b-village-time-not-set');
        assert.deepEqual(p.problems.filter((e) => !ignorable(e)), []);
    } finally {
        await b.close();
    }
});

test('the worker\'s trip card: above the fold on a 360×740 phone, then 已上车 and no cancel', async () => {
    const b = await launch();
    try {
        const p = await openPage(b.context); // 360×740
        await p.goto(`${srv.url}/status?code=${worker.code}`);
        await p.fill('#f-phone4', worker.phone4);
        await p.click('#lookup-go');
        const card = p.locator('#r-trip');
        await card.waitFor();
        await p.waitForFunction(() => document.querySelector('#r-trip img.checkin-qr')?.naturalWidth > 0);
        const text = await card.textContent();
        for (const want of ['专车 桂A55555', '已安排', '2月20日 08:30', '六律村委会门口 07:15', '黄秀英 1号', '韦大明 2号', '黄志强', '13912345678'])
            assert.ok(text.includes(want), `${want} in: ${text}`);
        const box = await card.boundingBox();
        assert.ok(box.y >= 0 && box.y + box.height <= 740, `the card is at ${box.y}..${box.y + box.height}, the fold at 740`);
        const qr = await card.locator('img.checkin-qr').boundingBox();
        assert.ok(qr.y + qr.height <= 740 && qr.width >= 120, `QR ${JSON.stringify(qr)}`);
        assert.equal(await card.locator('a[href="tel:13912345678"]').count(), 1);
        assert.equal(await p.locator('.trip-steps li.now').textContent(), '已安排');
        assert.equal(await p.locator('#cancel-box').isVisible(), true, 'before boarding, the worker may still cancel');
        await p.screenshot({ path: path.join(SCREEN_DIR, 'scale-06-trip-card-fold.png') }); // the first screen only
        await shot(p, 'scale-06-trip-card');
        // at the door: the escort checks the group in; the card says so and no cancel is offered
        const a = (await srv.get(`/api/registrations/${worker.code}?phone4=${worker.phone4}`)).json.assignment;
        assert.equal((await org.post(`/api/checkin/${a.checkin.token}`, {})).status, 200);
        await p.getByRole('button', { name: '查另一个报名号' }).click();
        await p.fill('#f-code', worker.code);
        await p.fill('#f-phone4', worker.phone4);
        await p.click('#lookup-go');
        await p.getByText('✓ 已签到上车').waitFor();
        assert.equal(await p.locator('.trip-steps li.now').textContent(), '已上车');
        assert.equal(await p.textContent('#r-status'), '已上车');
        assert.equal(await p.locator('#cancel-box').isVisible(), false, 'on board: nothing to cancel');
        assert.equal(await p.locator('#r-trip img.checkin-qr').count(), 0);
        await shot(p, 'scale-07-trip-boarded');
        assert.deepEqual(p.problems, []);
    } finally {
        await b.close();
    }
});
