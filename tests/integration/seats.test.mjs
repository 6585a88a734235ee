// SPDX-License-Identifier: MIT
// The seat scripts on their own (backend/store/seats.lua in front of assign.lua,
// assignment_release.lua, assignment_move.lua, as the build embeds them; open_sweep.lua),
// against a real Redis: batches that arrive out of order, members that left or joined the
// open index between matching and writing, the sweep taking out runs of assigned members
// without touching any other, freed seats given again and never twice.
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
const C = 'cmp';
const P = 'sg:{45}:'; // the key prefix (docs/redis-keys.md)
const OPEN = `${P}${C}:open`;
const ASSIGNED = `${P}${C}:assign`;

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
