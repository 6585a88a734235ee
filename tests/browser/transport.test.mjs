// SPDX-License-Identifier: MIT
// The transport screens in a browser. An organiser (laptop) creates a vehicle with a full
// plan in the form, previews the matching, accepts it, opens the print view and the PDF,
// moves a passenger by hand and opens boarding. An escort (phone, city staff of the
// scope) opens the boarding view, checks a passenger in through the check-in page and
// sees them move from missing to boarded. Screenshots: $SONGGONG_TEST_OUT/screens/transport-*.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startStack } from '../integration/lib/harness.mjs';
import { companion, signup } from '../integration/lib/people.mjs';
import { PASSWORD, addUser } from '../integration/lib/transport.mjs';
import { SCREEN_DIR, launch, openPage, shot } from './lib/browser.mjs';

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
    await signUp('李志强');
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
    for (const [i, [name, time]] of [['新竹社区村委', '07:40'], ['民生街道政府门口', '07:00'], ['多余的点', '07:50']].entries()) {
        await org.getByRole('button', { name: '＋ 添加上车点' }).click();
        await form.locator(`[name="stops[${i}].name"]`).fill(name);
        await form.locator(`[name="stops[${i}].time"]`).fill(time);
    }
    await org.getByRole('button', { name: '删除第3个' }).click();
    for (const [i, name] of ['李建国', '王大伟'].entries()) {
        await org.getByRole('button', { name: '＋ 添加司机' }).click();
        await form.locator(`[name="drivers[${i}]"]`).fill(name);
    }
    await form.locator('[name=escort_name]').fill('黄志强');
    await form.locator('[name=escort_phone]').fill('1391234567');
    await form.locator('[name=emergency]').fill('兴宁区人社局 0771-1234567');
    await form.locator('[name=notes]').fill('途中不停靠未登记站点；每站清点人数。');
    await org.getByRole('button', { name: '保存，建立车辆' }).click();
    await org.getByText('有 2 处需要修改').waitFor();
    assert.match(await form.locator('[data-field="escort_phone"] .error').textContent(), /手机号应为11位/);
    assert.match(await form.locator('[data-field="stops[1].time"] .error').textContent(), /按先后顺序/);
    await shot(org, 'transport-01-plan-errors');
    // fix: the first stop goes down one place, the phone gets its last digit
    await org.getByRole('button', { name: '第1个下移' }).click();
    assert.equal(await form.locator('[name="stops[0].name"]').inputValue(), '民生街道政府门口');
    await form.locator('[name=escort_phone]').fill('13912345678');
    await org.getByRole('button', { name: '保存，建立车辆' }).click();
    await org.waitForURL(/#\/vehicle\/\d+$/);
    vehicleId = org.url().split('/').pop();
    await org.getByText('计划中').first().waitFor();
    const text = await org.textContent('#view');
    for (const want of ['桂A12345', '东莞市', '东莞市宏达电子有限公司', '2027-02-03 08:30', '18:00', '07:00 民生街道政府门口', '07:40 新竹社区村委', '李建国、王大伟', '黄志强', '13912345678', '0771-1234567', '途中不停靠'])
        assert.ok(text.includes(want), `${want} in ${text}`);
    await shot(org, 'transport-02-vehicle-planned');
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
    await org.getByRole('button', { name: '预览编排' }).click();
    await org.getByText('先坐满已有的车').waitFor();
    assert.equal(await org.locator('[data-field="sizes.bus"].bad').count(), 0);
    const text = await org.textContent('#view');
    assert.match(text, /每辆专车 40 座、每列专列 1,000 座（每节车厢 100 座）、每架专机 150 座/);
    assert.match(text, /桂A12345：原有 0 人，新增 5 人/);
    assert.match(text, /深圳市 2月12日：2人 → 1辆专车/);
    assert.match(text, /理论最少 1 辆/);
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
    assert.match(text, /合计：5 人，其中脱贫人口（含防止返贫监测对象）1 人/);
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
    await page.close();
});

test('moving a passenger by hand: a refusal explained, out and back in', async () => {
    await org.goto(`${srv.url}/staff/#/vehicle/${vehicleId}`);
    const lu = groups['陆建国'];
    const row = org.locator('table.passengers tr', { hasText: '陆建国' });
    await row.waitFor();
    // the other vehicle goes to 深圳: the server refuses, the page says why
    await row.locator('select').selectOption({ index: 1 });
    await row.getByRole('button', { name: '调过去' }).click();
    await org.getByText('没有调动：这辆车的目的地').waitFor();
    await shot(org, 'transport-08-move-refused');
    await row.getByRole('button', { name: '移出' }).click();
    await org.getByText(`报名 ${lu.code} 已移出`).waitFor();
    assert.equal(await org.locator('table.passengers tr', { hasText: '陆建国' }).count(), 0);
    await org.getByLabel('报名号').fill(lu.code);
    await org.getByRole('button', { name: '加到这辆车' }).click();
    await org.getByText(new RegExp(`报名 ${lu.code} 已调到 ${vehicleId} 号车，座位 6`)).waitFor();
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

test('the escort checks a passenger in and sees them move from missing to boarded', async () => {
    escortBrowser = await launch();
    const page = await openPage(escortBrowser.context);
    await page.goto(`${srv.url}/staff/#/boarding/${vehicleId}`);
    await logIn(page, 'daidui');
    await page.locator('.board-missing li').first().waitFor();
    assert.equal(await page.locator('#tab-vehicles').isHidden(), true, 'no vehicles tab without the transport permission');
    const huang = groups['黄秀英'];
    const call = page.locator('.board-missing a[href^="tel:"]', { hasText: '黄秀英' });
    assert.equal(await call.getAttribute('href'), `tel:${huang.phone}`);
    assert.equal(await page.textContent('#n-boarded'), '0');
    assert.equal(await page.textContent('#n-missing'), '5');
    await shot(page, 'transport-10-boarding-missing');

    const lookup = await srv.get(`/api/registrations/${huang.code}?phone4=${huang.phone.slice(-4)}`);
    const url = lookup.json.assignment.checkin.url;
    const scan = await openPage(escortBrowser.context);
    await scan.goto(url);
    await scan.getByText('签到成功').waitFor();
    assert.match(await scan.textContent('#people'), /黄秀英[\s\S]*韦大明/);
    await shot(scan, 'transport-11-checkin');
    // the open boarding view refreshes by itself
    await page.locator('.board-boarded li', { hasText: '黄秀英' }).waitFor({ timeout: 12000 });
    assert.equal(await page.textContent('#n-boarded'), '2');
    assert.match(await page.textContent('.board-boarded'), /黄秀英、韦大明 (\d+)–\d+座/);
    assert.equal(await page.locator('.board-missing li', { hasText: '黄秀英' }).count(), 0);
    await shot(page, 'transport-12-boarding-after');
    await scan.getByRole('link', { name: /返回本车上车名单/ }).click();
    await scan.locator('.board-boarded li', { hasText: '韦大明' }).waitFor();
    assert.deepEqual([...page.problems, ...scan.problems].filter((e) => !ignorable(e)), []);
});
