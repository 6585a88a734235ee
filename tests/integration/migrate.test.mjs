// SPDX-License-Identifier: MIT
// The key layout's version: an empty Redis is marked sg:{45}:schema = 4 on the first start.
// Data under the names of the layout before (sg:reg:CODE, sg:2027-spring:byplace, ...,
// no version key) makes `songgong serve` and the other commands refuse to start with one
// line saying to run `songgong migrate`; migrate moves every key (also after an
// interrupted run), says nothing when run again, and the registrations, the account, its
// session, an idempotency key and the uniqueness keys work through the API afterwards.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { REPO, binary, runCli, startStack } from './lib/harness.mjs';
import { companion, signup } from './lib/people.mjs';
import { addUser, login } from './lib/staff.mjs';
import { busPlan, NO_MINIMUM, addUser as addTransportUser, login as transportLogin } from './lib/transport.mjs';

const P = 'sg:{45}:';
const OLD = 'sg:';

let stack, srv, redis;
before(async () => {
    stack = await startStack('migrate', { publicUrl: 'https://sg.example.cn' }); // the same links before and after
    srv = stack.server;
    redis = await stack.redis.client();
});
after(async () => {
    redis?.close();
    await stack?.close();
});

const keys = async (pattern = '*') => (await redis.call('KEYS', pattern)).map(String).sort();
const lookup = (r, body) => srv.get(`/api/registrations/${r.json.code}?phone4=${body.phone.slice(-4)}`);

/** Every key back under its name of the layout before version 2, as the old server wrote them. */
async function toOldLayout() {
    for (const k of await keys()) {
        assert.ok(k.startsWith(P), `key ${k} outside ${P}`);
        if (k === `${P}schema`) {
            await redis.call('DEL', k); // the old layout had no version key
            continue;
        }
        const old = OLD + k.slice(P.length);
        await redis.call('RENAME', k, old);
        if (old.endsWith(':sessions')) {
            // the set holds session key names: the old ones then
            for (const m of (await redis.call('SMEMBERS', old)).map(String)) {
                await redis.call('SREM', old, m);
                await redis.call('SADD', old, OLD + m.slice(P.length));
            }
        }
    }
    // a purge stopped half way kept its SCAN position among the old names
    await redis.call('SET', `${OLD}purge:2027-spring`, '2 17');
}

test('an empty Redis is marked with the layout version on the first start', async () => {
    assert.equal(String(await redis.call('GET', `${P}schema`)), '4');
});

test('data of the old layout: refused until migrated, then read back through the API', async () => {
    addUser(srv, 'org', 'organiser', '45');
    const org = await login(srv, 'org');
    const idem = `migrate-${Date.now()}`;
    const bodies = [signup({ companions: [companion(), companion()] }), signup(), signup({ companions: [companion()] })];
    const made = [];
    for (const [i, b] of bodies.entries()) {
        const r = await srv.post('/api/registrations', b, i === 0 ? { headers: { 'Idempotency-Key': idem } } : {});
        assert.equal(r.status, 201, r.text);
        made.push(r);
    }
    assert.equal((await org.post(`/api/registrations/${made[1].json.code}/cancel`, {})).status, 200);
    assert.equal((await org.post('/api/vehicles', busPlan())).status, 201);
    assert.equal((await org.post('/api/match', { campaign: '2027-spring', scope: '45', accept: true, min_load: NO_MINIMUM })).status, 200);
    const before = await Promise.all(made.map((r, i) => lookup(r, bodies[i])));
    for (const r of before) assert.equal(r.status, 200, r.text);
    assert.equal(before[0].json.status, 'assigned', 'matched into the bus');
    const listBefore = (await org.get('/api/registrations?per_page=200')).json;
    const cancelledBefore = (await org.get('/api/registrations?status=cancelled&per_page=200')).json;
    await srv.stop();

    await toOldLayout();
    const oldKeys = await keys();
    assert.ok(oldKeys.includes(`${OLD}reg:${made[0].json.code}`), oldKeys.join(' '));
    assert.ok(oldKeys.includes(`${OLD}2027-spring:byplace`));
    assert.ok(oldKeys.includes(`${OLD}user:org:sessions`));

    // refused: the server and the other commands, with one line naming the way out
    const serve = spawnSync(binary(), ['serve'], { env: srv.env, cwd: REPO, encoding: 'utf8', timeout: 60000 });
    assert.equal(serve.status, 1, serve.stderr);
    const line = serve.stderr.trim().split('\n').pop();
    assert.match(line, /old key layout .*run 'songgong migrate' first/);
    const list = runCli(['user', 'list'], srv.env);
    assert.equal(list.status, 1);
    assert.match(list.stderr, /run 'songgong migrate' first/);
    assert.deepEqual(await keys(), oldKeys, 'nothing written by the refused commands');

    // an interrupted migration: some keys already moved (not the session set, which an
    // earlier run moves together with its members)
    const early = oldKeys.filter((k, i) => i % 2 === 0 && !k.endsWith(':sessions') && !k.startsWith(`${OLD}purge:`));
    for (const k of early) await redis.call('RENAME', k, P + k.slice(OLD.length));

    let r = runCli(['migrate'], srv.env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^migrated ${oldKeys.length - 1 - early.length} keys to the sg:\\{45\\}: layout`));
    assert.equal(r.stderr, '');
    const now = await keys();
    assert.deepEqual(
        now.filter((k) => !k.startsWith(P)),
        [],
        'no key of the old layout left',
    );
    assert.equal(String(await redis.call('GET', `${P}schema`)), '4');
    assert.ok(!now.includes(`${P}purge:2027-spring`), 'the old purge position is dropped');
    assert.equal(now.length, oldKeys.length - 1 + 1, 'every key but the purge position, and the version');
    for (const m of (await redis.call('SMEMBERS', `${P}user:org:sessions`)).map(String)) assert.ok(m.startsWith(`${P}session:`), m);

    // again: quiet
    r = runCli(['migrate'], srv.env);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, '');

    await srv.start();
    const after = await Promise.all(made.map((x, i) => lookup(x, bodies[i])));
    assert.deepEqual(
        after.map((x) => [x.status, x.json]),
        before.map((x) => [x.status, x.json]),
    );
    // the session of before still works: its key moved
    assert.equal((await org.get('/api/me')).status, 200);
    assert.deepEqual((await org.get('/api/registrations?per_page=200')).json, listBefore);
    assert.deepEqual((await org.get('/api/registrations?status=cancelled&per_page=200')).json, cancelledBefore);
    // the idempotency key: a retry answers the first code
    const replay = await srv.post('/api/registrations', bodies[0], { headers: { 'Idempotency-Key': idem } });
    assert.equal(replay.status, 201, replay.text);
    assert.equal(replay.json.code, made[0].json.code);
    // the uniqueness keys: the same ID number again is a duplicate; the cancelled one's is free
    const dup = await srv.post('/api/registrations', signup({ id_number: bodies[2].id_number }));
    assert.equal(dup.status, 409, dup.text);
    assert.equal((await srv.post('/api/registrations', signup({ id_number: bodies[1].id_number }))).status, 201);

    // disabling the account ends that session: the set of its sessions names the new key
    assert.equal((await keys(`${P}session:*`)).length, 1);
    r = runCli(['user', 'disable', 'org'], srv.env);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(await keys(`${P}session:*`), []);
    assert.equal((await org.get('/api/me')).status, 401);
    for (const k of await keys()) assert.ok(k.startsWith(P), k);
});

test('version 2 kept birth dates in plain: refused until migrated, then only birth years are left', async () => {
    const bodies = [signup({ companions: [companion()] }), signup()];
    const made = [];
    for (const b of bodies) {
        const r = await srv.post('/api/registrations', b);
        assert.equal(r.status, 201, r.text);
        made.push(r);
    }
    const before = await Promise.all(made.map((r, i) => lookup(r, bodies[i])));
    await srv.stop();
    // what version 2 wrote: "birth":"YYYY-MM-DD" (from the ID number) instead of "by"
    const ids = bodies.flatMap((b) => [b.id_number, ...b.companions.map((c) => c.id_number)]);
    for (const r of made) {
        const key = `${P}reg:${r.json.code}`;
        const data = JSON.parse(String(await redis.call('HGET', key, 'data')));
        for (const p of data.people) {
            const id = ids.find((x) => x.startsWith(p.id_masked.slice(0, 6)) && x.endsWith(p.id_masked.slice(-4)) && x.slice(6, 10) === String(p.by));
            p.birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
            delete p.by;
        }
        await redis.call('HSET', key, 'data', JSON.stringify(data));
    }
    await redis.call('SET', `${P}schema`, '2');

    const list = runCli(['user', 'list'], srv.env);
    assert.equal(list.status, 1);
    assert.match(list.stderr, /version 2 \(birth dates in plain\).*run 'songgong migrate' first/);
    const r = runCli(['migrate'], srv.env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^rewrote \d+ registrations: birth dates replaced by birth years \(version 4\)$/m);
    assert.equal(String(await redis.call('GET', `${P}schema`)), '4');
    for (const x of made) {
        const data = String(await redis.call('HGET', `${P}reg:${x.json.code}`, 'data'));
        assert.ok(!/"birth"/.test(data), data);
        assert.match(data, /"by":(19|20)\d\d/);
    }
    assert.equal(runCli(['migrate'], srv.env).stdout, '', 'again: nothing to do');
    await srv.start();
    const after = await Promise.all(made.map((x, i) => lookup(x, bodies[i])));
    assert.deepEqual(
        after.map((x) => [x.status, x.json]),
        before.map((x) => [x.status, x.json]),
    );
});

/** A registration's data as version 3 wrote it (codec.c before the compact form): every field spelled out. */
function toLayout3(d) {
    const people = d.people.map((p) => ({
        name: p.n,
        id: p.id,
        idh: p.h,
        phone: p.phone,
        id_masked: `${p.id_masked.slice(0, 6)}********${p.id_masked.slice(6)}`,
        phone_masked: p.pm ? `${p.pm.slice(0, 3)}****${p.pm.slice(3)}` : '',
        sex: Number(p.id_masked[8]) % 2 ? 1 : 2,
        by: p.by,
        poverty: ['none', 'alleviated', 'monitored'][p.v || 0],
        flag: p.g ? 'region_unknown' : '',
        ph: p.ph,
    }));
    return {
        dest_city: d.dest_city,
        employer: d.e || '',
        job_confirmed: d.j === 1,
        depart_date: d.depart_date,
        flex_days: d.f,
        mode: d.m || 'any',
        entered_by: d.eb || '',
        employer_id: d.ei || '',
        seek: d.s === 1,
        work: d.w || '',
        sms: d.t === 1,
        people,
    };
}

test('version 3 spelled the data out: refused until migrated, then compact and read back the same', async () => {
    // deploy/redis.conf: a registration hash stays one listpack
    await redis.call('CONFIG', 'SET', 'hash-max-listpack-value', '8192');
    addUser(srv, 'org3', 'organiser', '45');
    const org = await login(srv, 'org3');
    const bodies = [signup({ companions: [companion({ poverty: 'monitored' }), companion({ phone: '13700005555' })], poverty: 'alleviated' }), signup({ job_confirmed: false, mode: 'train' }), signup()];
    const made = [];
    for (const b of bodies) {
        const r = await srv.post('/api/registrations', b);
        assert.equal(r.status, 201, r.text);
        made.push(r);
    }
    const before = await Promise.all(made.map((r, i) => lookup(r, bodies[i])));
    const listBefore = (await org.get('/api/registrations?per_page=200')).json;
    await srv.stop();
    // what version 3 wrote: long data, the code as a field, people and regs in 'counted', a hash table
    const sizes = {};
    for (const r of made) {
        const key = `${P}reg:${r.json.code}`;
        const data = JSON.parse(String(await redis.call('HGET', key, 'data')));
        const counted = String(await redis.call('HGET', key, 'counted'));
        const people = String(await redis.call('HGET', key, 'people'));
        await redis.call('HSET', key, 'data', JSON.stringify(toLayout3(data)), 'code', r.json.code, 'counted', `people ${people} regs 1 ${counted}`, 'pad', 'x'.repeat(10000));
        await redis.call('HDEL', key, 'pad');
        assert.equal(String(await redis.call('OBJECT', 'ENCODING', key)), 'hashtable');
        sizes[key] = Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
    }
    await redis.call('SET', `${P}schema`, '3');

    const list = runCli(['user', 'list'], srv.env);
    assert.equal(list.status, 1);
    assert.match(list.stderr, /version 3 .*run 'songgong migrate' first/);
    const r = runCli(['migrate'], srv.env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^rewrote ${made.length} registrations in the compact form \\(version 4\\)$`, 'm'));
    assert.equal(String(await redis.call('GET', `${P}schema`)), '4');
    for (const x of made) {
        const key = `${P}reg:${x.json.code}`;
        assert.equal(await redis.call('HGET', key, 'code'), null, 'the code is the key\'s');
        assert.doesNotMatch(String(await redis.call('HGET', key, 'counted')), /\b(people|regs) /);
        const data = JSON.parse(String(await redis.call('HGET', key, 'data')));
        for (const p of data.people) {
            assert.equal(p.id_masked.length, 10);
            assert.equal(p.name, undefined);
            assert.equal(p.sex, undefined);
            assert.ok(p.n && p.h, JSON.stringify(p));
        }
        assert.equal(String(await redis.call('OBJECT', 'ENCODING', key)), 'listpack');
        const size = Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
        assert.ok(size < sizes[key] * 0.75, `${key}: ${size} bytes, ${sizes[key]} before`);
    }
    assert.equal(runCli(['migrate'], srv.env).stdout, '', 'again: nothing to do');
    await srv.start();
    const after = await Promise.all(made.map((x, i) => lookup(x, bodies[i])));
    assert.deepEqual(
        after.map((x) => [x.status, x.json]),
        before.map((x) => [x.status, x.json]),
    );
    assert.deepEqual((await org.get('/api/registrations?per_page=200')).json, listBefore);
    // a cancel takes back what version 3 counted (people and regs spelled out)
    const stats = async () => (await org.get('/api/stats?scope=45')).json.totals;
    const t0 = await stats();
    assert.equal((await srv.post(`/api/registrations/${made[0].json.code}/cancel`, { phone4: bodies[0].phone.slice(-4) })).status, 200);
    const t1 = await stats();
    assert.deepEqual([t1.people, t1.regs, t1.poverty], [t0.people - 3, t0.regs - 1, t0.poverty - 2]);
});

test('version 3 with transport marks: a told and a no-show registration keep their marks, trips and counts', async () => {
    await redis.call('CONFIG', 'SET', 'hash-max-listpack-value', '8192');
    addTransportUser(srv, 'org5', 'organiser', '45');
    const org = await transportLogin(srv, 'org5');
    const bodies = [signup({ companions: [companion()] }), signup()];
    const made = [];
    for (const b of bodies) {
        const r = await srv.post('/api/registrations', b);
        assert.equal(r.status, 201, r.text);
        made.push(r);
    }
    assert.equal((await org.post('/api/vehicles', busPlan())).status, 201);
    assert.equal((await org.post('/api/match', { campaign: '2027-spring', scope: '45', accept: true, min_load: NO_MINIMUM })).status, 200);
    const detail = async (r) => (await org.get(`/api/registrations/${r.json.code}`)).json;
    const [told, missed] = await Promise.all(made.map(detail));
    assert.ok(told.assignment && missed.assignment, 'both matched');
    assert.equal((await org.post(`/api/registrations/${made[0].json.code}/notified`, {})).status, 200);
    assert.equal((await org.patch(`/api/vehicles/${missed.assignment.vehicle}`, { status: 'boarding' })).status, 200);
    assert.equal((await org.post(`/api/registrations/${made[1].json.code}/no-show`, {})).status, 200);
    const before = await Promise.all(made.map(detail));
    assert.equal(before[0].assignment.notified, true);
    assert.equal(before[1].assignment.trip, 'no_show');
    const statsBefore = (await org.get('/api/stats?scope=45')).json;
    assert.ok(statsBefore.transport.notified >= 2, JSON.stringify(statsBefore.transport));
    await srv.stop();
    // what version 3 wrote: long data, the code as a field, people and regs in 'counted', and the marks beside them
    const marks = {};
    for (const r of made) {
        const key = `${P}reg:${r.json.code}`;
        const data = JSON.parse(String(await redis.call('HGET', key, 'data')));
        const counted = String(await redis.call('HGET', key, 'counted'));
        const people = String(await redis.call('HGET', key, 'people'));
        await redis.call('HSET', key, 'data', JSON.stringify(toLayout3(data)), 'code', r.json.code, 'counted', `people ${people} regs 1 ${counted}`);
        marks[key] = (await redis.call('HMGET', key, 'notified', 'notified_at', 'notified_by', 'no_show')).map((x) => (x === null ? null : String(x)));
    }
    assert.ok(Object.values(marks).some((m) => m[0] !== null) && Object.values(marks).some((m) => m[3] !== null), JSON.stringify(marks));
    await redis.call('SET', `${P}schema`, '3');
    const r = runCli(['migrate'], srv.env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^rewrote ${made.length} registrations in the compact form \\(version 4\\)$`, 'm'));
    for (const [key, m] of Object.entries(marks)) {
        assert.deepEqual((await redis.call('HMGET', key, 'notified', 'notified_at', 'notified_by', 'no_show')).map((x) => (x === null ? null : String(x))), m, key);
        assert.equal(await redis.call('HGET', key, 'code'), null);
    }
    await srv.start();
    assert.deepEqual(await Promise.all(made.map(detail)), before);
    assert.deepEqual((await org.get('/api/stats?scope=45')).json.transport, statsBefore.transport);
    // the mark still counts: taken back, the told count goes down by the group's people
    assert.equal((await org.post(`/api/registrations/${made[0].json.code}/notified`, { notified: false })).status, 200);
    assert.equal((await org.get('/api/stats?scope=45')).json.transport.notified, statsBefore.transport.notified - 2);
});
