// SPDX-License-Identifier: MIT
// Matching end to end: preview, accept, existing vehicles filled first, seats never
// shared, the worker's lookup shows the assignment, two concurrent accepts never assign a
// registration twice, moves by hand, release, 403 outside the scope; the sizes of the
// proposed vehicles chosen per run (API and `songgong match`), checked and applied.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorCode, runCli, startStack } from './lib/harness.mjs';
import { companion, signup } from './lib/people.mjs';
import { addUser, busPlan, login, NO_MINIMUM } from './lib/transport.mjs';

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
    const members = await str('ZRANGEBYLEX', `sg:{45}:${campaign}:vehicles`, '-', '+');
    const where = new Map();
    const seatOf = new Map();
    for (const m of members) {
        const id = m.split(':')[1];
        const cap = Number(await redis.call('HGET', `sg:{45}:vehicle:${id}`, 'capacity'));
        const seats = await str('ZRANGE', `sg:{45}:vehicle:${id}:seats`, 0, -1, 'WITHSCORES');
        const taken = new Set();
        let used = 0;
        for (let i = 0; i < seats.length; i += 2) {
            const code = seats[i];
            const n = Number(await redis.call('HGET', `sg:{45}:reg:${code}`, 'people'));
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
        assert.equal(Number(await redis.call('HGET', `sg:{45}:vehicle:${id}`, 'used')), used, `used of vehicle ${id}`);
    }
    const assign = await str('HGETALL', `sg:{45}:${campaign}:assign`);
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
        const r = await org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: false, min_load: NO_MINIMUM });
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
        assert.equal(await redis.call('HLEN', 'sg:{45}:2027-spring:assign'), 0);
    });

    test('403 for an organiser of another city, 401 without a session', async () => {
        const r = await org2.post('/api/match', { campaign: '2027-spring', scope: '4501' });
        assert.equal(r.status, 403, r.text);
        assert.equal((await srv.post('/api/match', { campaign: '2027-spring', scope: '4501' })).status, 401);
    });

    test('accept: everyone assigned, seats unique, vehicles created as planned', async () => {
        const r = await org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: true, min_load: NO_MINIMUM });
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
        const r = await org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: true, min_load: NO_MINIMUM });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.registrations, 0);
        assert.equal(r.json.assigned, 0);
    });

    test('two concurrent accepts never assign a registration twice', async () => {
        const more = await signups(Array.from({ length: 60 }, (_, i) => 1 + (i % 3)), { depart_date: '2027-02-10' });
        const [a, b] = await Promise.all([
            org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: true, min_load: NO_MINIMUM }),
            org.post('/api/match', { campaign: '2027-spring', scope: '450102', accept: true, min_load: NO_MINIMUM }),
        ]);
        for (const r of [a, b]) assert.ok(r.status === 200 || (r.status === 409 && errorCode(r) === 'match_busy'), r.text);
        const done = [a, b].filter((r) => r.status === 200).reduce((n, r) => n + r.json.assigned, 0);
        const where = await checkSeats();
        for (const g of more) if (done === more.length) assert.ok(where.has(g.code), `${g.code} not assigned`);
        assert.equal(where.size, regs.length + done);
        // whatever the loser left is picked up by the next run
        const c = await org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: true, min_load: NO_MINIMUM });
        assert.equal(c.status, 200, c.text);
        assert.equal((await checkSeats()).size, regs.length + more.length);
    });
});

describe('sizes of the proposed vehicles', () => {
    const run = (sizes, accept = false, scope = '4501') => org.post('/api/match', { campaign: '2027-spring', scope, accept, sizes, min_load: NO_MINIMUM });

    test('400 naming the field for a size out of its range, not whole carriages, or not a number', async () => {
        const cases = [
            [{ bus: 4 }, 'sizes.bus', 'capacity_range'],
            [{ bus: 66 }, 'sizes.bus', 'capacity_range'],
            [{ train: 99 }, 'sizes.train', 'capacity_range'],
            [{ train: 2401 }, 'sizes.train', 'capacity_range'],
            [{ flight: 29 }, 'sizes.flight', 'capacity_range'],
            [{ flight: 401 }, 'sizes.flight', 'capacity_range'],
            [{ train_carriage: 19 }, 'sizes.train_carriage', 'carriage_range'],
            [{ train_carriage: 151 }, 'sizes.train_carriage', 'carriage_range'],
            [{ train: 1050 }, 'sizes.train_carriage', 'carriage_divides'],
            [{ train: 1000, train_carriage: 120 }, 'sizes.train_carriage', 'carriage_divides'],
            [{ bus: 45.5 }, 'sizes.bus', 'type'],
            [{ bus: '45' }, 'sizes.bus', 'type'],
            [{ bus: -50 }, 'sizes.bus', 'capacity_range'],
            [{ bus: 1e300 }, 'sizes.bus', 'capacity_range'],
            [{ ship: 40 }, 'sizes.ship', 'bad_request'],
            [[50, 1000], 'sizes', 'type'],
            ['big', 'sizes', 'type'],
        ];
        for (const [sizes, field, code] of cases) {
            for (const accept of [false, true]) {
                const r = await run(sizes, accept);
                assert.equal(r.status, 400, `${JSON.stringify(sizes)}: ${r.text}`);
                assert.equal(errorCode(r), code, `${JSON.stringify(sizes)}: ${r.text}`);
                assert.equal(r.json.error.field, field, `${JSON.stringify(sizes)}: ${r.text}`);
                assert.ok(r.json.error.message, 'a message to show');
            }
        }
        assert.equal(await redis.call('GET', 'sg:{45}:2027-spring:matchlock'), null, 'a refused run holds no lock');
    });

    test('without sizes the defaults are used and shown', async () => {
        const r = await run(undefined);
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.json.sizes, { bus: 50, train: 1000, train_carriage: 100, flight: 150 });
    });

    test('preview and accept with chosen sizes: the created vehicles have them', async () => {
        const sizes = { bus: 20, train: 600, train_carriage: 120, flight: 60 };
        const day = { flex_days: 0, depart_date: '2027-02-20' };
        await signups(Array(15).fill(3), { ...day, mode: 'bus', dest_city: '4401' });
        await signups([4, 3, 3], { ...day, mode: 'train', dest_city: '4403' });
        await signups([2, 3], { ...day, mode: 'flight', dest_city: '4404' });
        const p = await run(sizes);
        assert.equal(p.status, 200, p.text);
        assert.deepEqual(p.json.sizes, sizes);
        const bus = p.json.new.find((g) => g.dest_city === '4401');
        assert.equal(bus.type, 'bus');
        assert.equal(bus.vehicles, 3, '45 people in groups of 3 need 3 buses of 20 (18 + 18 + 9)');
        assert.deepEqual(p.json.new.map((g) => g.type).sort(), ['bus', 'flight', 'train']);

        const a = await run(sizes, true);
        assert.equal(a.status, 200, a.text);
        assert.deepEqual(a.json.sizes, sizes);
        assert.equal(a.json.created.length, 5);
        const made = await Promise.all(a.json.created.map(async (id) => (await org.get(`/api/vehicles/${id}`)).json));
        const byType = (t) => made.filter((v) => v.type === t);
        assert.equal(byType('bus').length, 3);
        for (const v of byType('bus')) assert.equal(v.capacity, 20);
        assert.equal(byType('train').length, 1);
        assert.equal(byType('train')[0].capacity, 600);
        assert.equal(byType('train')[0].carriage_size, 120);
        assert.equal(byType('flight').length, 1);
        assert.equal(byType('flight')[0].capacity, 60);
        await checkSeats();
    });

    test('songgong match --bus-seats … creates vehicles of the sizes given; bad sizes name the flag', async () => {
        const env = { ...srv.env, ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1' }; // the CLI's loop is never freed
        const help = runCli(['match', '--help'], env);
        assert.equal(help.status, 0);
        for (const flag of ['--bus-seats', '--train-seats', '--train-carriage', '--flight-seats']) assert.match(help.stdout, new RegExp(flag));
        const bad = runCli(['match', '--campaign', '2027-spring', '--scope', '4501', '--bus-seats', '70', '--train-seats', '1010'], env);
        assert.equal(bad.status, 1);
        assert.match(bad.stderr, /--bus-seats must be 5-65/);
        assert.match(bad.stderr, /--train-seats 1010 is not a whole number of carriages of 100 seats/);
        assert.match(runCli(['match', '--campaign', '2027-spring', '--scope', '4501', '--flight-seats', 'many'], env).stderr, /--flight-seats needs a number/);

        await signups(Array(10).fill(3), { flex_days: 0, depart_date: '2027-02-22', mode: 'bus', dest_city: '4401' });
        const args = ['match', '--campaign', '2027-spring', '--scope', '4501', '--bus-seats', '25', '--train-seats', '1200', '--train-carriage', '120', '--bus-min', '1', '--json'];
        const preview = runCli(args, env);
        assert.equal(preview.status, 0, preview.stderr);
        assert.deepEqual(JSON.parse(preview.stdout).sizes, { bus: 25, train: 1200, train_carriage: 120, flight: 150 });
        const text = runCli(args.filter((a) => a !== '--json'), env);
        assert.match(text.stdout, /sizes of new vehicles: bus 25, train 1200 \(carriages of 120\), flight 150 seats/);
        const accepted = runCli([...args, '--accept'], env);
        assert.equal(accepted.status, 0, accepted.stderr);
        const report = JSON.parse(accepted.stdout);
        assert.equal(report.created.length, 2, '30 people in groups of 3 need 2 buses of 25 (24 + 6)');
        for (const id of report.created) assert.equal((await org.get(`/api/vehicles/${id}`)).json.capacity, 25);
        await checkSeats();
    });
});
