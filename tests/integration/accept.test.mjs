// SPDX-License-Identifier: MIT
// An accept's writes at scale (service/matching.c, store/accept.c; docs/redis-keys.md,
// Matching and assignments): thousands of made-up people accepted with a minimum of one
// and areas by county, so that most groups go into vehicles the accept creates. While
// nothing changes the open index, those vehicles are written whole with their passengers
// (assign_fresh.lua) and the assigned runs leave the open index unread; a cancel during
// the accept makes the batches after it go through assign.lua, which checks each group.
// Either way Redis must hold the same truths afterwards, checked here against Redis
// itself: every assignment is a registered person's, on the seat its vehicle's seat list
// says; no seat given twice or past capacity; each vehicle's used, seat_next and holes
// agree with its seat list; nothing assigned is still open and everything open and
// registered is in the open index; the transport counter t:assigned of every village
// and county equals a recount; every vehicle created is planned, goes where and when
// its passengers do, and has a stop serving each passenger's village. And every change an
// accept cannot see is counted in sg:{45}:open:changes: a cancel, an edit, a move by
// hand, a release, a vehicle cancelled with passengers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli, startStack } from './lib/harness.mjs';
import { signup } from './lib/people.mjs';
import { addUser, busPlan, login } from './lib/transport.mjs';

const C = '2027-spring';
const P = 'sg:{45}:';
const ALL_IN = ['--area', 'county', '--bus-min', '1', '--train-min', '1', '--flight-min', '1'];

let stack, srv, redis, mon, org;
const monitored = [];
before(async () => {
    stack = await startStack('accept');
    srv = stack.server;
    redis = await stack.redis.client();
    mon = await stack.redis.client();
    mon.onUnsolicited = (line) => monitored.push(String(line));
    assert.equal(String(await mon.call('MONITOR')), 'OK');
    addUser(srv, 'acc-org', 'organiser', '45');
    org = await login(srv, 'acc-org');
});
after(async () => {
    redis?.close();
    mon?.close();
    await stack?.close();
});

const text = (x) => (Buffer.isBuffer(x) ? x.toString() : String(x));
const strs = async (...a) => (await redis.call(...a)).map(text);

async function scan(pattern) {
    const out = [];
    let cursor = '0';
    do {
        const [next, page] = await redis.call('SCAN', cursor, 'MATCH', pattern, 'COUNT', '2000');
        cursor = text(next);
        out.push(...page.map(text));
    } while (cursor !== '0');
    return out;
}

/** The registrations: code -> {village, status, people, open}. */
async function registrations() {
    const out = new Map();
    for (const key of await scan(`${P}reg:*`)) {
        const [village, status, people, open] = (await redis.call('HMGET', key, 'village', 'status', 'people', 'open')).map((x) => (x === null ? null : text(x)));
        out.set(key.slice(-8), { village, status, people: Number(people), open });
    }
    return out;
}

/** Everything an accept must leave true, from Redis alone. Returns the assignments. */
async function checkTruths() {
    const regs = await registrations();
    const flat = await strs('HGETALL', `${P}${C}:assign`);
    const assign = new Map();
    for (let i = 0; i < flat.length; i += 2) assign.set(flat[i], flat[i + 1]);
    for (const [code, where] of assign) assert.equal(regs.get(code)?.status, 'registered', `${code} assigned (${where}) but ${regs.get(code)?.status}`);
    // vehicles: seat lists, used, seat_next and holes, and what the accept gave each
    const seen = new Set();
    for (const m of await strs('ZRANGE', `${P}${C}:vehicles`, 0, -1)) {
        const id = m.slice(m.indexOf(':') + 1);
        const v = Object.fromEntries((await strs('HGETALL', `${P}vehicle:${id}`)).reduce((a, x, i, all) => (i % 2 ? a : [...a, [x, all[i + 1]]]), []));
        const seats = await strs('ZRANGE', `${P}vehicle:${id}:seats`, 0, -1, 'WITHSCORES');
        const taken = new Set();
        let used = 0;
        for (let i = 0; i < seats.length; i += 2) {
            const [code, seat] = [seats[i], Number(seats[i + 1])];
            const r = regs.get(code);
            assert.equal(assign.get(code), `${id}:${seat}`, `${code}: the assignment hash and vehicle ${id}'s seat list agree`);
            for (let s = seat; s < seat + r.people; s++) {
                assert.ok(!taken.has(s) && s >= 1 && s <= Number(v.capacity), `seat ${s} of vehicle ${id}`);
                taken.add(s);
            }
            used += r.people;
            seen.add(code);
            const [, , city, day] = r.open.split(':');
            const flex = Number(r.open.split(':')[4]);
            assert.equal(v.dest_city, city, `${code} goes where vehicle ${id} goes`);
            assert.ok(Math.abs(Number(v.day) - Number(day)) <= flex, `${code} travels on vehicle ${id}'s day`);
            const serves = JSON.parse(v.plan).stops.map((s) => s.serves).filter(Boolean);
            if (serves.length) assert.ok(serves.some((a) => r.village.startsWith(a)), `a stop of vehicle ${id} serves ${r.village}`);
        }
        assert.equal(Number(v.used), used, `used of vehicle ${id}`);
        const next = Number(v.seat_next || 1);
        const holes = new Set();
        for (const h of (v.holes || '').split(' ').filter(Boolean)) {
            const [a, b] = h.split('-').map(Number);
            for (let s = a; s <= b; s++) holes.add(s);
        }
        for (let s = 1; s < next; s++) assert.ok(taken.has(s) !== holes.has(s), `seat ${s} of vehicle ${id}: taken or a hole, not both or neither`);
        for (const s of taken) assert.ok(s < next, `seat ${s} of vehicle ${id} below seat_next ${next}`);
        if (v.campaign) assert.equal(v.campaign, C);
        assert.ok(['planned', 'boarding', 'departed', 'arrived', 'cancelled'].includes(v.status), v.status);
    }
    assert.equal(seen.size, assign.size, 'every assignment is on a seat list');
    // the open index: nothing assigned in it, every registered and unassigned registration in it
    const open = new Set(await strs('ZRANGE', `${P}${C}:open`, 0, -1));
    for (const m of open) assert.ok(!assign.has(m.split(':')[1]), `${m} assigned but still open`);
    for (const [code, r] of regs) if (r.status === 'registered' && !assign.has(code)) assert.ok(open.has(r.open), `${code} registered and unassigned but not open`);
    // t:assigned of every village and county: a recount
    const want = new Map();
    for (const code of assign.keys()) {
        const r = regs.get(code);
        for (const k of [r.village, r.village.slice(0, 6)]) want.set(k, (want.get(k) || 0) + r.people);
    }
    for (const key of await scan(`${P}${C}:stats:*`)) {
        const got = Number(text((await redis.call('HGET', key, 't:assigned')) ?? '0'));
        const place = key.slice(`${P}${C}:stats:`.length);
        assert.equal(got, want.get(place) || 0, `t:assigned of ${place}`);
        want.delete(place);
    }
    assert.deepEqual([...want.keys()], [], 'places assigned without a counter');
    return assign;
}

test('people accepted into vehicles the accept creates: written whole while nothing changed, the truths hold', async () => {
    const made = runCli(['demo-data', '--people', '3000', '--seed', '11'], srv.env);
    assert.equal(made.status, 0, made.stderr);
    const before = Number(await redis.call('ZCARD', `${P}${C}:open`));
    assert.ok(before > 1500, `${before} open`);
    monitored.length = 0;
    const r = runCli(['match', '--campaign', C, '--scope', '45', '--accept', ...ALL_IN], srv.env);
    assert.equal(r.status, 0, r.stderr);
    const accepted = Number(r.stdout.match(/^accepted: (\d+) registrations/m)[1]);
    assert.ok(accepted > 0.95 * before, r.stdout);
    const assign = await checkTruths();
    assert.equal(assign.size, accepted);
    // the new vehicles came whole, through assign_fresh.lua (its first key: the assignment hash)
    const fresh = monitored.filter((l) => /"EVALSHA" "[0-9a-f]{40}" "\d+" "sg:\{45\}:2027-spring:assign" "sg:\{45\}:2027-spring:vehicles" "sg:\{45\}:open:changes"/.test(l));
    assert.ok(fresh.length > 0, 'batches of new vehicles written whole');
    // and the assigned runs left the open index without being read: no ZRANGEBYLEX in a script
    assert.equal(monitored.filter((l) => / \[0 lua\] "ZRANGEBYLEX" "sg:\{45\}:2027-spring:open"/i.test(l)).length, 0, 'no run read back');
});

test('a cancel during an accept: the batches after it check each group, the cancelled one gets no seat, the truths hold', async () => {
    const made = runCli(['demo-data', '--people', '3000', '--seed', '12'], srv.env);
    assert.equal(made.status, 0, made.stderr);
    const open = await strs('ZRANGE', `${P}${C}:open`, 0, -1);
    assert.ok(open.length > 1500, `${open.length} open`);
    const victim = open[Math.floor(open.length / 2)].split(':')[1];
    monitored.length = 0;
    // The moment the accept has read the open index (its count of changes first), a change
    // is counted as every script that takes a member out or undoes an assignment counts
    // it (seats.lua's open_changed; it comes before the accept's first batch, which waits
    // for its matching), and a worker cancels through the API (which counts it too, when
    // it lands).
    let cancelled;
    const read = new Promise((resolve) => {
        const push = monitored.push.bind(monitored);
        monitored.push = (line) => {
            if (!cancelled && /"HGET" "sg:\{45\}:open:changes" "2027-spring"/.test(line) && !/\[0 lua\]/.test(line)) {
                cancelled = Promise.all([redis.call('HINCRBY', `${P}open:changes`, C, '1'), org.post(`/api/registrations/${victim}/cancel`, {})]).then((x) => x[1]);
                resolve();
            }
            return push(line);
        };
    });
    const accept = org.post('/api/match', { campaign: C, scope: '45', accept: true, min_load: { bus: 1, train: 1, flight: 1 }, area: 'county' });
    await read;
    const [a, c] = await Promise.all([accept, cancelled]);
    assert.equal(a.status, 200, a.text);
    assert.equal(c.status, 200, c.text);
    delete monitored.push;
    const assign = await checkTruths();
    assert.ok(!assign.has(victim), 'the cancelled registration holds no seat');
    assert.equal(text(await redis.call('HGET', `${P}reg:${victim}`, 'status')), 'cancelled');
    assert.ok(Number(await redis.call('ZCARD', `${P}${C}:open`)) < 0.05 * open.length, 'nearly everyone accepted');
    // the changes were counted; batches after them were checked group by group through
    // assign.lua, which then created their vehicles ("planned" among its arguments)
    assert.ok(monitored.some((l) => /\[0 lua\] "HINCRBY" "sg:\{45\}:open:changes" "2027-spring" "1"/.test(l)), 'the cancel counted a change');
    const at = monitored.findIndex((l) => /"HINCRBY" "sg:\{45\}:open:changes" "2027-spring" "1"/.test(l));
    const checked = monitored.slice(at).filter((l) => /"EVALSHA" "[0-9a-f]{40}" "\d+" "sg:\{45\}:2027-spring:open" "sg:\{45\}:2027-spring:assign"/.test(l) && l.includes('"planned"'));
    assert.ok(checked.length > 0, 'new vehicles created by batches checked group by group');
});

test('every change an accept cannot see is counted: a cancel, an edit, a move by hand, a release, a vehicle cancelled with passengers', async () => {
    const count = async () => Number(text((await redis.call('HGET', `${P}open:changes`, C)) ?? '0'));
    const mk = async () => {
        const b = signup({ dest_city: '4419', depart_date: '2027-02-03', flex_days: 0 });
        const r = await srv.post('/api/registrations', b);
        assert.equal(r.status, 201, r.text);
        return { code: r.json.code, body: b };
    };
    const bus = await org.post('/api/vehicles', busPlan({ scope: '45', dest_city: '4419', depart_date: '2027-02-03' }));
    assert.equal(bus.status, 201, bus.text);
    const vid = bus.json.id;
    const steps = [
        ['a cancel of an open registration', async (x) => org.post(`/api/registrations/${x.code}/cancel`, {})],
        ['an edit of an open registration', async (x) => org.patch(`/api/registrations/${x.code}`, { ...x.body, flex_days: 1 })],
        ['a move by hand of an open registration', async (x) => org.post(`/api/vehicles/${vid}/passengers`, { code: x.code })],
    ];
    for (const [what, act] of steps) {
        const x = await mk();
        const before = await count();
        const r = await act(x);
        assert.equal(r.status, 200, `${what}: ${r.text}`);
        assert.ok((await count()) > before, what);
    }
    // a release and a cancelled vehicle undo assignments
    const x = await mk();
    assert.equal((await org.post(`/api/vehicles/${vid}/passengers`, { code: x.code })).status, 200);
    let before = await count();
    assert.equal((await org.del(`/api/vehicles/${vid}/passengers/${x.code}`)).status, 200);
    assert.ok((await count()) > before, 'a release');
    assert.equal((await org.post(`/api/vehicles/${vid}/passengers`, { code: x.code })).status, 200);
    before = await count();
    assert.equal((await org.patch(`/api/vehicles/${vid}`, { status: 'cancelled' })).status, 200);
    assert.ok((await count()) > before, 'a vehicle cancelled with passengers');
});
