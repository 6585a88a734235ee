// SPDX-License-Identifier: MIT
// The fold (backend/store/fold_lib.lua, docs/redis-keys.md#the-fold): a sign-up stores the
// registration, its uniqueness keys and one entry on sg:{45}:fold; the fold brings the
// place index, the open index and the counters up to date from those entries, in batches.
//  - A server killed (kill -9) between sign-ups and their fold: a new server folds them,
//    and the counters and indexes then equal a recount from the registrations themselves.
//  - A fold run twice changes nothing the second time, and folds racing on several
//    connections count every entry once.
//  - A cancel and an edit of a sign-up still pending fold it first: the counters never
//    take back what they never had.
//  - Two servers signing up at once into one Redis: the recount holds.
//  - A move by hand right after a sign-up folds it first (a fold after the move would put
//    the assigned registration back into the open index); a read folds every entry
//    pending, not only the first batch of 1,000.
//  - Sign-ups arriving together go to Redis as one call (the sign-ups of one event-loop
//    turn), which folds them: each keeps its own answer (a duplicate inside the call, a
//    retry with the same key), nothing waits on the list, and the recount holds.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { REPO, RedisProc, ServerProc, until } from './lib/harness.mjs';
import { companion, newId, signup } from './lib/people.mjs';
import { addUser, login } from './lib/staff.mjs';
import { addUser as addTransportUser, busPlan, login as transportLogin } from './lib/transport.mjs';

const P = 'sg:{45}:';
const C = '2027-spring';
const FOLD = `${P}fold`;
// Villages of two counties (450102, 450103), as the division data has them.
const VILLAGES = ['450102001003', '450102001004', '450102002001', '450103001005'];
const FOLD_LUA = ['fold_lib.lua', 'fold.lua'].map((f, i) => fs.readFileSync(path.join(REPO, 'backend/store', f), 'utf8')).join('');

let redis, c;
const disposables = [];
before(async () => {
    redis = new RedisProc('fold', ['--appendonly', 'yes', '--appendfsync', 'always']);
    await redis.start();
    c = await redis.client();
});
after(async () => {
    c?.close();
    for (const d of disposables.reverse()) await d.dispose().catch(() => {});
    await redis?.dispose();
});

const text = (x) => (Buffer.isBuffer(x) ? x.toString() : String(x));
const strings = async (...a) => (await c.call(...a)).map(text);

async function keys(pattern) {
    const out = [];
    let cursor = '0';
    do {
        const [next, page] = await c.call('SCAN', cursor, 'MATCH', pattern, 'COUNT', '1000');
        cursor = text(next);
        out.push(...page.map(text));
    } while (cursor !== '0');
    return out.sort();
}

/** What the counters and indexes must be, recounted from the registration hashes alone. */
async function recount() {
    const stats = {};
    const byplace = [];
    const open = [];
    const cancelled = [];
    const add = (key, field, n) => {
        stats[key] ??= {};
        stats[key][field] = (stats[key][field] || 0) + n;
    };
    for (const key of await keys(`${P}reg:*`)) {
        const [village, status, counted, member, people] = (await c.call('HMGET', key, 'village', 'status', 'counted', 'open', 'people')).map((x) => (x === null ? null : text(x)));
        const code = key.slice(`${P}reg:`.length);
        if (status === 'cancelled') {
            cancelled.push(`${village}:${code}`);
            continue;
        }
        byplace.push(`${village}:${code}`);
        open.push(member);
        // 'counted' leaves out people and regs, which every registration adds (its people, 1)
        const w = [...counted.split(' ').filter(Boolean), 'people', people, 'regs', '1'];
        for (let i = 0; i + 1 < w.length; i += 2) {
            add(`${P}${C}:stats:${village}`, w[i], Number(w[i + 1]));
            add(`${P}${C}:stats:${village.slice(0, 6)}`, w[i], Number(w[i + 1]));
        }
    }
    return { stats, byplace: byplace.sort(), open: open.sort(), cancelled: cancelled.sort() };
}

/** The counters and indexes as Redis holds them. */
async function stored() {
    const stats = {};
    for (const key of await keys(`${P}${C}:stats:*`)) {
        const flat = (await c.call('HGETALL', key)).map(text);
        for (let i = 0; i < flat.length; i += 2) {
            if (Number(flat[i + 1]) === 0) continue;
            stats[key] ??= {};
            stats[key][flat[i]] = Number(flat[i + 1]);
        }
    }
    const z = async (k) => (await strings('ZRANGE', `${P}${C}:${k}`, '0', '-1')).sort();
    return { stats, byplace: await z('byplace'), open: await z('open'), cancelled: await z('cancelled') };
}

const pending = async () => Number(await c.call('LLEN', FOLD));

/** A counter of the server's /metrics. */
async function metric(srv, name) {
    const r = await srv.get('/metrics');
    assert.equal(r.status, 200, r.text);
    const m = r.text.match(new RegExp(`^${name} (\\d+)$`, 'm'));
    assert.ok(m, `${name} in /metrics`);
    return Number(m[1]);
}

function server(name, env = {}) {
    const s = new ServerProc(name, redis, { env: { SONGGONG_ACCESS_LOG: 'off', SONGGONG_NOTIFY_SENDER: 'off', ...env } });
    disposables.push(s);
    return s;
}

/** n sign-ups through the API, spread over villages, with companions, poverty, destinations and dates. */
async function signUps(srv, n, from = 0) {
    const made = [];
    for (let i = from; i < from + n; i++) {
        const body = signup({
            village: VILLAGES[i % VILLAGES.length],
            id_number: newId({ region: i % 3 ? '450102' : '450103' }),
            poverty: i % 5 === 0 ? 'alleviated' : 'none',
            dest_city: i % 2 ? '4419' : '4403',
            depart_date: `2027-02-${String(3 + (i % 7)).padStart(2, '0')}`,
            companions: i % 4 === 0 ? [companion({ poverty: 'monitored' }), companion()] : i % 3 === 0 ? [companion()] : [],
        });
        const r = await srv.post('/api/registrations', body);
        assert.equal(r.status, 201, r.text);
        made.push({ code: r.json.code, body });
    }
    return made;
}

test('kill -9 of the server between sign-ups and their fold: a new server folds them, the counters equal a recount', async () => {
    // SONGGONG_FOLD_MS=0: the server folds only before a read or a change, so every sign-up
    // below is still on the fold list when the server dies
    const srv = server('fold-lazy', { SONGGONG_FOLD_MS: '0' });
    await srv.start();
    const made = await signUps(srv, 24);
    assert.equal(await pending(), 24, 'the sign-ups wait for their fold');
    assert.deepEqual((await stored()).byplace, [], 'nothing folded yet');
    // a cancel of a pending sign-up folds everything first: it takes back what was counted
    const gone = made[1];
    assert.equal((await srv.post(`/api/registrations/${gone.code}/cancel`, { phone4: gone.body.phone.slice(-4) })).status, 200);
    assert.equal(await pending(), 0, 'the cancel folded the list first');
    const more = await signUps(srv, 12, 24);
    assert.equal(await pending(), 12);
    srv.child.kill('SIGKILL');
    await srv.child.exited;
    srv.child = null;
    assert.equal(await pending(), 12, 'the sign-ups outlive the server that took them');

    srv.extraEnv = { ...srv.extraEnv, SONGGONG_FOLD_MS: '100' }; // the default fold: behind sign-ups, on reads, every 100 ms
    await srv.start(); // the same key file
    assert.ok(await until(async () => (await pending()) === 0, 10000, 50), 'the new server folds what was left');
    const want = await recount();
    assert.equal(want.byplace.length, 35);
    assert.deepEqual(want.cancelled, [`${gone.body.village}:${gone.code}`]);
    assert.deepEqual(await stored(), want);
    // the dashboard agrees, and every code can be looked up
    addUser(srv, 'fold_admin', 'admin', '45');
    const admin = await login(srv, 'fold_admin');
    const s = await admin.get('/api/stats?scope=45');
    assert.equal(s.status, 200, s.text);
    const people = [...made, ...more].filter((m) => m !== gone).reduce((n, m) => n + 1 + m.body.companions.length, 0);
    assert.equal(s.json.totals.people, people);
    assert.equal(s.json.totals.regs, 35);
    for (const m of more) assert.equal((await srv.get(`/api/registrations/${m.code}?phone4=${m.body.phone.slice(-4)}`)).status, 200);
    await srv.stop();
});

test('a fold run twice changes nothing; folds racing on several connections count each entry once', async () => {
    const srv = server('fold-twice', { SONGGONG_FOLD_MS: '0' });
    await srv.start();
    await signUps(srv, 30, 100);
    assert.equal(await pending(), 30);
    await srv.stop();
    const before0 = await stored();
    // five connections fold at once, 7 entries a call, as several servers would
    const clients = await Promise.all(Array.from({ length: 5 }, () => redis.client()));
    const results = await Promise.all(clients.map((x) => x.call('EVAL', FOLD_LUA, '1', FOLD, P, '7')));
    const folded = results.reduce((n, r) => n + Number(r[0]), 0);
    while ((await pending()) > 0) await c.call('EVAL', FOLD_LUA, '1', FOLD, P, '7');
    for (const x of clients) x.close();
    assert.ok(folded <= 30 && folded >= 7, `folded ${folded}`);
    const once = await stored();
    assert.notDeepEqual(once, before0, 'the first fold added the sign-ups');
    assert.deepEqual(once, await recount(), 'each entry counted once');
    const again = await c.call('EVAL', FOLD_LUA, '1', FOLD, P, '1000');
    assert.deepEqual(again.map(Number), [0, 0]);
    assert.deepEqual(await stored(), once, 'the second fold changed nothing');
});

test('an edit of a pending sign-up folds it first; two servers signing up at once keep the recount', async () => {
    const a = server('fold-a', { SONGGONG_FOLD_MS: '0' });
    const b = server('fold-b');
    await a.start();
    addUser(a, 'fold_county', 'county', '450102');
    const staff = await login(a, 'fold_county');
    const [one] = await signUps(a, 1, 200);
    assert.equal(await pending(), 1);
    const g = await staff.get(`/api/registrations/${one.code}`);
    assert.equal(g.status, 200, g.text);
    const moved = VILLAGES.find((v) => v !== one.body.village && v.startsWith('450102'));
    const e = await staff.request('PATCH', `/api/registrations/${one.code}`, { json: { ...one.body, village: moved, companions: [] } });
    assert.equal(e.status, 200, e.text);
    assert.deepEqual(await stored(), await recount(), 'the edit moved what the fold had just added');
    // a leaves its sign-ups for a reader, b folds its own (and takes a's along). b starts
    // only now: its fold timer (every 100 ms) would race the checks of a's pending sign-up above
    b.keyFile = a.keyFile; // one deployment: one key
    await b.start();
    await Promise.all([signUps(a, 20, 300), signUps(b, 20, 400), signUps(a, 20, 500), signUps(b, 20, 600)]);
    await b.stop();
    await signUps(a, 5, 700);
    assert.ok((await pending()) >= 5, 'server a left its sign-ups to be folded');
    const r = await staff.get('/api/stats?scope=450102');
    assert.equal(r.status, 200, r.text);
    assert.equal(await pending(), 0, 'the read folded first');
    assert.deepEqual(await stored(), await recount());
    await a.stop();
});

test('a move by hand right after a sign-up folds it first; a read folds more than one batch', async () => {
    const srv = server('fold-move', { SONGGONG_FOLD_MS: '0' });
    await srv.start();
    addTransportUser(srv, 'fold_org', 'organiser', '45');
    const org = await transportLogin(srv, 'fold_org');
    const v = await org.post('/api/vehicles', busPlan());
    assert.equal(v.status, 201, v.text);
    const [one] = await signUps(srv, 1, 707); // to 4419 on 2027-02-03, as the bus
    assert.equal(await pending(), 1, 'the sign-up waits for its fold');
    const m = await org.post(`/api/vehicles/${v.json.id}/passengers`, { code: one.code });
    assert.equal(m.status, 200, m.text);
    assert.equal(await pending(), 0, 'the move folded first');
    await c.call('EVAL', FOLD_LUA, '1', FOLD, P, '0');
    const open = await strings('ZRANGE', `${P}${C}:open`, '0', '-1');
    assert.deepEqual(open.filter((x) => x.includes(`:${one.code}:`)), [], 'an assigned registration is not open');
    assert.deepEqual((await stored()).byplace, (await recount()).byplace);

    // 2,500 entries pending (of another campaign, as signup.lua pushes them): one read folds them all
    const other = '2023';
    const entries = Array.from({ length: 2500 }, (_, i) => `${other} ${VILLAGES[i % 4]}:Z${String(i).padStart(7, '0')}:4419:20000:1:0:2 dest:4419 2 date:2027-02-03 2`);
    for (let i = 0; i < entries.length; i += 500) await c.call('RPUSH', FOLD, ...entries.slice(i, i + 500));
    assert.equal(await pending(), 2500);
    const r = await org.get(`/api/stats?scope=45&campaign=${other}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(await pending(), 0, 'the read folded every batch');
    assert.deepEqual([r.json.totals.regs, r.json.totals.people], [2500, 5000]);
    for (const k of await keys(`${P}${other}:*`)) await c.call('DEL', k);
    await srv.stop();
});

test('sign-ups arriving together go as one call and are folded in it; each keeps its own answer', async () => {
    const srv = server('fold-batch');
    await srv.start();
    const calls0 = await metric(srv, 'songgong_signup_calls_total');
    const tries0 = await metric(srv, 'songgong_signup_attempts_total');
    const bodies = Array.from({ length: 40 }, (_, i) =>
        signup({
            village: VILLAGES[i % VILLAGES.length],
            id_number: newId({ region: i % 2 ? '450102' : '450103' }),
            dest_city: i % 2 ? '4419' : '4403',
            companions: i % 5 === 0 ? [companion()] : [],
        }),
    );
    const twin = { ...bodies[7], phone: bodies[8].phone }; // bodies[7]'s worker once more: one of the two is refused
    const key = 'batch-retry-0123456789';
    // they arrive together: sent while the server is stopped (on a busy machine, sent to a
    // running one they could trickle in one event-loop turn each)
    srv.child.kill('SIGSTOP');
    let sent;
    try {
        sent = Promise.all([
            ...bodies.map((b) => srv.post('/api/registrations', b)),
            srv.post('/api/registrations', twin),
            srv.post('/api/registrations', bodies[3], { headers: { 'Idempotency-Key': key } }),
            srv.post('/api/registrations', bodies[3], { headers: { 'Idempotency-Key': key } }),
        ]);
        await new Promise((r) => setTimeout(r, 300));
    } finally {
        srv.child.kill('SIGCONT');
    }
    const answers = await sent;
    const [twinA, twinB] = [answers[7], answers[40]];
    assert.deepEqual([twinA.status, twinB.status].sort(), [201, 409], `${twinA.text} ${twinB.text}`);
    assert.equal((twinA.status === 409 ? twinA : twinB).json.error.field, 'id_number');
    // bodies[3] came three times: once without a key, twice with one; the first to run is
    // stored, a keyed one after it is a duplicate unless it replays the keyed one stored
    const three = [answers[3], answers[41], answers[42]];
    const stored3 = three.filter((r) => r.status === 201);
    assert.equal(new Set(stored3.map((r) => r.json.code)).size, 1, 'one registration for bodies[3]');
    for (const r of three.filter((x) => x.status !== 201)) assert.equal(r.status, 409, r.text);
    if (answers[41].status === 201 || answers[42].status === 201) {
        assert.equal(answers[41].status, answers[42].status, 'the two with one key answer alike');
        assert.equal(answers[41].json?.code, answers[42].json?.code);
    }
    for (const [i, r] of answers.slice(0, 40).entries()) if (i !== 7 && i !== 3) assert.equal(r.status, 201, r.text);
    const calls = (await metric(srv, 'songgong_signup_calls_total')) - calls0;
    const tries = (await metric(srv, 'songgong_signup_attempts_total')) - tries0;
    assert.equal(tries, 43, 'every attempt went to Redis once');
    assert.ok(calls < tries, `sign-ups arriving together shared calls: ${calls} calls for ${tries}`);
    assert.equal(await pending(), 0, 'folded in the calls that stored them');
    // (the open index and the transport counters t:* are left out: the test before assigned one)
    const [now, want] = [await stored(), await recount()];
    const signedUp = (stats) => Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).filter(([f]) => !f.startsWith('t:')))]));
    assert.deepEqual([now.byplace, signedUp(now.stats)], [want.byplace, want.stats]);
    const codes = [...new Set(answers.filter((r) => r.status === 201).map((r) => r.json.code))];
    assert.equal(codes.length, 40, '39 of the 40 bodies and the twin, once each');
    for (const code of codes) {
        const member = text(await c.call('HGET', `${P}reg:${code}`, 'open'));
        assert.ok(now.open.includes(member), `${code} is open to matching`);
    }
    // a call none of whose sign-ups is stored (the server summed their counters all the
    // same): every counter stays as it was
    const again = await Promise.all(bodies.slice(10, 16).map((b) => srv.post('/api/registrations', b)));
    for (const r of again) assert.equal(r.status, 409, r.text);
    assert.deepEqual(await stored(), now, 'nothing counted for sign-ups not stored');
    await srv.stop();
});
