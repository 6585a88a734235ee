// SPDX-License-Identifier: MIT
// Every key in one hash slot: the real server against a Redis 7 Cluster of one node that
// owns all 16384 slots. Such a node refuses a multi-key command across slots (CROSSSLOT)
// and a script that touches a key of another slot than its first, declared or derived
// (Redis 7.0 checks this for scripts that start with #!lua, as all of ours do; older-style
// scripts may cross slots). So a broad flow through the API and the CLI (sign-up with
// companions, retry, lookup, staff list, search, edit, cancel, returns, vehicles, match
// preview and accept, moves by hand, check-in, funding, report, filings, login failures
// and lock-out, audit, exports, demo data, purge) passing, with MONITOR showing that it ran
// every script, proves that no key leaves the slot of {45}. Then SCAN: every key carries
// the {45} tag.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { REPO, runCli, startStack } from './lib/harness.mjs';
import { RedisError } from './lib/resp.mjs';
import { companion, signup, village } from './lib/people.mjs';
import { addUser, busPlan, login, PASSWORD, NO_MINIMUM } from './lib/transport.mjs';
import { Receiver } from './lib/receiver.mjs';
import os from 'node:os';

const CAMPAIGN = '2027-spring';
let stack, srv, redis, mon, org, admin, slot45, receiver, secretDir;
const monitored = []; // every command Redis ran from here on (MONITOR)
before(async () => {
    // text messages through a webhook that fails each message's first attempt (retries) and
    // refuses one phone for good (a dead letter)
    secretDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-cluster-'));
    fs.writeFileSync(path.join(secretDir, 'secret'), 'cluster-secret');
    receiver = await new Receiver('cluster-secret', { failFirst: 1 }).start();
    stack = await startStack('keys-cluster', {
        cluster: true,
        env: {
            SONGGONG_NOTIFY_DRIVER: 'webhook',
            SONGGONG_NOTIFY_WEBHOOK_URL: receiver.url,
            SONGGONG_NOTIFY_WEBHOOK_SECRET_FILE: path.join(secretDir, 'secret'),
            SONGGONG_NOTIFY_QUIET: 'none',
            SONGGONG_NOTIFY_BACKOFF: '50ms',
            SONGGONG_NOTIFY_ATTEMPTS: '3',
            SONGGONG_NOTIFY_POLL_MS: '100',
        },
    });
    srv = stack.server;
    redis = await stack.redis.client();
    slot45 = Number(await redis.call('CLUSTER', 'KEYSLOT', '{45}'));
    mon = await stack.redis.client();
    mon.onUnsolicited = (line) => monitored.push(String(line));
    assert.equal(await mon.call('MONITOR'), 'OK');
});
after(async () => {
    redis?.close();
    mon?.close();
    await stack?.close();
    await receiver?.close();
    fs.rmSync(secretDir, { recursive: true, force: true });
});

/** The scripts the build embeds (backend/store/CMakeLists.txt), by name: their SHA1 as EVALSHA sends it. */
function scriptShas() {
    const dir = path.join(REPO, 'backend/store');
    const cmake = fs.readFileSync(path.join(dir, 'CMakeLists.txt'), 'utf8');
    const list = (name) => cmake.match(new RegExp(`set\\(${name}([^)]*)\\)`))[1].trim().split(/\s+/);
    const seats = list('SG_STORE_SEAT_SCRIPTS');
    const folds = list('SG_STORE_FOLD_SCRIPTS');
    const trips = list('SG_STORE_TRIP_SCRIPTS');
    const read = (file) => fs.readFileSync(path.join(dir, file), 'utf8');
    const out = {};
    for (const name of list('SG_STORE_SCRIPTS')) {
        // as embed.cmake joins them: seats.lua, fold_lib.lua, the script (or trip_lib.lua, the script); only the first keeps its #! line
        const parts = [...(seats.includes(name) ? ['seats.lua'] : []), ...(folds.includes(name) ? ['fold_lib.lua'] : []), ...(trips.includes(name) ? ['trip_lib.lua'] : []), `${name}.lua`];
        const body = parts.map((f, i) => (i === 0 ? read(f) : read(f).replace(/^#![^\n]*\n/, ''))).join('');
        out[name] = createHash('sha1').update(body).digest('hex');
    }
    return out;
}

const ok = (r, status = 200) => {
    assert.equal(r.status, status, `${r.status} ${r.text.slice(0, 400)}`);
    return r;
};
const text = (x) => (Buffer.isBuffer(x) ? x.toString() : String(x));

async function allKeys() {
    const out = [];
    let cursor = '0';
    do {
        const [next, keys] = await redis.call('SCAN', cursor, 'COUNT', 1000);
        cursor = text(next);
        out.push(...keys.map(text));
    } while (cursor !== '0');
    return out.sort();
}

/** Every key is under sg:{45}: and in its slot; the node counts them all in that slot. */
async function assertOneSlot() {
    const keys = await allKeys();
    assert.ok(keys.length > 0);
    for (const k of keys) {
        assert.ok(k.startsWith('sg:{45}:'), `key ${k} lacks the {45} tag`);
        assert.equal(Number(await redis.call('CLUSTER', 'KEYSLOT', k)), slot45, k);
    }
    assert.equal(Number(await redis.call('CLUSTER', 'COUNTKEYSINSLOT', slot45)), Number(await redis.call('DBSIZE')));
    return keys;
}

test('the node is a cluster that refuses keys of two slots, in a command and in a #!lua script', async () => {
    assert.match(text(await redis.call('CLUSTER', 'INFO')), /cluster_state:ok/);
    await assert.rejects(redis.call('MGET', 'sg:{45}:a', 'sg:{44}:a'), RedisError);
    const derived = "#!lua\nredis.call('GET', KEYS[1]) return redis.call('GET', ARGV[1] .. 'reg:x')";
    await assert.rejects(redis.call('EVAL', derived, 1, 'sg:{45}:x', 'sg:{44}:'), /same slot/);
    assert.equal(await redis.call('EVAL', derived, 1, 'sg:{45}:x', 'sg:{45}:'), null, 'the same slot is fine');
    await redis.call('CONFIG', 'RESETSTAT'); // the errors counted from here on are the server's
    // the server marked the empty Redis with the layout version on start
    assert.equal(text(await redis.call('GET', 'sg:{45}:schema')), '4');
});

const made = [];
async function signUp(over = {}, opts = {}) {
    const body = signup(over);
    const r = ok(await srv.post('/api/registrations', body, opts), 201);
    const x = { code: r.json.code, body, phone4: body.phone.slice(-4) };
    made.push(x);
    return x;
}
/** A script that keeps Redis busy for ARGV[1] ms (no key: allowed in any slot). */
const BUSY_LUA = "#!lua flags=no-writes\nlocal t = redis.call('TIME') local s = t[1] * 1e6 + t[2] repeat t = redis.call('TIME') until t[1] * 1e6 + t[2] - s > ARGV[1] * 1000 return 1";
const look = (x) => srv.get(`/api/registrations/${x.code}?phone4=${x.phone4}`);

test('workers: sign-up with companions, idempotent retry, lookup by code and by ID number, own cancel', async () => {
    const key = `cluster-${Date.now()}`;
    const body = signup({ companions: [companion(), companion({ phone: '13700002222' })] });
    const first = ok(await srv.post('/api/registrations', body, { headers: { 'Idempotency-Key': key } }), 201);
    const again = ok(await srv.post('/api/registrations', body, { headers: { 'Idempotency-Key': key } }), 201);
    assert.deepEqual(again.json, first.json, 'the replay reads the registration its key names');
    made.push({ code: first.json.code, body, phone4: body.phone.slice(-4) });
    for (let i = 0; i < 6; i++) await signUp({ dest_city: '4419', flex_days: 1, companions: i % 2 ? [companion()] : [] });
    const dup = await srv.post('/api/registrations', signup({ id_number: body.companions[0].id_number }));
    assert.equal(dup.status, 409, dup.text);
    assert.equal(ok(await look(made[0])).json.code, made[0].code);
    // An answer lost to a timeout (Redis busy past the server's 2 s command timeout): the
    // server settles the attempt (idem_resolve.lua) and still answers 201 with its code.
    const busy = redis.call('EVAL', BUSY_LUA, '0', '2600');
    await new Promise((r) => setTimeout(r, 100));
    const late = await signUp();
    await busy;
    assert.equal(ok(await look(late)).json.code, late.code);
    // a lost code: the ID number's uniqueness key leads to the registration (registration_get.lua
    // from a uid key) after the try is counted (attempt.lua)
    const byId = ok(await srv.post('/api/registrations/lookup', { id_number: body.companions[1].id_number, phone4: made[0].phone4 }));
    assert.equal(byId.json.code, made[0].code);
    const mine = await signUp();
    ok(await srv.post(`/api/registrations/${mine.code}/cancel`, { phone4: mine.phone4 }));
    ok(await srv.post(`/api/registrations/${mine.code}/cancel`, { phone4: mine.phone4 }), 200);
    assert.equal(ok(await look(mine)).json.status, 'cancelled');
});

test('staff: accounts, login failures and lock-out, list, search, view, edit, flag, cancel, exports', async () => {
    addUser(srv, 'org', 'organiser', '45');
    addUser(srv, 'admin', 'admin', '45');
    addUser(srv, 'locky', 'village', village());
    org = await login(srv, 'org');
    admin = await login(srv, 'admin');
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await srv.post('/api/login', { username: 'locky', password: 'wrong' })).status);
    assert.deepEqual(codes.slice(0, 4), [401, 401, 401, 401]);
    assert.equal((await srv.post('/api/login', { username: 'locky', password: PASSWORD })).status, 423);
    const list = ok(await org.get('/api/registrations?per_page=200')).json;
    assert.ok(list.items.length >= 7, list.items.length);
    const found = ok(await org.get(`/api/registrations?q=${made[1].phone4}&per_page=200`)).json.items.map((i) => i.code);
    assert.ok(found.includes(made[1].code));
    ok(await org.get(`/api/registrations?status=cancelled&per_page=200`));
    const target = made[2];
    const seen = ok(await org.get(`/api/registrations/${target.code}`)).json;
    const edit = { ...target.body, id_number: seen.people[0].id_number, phone: seen.people[0].phone, depart_date: '2027-02-04' };
    edit.companions = (target.body.companions || []).map((c, i) => ({ ...c, id_number: seen.people[i + 1].id_number, phone: seen.people[i + 1].phone }));
    assert.equal(ok(await org.patch(`/api/registrations/${target.code}`, edit)).json.depart_date, '2027-02-04');
    ok(await org.post(`/api/registrations/${target.code}/flag-checked`, {}));
    ok(await org.post(`/api/registrations/${made[3].code}/cancel`, {}));
    assert.equal((await org.post(`/api/registrations/${made[3].code}/cancel`, {})).status, 409);
    ok(await org.get('/api/registrations.csv?scope=45'));
    ok(await org.get('/api/registrations.xlsx?scope=45&full=1'));
    ok(await org.get('/api/stats?scope=45'));
    ok(await org.get(`/api/stats?scope=${village()}`));
    const users = runCli(['user', 'list'], srv.env);
    assert.equal(users.status, 0, users.stderr);
    assert.match(users.stdout, /locky/);
});

test('transport: vehicles, match preview and accept, moves by hand, manifest, check-in, boarding, vehicle cancelled', async () => {
    const bus = ok(await org.post('/api/vehicles', busPlan({ scope: '45', dest_city: '4419', depart_date: '2027-02-03' })), 201).json;
    ok(await org.patch(`/api/vehicles/${bus.id}`, { number: '桂A54321' }));
    ok(await org.get(`/api/vehicles?scope=45&campaign=${CAMPAIGN}`));
    // a sign-up no planned vehicle takes: the accept creates one for it (assign_fresh.lua)
    const far = await signUp({ dest_city: '4403', depart_date: '2027-02-05' });
    const preview = ok(await org.post('/api/match', { campaign: CAMPAIGN, scope: '45', accept: false, min_load: NO_MINIMUM })).json;
    assert.ok(preview.registrations > 0, JSON.stringify(preview));
    const accepted = ok(await org.post('/api/match', { campaign: CAMPAIGN, scope: '45', accept: true, min_load: NO_MINIMUM })).json;
    assert.ok(accepted.new_vehicles > 0, JSON.stringify(accepted).slice(0, 400));
    assert.notEqual(ok(await look(far)).json.assignment.vehicle, bus.id, 'in the vehicle the accept created');
    const assigned = [];
    for (const x of made) {
        const r = ok(await look(x)).json;
        if (r.status === 'assigned') assigned.push({ ...x, vehicle: r.assignment.vehicle, token: r.assignment.checkin.token });
    }
    assert.ok(assigned.length >= 3, `${assigned.length} assigned`);
    const [a, b, c] = assigned;
    // moved by hand into another vehicle (its seats in the first freed in the same script),
    // taken out (back to matching), and moved into the first again
    const bus2 = ok(await org.post('/api/vehicles', busPlan({ scope: '45', dest_city: '4419', depart_date: '2027-02-03', number: '桂A22222' })), 201).json;
    ok(await org.post(`/api/vehicles/${bus2.id}/passengers`, { code: a.code }));
    assert.equal(ok(await look(a)).json.assignment.vehicle, bus2.id);
    ok(await org.del(`/api/vehicles/${bus2.id}/passengers/${a.code}`));
    ok(await org.post(`/api/vehicles/${a.vehicle}/passengers`, { code: a.code }));
    assert.equal(ok(await look(a)).json.assignment.vehicle, a.vehicle);
    ok(await org.get(`/api/vehicles/${a.vehicle}/manifest`));
    ok(await org.get(`/api/vehicles/${a.vehicle}/manifest.csv`));
    ok(await org.post(`/api/checkin/${a.token}`, {}));
    ok(await org.post(`/api/checkin/${a.token}`, {}));
    ok(await org.get(`/api/vehicles/${a.vehicle}/boarding`));
    ok(await org.get(`/api/vehicles/${a.vehicle}/boarding`)); // audited once in the window
    // the village's call-back loop and the list of vehicles with its filters and the 调到… choice
    ok(await org.post(`/api/registrations/${a.code}/notified`, {}));
    ok(await org.post(`/api/registrations/${a.code}/phone`, { person: 0 }));
    ok(await org.get(`/api/registrations?scope=45&notified=0`));
    ok(await org.get(`/api/vehicles?scope=45&campaign=${CAMPAIGN}&dest_city=4419&page=1&per_page=20`));
    ok(await org.get(`/api/vehicles?scope=45&campaign=${CAMPAIGN}&fits=${c.code}`));
    // an assigned sign-up cancelled: its seat is freed in the same script
    ok(await org.post(`/api/registrations/${b.code}/cancel`, {}));
    // a vehicle with someone checked in is not cancelled; one with people on it, none
    // checked in, is: they go back to matching
    const refused = await org.patch(`/api/vehicles/${a.vehicle}`, { status: 'cancelled' });
    assert.equal(refused.status, 409, refused.text);
    const bus3 = ok(await org.post('/api/vehicles', busPlan({ scope: '45', dest_city: '4419', depart_date: '2027-02-03', number: '桂A33333' })), 201).json;
    const f = await signUp({ flex_days: 0 });
    ok(await org.post(`/api/vehicles/${bus3.id}/passengers`, { code: f.code }));
    ok(await org.patch(`/api/vehicles/${bus3.id}`, { status: 'cancelled' }));
    assert.equal(ok(await look(f)).json.status, 'registered', 'back to matching');
    // a bus boards (one checked in, one marked as not turning up), departs and arrives: the counters move
    const [d, e] = [await signUp({ flex_days: 0 }), await signUp({ flex_days: 0 })];
    for (const x of [d, e]) ok(await org.post(`/api/vehicles/${bus2.id}/passengers`, { code: x.code }));
    ok(await org.patch(`/api/vehicles/${bus2.id}`, { status: 'boarding' }));
    ok(await org.post(`/api/checkin/${ok(await look(d)).json.assignment.checkin.token}`, {}));
    ok(await org.post(`/api/registrations/${e.code}/no-show`, {}));
    for (const status of ['departed', 'arrived']) ok(await org.patch(`/api/vehicles/${bus2.id}`, { status }));
    assert.equal(ok(await org.get('/api/stats?scope=45')).json.transport.arrived, 1);
    ok(await org.post('/api/match', { campaign: CAMPAIGN, scope: '45', accept: true, min_load: NO_MINIMUM }));
    const cli = runCli(['match', '--campaign', CAMPAIGN, '--scope', '45', '--accept'], srv.env);
    assert.equal(cli.status, 0, cli.stderr);
});

test('figures: returns, stats, funding, report up to a date, filings, audit', async () => {
    const v = village();
    ok(await org.post('/api/returns', { village: v, outbound: 100, returned: 80, not_returned: 20, as_of: '2027-01-05' }), 201);
    ok(await org.post('/api/returns', { village: v, outbound: 120, returned: 90, not_returned: 30, as_of: '2027-01-09' }), 201);
    ok(await org.get('/api/returns?scope=45'));
    ok(await org.get(`/api/returns/${v}`));
    ok(await org.post('/api/funding', { campaign: CAMPAIGN, scope: '4501', amount: '12.5', source: '自治区就业补助资金', date: '2027-01-08' }), 201);
    ok(await org.get(`/api/funding?campaign=${CAMPAIGN}`));
    // until before the village's latest figure: its history is read (returns_until.lua)
    const early = ok(await org.get(`/api/report?campaign=${CAMPAIGN}&until=2027-01-06&scope=45`)).json;
    const late = ok(await org.get(`/api/report?campaign=${CAMPAIGN}&until=2027-01-10&scope=45`)).json;
    assert.notDeepEqual(early, late, 'the figures as of 2027-01-05, then 2027-01-09');
    ok(await org.get(`/api/report.xlsx?campaign=${CAMPAIGN}&until=2027-01-10&scope=45`));
    const f = ok(await org.post(`/api/report/filings?campaign=${CAMPAIGN}`, { scope: '45', until: '2027-01-10' }), 201).json;
    ok(await org.get(`/api/report/filings?campaign=${CAMPAIGN}&scope=45`));
    ok(await org.get(`/api/report/filings/${f.id}`));
    ok(await org.get(`/api/report/filings/${f.id}.xlsx`));
    const rep = runCli(['report', '--campaign', CAMPAIGN, '--scope', '45', '--until', '2027-01-10'], srv.env);
    assert.equal(rep.status, 0, rep.stderr);
    const log = ok(await admin.get('/api/audit?count=200')).json.entries.map((e) => e.action);
    for (const action of ['boarding_view', 'passenger_remove', 'report_file']) assert.ok(log.includes(action), `${action}: ${log.join(' ')}`);
    const cliAudit = runCli(['audit', '--count', '5'], srv.env);
    assert.equal(cliAudit.status, 0, cliAudit.stderr);
    ok(await org.post('/api/logout', {}));
    assert.equal((await org.get('/api/me')).status, 401);
});

test('jobs: employers, jobs, a push, text messages through the outbox, a dead letter sent again, 分类汇集', async () => {
    org = await login(srv, 'org'); // logged out above
    const e = ok(await org.post('/api/employers', { name: '东莞某电子厂', credit_code: '91350100M000100Y43', city: '4419', industry: 'manufacturing', key: true }), 201).json;
    ok(await org.patch(`/api/employers/${e.id}`, { credit_code: '914403001922038216' })); // frees the old code
    const j = ok(await org.post('/api/jobs', { employer: e.id, title: '普工', city: '4419', kind: 'manufacturing', headcount: 10, closes: '2027-03-31' }), 201).json;
    ok(await org.patch(`/api/jobs/${j.id}`, { headcount: 12 }));
    ok(await srv.get('/api/jobs?city=44'));
    const filter = { scope: '45', poverty: 'any' };
    const dry = ok(await org.post('/api/pushes', { jobs: [j.id], filter, dry_run: true })).json;
    assert.ok(dry.people > 0, JSON.stringify(dry));
    const refused = signup({ phone: '13600001111' });
    receiver.refuse.add(refused.phone);
    ok(await srv.post('/api/registrations', refused), 201);
    ok(await org.post('/api/pushes', { jobs: [j.id], filter, dry_run: false }), 201);
    const deadline = Date.now() + 20000;
    let dead = [];
    while (Date.now() < deadline && dead.length === 0) {
        dead = ok(await org.get('/api/notify/dead?scope=45')).json.dead;
        await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(dead.length, 1, 'the refused phone');
    receiver.refuse.delete(refused.phone);
    ok(await org.post(`/api/notify/dead/${dead[0].id}/retry`, { scope: dead[0].scope }));
    while (Date.now() < deadline && !receiver.messages('job').some((m) => m.phone === refused.phone))
        await new Promise((r) => setTimeout(r, 200));
    assert.ok(receiver.messages('job').some((m) => m.phone === refused.phone));
    assert.ok(receiver.messages('assigned').length > 0, 'the transport flow told passengers');
    ok(await org.get('/api/notify?scope=45'));
    ok(await org.get('/api/pushes?scope=45'));
    for (const by of ['category', 'dest', 'employer']) ok(await org.get(`/api/stats?scope=45&by=${by}`));
});

test('CLI: demo data, user disable, migrate (nothing to do, then data of version 2), purge', async () => {
    let r = runCli(['demo-data', '--people', '60', '--seed', '3'], srv.env);
    assert.equal(r.status, 0, r.stderr);
    r = runCli(['user', 'disable', 'admin'], srv.env);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((await admin.get('/api/audit')).status, 401, 'its sessions ended');
    r = runCli(['migrate'], srv.env);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout + r.stderr, '');
    // A registration as version 2 wrote it (a birth date): migrate_data.lua rewrites it in the slot.
    const [, regKeys] = await redis.call('SCAN', '0', 'MATCH', 'sg:{45}:reg:*', 'COUNT', '1000');
    const one = text(regKeys[0]);
    const data = JSON.parse(text(await redis.call('HGET', one, 'data')));
    data.people[0].birth = `${data.people[0].by}-06-15`;
    delete data.people[0].by;
    await redis.call('HSET', one, 'data', JSON.stringify(data));
    await redis.call('SET', 'sg:{45}:schema', '2');
    r = runCli(['migrate'], srv.env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^rewrote 1 registrations/);
    assert.equal(text(await redis.call('GET', 'sg:{45}:schema')), '4');
    const before = await assertOneSlot();
    assert.ok(before.some((k) => k.startsWith('sg:{45}:uid:')) && before.some((k) => k.startsWith('sg:{45}:vehicle:')));
    r = runCli(['purge', '--campaign', CAMPAIGN, '--yes', '--force'], srv.env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /purged campaign 2027-spring: [1-9]\d* keys deleted/);
    const left = await assertOneSlot();
    assert.deepEqual(left.filter((k) => k.includes(CAMPAIGN) || k.startsWith('sg:{45}:reg:') || k.startsWith('sg:{45}:vehicle:')), []);
});

test('the flow ran every script, and every script it sent starts with #!lua', () => {
    const shas = scriptShas();
    assert.ok(Object.keys(shas).length >= 20, Object.keys(shas).join(' '));
    // migrate.lua moves keys from their old slots into {45}'s: it runs on the standalone
    // Redis the old layout ran on, never on a cluster (its run here had nothing to move)
    const ran = new Set(monitored.map((l) => l.match(/"EVALSHA" "([0-9a-f]{40})"/i)?.[1]).filter(Boolean));
    const missing = Object.entries(shas).filter(([name, sha]) => name !== 'migrate' && !ran.has(sha)).map(([name]) => name);
    assert.deepEqual(missing, [], 'scripts the flow never ran');
    const evals = monitored.filter((l) => /\] "EVAL" /i.test(l));
    assert.ok(evals.length > 10, `${evals.length} EVAL`);
    for (const l of evals) assert.match(l, /\] "EVAL" "#!lua(\\n| )/i, l.slice(0, 200));
});

test('no command of the server or the CLI was refused by the cluster', async () => {
    const stats = text(await redis.call('INFO', 'errorstats'));
    assert.doesNotMatch(stats, /errorstat_(ERR|CROSSSLOT|MOVED|ASK|CLUSTERDOWN)/, stats);
    srv.assertAlive();
});
