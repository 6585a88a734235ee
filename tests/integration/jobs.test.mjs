// SPDX-License-Identifier: MIT
// Employers, jobs and job pushes (issue 17): credit codes checked (GB 32100-2015), scopes on
// employers and jobs, the public jobs list free of personal data, the jobs that fit a
// worker; a push counted before sending equals an independent count of its filter, and
// every person it reaches gets exactly one message (one per phone), through a webhook
// that fails the first attempts; a phone that replied TD is never sent to.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { TODAY, errorCode, startStack, until } from './lib/harness.mjs';
import { idNumber, newPhone, signup } from './lib/people.mjs';
import { addUser, login } from './lib/transport.mjs';
import { Receiver } from './lib/receiver.mjs';

const SECRET = 'test-webhook-secret-' + crypto.randomBytes(8).toString('hex');
let stack, srv, county, county2, village, org, admin, receiver, dir;

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-jobs-'));
    fs.writeFileSync(path.join(dir, 'secret'), SECRET + '\n');
    receiver = await new Receiver(SECRET, { failFirst: 2 }).start();
    stack = await startStack('jobs', {
        env: {
            SONGGONG_NOTIFY_DRIVER: 'webhook',
            SONGGONG_NOTIFY_WEBHOOK_URL: receiver.url,
            SONGGONG_NOTIFY_WEBHOOK_SECRET_FILE: path.join(dir, 'secret'),
            SONGGONG_NOTIFY_QUIET: 'none',
            SONGGONG_NOTIFY_BACKOFF: '50ms,100ms',
            SONGGONG_NOTIFY_POLL_MS: '100',
            SONGGONG_NOTIFY_DELIVERY_LOG: path.join(dir, 'delivery.log'),
        },
    });
    srv = stack.server;
    addUser(srv, 'county', 'county', '450102');
    addUser(srv, 'county2', 'county', '450103');
    addUser(srv, 'vil', 'village', '450102001003');
    addUser(srv, 'org', 'organiser', '45');
    addUser(srv, 'root', 'admin', '45');
    [county, county2, village, org, admin] = await Promise.all(['county', 'county2', 'vil', 'org', 'root'].map((n) => login(srv, n)));
});
after(async () => {
    await stack?.close();
    await receiver?.close();
    fs.rmSync(dir, { recursive: true, force: true });
});

const employer = (over = {}) => ({
    name: '东莞市宏达电子有限公司',
    credit_code: '91350100M000100Y43',
    city: '4419',
    park: '松山湖园区',
    industry: 'manufacturing',
    key: true,
    contact_name: '陈经理',
    contact_phone: '13711112222',
    ...over,
});
const job = (employerId, over = {}) => ({
    employer: employerId,
    title: '电子厂普工',
    city: '4419',
    kind: 'manufacturing',
    headcount: 40,
    wage_min: 4500,
    wage_max: 6500,
    age_min: 18,
    age_max: 60,
    skills: '能适应倒班',
    starts: '2027-02-10',
    closes: '2027-03-31',
    ...over,
});

let emp, localEmp, openJob;

test('an employer with a wrong credit code check character is refused; a good one is stored once', async () => {
    const bad = await county.post('/api/employers', employer({ credit_code: '91350100M000100Y44' }));
    assert.equal(bad.status, 422, bad.text);
    assert.match(bad.json.error.fields.credit_code, /校验位/);
    const short = await county.post('/api/employers', employer({ credit_code: '91350100M000100Y4' }));
    assert.equal(short.status, 422);
    assert.ok(short.json.error.fields.credit_code);
    const ok = await county.post('/api/employers', employer());
    assert.equal(ok.status, 201, ok.text);
    emp = ok.json;
    assert.equal(emp.credit_code, '91350100M000100Y43');
    assert.equal(emp.scope, '450102');
    const again = await county2.post('/api/employers', employer({ name: '另一家' }));
    assert.equal(again.status, 422, 'the code is unique');
    assert.ok(again.json.error.fields.credit_code);
    const lower = await county.post('/api/employers', employer({ credit_code: '9144030071526726xg', name: '深圳某科技', city: '4403' }));
    assert.equal(lower.status, 201, lower.text);
    assert.equal(lower.json.credit_code, '9144030071526726XG');
    const local = await county.post('/api/employers', employer({ credit_code: '914403001922038216', name: '南宁本地制衣厂', city: '4501', key: false }));
    assert.equal(local.status, 201);
    localEmp = local.json;
    assert.equal(local.json.in_region, true);
});

test('staff change only the employers of their scope; every staff member may search them', async () => {
    const other = await county2.patch(`/api/employers/${emp.id}`, { park: '别的园区' });
    assert.equal(other.status, 403);
    const vil = await village.post('/api/employers', employer({ credit_code: '91330100716105852F' }));
    assert.equal(vil.status, 403, 'village staff do not register employers');
    const mine = await county.patch(`/api/employers/${emp.id}`, { park: '松山湖高新区' });
    assert.equal(mine.status, 200, mine.text);
    assert.equal(mine.json.park, '松山湖高新区');
    const search = await county2.get('/api/employers?q=' + encodeURIComponent('宏达'));
    assert.equal(search.status, 200);
    assert.equal(search.json.employers.length, 1);
    assert.equal(search.json.employers[0].contact_phone, '137****2222', 'masked for staff who may not change it');
    const own = await county.get('/api/employers?q=' + encodeURIComponent('宏达'));
    assert.equal(own.json.employers[0].contact_phone, '13711112222');
    const audit = await admin.get('/api/audit');
    assert.match(JSON.stringify(audit.json), /"action":"employer_create"/);
    const names = await srv.get('/api/employers/names?city=4419');
    assert.equal(names.status, 200);
    assert.deepEqual(Object.keys(names.json.employers[0]).sort(), ['id', 'name']);
});

test('jobs: staff of the employer scope post and close them; the public list shows no contact', async () => {
    const denied = await county2.post('/api/jobs', job(emp.id));
    assert.equal(denied.status, 403);
    const r = await county.post('/api/jobs', job(emp.id));
    assert.equal(r.status, 201, r.text);
    openJob = r.json;
    assert.equal(openJob.zone, 'out');
    assert.equal(openJob.employer_name, '东莞市宏达电子有限公司');
    const near = await county.post('/api/jobs', job(localEmp.id, { title: '缝纫工', city: '4501', kind: 'manufacturing', age_max: 0 }));
    assert.equal(near.status, 201);
    assert.equal(near.json.zone, 'in');
    const closing = await county.post('/api/jobs', job(emp.id, { title: '已招满岗位' }));
    const closed = await county.patch(`/api/jobs/${closing.json.id}`, { status: 'closed' });
    assert.equal(closed.status, 200, closed.text);
    const bad = await county.post('/api/jobs', job(emp.id, { headcount: 0, wage_min: 7000, wage_max: 5000, city: '9999' }));
    assert.equal(bad.status, 422);
    assert.deepEqual(Object.keys(bad.json.error.fields).sort(), ['city', 'headcount', 'wage_max']);
    const pub = await srv.get('/api/jobs?city=44');
    assert.equal(pub.status, 200);
    const titles = pub.json.jobs.map((j) => j.title);
    assert.ok(titles.includes('电子厂普工'));
    assert.ok(!titles.includes('已招满岗位'), 'closed jobs are not listed');
    assert.ok(!pub.text.includes('13711112222') && !pub.text.includes('陈经理'), 'no contact in the public list');
    assert.ok(!/1[3-9]\d{9}/.test(pub.text), 'no phone number at all');
    for (const j of pub.json.jobs) assert.equal(j.contact_phone, undefined);
});

const ON = TODAY.replaceAll('-', ''); // 20270110
const birth = (age) => `${Number(ON.slice(0, 4)) - age}0101`;
let seq = 100;
const person = (age, poverty = 'none', region = '450102') => ({ id_number: idNumber(region, birth(age), seq++), poverty, age });

// The sign-ups of the push test, with what an independent count must find.
const people = [];
async function signUp({ village = '450102001003', age, poverty, job_confirmed, companions = [], phone = newPhone() }) {
    const me = person(age, poverty);
    const body = signup({ village, id_number: me.id_number, poverty, phone, job_confirmed, name: '韦小宝',
        companions: companions.map((c) => ({ name: '黄秀英', id_number: c.id_number, poverty: c.poverty, phone: c.phone })) });
    const r = await srv.post('/api/registrations', body);
    assert.equal(r.status, 201, r.text);
    people.push({ village, job_confirmed, persons: [{ age, poverty, phone }, ...companions.map((c) => ({ age: c.age, poverty: c.poverty, phone: c.phone || '' }))] });
    return r.json.code;
}

function expected(filter) {
    const phones = new Set();
    for (const reg of people) {
        if (!reg.village.startsWith(filter.scope) || (filter.no_job && reg.job_confirmed)) continue;
        for (const p of reg.persons)
            if (p.poverty !== 'none' && p.age >= 50 && p.phone) phones.add(p.phone);
    }
    return phones;
}

test('a push reaches exactly the people its filter names, one message each, after the webhook failed twice', async () => {
    const shared = newPhone();
    await signUp({ age: 55, poverty: 'alleviated', job_confirmed: false });
    await signUp({ age: 62, poverty: 'monitored', job_confirmed: false, phone: shared });
    await signUp({ age: 51, poverty: 'monitored', job_confirmed: false, phone: shared }); // the same phone: one message
    await signUp({ age: 56, poverty: 'alleviated', job_confirmed: true }); // has a job
    await signUp({ age: 45, poverty: 'alleviated', job_confirmed: false }); // too young
    await signUp({ age: 58, poverty: 'none', job_confirmed: false }); // not poverty
    await signUp({ village: '450103001005', age: 57, poverty: 'alleviated', job_confirmed: false }); // other county
    await signUp({ age: 30, poverty: 'none', job_confirmed: false,
        companions: [{ ...person(66, 'alleviated'), phone: newPhone() }, { ...person(70, 'monitored'), phone: '' }] });
    const optedOut = newPhone();
    await signUp({ age: 60, poverty: 'alleviated', job_confirmed: false, phone: optedOut });
    // the last one replies TD to an earlier message (signed like the webhook)
    const body = JSON.stringify({ phone: optedOut, text: ' td ' });
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = 'sha256=' + crypto.createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex');
    const unsigned = await srv.request('POST', '/api/notify/reply', { body, headers: { 'Content-Type': 'application/json' } });
    assert.equal(unsigned.status, 403, 'an unsigned reply is refused');
    const td = await srv.request('POST', '/api/notify/reply', { body, headers: { 'Content-Type': 'application/json', 'X-Songgong-Timestamp': ts, 'X-Songgong-Signature': sig } });
    assert.equal(td.status, 200, td.text);
    assert.equal(td.json.opted_out, 1);

    const filter = { scope: '450102', poverty: 'poverty', age_min: 50, no_job: true };
    const want = expected(filter);
    want.delete(optedOut);
    const dry = await county.post('/api/pushes', { jobs: [openJob.id], filter, dry_run: true });
    assert.equal(dry.status, 200, dry.text);
    assert.equal(dry.json.people, want.size, JSON.stringify(dry.json));
    assert.equal(dry.json.opted_out, 1);
    assert.equal(dry.json.no_phone, 1, 'the companion without a phone');
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(receiver.messages('job').length, 0, 'a dry run sends nothing');

    const outside = await county2.post('/api/pushes', { jobs: [openJob.id], filter, dry_run: true });
    assert.equal(outside.status, 403, 'a push outside the scope is refused');

    const sent = await county.post('/api/pushes', { jobs: [openJob.id], filter, dry_run: false });
    assert.equal(sent.status, 201, sent.text);
    assert.equal(sent.json.people, want.size);
    await until(() => receiver.messages('job').length >= want.size, 20000);
    await new Promise((r) => setTimeout(r, 800)); // anything more would come now
    const msgs = receiver.messages('job');
    assert.equal(msgs.length, want.size, 'one message a phone');
    assert.deepEqual(new Set(msgs.map((m) => m.phone)), want);
    assert.equal(new Set(msgs.map((m) => m.id)).size, msgs.length);
    for (const m of msgs) {
        assert.equal(receiver.attempts.get(m.id), 3, 'accepted on the third attempt');
        assert.match(m.text, /^【送工服务】东莞市宏达电子有限公司招电子厂普工40人，月薪4500-6500元，在东莞市。.*回复TD退订$/);
        assert.equal(m.params.wage, '月薪4500-6500元');
    }
    assert.deepEqual(receiver.afterAccept, [], 'nothing delivered twice');
    assert.equal(receiver.badSignatures, 0);
    const list = await county.get('/api/pushes?scope=450102');
    assert.equal(list.json.pushes[0].sent, want.size);
    const log = fs.readFileSync(path.join(stack.server.dir, '..', path.basename(dir), 'delivery.log'), 'utf8');
    assert.equal(log.split('\n').filter((l) => / template=job .*result=sent/.test(l)).length, want.size, log);
    assert.ok(!/1[3-9]\d{9}/.test(log), 'the delivery log masks phones');
    const audit = await admin.get('/api/audit?count=50');
    assert.match(JSON.stringify(audit.json), new RegExp(`"action":"push".*people ${want.size}`));
});

test('filter.low_income: a push to the 低收入 reaches only the people marked so', async () => {
    const V = '450102001007'; // a village no other test here signs up in
    const marked = [];
    for (const [i, low] of [true, false, true].entries()) {
        const me = person(40 + i);
        const phone = newPhone();
        const r = await srv.post('/api/registrations', signup({ village: V, id_number: me.id_number, poverty: 'none', phone, job_confirmed: false, low_income: low }));
        assert.equal(r.status, 201, r.text);
        if (low) marked.push(phone);
        const stored = await county.get(`/api/registrations/${r.json.code}`);
        assert.equal(stored.json.people[0].low_income, low, 'kept as given');
    }
    const count = async (filter) => {
        const r = await county.post('/api/pushes', { jobs: [openJob.id], filter: { scope: V, poverty: 'any', no_job: true, ...filter }, dry_run: true });
        assert.equal(r.status, 200, r.text);
        return r.json.people;
    };
    assert.equal(await count({ low_income: true }), marked.length);
    assert.equal(await count({}), 3, 'without the filter: everyone');
    const st = await county.get(`/api/stats?scope=${V}`);
    assert.equal(st.json.totals.low_income, marked.length, 'counted on the dashboard');
});

test('the jobs that fit a worker: the destination first, no jobs for a wrong proof', async () => {
    const phone = newPhone();
    const me = person(40, 'none');
    const r = await srv.post('/api/registrations', signup({ ...me, phone, dest_city: '4419', job_confirmed: false, seek_job: true, work: 'manufacturing' }));
    assert.equal(r.status, 201, r.text);
    const fit = await srv.get(`/api/jobs?for=${r.json.code}&phone4=${phone.slice(-4)}`);
    assert.equal(fit.status, 200, fit.text);
    assert.equal(fit.json.jobs[0].title, '电子厂普工');
    assert.equal(fit.json.jobs[0].fit, 'city');
    assert.ok(fit.json.jobs.some((j) => j.title === '缝纫工' && j.fit === 'near_home'), fit.text);
    const wrong = await srv.get(`/api/jobs?for=${r.json.code}&phone4=0000`);
    assert.equal(wrong.status, 404);
    const old = await srv.post('/api/registrations', signup({ ...person(63, 'none'), dest_city: '4419' }));
    const p2 = JSON.parse(JSON.stringify(old.json));
    assert.ok(p2.code);
});

test('sign-ups grouped by category, destination and employer (分类汇集)', async () => {
    const r = await srv.post('/api/registrations', signup({ ...person(35, 'alleviated'), dest_city: '4419', employer: '东莞市宏达电子有限公司', employer_id: emp.id, low_income: true }));
    assert.equal(r.status, 201, r.text);
    const cat = await county.get('/api/stats?scope=450102&by=category');
    assert.equal(cat.status, 200, cat.text);
    const out = cat.json.rows.find((x) => x.key === 'out');
    assert.ok(out.people > 0 && out.poverty > 0 && out.low_income > 0);
    assert.equal(out.by_division_low_income.reduce((a, b) => a + b, 0), out.low_income, 'the divisions add up');
    const emps = await county.get('/api/stats?scope=450102&by=employer');
    const hd = emps.json.rows.find((x) => x.key === emp.id);
    assert.equal(hd.name, '东莞市宏达电子有限公司');
    assert.equal(hd.people, 1);
    assert.equal(hd.poverty, 1);
    assert.equal(hd.low_income, 1);
    assert.equal(emps.json.rows.at(-1).key, '', 'the rest last');
    const dest = await county.get('/api/stats?scope=450102&by=dest&format=csv');
    assert.equal(dest.status, 200);
    assert.match(dest.text, /区划代码,区划,分类,人数,其中脱贫人口,其中低收入人口/);
    assert.match(dest.text, /广东省东莞市/);
    assert.ok(dest.text.split('\r\n').slice(1, -1).every((line) => line.split(',').length === 6), 'six columns on every line');
    const denied = await county2.get('/api/stats?scope=450102&by=dest');
    assert.equal(denied.status, 403);
    assert.equal(errorCode(await county.get('/api/stats?scope=450102&by=x')), 'bad_request');
});
