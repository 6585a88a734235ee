// SPDX-License-Identifier: MIT
// The seat scripts on their own (backend/store/seats.lua in front of assign.lua,
// assignment_release.lua, assignment_move.lua, as the build embeds them; open_sweep.lua),
// against a real Redis: batches that arrive out of order, members that left or joined the
// open index between matching and writing, the sweep taking out runs of assigned members
// without touching any other, freed seats given again and never twice; the vehicles an
// accept creates written whole (assign_fresh.lua) only while the open index's count of
// changes is the one read, and created by assign.lua when given; the sweep of an
// accept's runs, which reads only a run a sign-up joined, or all once a change was counted.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { REPO, RedisProc } from './lib/harness.mjs';

const script = (name) => fs.readFileSync(path.join(REPO, 'backend/store/seats.lua'), 'utf8') + fs.readFileSync(path.join(REPO, `backend/store/${name}.lua`), 'utf8');
const ASSIGN = script('assign');
const RELEASE = script('assignment_release');
const MOVE = script('assignment_move');
const SWEEP = fs.readFileSync(path.join(REPO, 'backend/store/open_sweep.lua'), 'utf8');
const FRESH = fs.readFileSync(path.join(REPO, 'backend/store/assign_fresh.lua'), 'utf8');
const C = 'cmp';
const P = 'sg:{45}:'; // the key prefix (docs/redis-keys.md)
const OPEN = `${P}${C}:open`;
const ASSIGNED = `${P}${C}:assign`;
const CHANGES = `${P}open:changes`; // campaign -> changes an accept's view of the open index misses

let rp, redis;
before(async () => {
    rp = new RedisProc('seats');
    await rp.start();
    redis = await rp.client();
});
after(async () => {
    redis?.close();
    await rp?.dispose();
});

const str = async (...a) => {
    const r = await redis.call(...a);
    return Array.isArray(r) ? r.map((x) => (Buffer.isBuffer(x) ? x.toString() : x)) : Buffer.isBuffer(r) ? r.toString() : r;
};
// a registration with an open-index member, like signup.lua writes them
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
let n = 0;
async function reg(people = 1, village = '450102001001') {
    let code = '';
    for (let k = ++n, i = 0; i < 8; i++, k = Math.floor(k / 32)) code = ALPHABET[k % 32] + code;
    const member = `${village}:${code}:4419:20852:0:1:${people}`;
    await redis.call('HSET', `${P}reg:${code}`, 'code', code, 'campaign', C, 'village', village, 'status', 'registered', 'people', people, 'open', member, 'counted', '');
    await redis.call('ZADD', OPEN, 0, member);
    return { code, member, people };
}
async function bus(capacity = 10) {
    const id = String(await redis.call('INCR', `${P}vehicles:next`));
    await redis.call('HSET', `${P}vehicle:${id}`, 'id', id, 'campaign', C, 'scope', '4501', 'status', 'planned', 'capacity', capacity, 'used', 0, 'type', 'bus', 'dest_city', '4419', 'day', '20852');
    return id;
}
const assign = async (groups) => {
    const sorted = [...groups].sort((a, b) => a.v - b.v || a.seat - b.seat); // vehicle and seat order, as matching sends them
    const args = sorted.flatMap((g) => [g.r.member, g.v, String(g.seat)]);
    const ids = [...new Set(sorted.map((g) => g.v))]; // the batch's vehicles, whose keys come in KEYS
    const vkeys = ids.flatMap((id) => [`${P}vehicle:${id}`, `${P}vehicle:${id}:seats`]);
    const [ok, skipped] = await redis.call('EVAL', ASSIGN, 2 + vkeys.length, OPEN, ASSIGNED, ...vkeys, String(sorted.length), String(ids.length), P, C, ...ids, ...args);
    return { ok, skipped: skipped.map(String) };
};
const open = async () => await str('ZRANGE', OPEN, 0, -1);
const sweep = async () => {
    const all = await open();
    if (all.length === 0) return 0;
    const [removed, last] = await redis.call('EVAL', SWEEP, 2, OPEN, ASSIGNED, `[${all[0]}`, `[${all[all.length - 1]}`, '');
    assert.equal(String(last), all[all.length - 1], 'the last member read');
    return Number(removed);
};
const where = async (code) => await str('HGET', ASSIGNED, code);
const vfield = async (id, f) => await str('HGET', `${P}vehicle:${id}`, f);

test('batches in any order, runs out of the open index, the others stay', async () => {
    await redis.call('FLUSHALL');
    const v = await bus(10);
    const rs = [];
    for (let i = 0; i < 6; i++) rs.push(await reg(1, `45010200100${i}`));
    // the later batch first: seats 4..6 of r3..r5; seats 1..3 become a hole
    let r = await assign(rs.slice(3).map((x, i) => ({ r: x, v, seat: 4 + i })));
    assert.equal(r.ok, 3);
    // not swept yet: still in the open index, but a second claim is refused
    assert.equal((await open()).length, 6);
    assert.deepEqual((await assign([{ r: rs[4], v, seat: 8 }])).skipped, [rs[4].code]);
    assert.equal(await vfield(v, 'seat_next'), '7');
    assert.equal(await vfield(v, 'holes'), '1-3');
    // meanwhile r1 cancelled (left the open index) and a new sign-up landed between r0 and r2
    await redis.call('ZREM', OPEN, rs[1].member);
    const late = await reg(1, '450102001001'); // member sorts after r1's village, before r2's
    r = await assign(rs.slice(0, 3).map((x, i) => ({ r: x, v, seat: 1 + i })));
    assert.equal(r.ok, 2);
    assert.deepEqual(r.skipped, [rs[1].code]);
    assert.equal(await sweep(), 5);
    assert.deepEqual(await open(), [late.member], 'only the member not in any batch is left');
    assert.equal(await sweep(), 0, 'a second sweep finds nothing');
    assert.equal(await vfield(v, 'holes'), '2-2', 'the cancelled one\'s seat stays free');
    assert.equal(await vfield(v, 'used'), '5');
    // a second writer proposing the same seat or the same registration is refused
    const other = await reg(1, '450102001009');
    r = await assign([{ r: other, v, seat: 3 }]);
    assert.deepEqual(r.skipped, [other.code], 'seat 3 is taken');
    r = await assign([{ r: rs[0], v, seat: 2 }]);
    assert.deepEqual(r.skipped, [rs[0].code], 'already assigned');
    r = await assign([{ r: other, v, seat: 2 }]);
    assert.equal(r.ok, 1, 'the hole takes it');
    assert.equal((await vfield(v, 'holes')) ?? '', '');
    assert.equal(await where(other.code), `${v}:2`);
});

test('a group only into a run that holds it whole; capacity and status respected', async () => {
    await redis.call('FLUSHALL');
    const v = await bus(6);
    const a = await reg(2, '450102001001');
    const b = await reg(1, '450102001002');
    const c = await reg(3, '450102001003');
    let r = await assign([{ r: a, v, seat: 1 }, { r: b, v, seat: 3 }, { r: c, v, seat: 4 }]);
    assert.equal(r.ok, 3);
    // b leaves (seat 3 free): a pair cannot sit at 3 (4 is taken), nor past the capacity
    assert.deepEqual(await redis.call('EVAL', RELEASE, 3, `${P}reg:${b.code}`, OPEN, ASSIGNED, b.code, 'drop', P, v, '450102001002').then((x) => x.map(String)), ['ok', v]);
    assert.equal(await vfield(v, 'holes'), '3-3');
    const pair = await reg(2, '450102001004');
    assert.deepEqual((await assign([{ r: pair, v, seat: 3 }])).skipped, [pair.code]);
    assert.deepEqual((await assign([{ r: pair, v, seat: 7 }])).skipped, [pair.code]);
    // a move by hand finds no run of 2 either; a single fits the hole
    const moved = await str('EVAL', MOVE, 6, `${P}reg:${pair.code}`, OPEN, ASSIGNED, `${P}vehicle:${v}`, `${P}${C}:matchlock`, `${P}vehicle:${v}:seats`, pair.code, v, C, P, '450102001004');
    assert.deepEqual(moved, ['no_room']);
    const one = await reg(1, '450102001005');
    assert.deepEqual(await str('EVAL', MOVE, 6, `${P}reg:${one.code}`, OPEN, ASSIGNED, `${P}vehicle:${v}`, `${P}${C}:matchlock`, `${P}vehicle:${v}:seats`, one.code, v, C, P, '450102001005'), ['ok', '3']);
    assert.equal(await vfield(v, 'used'), '6');
    // c (seats 4-6, the tail) leaves: the seats go back to the tail, no hole
    await redis.call('EVAL', RELEASE, 3, `${P}reg:${c.code}`, OPEN, ASSIGNED, c.code, 'reopen', P, v, '450102001003');
    assert.equal((await vfield(v, 'holes')) ?? '', '');
    assert.equal(await vfield(v, 'seat_next'), '4');
    assert.ok((await open()).includes(c.member), 'reopened');
    // a vehicle no longer planned takes no one
    await redis.call('HSET', `${P}vehicle:${v}`, 'status', 'departed');
    assert.deepEqual((await assign([{ r: c, v, seat: 4 }])).skipped, [c.code]);
});

test('random batches and releases never put two people on one seat', async () => {
    await redis.call('FLUSHALL');
    let seed = 7;
    const rnd = (k) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % k);
    const v = await bus(60);
    const all = [];
    for (let i = 0; i < 80; i++) all.push(await reg(1 + rnd(3), `4501020010${String(10 + (i % 80)).padStart(2, '0')}`));
    let holesSeen = 0, given = 0;
    for (let round = 0; round < 40; round++) {
        // propose random seats for a few open groups; release a few assigned ones
        const openNow = new Set(await open());
        const held = new Set(await str('HKEYS', ASSIGNED));
        // members not swept yet are proposed too: the script must refuse them
        const cands = all.filter((x) => openNow.has(x.member)).slice(0, 1 + rnd(5));
        const fresh = cands.filter((x) => !held.has(x.code)).length;
        const got = (await assign(cands.map((x, i) => ({ r: x, v, seat: 1 + ((rnd(60) + i * 7) % 60) })))).ok;
        assert.ok(got <= fresh, 'an assigned registration is never taken again');
        given += got;
        if (round % 2 === 1) {
            await sweep();
            const left = await open();
            for (const m of left) assert.equal(await str('HGET', ASSIGNED, m.slice(13, 21)), null, 'swept: no assigned member is left open');
        }
        const assigned = await str('HKEYS', ASSIGNED);
        for (const code of assigned.slice(0, rnd(3)))
            await redis.call('EVAL', RELEASE, 3, `${P}reg:${code}`, OPEN, ASSIGNED, code, 'reopen', P, v, await str('HGET', `${P}reg:${code}`, 'village'));
        // invariants: seats of the list and of the assignment hash agree, never overlap, free seats = holes + tail
        const taken = new Map();
        let used = 0;
        for (const [code, val] of Object.entries(Object.fromEntries(((a) => { const o = []; for (let i = 0; i < a.length; i += 2) o.push([a[i], a[i + 1]]); return o; })(await str('HGETALL', ASSIGNED))))) {
            const [, seat] = val.split(':').map(Number);
            const people = Number(await str('HGET', `${P}reg:${code}`, 'people'));
            for (let s = seat; s < seat + people; s++) {
                assert.ok(!taken.has(s), `seat ${s} twice (round ${round})`);
                assert.ok(s >= 1 && s <= 60);
                taken.set(s, code);
            }
            used += people;
            assert.equal(Number(await str('ZSCORE', `${P}vehicle:${v}:seats`, code)), seat);
        }
        assert.equal(Number(await vfield(v, 'used')), used);
        const next = Number(await vfield(v, 'seat_next') ?? 1);
        const free = new Set();
        holesSeen += ((await vfield(v, 'holes')) ?? '') !== '';
        for (const h of (await vfield(v, 'holes') ?? '').split(' ').filter(Boolean)) {
            const [a, b] = h.split('-').map(Number);
            for (let s = a; s <= b; s++) free.add(s);
        }
        for (let s = 1; s < next; s++) assert.equal(taken.has(s), !free.has(s), `seat ${s} below seat_next is taken or a hole (round ${round})`);
        for (let s = next; s <= 60; s++) assert.ok(!taken.has(s), `seat ${s} past seat_next is free`);
    }
    assert.ok(given > 20 && holesSeen > 10, `the run exercised seats and holes (${given} given, holes in ${holesSeen} rounds)`);
});

/** assign_fresh.lua as an accept calls it: vehicles [{id, groups: [{r, seat}]}], seats worked out here. */
async function fresh(changes, vehicles) {
    const keys = [ASSIGNED, `${P}${C}:vehicles`, CHANGES, ...vehicles.flatMap((v) => [`${P}vehicle:${v.id}`, `${P}vehicle:${v.id}:seats`])];
    const per = [];
    const villages = new Map();
    let groups = 0;
    for (const v of vehicles) {
        let next = 1, used = 0;
        const holes = [];
        for (const g of v.groups) {
            if (g.seat > next) holes.push(`${next}-${g.seat - 1}`);
            next = g.seat + g.r.people;
            used += g.r.people;
            const village = g.r.member.slice(0, 12);
            for (const k of [village, village.slice(0, 6)]) villages.set(k, (villages.get(k) || 0) + g.r.people);
        }
        groups += v.groups.length;
        per.push(String(2 * v.groups.length), v.id, String(used), 'bus', '50', '0', '4419', '2027-02-03', '20852', '{"stops":[]}', String(next), holes.join(' '));
        per.push(...v.groups.flatMap((g) => [String(g.seat), g.r.code]));
    }
    const vill = [...villages].filter(([k]) => k.length === 12), counties = [...villages].filter(([k]) => k.length === 6);
    const r = await redis.call('EVAL', FRESH, keys.length, ...keys, C, changes, String(vehicles.length), P, '45', String(groups), String(vill.length), String(counties.length), ...per, ...[...vill, ...counties].flatMap(([k, n]) => [k, String(n)]));
    return r.map((x) => (Buffer.isBuffer(x) ? x.toString() : x));
}

test('new vehicles written whole while the count of changes is the one read; stale, and nothing written, once it is not', async () => {
    await redis.call('FLUSHALL');
    const rs = [await reg(2, '450102001001'), await reg(1, '450102001002'), await reg(3, '450102001002')];
    assert.deepEqual(await fresh('0', [{ id: '101', groups: [{ r: rs[0], seat: 1 }, { r: rs[1], seat: 3 }] }, { id: '102', groups: [{ r: rs[2], seat: 2 }] }]), ['ok', 3]);
    assert.equal(await where(rs[0].code), '101:1');
    assert.equal(await where(rs[1].code), '101:3');
    assert.equal(await where(rs[2].code), '102:2');
    assert.deepEqual(await str('ZRANGE', `${P}vehicle:101:seats`, 0, -1, 'WITHSCORES'), [rs[0].code, '1', rs[1].code, '3']);
    assert.deepEqual([await vfield('101', 'status'), await vfield('101', 'used'), await vfield('101', 'seat_next'), await vfield('101', 'holes'), await vfield('101', 'scope'), await vfield('101', 'campaign')], ['planned', '3', '4', '', '45', C]);
    assert.deepEqual([await vfield('102', 'used'), await vfield('102', 'seat_next'), await vfield('102', 'holes')], ['3', '5', '1-1'], 'seat 1 skipped: a hole');
    assert.deepEqual(await str('ZRANGE', `${P}${C}:vehicles`, 0, -1), ['45:101', '45:102']);
    assert.equal(await str('HGET', `${P}${C}:stats:450102001002`, 't:assigned'), '4');
    assert.equal(await str('HGET', `${P}${C}:stats:450102`, 't:assigned'), '6');
    // a cancel (or any script that takes a member out or undoes an assignment) counts a change
    await redis.call('HINCRBY', CHANGES, C, 1);
    const late = await reg(1, '450102001003');
    assert.deepEqual(await fresh('0', [{ id: '103', groups: [{ r: late, seat: 1 }] }]), ['stale']);
    assert.equal(await where(late.code), null);
    assert.equal(await redis.call('EXISTS', `${P}vehicle:103`, `${P}vehicle:103:seats`), 0);
    assert.equal(await str('HGET', `${P}${C}:stats:450102`, 't:assigned'), '6', 'nothing counted');
    assert.deepEqual(await fresh('1', [{ id: '103', groups: [{ r: late, seat: 1 }] }]), ['ok', 1], 'with the count read since');
});

test('assign.lua creates the vehicles it is given, then fills them seat by seat', async () => {
    await redis.call('FLUSHALL');
    const [a, b] = [await reg(2), await reg(1)];
    await redis.call('ZREM', OPEN, b.member); // cancelled meanwhile
    const fields = ['id', '201', 'scope', '45', 'used', '0', 'campaign', C, 'type', 'bus', 'status', 'planned', 'capacity', '10', 'carriage_size', '0', 'dest_city', '4419', 'depart_date', '2027-02-03', 'day', '20852', 'plan', '{"stops":[]}'];
    const vkeys = [`${P}vehicle:201`, `${P}vehicle:201:seats`];
    const [ok, skipped] = await redis.call('EVAL', ASSIGN, 4, OPEN, ASSIGNED, ...vkeys, '2', '1', P, C, '201', a.member, '201', '1', b.member, '201', '3', '1', '1', String(fields.length), ...fields, '45:201');
    assert.equal(ok, 1);
    assert.deepEqual(skipped.map(String), [b.code]);
    assert.deepEqual([await vfield('201', 'status'), await vfield('201', 'used'), await vfield('201', 'seat_next'), await vfield('201', 'capacity')], ['planned', '2', '3', '10']);
    assert.deepEqual(await str('ZRANGE', `${P}${C}:vehicles`, 0, -1), ['45:201']);
    assert.equal(await where(a.code), '201:1');
});

test("an accept's runs leave the open index unread; a run a sign-up joined is read; all are read once a change was counted", async () => {
    await redis.call('FLUSHALL');
    const rs = [];
    for (let i = 0; i < 6; i++) rs.push(await reg(1, `45010200100${i}`));
    for (const i of [0, 1, 2, 4]) await redis.call('HSET', ASSIGNED, rs[i].code, `9:${i + 1}`);
    const runs = (list) => list.flatMap(([x, y]) => [`[${x.member}`, `[${y.member}`, String(rs.indexOf(y) - rs.indexOf(x) + 1)]);
    const sweepRuns = async (changes, first, last, list) => (await redis.call('EVAL', SWEEP, 3, OPEN, ASSIGNED, CHANGES, `[${first.member}`, `[${last.member}`, '', C, changes, String(list.length / 3), ...list)).map(String);
    assert.deepEqual(await sweepRuns('0', rs[0], rs[5], runs([[rs[0], rs[2]], [rs[4], rs[4]]])), ['4', '']);
    assert.deepEqual(await open(), [rs[3].member, rs[5].member], 'the unassigned ones stay');
    // a sign-up folded into a run since the accept read it: that run is read, the newcomer stays
    const ts = [];
    for (let i = 0; i < 3; i++) ts.push(await reg(1, `45010200200${2 * i}`));
    for (const t of ts) await redis.call('HSET', ASSIGNED, t.code, '9:9');
    const joined = await reg(1, '450102002001'); // sorts between ts[0] and ts[1]
    const list = [`[${ts[0].member}`, `[${ts[2].member}`, '3'];
    assert.deepEqual(await sweepRuns('0', ts[0], ts[2], list), ['3', '']);
    assert.deepEqual((await open()).filter((m) => m.startsWith('450102002')), [joined.member]);
    // a change counted (an assignment undone): the slice is read, only what is assigned goes
    const us = [await reg(1, '450102003001'), await reg(1, '450102003002')];
    for (const u of us) await redis.call('HSET', ASSIGNED, u.code, '9:9');
    await redis.call('HDEL', ASSIGNED, us[1].code);
    await redis.call('HINCRBY', CHANGES, C, 1);
    const [removed] = await sweepRuns('0', us[0], us[1], [`[${us[0].member}`, `[${us[1].member}`, '2']);
    assert.equal(removed, '1');
    assert.deepEqual((await open()).filter((m) => m.startsWith('450102003')), [us[1].member], 'the one no longer assigned stays open');
});
