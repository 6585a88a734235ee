// SPDX-License-Identifier: MIT
// Text messages about transport (issue 17) through the outbox: an assignment by hand, an
// accepted match, a change of pickup time and a cancelled vehicle each produce the right
// message, once; a message the receiver keeps refusing becomes a dead letter staff see
// (masked) and send again; quiet hours hold messages in the outbox of a separate
// `songgong notify` until they end; a phone gets at most its daily allowance; the Tencent
// Cloud driver signs SendSms as the documentation says (checked by a loopback fake); the
// day before departure each passenger gets one reminder.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { binary, startStack, until, sleep } from './lib/harness.mjs';
import { newPhone, signup } from './lib/people.mjs';
import { addUser, busPlan, login } from './lib/transport.mjs';
import { Receiver } from './lib/receiver.mjs';

const SECRET = 'notify-secret-' + crypto.randomBytes(8).toString('hex');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-notify-'));
fs.writeFileSync(path.join(dir, 'secret'), SECRET);
const stacks = [];
const receivers = [];
after(async () => {
    for (const s of stacks) await s.close();
    for (const r of receivers) await r.close();
    fs.rmSync(dir, { recursive: true, force: true });
});

function notifyEnv(receiver, extra = {}) {
    return {
        SONGGONG_NOTIFY_DRIVER: 'webhook',
        SONGGONG_NOTIFY_WEBHOOK_URL: receiver.url,
        SONGGONG_NOTIFY_WEBHOOK_SECRET_FILE: path.join(dir, 'secret'),
        SONGGONG_NOTIFY_QUIET: 'none',
        SONGGONG_NOTIFY_BACKOFF: '50ms,100ms',
        SONGGONG_NOTIFY_POLL_MS: '100',
        SONGGONG_NOTIFY_CLAIM_MS: '3000',
        SONGGONG_NOTIFY_DELIVERY_LOG: path.join(dir, `delivery-${stacks.length}.log`),
        SONGGONG_NOTIFY_LOG: path.join(dir, `notify-${stacks.length}.log`),
        ...extra,
    };
}

async function stack(name, receiver, extra) {
    const s = await startStack(name, { env: notifyEnv(receiver, extra) });
    stacks.push(s);
    addUser(s.server, 'org', 'organiser', '45');
    return { s, org: await login(s.server, 'org') };
}

async function signUp(srv, over = {}) {
    const phone = newPhone();
    const r = await srv.post('/api/registrations', signup({ village: '450102001003', phone, dest_city: '4419', depart_date: '2027-02-03', flex_days: 0, ...over }));
    assert.equal(r.status, 201, r.text);
    return { code: r.json.code, phone };
}

const forPhone = (rcv, phone, template) => rcv.messages(template).filter((m) => m.phone === phone);

test('assigned by hand, by an accepted match, a pickup time changed, the vehicle cancelled: the right message each, once', async () => {
    const rcv = await new Receiver(SECRET, { failFirst: 1 }).start();
    receivers.push(rcv);
    const { s, org } = await stack('notify-transport', rcv);
    const v = await org.post('/api/vehicles', busPlan({ scope: '4501' }));
    assert.equal(v.status, 201, v.text);
    const a = await signUp(s.server);
    const moved = await org.post(`/api/vehicles/${v.json.id}/passengers`, { code: a.code });
    assert.equal(moved.status, 200, moved.text);
    await until(() => forPhone(rcv, a.phone, 'assigned').length === 1, 10000);
    const [assigned] = forPhone(rcv, a.phone, 'assigned');
    assert.deepEqual(assigned.params, { vehicle: '专车 桂A12345', date: '2月3日', time: '07:00', stop: '民生街道政府门口', escort: '13912345678' });
    assert.equal(assigned.text, '【送工服务】您已安排专车 桂A12345，2月3日07:00在民生街道政府门口上车，带队人电话13912345678。回复TD退订');
    assert.ok([...assigned.text].length <= 70, 'one SMS');

    const b = await signUp(s.server);
    const run = await org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: true });
    assert.equal(run.status, 200, run.text);
    await until(() => forPhone(rcv, b.phone, 'assigned').length === 1, 10000);
    assert.equal(forPhone(rcv, b.phone, 'assigned')[0].params.time, '07:00');

    const plan = busPlan({ scope: '4501' });
    plan.stops[0].time = '07:10';
    const changed = await org.patch(`/api/vehicles/${v.json.id}`, { stops: plan.stops });
    assert.equal(changed.status, 200, changed.text);
    await until(() => forPhone(rcv, a.phone, 'changed').length === 1 && forPhone(rcv, b.phone, 'changed').length === 1, 10000);
    assert.equal(forPhone(rcv, a.phone, 'changed')[0].params.time, '07:10');
    const notes = await org.patch(`/api/vehicles/${v.json.id}`, { notes: '请带好口罩' });
    assert.equal(notes.status, 200, 'a change the passengers were not told of');

    const cancelled = await org.patch(`/api/vehicles/${v.json.id}`, { status: 'cancelled' });
    assert.equal(cancelled.status, 200, cancelled.text);
    await until(() => forPhone(rcv, a.phone, 'cancelled').length === 1 && forPhone(rcv, b.phone, 'cancelled').length === 1, 10000);
    assert.match(forPhone(rcv, a.phone, 'cancelled')[0].text, /您2月3日的专车 桂A12345已取消/);
    await sleep(800);
    for (const p of [a.phone, b.phone]) {
        const kinds = rcv.messages().filter((m) => m.phone === p).map((m) => m.template).sort();
        assert.deepEqual(kinds, ['assigned', 'cancelled', 'changed'], `${p}: one message per event, notes not told`);
    }
    assert.deepEqual(rcv.afterAccept, []);
    assert.equal(rcv.badSignatures, 0);
});

test('a message refused every time becomes a dead letter staff see masked, and send again', async () => {
    const rcv = await new Receiver(SECRET).start();
    receivers.push(rcv);
    const { s, org } = await stack('notify-dead', rcv, { SONGGONG_NOTIFY_ATTEMPTS: '3' });
    const a = await signUp(s.server);
    rcv.refuse.add(a.phone);
    const v = await org.post('/api/vehicles', busPlan({ scope: '4501' }));
    await org.post(`/api/vehicles/${v.json.id}/passengers`, { code: a.code });
    const dead = await until(async () => {
        const r = await org.get('/api/notify/dead?scope=450102');
        return r.json.dead.length === 1 && r;
    }, 10000);
    assert.ok(dead, 'a dead letter');
    const d = dead.json.dead[0];
    assert.equal(d.code, a.code);
    assert.equal(d.phone, `${a.phone.slice(0, 3)}****${a.phone.slice(-4)}`);
    assert.equal(d.attempts, 3);
    assert.match(d.error, /500/);
    assert.equal(rcv.attempts.get(`sg45-${d.id}`), 3);
    const other = await org.get('/api/notify/dead?scope=450103');
    assert.equal(other.json.dead.length, 0);
    rcv.refuse.delete(a.phone);
    const again = await org.post(`/api/notify/dead/${d.id}/retry`, { scope: d.scope });
    assert.equal(again.status, 200, again.text);
    await until(() => forPhone(rcv, a.phone, 'assigned').length === 1, 10000);
    assert.equal((await org.get('/api/notify/dead?scope=450102')).json.dead.length, 0);
    const figures = await org.get('/api/notify?scope=45');
    assert.equal(figures.json.dead, 0);
});

function chinaMinutes(deltaMin) {
    const t = new Date(Date.now() + 8 * 3600000 + deltaMin * 60000);
    return `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`;
}

function startNotify(server, env) {
    const child = spawn(binary(), ['notify'], { env: { ...server.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.log = '';
    child.stderr.on('data', (d) => (child.log += d));
    child.exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
    return child;
}

test('quiet hours hold messages in the outbox of songgong notify until they end; a phone gets its daily allowance', async () => {
    const rcv = await new Receiver(SECRET).start();
    receivers.push(rcv);
    const { s, org } = await stack('notify-quiet', rcv, { SONGGONG_NOTIFY_SENDER: 'off', SONGGONG_NOTIFY_DAILY_MAX: '1' });
    const a = await signUp(s.server);
    const v = await org.post('/api/vehicles', busPlan({ scope: '4501' }));
    await org.post(`/api/vehicles/${v.json.id}/passengers`, { code: a.code });
    const night = startNotify(s.server, { SONGGONG_NOTIFY_QUIET: `${chinaMinutes(-60)}-${chinaMinutes(60)}` });
    const redis = await s.redis.client();
    try {
        await until(async () => Number(await redis.call('XLEN', 'sg:{45}:notify:outbox')) === 1, 10000);
        await sleep(1500);
        assert.equal(rcv.messages().length, 0, 'nothing sent at night');
        assert.equal(Number(await redis.call('XLEN', 'sg:{45}:notify:outbox')), 1, 'held in the outbox');
        night.kill('SIGTERM');
        assert.deepEqual(await night.exited, { code: 0, signal: null }, night.log);
        const day = startNotify(s.server, { SONGGONG_NOTIFY_QUIET: 'none' });
        try {
            await until(() => forPhone(rcv, a.phone, 'assigned').length === 1, 10000);
            const plan = busPlan({ scope: '4501' });
            plan.stops[0].time = '06:50';
            await org.patch(`/api/vehicles/${v.json.id}`, { stops: plan.stops });
            await until(async () => Number(await redis.call('ZCARD', 'sg:{45}:notify:delayed')) === 1, 10000);
            await sleep(500);
            assert.equal(forPhone(rcv, a.phone, 'changed').length, 0, 'over the allowance: put off to tomorrow');
            const due = Number(await redis.call('ZRANGE', 'sg:{45}:notify:delayed', '0', '0', 'WITHSCORES').then((x) => x[1]));
            assert.ok(due > Date.now() + 60000, 'due after midnight');
        } finally {
            day.kill('SIGTERM');
            assert.deepEqual(await day.exited, { code: 0, signal: null }, day.log);
        }
    } finally {
        redis.close();
    }
});

function tc3(secretKey, service, body, ts) {
    const h = (x) => crypto.createHash('sha256').update(x).digest('hex');
    const canonical = `POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:sms.tencentcloudapi.com\n\ncontent-type;host\n${h(body)}`;
    const date = new Date(ts * 1000).toISOString().slice(0, 10);
    const toSign = `TC3-HMAC-SHA256\n${ts}\n${date}/${service}/tc3_request\n${h(canonical)}`;
    const m = (k, x) => crypto.createHmac('sha256', k).update(x).digest();
    return crypto.createHmac('sha256', m(m(m('TC3' + secretKey, date), service), 'tc3_request')).update(toSign).digest('hex');
}

test('the Tencent Cloud driver sends SendSms signed with TC3-HMAC-SHA256', async () => {
    fs.writeFileSync(path.join(dir, 'tencent'), 'AKIDtest\nsecret-key-test\n');
    const got = [];
    const fake = http.createServer((req, res) => {
        let raw = '';
        req.on('data', (c) => (raw += c));
        req.on('end', () => {
            const ts = Number(req.headers['x-tc-timestamp']);
            const sig = (req.headers.authorization || '').split('Signature=')[1];
            const ok = sig === tc3('secret-key-test', 'sms', raw, ts) && req.headers['x-tc-action'] === 'SendSms' &&
                req.headers.authorization.startsWith('TC3-HMAC-SHA256 Credential=AKIDtest/');
            got.push({ ok, body: JSON.parse(raw) });
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ Response: ok ? { SendStatusSet: [{ Code: 'Ok' }], RequestId: 'r' } : { Error: { Code: 'AuthFailure.SignatureFailure' } } }));
        });
    });
    await new Promise((r) => fake.listen(0, '127.0.0.1', r));
    try {
        const rcv = { url: 'http://unused' };
        const { s, org } = await stack('notify-tencent', rcv, {
            SONGGONG_NOTIFY_DRIVER: 'tencent',
            SONGGONG_NOTIFY_TENCENT_URL: `http://127.0.0.1:${fake.address().port}/`,
            SONGGONG_NOTIFY_TENCENT_SECRET_FILE: path.join(dir, 'tencent'),
            SONGGONG_NOTIFY_TENCENT_APP: '1400000000',
            SONGGONG_NOTIFY_TENCENT_SIGN: '送工服务',
        });
        const a = await signUp(s.server);
        const v = await org.post('/api/vehicles', busPlan({ scope: '4501' }));
        await org.post(`/api/vehicles/${v.json.id}/passengers`, { code: a.code });
        await until(() => got.length >= 1, 10000);
        assert.equal(got[0].ok, true, 'the signature checks out');
        assert.deepEqual(got[0].body.PhoneNumberSet, [`+86${a.phone}`]);
        assert.equal(got[0].body.SmsSdkAppId, '1400000000');
        assert.equal(got[0].body.SignName, '送工服务');
        assert.deepEqual(got[0].body.TemplateParamSet, ['专车 桂A12345', '2月3日', '07:00', '民生街道政府门口', '13912345678']);
        assert.match(got[0].body.SessionContext, /^sg45-\d+$/);
        await sleep(500);
        assert.equal(got.length, 1, 'sent once');
    } finally {
        await new Promise((r) => fake.close(r));
    }
});

test('the day before departure each passenger gets a reminder, once', async () => {
    const rcv = await new Receiver(SECRET).start();
    receivers.push(rcv);
    const { s, org } = await stack('notify-remind', rcv, { SONGGONG_NOTIFY_SENDER: 'off', SONGGONG_TODAY: '2027-02-02' });
    const a = await signUp(s.server);
    const v = await org.post('/api/vehicles', busPlan({ scope: '4501' })); // departs 2027-02-03: tomorrow
    assert.equal(v.status, 201, v.text);
    const other = await org.post('/api/vehicles', busPlan({ scope: '4501', depart_date: '2027-02-05', number: '桂A99999' }));
    const b = await signUp(s.server, { depart_date: '2027-02-05' });
    await org.post(`/api/vehicles/${v.json.id}/passengers`, { code: a.code });
    await org.post(`/api/vehicles/${other.json.id}/passengers`, { code: b.code });
    const sender = startNotify(s.server, {});
    try {
        await until(() => forPhone(rcv, a.phone, 'reminder').length === 1, 10000);
        const [r] = forPhone(rcv, a.phone, 'reminder');
        assert.equal(r.text, '【送工服务】明天2月3日07:00请到民生街道政府门口上车（专车 桂A12345），带好身份证。带队人13912345678。回复TD退订');
        assert.equal(forPhone(rcv, a.phone, 'assigned').length, 1);
        await sleep(1000);
        assert.equal(forPhone(rcv, a.phone, 'reminder').length, 1, 'once');
        assert.equal(forPhone(rcv, b.phone, 'reminder').length, 0, 'not the day before for this one');
    } finally {
        sender.kill('SIGTERM');
        assert.deepEqual(await sender.exited, { code: 0, signal: null }, sender.log);
    }
});
