// SPDX-License-Identifier: MIT
// The transport screens in a browser. An organiser (laptop) creates a vehicle with a full
// plan in the form (the village served by a pickup stop picked by name), previews the
// matching, accepts it, opens the print view and the PDF, moves a passenger by hand and
// opens boarding. An escort (phone, city staff of the scope) scans a worker's QR code the
// way WeChat does it: a fresh browser with no session opens the link, logs in, lands back
// on the check-in and sees it done; then checks a passenger in from the boarding view
// without a scan, sees a scan refresh the open view, and a passenger of another vehicle
// refused. Screenshots: $SONGGONG_TEST_OUT/screens/transport-*.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startStack } from '../integration/lib/harness.mjs';
import { companion, signup } from '../integration/lib/people.mjs';
import { PASSWORD, addUser } from '../integration/lib/transport.mjs';
import { SCREEN_DIR, launch, openPage, shot } from './lib/browser.mjs';

const GUANQIAO = '450102001201'; // 兴宁区 民生街道 官桥村委会: 李志强's village, served by the second stop

let stack, srv, orgBrowser, escortBrowser, org;
const groups = {}; // name of the first person -> {code, phone, names}
let vehicleId;

const ignorable = (e) => /Failed to load resource|40[0-9]|422/.test(e);

async function signUp(name, over = {}, companions = []) {
    const body = signup({ name, flex_days: 0, companions: companions.map((n) => companion({ name: n })), ...over });
    const r = await srv.post('/api/registrations', body);
    assert.equal(r.status, 201, r.text);
    groups[name] = { code: r.json.code, phone: body.phone, names: [name, ...companions] };
}

async function logIn(page, user) {
    await page.getByLabel('用户名').fill(user);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
}

before(async () => {
    stack = await startStack('browser-transport');
    srv = stack.server;
    addUser(srv, 'diaodu', 'organiser', '4501');
    addUser(srv, 'daidui', 'city', '4501');
    await signUp('黄秀英', {}, ['韦大明']);
    await signUp('李志强', { village: GUANQIAO });
    await signUp('覃丽华', { poverty: 'alleviated' });
    await signUp('陆建国');
    await signUp('蒙海燕', { dest_city: '4403', depart_date: '2027-02-12' });
    await signUp('潘文军', { dest_city: '4403', depart_date: '2027-02-12' });
    orgBrowser = await launch();
    org = await openPage(orgBrowser.context);
    org.on('dialog', (d) => d.accept());
    await org.setViewportSize({ width: 1280, height: 900 });
});

after(async () => {
    await orgBrowser?.close();
    await escortBrowser?.close();
    await stack?.close();
});

test('an organiser creates a vehicle with a full plan; the server\'s field errors show next to the fields', async () => {
    await org.goto(`${srv.url}/staff/#/vehicles`);
    await logIn(org, 'diaodu');
    await org.getByRole('link', { name: '＋ 新建车辆' }).click();
    const form = org.locator('form.planform');
    await form.waitFor();
    await form.locator('[name=type]').selectOption('bus');
    await form.locator('[name=capacity]').fill('50');
    await form.locator('[name=number]').fill('桂A12345');
    await form.locator('[name=dest_province]').selectOption('44');
    await form.locator('[name=dest_city]').selectOption('4419');
    await form.locator('[name=employer]').fill('东莞市宏达电子有限公司');
    await form.locator('[name=depart_date]').fill('2027-02-03');
    await form.locator('[name=depart_time]').fill('08:30');
    await form.locator('[name=arrive_time]').fill('18:00');
    // two stops entered in the wrong order, one stop too many, and a wrong escort phone
    for (const [i, [name, time]] of [['官桥村村委', '07:40'], ['民生街道政府门口', '07:00'], ['多余的点', '07:50']].entries()) {
        await org.getByRole('button', { name: '＋ 添加上车点' }).click();
        await form.locator(`[name="stops[${i}].name"]`).fill(name);
        await form.locator(`[name="stops[${i}].time"]`).fill(time);
    }
    // who boards at 官桥村村委: the village picked by name, county → township → village
    const pick = (i, level) => form.getByLabel(`第${i}个上车点：${level}`, { exact: true });
    await pick(1, '县（市、区）').selectOption({ label: '兴宁区' });
    await pick(1, '乡镇（街道）').selectOption({ label: '民生街道' });
    await pick(1, '村（社区）').selectOption({ label: '官桥村委会' });
    assert.equal(await pick(2, '乡镇（街道）').isDisabled(), true, 'a level opens once the one above is chosen');
    // and at 民生街道政府门口 the rest of the 街道 (a vehicle whose stops name places takes no one else)
    await pick(2, '县（市、区）').selectOption({ label: '兴宁区' });
    await pick(2, '乡镇（街道）').selectOption({ label: '民生街道' });
    await shot(org, 'transport-00-stop-picker');
    await org.getByRole('button', { name: '删除第3个' }).click();
    for (const [i, name] of ['李建国', '王大伟'].entries()) {
        await org.getByRole('button', { name: '＋ 添加司机' }).click();
        await form.locator(`[name="drivers[${i}]"]`).fill(name);
    }
    await form.locator('[name=escort_name]').fill('黄志强');
    await form.locator('[name=escort_phone]').fill('1391234567');
    await form.locator('[name=emergency]').fill('兴宁区人社局 0771-1234567');
    await form.locator('[name=notes]').fill('途中不停靠未登记站点；每站清点人数。');
    // the rest of 一车一方案: crew among the passengers, the convoy, the hand-over at arrival
    await form.getByLabel('车长（乘客）', { exact: true }).fill('韦小宝 13800001111');
    await form.getByLabel('副车长（乘客）').fill('黄秀英');
    await form.getByLabel('车队', { exact: true }).fill('兴宁—东莞第1车队');
    await form.getByLabel('车队长及电话').fill('李国强 13900002222');
    await form.getByLabel('到达交接：接收单位对接人及电话').fill('宏达电子人事部 王芳 0769-12345678');
    await org.getByRole('button', { name: '保存，建立车辆' }).click();
    await org.getByText('有 2 处需要修改').waitFor();
    assert.match(await form.locator('[data-field="escort_phone"] .error').textContent(), /手机号应为11位/);
    assert.match(await form.locator('[data-field="stops[1].time"] .error').textContent(), /按先后顺序/);
    await shot(org, 'transport-01-plan-errors');
    // fix: the first stop goes down one place, the phone gets its last digit
    await org.getByRole('button', { name: '第1个下移' }).click();
    assert.equal(await form.locator('[name="stops[0].name"]').inputValue(), '民生街道政府门口');
    await org.waitForFunction(() => document.querySelector('[aria-label="第2个上车点：村（社区）"]')?.selectedOptions[0]?.textContent === '官桥村委会');
    await form.locator('[name=escort_phone]').fill('13912345678');
    await org.getByRole('button', { name: '保存，建立车辆' }).click();
    await org.waitForURL(/#\/vehicle\/\d+$/);
    vehicleId = org.url().split('/').pop();
    await org.getByText('计划中').first().waitFor();
    const text = await org.textContent('#view');
    for (const want of ['桂A12345', '东莞市', '东莞市宏达电子有限公司', '2027-02-03 08:30', '18:00', '07:00 民生街道政府门口', '07:40 官桥村村委', '李建国、王大伟', '黄志强', '13912345678', '0771-1234567', '途中不停靠',
        '韦小宝 13800001111　黄秀英', '兴宁—东莞第1车队，车队长 李国强 13900002222', '宏达电子人事部 王芳 0769-12345678'])
        assert.ok(text.includes(want), `${want} in ${text}`);
    await org.getByText('（兴宁区 民生街道 官桥村委会 在这里上车）').waitFor();
    const saved = await (await org.request.get(`${srv.url}/api/vehicles/${vehicleId}`)).json();
    assert.deepEqual(saved.stops.map((s) => [s.name, s.serves]), [['民生街道政府门口', '450102001'], ['官桥村村委', GUANQIAO]]);
    await org.getByText('（兴宁区 民生街道 在这里上车）').waitFor();
    await shot(org, 'transport-02-vehicle-planned');
    // opened again, the form shows the place by its names
    await org.getByRole('button', { name: '修改方案' }).click();
    const again = org.locator('.edit form.planform');
    const shown = (level) => again.getByLabel(`第2个上车点：${level}`, { exact: true }).evaluate((s) => s.selectedOptions[0]?.textContent);
    await org.waitForFunction(() => document.querySelector('.edit [aria-label="第2个上车点：村（社区）"]')?.selectedOptions[0]?.textContent === '官桥村委会');
    assert.deepEqual([await shown('县（市、区）'), await shown('乡镇（街道）'), await shown('村（社区）')], ['兴宁区', '民生街道', '官桥村委会']);
    await org.waitForFunction(() => document.querySelector('.edit [aria-label="第1个上车点：乡镇（街道）"]')?.selectedOptions[0]?.textContent === '民生街道');
    assert.equal(await again.getByLabel('第1个上车点：村（社区）', { exact: true }).evaluate((s) => s.selectedOptions[0]?.textContent), '（整个民生街道）');
    await again.locator('.row').nth(1).screenshot({ path: path.join(SCREEN_DIR, 'transport-02b-stop-picker-again.png') });
    await org.setViewportSize({ width: 360, height: 740 });
    await again.locator('[data-field="stops"]').screenshot({ path: path.join(SCREEN_DIR, 'transport-02p-stops-phone.png') });
    const crew = again.locator('fieldset', { hasText: '车长、车队与到达交接' });
    assert.equal(await crew.getByLabel('到达交接：接收单位对接人及电话').inputValue(), '宏达电子人事部 王芳 0769-12345678', 'opened again with what was saved');
    const box = await crew.boundingBox();
    assert.ok(box.x + box.width <= 360, `no sideways scroll on a phone: ${JSON.stringify(box)}`);
    await crew.screenshot({ path: path.join(SCREEN_DIR, 'transport-02q-crew-phone.png') });
    await org.setViewportSize({ width: 1280, height: 900 });
    await org.reload();
});

test('matching: seats of new vehicles chosen, preview, then accept with a confirmation', async () => {
    await org.getByRole('link', { name: '编排' }).click();
    const bus = org.getByLabel('专车座位');
    assert.equal(await bus.inputValue(), '50', 'the defaults are prefilled');
    assert.equal(await org.getByLabel('专列座位').inputValue(), '1000');
    assert.equal(await org.getByLabel('每节车厢').inputValue(), '100');
    assert.equal(await org.getByLabel('专机座位').inputValue(), '150');
    await bus.fill('70');
    await org.getByRole('button', { name: '预览编排' }).click();
    await org.locator('[data-field="sizes.bus"].bad .error').waitFor();
    assert.match(await org.textContent('[data-field="sizes.bus"] .error'), /专车5-65/);
    await shot(org, 'transport-03-match-size-refused');
    await bus.fill('40');
    // the minimum loads are prefilled too: 2 people for 深圳 make no bus of at least 25 …
    assert.equal(await org.getByLabel('专车最少人数').inputValue(), '25');
    assert.equal(await org.getByLabel('专列最少人数').inputValue(), '300');
    assert.equal(await org.getByLabel('专机最少人数').inputValue(), '100');
    await org.getByRole('button', { name: '预览编排' }).click();
    await org.getByText('先坐满已有的车').waitFor();
    assert.equal(await org.locator('[data-field="sizes.bus"].bad').count(), 0);
    const left = org.locator('.unplaced.below_minimum');
    assert.match(await left.textContent(), /人数凑不够一辆车：2 人/);
    assert.match(await left.textContent(), /怎么办：手工调到同方向、有空座的车/);
    assert.match(await left.locator('tbody tr').first().textContent(), /深圳市2月12日2/);
    await shot(org, 'transport-03-match-left-over');
    // … so this organiser runs buses from 2 people, and previews again
    await org.getByLabel('专车最少人数').fill('2');
    await org.getByRole('button', { name: '预览编排' }).click();
    await org.getByText('所有人都安排上了。').waitFor();
    const text = await org.textContent('#view');
    assert.match(text, /每辆专车 40 座、每列专列 1,000 座（每节车厢 100 座）、每架专机 150 座计算；每辆新车至少 专车 2 人/);
    assert.match(text, /桂A12345：原有 0 人，新增 5 人/);
    assert.match(text, /理论最少 1 辆/);
    // the city × date table (by city code): 深圳 2月12日 a new bus (2 of 40), 东莞 2月3日 the existing bus (5 of 50)
    const plan = org.locator('table.plan-table tbody tr');
    assert.equal(await plan.count(), 2);
    assert.deepEqual(await plan.nth(0).locator('td').allTextContents(), ['深圳市', '2月12日', '2', '1', '', '', '40', '5%']);
    assert.deepEqual(await plan.nth(1).locator('td').allTextContents(), ['东莞市', '2月3日', '5', '1', '', '', '50', '10%']);
    await shot(org, 'transport-03-match-preview');
    await bus.fill('30'); // after the preview: the accept applies what was previewed (40)
    await org.getByRole('button', { name: '确认编排' }).click();
    await org.getByText('编排已确认').waitFor();
    assert.match(await org.textContent('#view'), /已安排 6 份报名，共 7 人/);
    assert.match(await org.textContent('#view'), /每辆专车 40 座/);
    const made = await org.locator('.card.success a[href^="#/vehicle/"]').first().getAttribute('href');
    const v = await org.evaluate(async (id) => (await fetch(`/api/vehicles/${id}`)).json(), made.split('/').pop());
    assert.equal(v.capacity, 40, 'the new bus has the seats chosen');
    await shot(org, 'transport-04-match-accepted');
    await org.getByRole('link', { name: '车辆', exact: true }).click();
    await org.locator('table.vehicles tbody tr').nth(1).waitFor();
    assert.equal(await org.locator('table.vehicles tbody tr').count(), 2);
    await shot(org, 'transport-05-vehicles');
});

test('the print view and the PDF manifest list every passenger', async () => {
    const names = Object.values(groups).filter((g) => g.code && !['蒙海燕', '潘文军'].includes(g.names[0])).flatMap((g) => g.names);
    const page = await openPage(orgBrowser.context);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${srv.url}/staff/manifest.html?id=${vehicleId}`);
    await page.locator('#list tbody tr').nth(names.length - 1).waitFor();
    const text = await page.textContent('main');
    for (const n of names) assert.ok(text.includes(n), n);
    assert.match(text, /合计：5 人，其中脱贫人口（含防止返贫监测对象）1 人；已签到 _+ 人/);
    assert.match(text, /带队人签字：/, 'the lines of the PDF: the escort signs the printed list too');
    assert.match(text, /车长：韦小宝 13800001111　副车长：黄秀英　｜　车队：兴宁—东莞第1车队（车队长 李国强 13900002222）/);
    assert.equal(text.split('到达交接').length - 1, 1, 'the hand-over once: at the foot, to be signed');
    assert.match(text, /到达交接（接收单位）：宏达电子人事部 王芳 0769-12345678\s*接收人签字：/);
    // each passenger's pickup: 李志强 at the stop that serves his village, the others at the first
    const stopOf = async (name) => (await page.locator('#list tbody tr', { hasText: name }).textContent());
    assert.match(await stopOf('李志强'), /官桥村村委/);
    assert.match(await stopOf('黄秀英'), /民生街道政府门口/);
    const m = await (await page.request.get(`${srv.url}/api/vehicles/${vehicleId}/manifest`)).json();
    assert.deepEqual(m.passengers.filter((p) => p.name === '李志强').map((p) => p.stop), ['官桥村村委']);
    assert.ok(m.passengers.filter((p) => p.name !== '李志强').every((p) => p.stop === '民生街道政府门口'));
    const li = groups['李志强'];
    const look = await srv.get(`/api/registrations/${li.code}?phone4=${li.phone.slice(-4)}`);
    assert.equal(look.json.assignment.pickup, '官桥村村委', 'the worker\'s status page says where to board');
    assert.equal(look.json.assignment.pickup_time, '07:40');
    await shot(page, 'transport-06-print-view');
    assert.deepEqual(page.problems, []);
    const pdf = await page.request.get(`${srv.url}/api/vehicles/${vehicleId}/manifest.pdf`);
    assert.equal(pdf.status(), 200);
    const file = path.join(SCREEN_DIR, 'transport-manifest.pdf');
    fs.writeFileSync(file, await pdf.body());
    const ppm = spawnSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', file, path.join(SCREEN_DIR, 'transport-07-manifest-pdf')], { encoding: 'utf8' });
    assert.equal(ppm.status, 0, ppm.stderr);
    const txt = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    assert.equal(txt.status, 0, txt.stderr);
    for (const n of names) assert.ok(txt.stdout.includes(n), `${n} in the PDF`);
    const flat = txt.stdout.replace(/\s+/g, ' ');
    assert.match(flat, /车长：韦小宝 13800001111 副车长：黄秀英 ｜ 车队：兴宁—东莞第1车队（车队长 李国强 13900002222）/, flat);
    assert.equal(flat.split('到达交接').length - 1, 1, 'the hand-over once in the PDF: at the foot');
    assert.match(flat, /到达交接（接收单位）：宏达电子人事部 王芳 0769-12345678 接收人签字：_+ 交接时间：/, flat);
    await page.close();
});

test('moving a passenger by hand: a refusal explained, out and back in', async () => {
    await org.goto(`${srv.url}/staff/#/vehicle/${vehicleId}`);
    // people are on it: its date cannot change under them, and the form says why
    await org.getByRole('button', { name: '修改方案' }).click();
    const form = org.locator('.edit form.planform');
    await form.locator('input[name="depart_date"]').fill('2027-02-04');
    await form.getByRole('button', { name: '保存方案' }).click();
    await org.getByText('车上已安排了人，不能改车型、目的地或日期').waitFor();
    await shot(org, 'transport-07b-date-refused');
    assert.equal((await (await org.request.get(`${srv.url}/api/vehicles/${vehicleId}`)).json()).depart_date, '2027-02-03');
    await org.reload();
    const lu = groups['陆建国'];
    const seatsOf = async () => (await srv.get(`/api/registrations/${lu.code}?phone4=${lu.phone.slice(-4)}`)).json.assignment?.seats?.map((x) => x.seat);
    const seatsBefore = await seatsOf();
    assert.ok(seatsBefore?.length >= 1, 'assigned before the move');
    const row = org.locator('table.passengers tr', { hasText: '陆建国' });
    await row.waitFor();
    // 调到… offers only the vehicles his group fits: the other one goes to 深圳, so none
    await row.locator('select').focus();
    await row.locator('select option', { hasText: '没有可调的车' }).waitFor({ state: 'attached' });
    assert.equal(await row.locator('select option').count(), 1);
    // typed in by hand on the 深圳 vehicle: the server refuses, the page says why
    const other = (await (await org.request.get(`${srv.url}/api/vehicles?scope=4501&campaign=2027-spring&dest_city=4403`)).json()).vehicles[0];
    await org.goto(`${srv.url}/staff/#/vehicle/${other.id}`);
    // (the route changes in the same page: the form to fill is the new vehicle's, once the old one is gone)
    await org.locator('table.passengers tr', { hasText: '陆建国' }).waitFor({ state: 'detached' });
    await org.getByLabel('报名号').fill(lu.code);
    await org.getByRole('button', { name: '加到这辆车' }).click();
    await org.getByText('没有调动：这辆车的目的地').waitFor();
    await shot(org, 'transport-08-move-refused');
    await org.goto(`${srv.url}/staff/#/vehicle/${vehicleId}`);
    await row.waitFor();
    await row.getByRole('button', { name: '移出' }).click();
    await org.getByText(`报名 ${lu.code} 已移出`).waitFor();
    assert.equal(await org.locator('table.passengers tr', { hasText: '陆建国' }).count(), 0);
    await org.getByLabel('报名号').fill(lu.code);
    await org.getByRole('button', { name: '加到这辆车' }).click();
    // the seats he left are free again: he gets the same ones back
    await org.getByText(new RegExp(`报名 ${lu.code} 已调到 ${vehicleId} 号车，座位 ${seatsBefore[0]}`)).waitFor();
    assert.deepEqual(await seatsOf(), seatsBefore);
    await org.locator('table.passengers tr', { hasText: '陆建国' }).waitFor();
    await org.getByRole('button', { name: '开始上车' }).click();
    await org.getByText('状态已改为：上车中').waitFor();
    await shot(org, 'transport-09-vehicle-boarding');
    // the same screens on a phone
    await org.setViewportSize({ width: 360, height: 740 });
    await shot(org, 'transport-09p-vehicle-phone');
    await org.getByRole('link', { name: '车辆', exact: true }).click();
    await org.locator('table.vehicles tbody tr').nth(1).waitFor();
    assert.equal(await org.locator('.plan-todo').count(), 1, 'the vehicle made by matching still needs its plan');
    await shot(org, 'transport-05p-vehicles-phone');
    await org.setViewportSize({ width: 1280, height: 900 });
    assert.deepEqual(org.problems.filter((e) => !ignorable(e)), []);
});

/** The check-in link in a worker's QR code on the status page, as a phone's scanner reads it. */
async function scanStatusQr(name) {
    const g = groups[name];
    const page = await openPage(orgBrowser.context); // the worker's phone: the status page is public
    await page.goto(`${srv.url}/status?code=${g.code}`);
    await page.fill('#f-phone4', g.phone.slice(-4));
    await page.click('#lookup-go');
    await page.waitForSelector('img.checkin-qr');
    const src = await page.getAttribute('img.checkin-qr', 'src');
    await page.close();
    const png = await srv.get(src.replace('.svg', '.png'));
    const file = path.join(SCREEN_DIR, `qr-${g.code}.png`);
    fs.writeFileSync(file, png.buf);
    const z = spawnSync('zbarimg', ['--raw', '--nodbus', '-q', file], { encoding: 'utf8' });
    fs.rmSync(file);
    assert.equal(z.status, 0, z.stderr);
    return z.stdout.trim();
}

test('the escort scans a QR in a browser without a session (WeChat): login, then straight back to the check-in', async () => {
    const url = await scanStatusQr('黄秀英');
    assert.match(url, new RegExp(`^${srv.url}/staff/checkin\\.html#`));
    escortBrowser = await launch(); // a fresh profile: no cookie, as in WeChat's own browser
    const page = await openPage(escortBrowser.context);
    await page.goto(url);
    await page.waitForURL((u) => u.pathname === '/staff/' && u.searchParams.get('next')?.startsWith('/staff/checkin.html#'));
    await page.getByText('登录后会自动回到刚才扫码的签到').waitFor();
    await shot(page, 'transport-10-checkin-login');
    await logIn(page, 'daidui');
    await page.waitForURL(url);
    await page.getByText('✓ 已签到').waitFor();
    assert.equal(await page.textContent('#vehicle'), '专车 桂A12345');
    const people = await page.locator('#people li').allTextContents();
    assert.equal(people.length, 2);
    assert.match(people[0], /^黄秀英\d+座$/);
    assert.match(people[1], /^韦大明\d+座$/);
    await shot(page, 'transport-11-checkin');
    // the server agrees
    const huang = groups['黄秀英'];
    const b = await (await page.request.get(`${srv.url}/api/vehicles/${vehicleId}/boarding`)).json();
    assert.deepEqual(b.boarded.map((g) => g.code), [huang.code]);
    // scanned again: said so, nothing counted twice
    await page.reload();
    await page.getByText('✓ 已签到过').waitFor();
    await page.getByRole('link', { name: '本车上车名单' }).click();
    await page.locator('.board-boarded li', { hasText: '黄秀英' }).waitFor();
    assert.deepEqual(page.problems.filter((e) => !ignorable(e)), []);
    await page.close();
});

test('the boarding view: 签到 without a scan, a scan seen by the open view, another vehicle\'s passenger refused', async () => {
    const page = await openPage(escortBrowser.context);
    page.on('dialog', (d) => d.accept());
    await page.goto(`${srv.url}/staff/#/boarding/${vehicleId}`);
    await page.locator('.board-missing li').first().waitFor();
    assert.equal(await page.locator('#tab-vehicles').isHidden(), true, 'no vehicles tab without the transport permission');
    const li = groups['李志强'];
    const call = page.locator('.board-missing a[href^="tel:"]', { hasText: '李志强' });
    assert.equal(await call.getAttribute('href'), `tel:${li.phone}`);
    assert.equal(await page.textContent('#n-boarded'), '2');
    assert.equal(await page.textContent('#n-missing'), '3');
    await shot(page, 'transport-12-boarding-missing');
    await page.getByRole('button', { name: '给李志强签到' }).click();
    await page.getByText(/^已签到：李志强（\d+座）$/).waitFor();
    await page.locator('.board-boarded li', { hasText: '李志强' }).waitFor();
    assert.equal(await page.textContent('#n-boarded'), '3');
    assert.equal(await page.locator('.board-missing li', { hasText: '李志强' }).count(), 0);
    await shot(page, 'transport-13-boarding-by-hand');
    let b = await (await page.request.get(`${srv.url}/api/vehicles/${vehicleId}/boarding`)).json();
    assert.ok(b.boarded.some((g) => g.code === li.code), 'the server has him boarded');
    const audit = await srv.redis.client();
    try {
        const entries = (await audit.call('XRANGE', 'sg:{45}:audit', '-', '+')).map(([, kv]) => {
            const e = {};
            for (let i = 0; i < kv.length; i += 2) e[String(kv[i])] = String(kv[i + 1]); // bulk strings are Buffers
            return e;
        });
        const entry = entries.find((e) => e.action === 'checkin' && e.target === li.code);
        assert.equal(entry?.detail, `${vehicleId} by code`, 'audited as a check-in by code');
        assert.equal(entry.user, 'daidui');
    } finally {
        audit.close();
    }

    // a scan in another tab while the view is open: the view refreshes by itself
    const scan = await openPage(escortBrowser.context);
    await scan.goto(await scanStatusQr('覃丽华'));
    await scan.getByText('✓ 已签到').waitFor();
    await page.locator('.board-boarded li', { hasText: '覃丽华' }).waitFor({ timeout: 12000 });
    assert.equal(await page.textContent('#n-boarded'), '4');
    assert.match(await page.textContent('.board-boarded'), /黄秀英、韦大明 (\d+)–\d+座/);

    // 蒙海燕 rides the other vehicle (深圳): this phone boards 桂A12345, so she is refused and named
    await scan.goto(await scanStatusQr('蒙海燕'));
    await scan.getByText('✗ 不是本车乘客').waitFor();
    assert.match(await scan.textContent('#why'), /您正在签到的是：专车 桂A12345/);
    assert.match(await scan.textContent('#vehicle'), /此人的车：专车 /);
    assert.match(await scan.textContent('#people'), /蒙海燕/);
    await shot(scan, 'transport-14-checkin-wrong-vehicle');
    const meng = groups['蒙海燕'];
    const other = (await srv.get(`/api/registrations/${meng.code}?phone4=${meng.phone.slice(-4)}`)).json.assignment.vehicle;
    b = await (await scan.request.get(`${srv.url}/api/vehicles/${other}/boarding`)).json();
    assert.equal(b.boarded.length, 0, 'not checked in');
    assert.deepEqual([...page.problems, ...scan.problems].filter((e) => !ignorable(e)), []);
});

test('after login only a path of the staff pages is followed, never another site', async () => {
    const page = await openPage(escortBrowser.context);
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example/', '/staff/../s/x', 'javascript:alert(1)']) {
        await page.goto(`${srv.url}/staff/?next=${encodeURIComponent(next)}`);
        await page.locator('#view').waitFor();
        assert.equal(new URL(page.url()).origin, srv.url, next);
        assert.equal(new URL(page.url()).pathname, '/staff/', next);
    }
    await page.close();
});

test('a browser that keeps no cookie is told so after one login, not sent round in circles', async () => {
    const b = await launch();
    try {
        const page = await openPage(b.context);
        await page.route('**/api/login', async (route) => {
            const r = await route.fetch(); // shares the context's cookie jar: empty it again
            await b.context.clearCookies();
            const headers = { ...r.headers() };
            delete headers['set-cookie'];
            await route.fulfill({ response: r, headers });
        });
        await page.goto(await scanStatusQr('陆建国'));
        await logIn(page, 'daidui');
        await page.getByText('✗ 登录没有保存下来').waitFor();
        assert.equal(new URL(page.url()).pathname, '/staff/checkin.html');
        await shot(page, 'transport-15-checkin-no-cookie');
        const missing = (await (await org.request.get(`${srv.url}/api/vehicles/${vehicleId}/boarding`)).json()).missing;
        assert.ok(missing.some((g) => g.code === groups['陆建国'].code), 'not checked in');
    } finally {
        await b.close();
    }
});

// last: it empties the vehicle the tests above use for another vehicle's passenger
test('cancelling a vehicle from its page sends its passengers back to matching', async () => {
    const list = await (await org.request.get(`${srv.url}/api/vehicles?scope=4501`)).json();
    const made = list.vehicles.find((v) => v.id !== vehicleId && v.status === 'planned' && v.used > 0);
    assert.ok(made, JSON.stringify(list).slice(0, 300));
    const before = await (await org.request.get(`${srv.url}/api/vehicles/${made.id}/manifest`)).json();
    const codes = before.passengers.map((p) => p.code);
    assert.ok(codes.length > 0);
    await org.goto(`${srv.url}/staff/#/vehicle/${made.id}`);
    await org.getByRole('button', { name: '取消这辆车' }).click(); // the confirmation is accepted (dialog handler)
    await org.getByText('状态已改为：已取消').waitFor();
    await shot(org, 'transport-09c-vehicle-cancelled');
    assert.equal((await (await org.request.get(`${srv.url}/api/vehicles/${made.id}`)).json()).used, 0);
    for (const code of [...new Set(codes)]) {
        const name = Object.keys(groups).find((n) => groups[n].code === code);
        const g = groups[name];
        const look = await srv.get(`/api/registrations/${code}?phone4=${g.phone.slice(-4)}`);
        assert.equal(look.json.status, 'registered', `${name} back to be matched`);
        assert.equal(look.json.assignment, null);
    }
    const csrf = (await (await org.request.get(`${srv.url}/api/me`)).json()).csrf;
    const preview = await org.request.post(`${srv.url}/api/match`, { data: { campaign: '2027-spring', scope: '4501', accept: false }, headers: { 'x-csrf-token': csrf } });
    assert.ok((await preview.json()).registrations >= new Set(codes).size, 'offered to matching again');
});
