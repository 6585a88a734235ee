// SPDX-License-Identifier: MIT
// Jobs in the browser (issue 17): on a 360 px phone, the sign-up form offers the employers
// registered for the chosen city and "想找工作" once the worker says no job is found yet,
// and the status page lists the open jobs that fit; in the staff app (1366×768), the
// county office counts a push to 大龄 脱贫人口 without a job before sending it, then sends.
// Screenshots for a person to look at.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../integration/lib/harness.mjs';
import { idNumber, newPhone, signup } from '../integration/lib/people.mjs';
import { addUser, login } from '../integration/lib/transport.mjs';
import { PASSWORD } from '../integration/lib/transport.mjs';
import { VILLAGE, launch, openPage, openSignup, posts, shot } from './lib/browser.mjs';

let stack, srv, browser, county, emp, job;
before(async () => {
    stack = await startStack('browser-jobs');
    srv = stack.server;
    browser = await launch();
    addUser(srv, 'jiuye', 'county', '450102');
    county = await login(srv, 'jiuye');
    emp = (await county.post('/api/employers', { name: '东莞市宏达电子有限公司', credit_code: '91350100M000100Y43', city: '4419', industry: 'manufacturing', key: true, contact_name: '陈经理', contact_phone: '13711112222' })).json;
    job = (await county.post('/api/jobs', { employer: emp.id, title: '电子厂普工', city: '4419', kind: 'manufacturing', headcount: 40, wage_min: 4500, wage_max: 6500, age_min: 18, age_max: 55, skills: '能适应倒班', closes: '2027-03-31' })).json;
    await county.post('/api/jobs', { employer: emp.id, title: '仓库管理员', city: '4419', kind: 'logistics', headcount: 2, age_min: 25, age_max: 45, closes: '2027-03-31' });
    // an attacker's employer name: it must show as text everywhere
    const evil = (await county.post('/api/employers', { name: '<img src=x onerror="window.__xss=1">厂', credit_code: '914403001922038216', city: '4419', industry: 'other' })).json;
    await county.post('/api/jobs', { employer: evil.id, title: '<b onclick=alert(1)>普工</b>', city: '4419', kind: 'other', headcount: 1, closes: '2027-03-31' });
});
after(async () => {
    await browser?.close();
    await stack?.close();
});

test('the sign-up form offers the registered employers and 想找工作', async () => {
    const page = await openSignup(browser.context, srv.url);
    await page.selectOption('#f-province', '44');
    await page.selectOption('#f-city', '4419');
    await page.waitForFunction(() => document.querySelectorAll('#f-employers option').length > 1);
    const offered = await page.$$eval('#f-employers option', (os) => os.map((o) => o.value));
    assert.ok(offered.includes('东莞市宏达电子有限公司'), offered.join());
    assert.ok(offered.includes('<img src=x onerror="window.__xss=1">厂'), 'markup in a name stays text');
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.isVisible('#f-seek-box'), false, 'hidden while the job is not said to be missing');
    await page.click('input[name="job_confirmed"][value="no"] + span');
    await page.waitForSelector('#f-seek-box', { state: 'visible' });
    await page.click('#f-seek + span');
    await page.waitForSelector('#f-work', { state: 'visible' });
    await page.selectOption('#f-work', 'manufacturing');
    // the form is kept on the phone: a reload brings the wish back
    await page.waitForTimeout(1200);
    await page.reload();
    await page.waitForFunction(() => document.querySelector('#f-province').options.length > 30);
    await page.waitForSelector('#f-work', { state: 'visible' });
    assert.equal(await page.inputValue('#f-work'), 'manufacturing');
    assert.equal(await page.isChecked('#f-seek'), true);
    await page.fill('#f-employer', '东莞市宏达电子有限公司');
    await page.fill('#f-name', '韦小宝');
    const id = idNumber('450102', '19800101', 123);
    await page.fill('#f-id', id);
    const phone = newPhone();
    await page.fill('#f-phone', phone);
    await page.click('input[name="poverty"][value="alleviated"] + span');
    await page.fill('#f-date', '2027-02-03');
    await page.click('input[name="flex_days"][value="1"] + span');
    await page.click('#f-consent + span');
    assert.match(await page.textContent('.consent'), /回复TD退订/);
    await shot(page, 'jobs-1-signup-seek');
    await page.click('#submit');
    await page.waitForSelector('#done', { state: 'visible' });
    const sent = posts(page, '/api/registrations');
    assert.equal(sent.length, 1);
    const code = (await page.textContent('#done-code')).replace(/\s+/g, '');
    const staff = await county.get(`/api/registrations/${code}`);
    assert.equal(staff.status, 200, staff.text);
    assert.equal(staff.json.seek_job, true);
    assert.equal(staff.json.work, 'manufacturing');
    assert.equal(staff.json.employer_id, emp.id);
    assert.deepEqual(page.problems, []);
    await page.close();
});

test('the status page lists the open jobs that fit the worker', async () => {
    const phone = newPhone();
    const body = signup({ village: VILLAGE, id_number: idNumber('450102', '19750601', 456), phone, dest_city: '4419', job_confirmed: false, seek_job: true, work: 'manufacturing' });
    const r = await srv.post('/api/registrations', body);
    assert.equal(r.status, 201, r.text);
    const page = await openPage(browser.context);
    await page.goto(`${srv.url}/status?code=${r.json.code}`);
    await page.fill('#f-phone4', phone.slice(-4));
    await page.click('#lookup-go');
    await page.waitForSelector('#r-jobs li');
    const text = await page.textContent('#r-jobs');
    for (const want of ['适合您的工作', '电子厂普工', '招40人', '东莞市宏达电子有限公司', '月薪 4500–6500 元'])
        assert.ok(text.includes(want), `${want} in: ${text}`);
    assert.ok(!text.includes('仓库管理员'), 'a 51-year-old does not fit a job up to 45');
    assert.ok(!text.includes('13711112222') && !text.includes('陈经理'), 'no contact person');
    assert.ok(text.includes('<b onclick=alert(1)>普工</b>'), 'markup in a title shows as text');
    assert.equal(await page.$$eval('#r-jobs b b, #r-jobs img', (x) => x.length), 0);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `no sideways scrolling (${width}px)`);
    await page.locator('#r-jobs').scrollIntoViewIfNeeded();
    await shot(page, 'jobs-2-status-fits');
    assert.deepEqual(page.problems, []);
    await page.close();
});

test('the county office counts a push before sending it, then sends', async () => {
    // the group: 大龄 (50+) 脱贫人口 without a job in the county; one more with a job, one young
    for (const [birth, poverty, job_confirmed] of [['19700101', 'alleviated', false], ['19650505', 'monitored', false], ['19700202', 'alleviated', true], ['19990101', 'alleviated', false]])
        assert.equal((await srv.post('/api/registrations', signup({ village: VILLAGE, id_number: idNumber('450102', birth, 700), phone: newPhone(), poverty, job_confirmed }))).status, 201);
    const desk = await browser.context.browser()?.newContext?.({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' }).catch(() => null);
    const page = desk ? await desk.newPage() : await openPage(browser.context);
    if (!desk) await page.setViewportSize({ width: 1366, height: 768 });
    page.problems = page.problems || [];
    page.on('pageerror', (e) => page.problems.push(String(e)));
    await page.goto(`${srv.url}/staff/`);
    await page.getByLabel('用户名').fill('jiuye');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.stat.today').waitFor();
    assert.ok(await page.locator('#tab-jobs').isVisible(), 'the 岗位 tab for a county');
    await page.goto(`${srv.url}/staff/#/push`);
    await page.getByText('推送哪些岗位').waitFor();
    await page.getByLabel(/电子厂普工/).check();
    await page.getByLabel('脱贫情况').selectOption('poverty');
    await page.getByLabel(/大龄/).check();
    await page.getByRole('button', { name: '先算一算能推送给多少人' }).click();
    await page.locator('#push-people').waitFor();
    // the signed-up 51-year-old of the status test and the form's 47-year-old do not count
    const dry = await county.post('/api/pushes', { jobs: [job.id], filter: { scope: '450102', poverty: 'poverty', age_min: 50, no_job: true }, dry_run: true });
    assert.equal(await page.textContent('#push-people'), String(dry.json.people));
    assert.equal(dry.json.people, 2);
    await shot(page, 'jobs-3-push-count');
    await page.click('#push-send');
    await page.getByText(/已排队：2 人/).waitFor();
    await shot(page, 'jobs-4-push-sent');
    const list = await county.get('/api/pushes?scope=450102');
    assert.equal(list.json.pushes.length, 1);
    assert.equal(list.json.pushes[0].people, 2);
    await page.goto(`${srv.url}/staff/#/jobs`);
    await page.getByText('用工企业（').waitFor();
    assert.equal(await page.locator('main img').count(), 0, 'an employer name with markup stays text');
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    await shot(page, 'jobs-5-employers');
    await page.goto(`${srv.url}/staff/#/groups`);
    await page.getByRole('heading', { name: /分类汇集/ }).waitFor();
    await page.locator('th', { hasText: '合计人数' }).waitFor();
    await shot(page, 'jobs-6-groups');
    assert.deepEqual(page.problems, []);
    // counting with no job ticked says what is missing (the 422 is expected here)
    await page.goto(`${srv.url}/staff/#/push`);
    await page.getByText('推送哪些岗位').waitFor();
    await page.getByRole('button', { name: '先算一算能推送给多少人' }).click();
    await page.getByText('请先在上面勾选要推送的岗位（最多5个）').waitFor();
    await page.close();
    await desk?.close();
});
