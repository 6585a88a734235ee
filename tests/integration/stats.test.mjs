// SPDX-License-Identifier: MIT
// GET /api/stats, its event stream and the village return figures: 403 outside scope for
// every role with nothing leaked, figures equal to an independent count of a known set of
// sign-ups, return-figure validation, flags, history, and a stream that sees a new sign-up
// and survives its client going away (the server runs under ASan in ./tests/run.sh).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TODAY, sleep, startStack } from './lib/harness.mjs';
import { companion, newId, signup } from './lib/people.mjs';
import { addUser, login, villagesUnder } from './lib/staff.mjs';

const [V1, V2] = villagesUnder('450102001', 2); // one township
const [V3] = villagesUnder('450102002'); // another township, same county
const [V4] = villagesUnder('450103'); // another county, same city
const [V5] = villagesUnder('4502'); // another city
const OUTSIDE_VILLAGE = villagesUnder('4509')[0];

const ROLES = [
    ['s_village', 'village', V1, ['450102001', '450102', '4501', '45', V2, OUTSIDE_VILLAGE]],
    ['s_township', 'township', '450102001', ['450102002', '450102', '4501', '45', V3]],
    ['s_county', 'county', '450102', ['450103', '4501', '45', V4]],
    ['s_city', 'city', '4501', ['4502', '45', V5]],
    ['s_organiser', 'organiser', '4502', ['4501', '45', V1]],
    ['s_admin', 'admin', '4503', ['4501', '45', V1]],
];

let stack, srv;
const clients = {};
const signups = []; // what we stored: {village, people: [{id, poverty}], dest, date}

before(async () => {
    stack = await startStack('stats');
    srv = stack.server;
    for (const [name, role, scope] of ROLES) addUser(srv, name, role, scope);
    addUser(srv, 's_region', 'admin', '45');
    for (const [name] of ROLES) clients[name] = await login(srv, name);
    clients.s_region = await login(srv, 's_region');
});
after(() => stack?.close());

function age(id) {
    const y = Number(id.slice(6, 10)),
        m = Number(id.slice(10, 12)),
        d = Number(id.slice(12, 14));
    const [ty, tm, td] = TODAY.split('-').map(Number);
    return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
}

async function store(village, over = {}) {
    const body = signup({ village, ...over });
    const r = await srv.post('/api/registrations', body);
    assert.equal(r.status, 201, r.text);
    const people = [{ id: body.id_number, poverty: body.poverty }, ...(body.companions || []).map((c) => ({ id: c.id_number, poverty: c.poverty || 'none' }))];
    signups.push({ village, people, dest: body.dest_city, date: body.depart_date, code: r.json.code });
}

/** The figures of scope counted from what this test stored. */
function expected(scope) {
    const mine = signups.filter((s) => s.village.startsWith(scope));
    const people = mine.flatMap((s) => s.people);
    const by = (key) => {
        const m = {};
        for (const s of mine) m[key(s)] = (m[key(s)] || 0) + s.people.length;
        return m;
    };
    return {
        people: people.length,
        regs: mine.length,
        poverty: people.filter((p) => p.poverty !== 'none').length,
        age50: people.filter((p) => age(p.id) >= 50).length,
        today: people.length, // every sign-up here happens "today" (SONGGONG_TODAY)
        byCity: by((s) => s.dest),
        byDate: by((s) => s.date),
        byChild: (len) => by((s) => s.village.slice(0, len)),
    };
}

function assertForbidden(r, what) {
    assert.equal(r.status, 403, `${what}: ${r.status} ${r.text}`);
    assert.deepEqual(Object.keys(r.json), ['error'], `${what} leaks: ${r.text}`);
    assert.equal(r.json.error.code, 'forbidden');
    assert.doesNotMatch(r.text, /people|outbound|village"/, `${what} leaks: ${r.text}`);
}

describe('scope', () => {
    test('every role gets 403 and nothing else outside its scope (stats, stream, returns, history)', async () => {
        for (const [name, , , outside] of ROLES) {
            const c = clients[name];
            for (const code of outside) {
                assertForbidden(await c.get(`/api/stats?scope=${code}`), `${name} stats ${code}`);
                assertForbidden(await c.get(`/api/stats/stream?scope=${code}`), `${name} stream ${code}`);
                assertForbidden(await c.get(`/api/returns?scope=${code}`), `${name} returns ${code}`);
                if (code.length === 12) {
                    assertForbidden(await c.get(`/api/returns/${code}`), `${name} history ${code}`);
                    const body = { village: code, outbound: 1, returned: 1, not_returned: 0, as_of: TODAY };
                    assertForbidden(await c.post('/api/returns', body), `${name} POST returns ${code}`);
                }
            }
            assertForbidden(await c.get(`/api/stats?scope=4%27%20OR`), `${name} junk scope`);
        }
    });

    test('without a session: 401; inside the scope but unknown: 404', async () => {
        assert.equal((await srv.get('/api/stats?scope=45')).status, 401);
        assert.equal((await srv.get('/api/stats/stream')).status, 401);
        assert.equal((await srv.get('/api/returns')).status, 401);
        assert.equal((await clients.s_city.get('/api/stats?scope=450199')).status, 404);
    });

    test('a scope without return figures lists none', async () => {
        const r = await clients.s_organiser.get('/api/returns');
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.json.villages, []);
        assert.equal(r.json.totals.villages, 0);
    });

    test('the default scope is the user\'s own', async () => {
        const r = await clients.s_township.get('/api/stats');
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.scope.code, '450102001');
        assert.equal(r.json.scope.level, 'township');
    });
});

describe('figures', () => {
    before(async () => {
        await store(V1);
        await store(V1, { poverty: 'alleviated', companions: [companion({ poverty: 'monitored' }), companion()] });
        await store(V2, { dest_city: '4403', depart_date: '2027-02-10' });
        await store(V2, { id_number: newId({ region: '450103' }), companions: [companion()] });
        await store(V3, { dest_city: '3302', depart_date: '2027-02-12' });
        await store(V4, { dest_city: '4403' });
        await store(V5, { poverty: 'monitored', dest_city: '4501' });
    });

    for (const [scope, who, childLen] of [
        ['45', 's_region', 4],
        ['4501', 's_city', 6],
        ['450102', 's_county', 9],
        ['450102001', 's_township', 12],
    ]) {
        test(`scope ${scope} equals an independent count`, async () => {
            const r = await clients[who].get(`/api/stats?scope=${scope}`);
            assert.equal(r.status, 200, r.text);
            const want = expected(scope);
            const t = r.json.totals;
            assert.deepEqual([t.people, t.regs, t.poverty, t.age50, t.today], [want.people, want.regs, want.poverty, want.age50, want.today]);
            const cities = Object.fromEntries(r.json.by_city.map((c) => [c.code, c.people]));
            assert.deepEqual(cities, want.byCity);
            const dates = Object.fromEntries(r.json.by_date.map((d) => [d.date, d.people]));
            assert.deepEqual(dates, want.byDate);
            const children = Object.fromEntries(r.json.children.filter((c) => c.people).map((c) => [c.code, c.people]));
            assert.deepEqual(children, want.byChild(childLen));
            const provinces = r.json.by_province.reduce((n, p) => n + p.people, 0);
            assert.equal(provinces, want.people);
            assert.ok(r.json.by_city.every((c) => c.name && c.province), 'destinations are named');
        });
    }

    test('after a cancel the figures equal the count without it', async () => {
        const gone = signups.find((s) => s.village === V2 && s.people.length === 2);
        const c = await clients.s_township.post(`/api/registrations/${gone.code}/cancel`, {});
        assert.equal(c.status, 200, c.text);
        signups.splice(signups.indexOf(gone), 1);
        for (const [scope, who] of [['45', 's_region'], ['450102001', 's_township']]) {
            const r = await clients[who].get(`/api/stats?scope=${scope}`);
            const want = expected(scope);
            const t = r.json.totals;
            assert.deepEqual([t.people, t.regs, t.poverty, t.age50, t.today], [want.people, want.regs, want.poverty, want.age50, want.today], r.text);
            assert.deepEqual(Object.fromEntries(r.json.by_city.map((x) => [x.code, x.people])), want.byCity);
        }
    });

    test('a village scope has no children', async () => {
        const r = await clients.s_village.get('/api/stats');
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.totals.people, expected(V1).people);
        assert.deepEqual(r.json.children, []);
    });
});

describe('return figures', () => {
    const post = (c, body) => c.post('/api/returns', body);

    test('invalid figures name every bad field', async () => {
        const r = await post(clients.s_village, { village: V1, outbound: -1, returned: 1.5, not_returned: 'x', as_of: '2027-01-11' });
        assert.equal(r.status, 422, r.text);
        assert.deepEqual(Object.keys(r.json.error.fields).sort(), ['as_of', 'not_returned', 'outbound', 'returned']);
        const old = await post(clients.s_village, { village: V1, outbound: 1, returned: 1, not_returned: 0, as_of: '2026-12-31' });
        assert.equal(old.status, 422, old.text);
        assert.ok(old.json.error.fields.as_of);
        const unknown = await post(clients.s_township, { village: '450102001999', outbound: 1, returned: 1, not_returned: 0, as_of: TODAY });
        assert.equal(unknown.status, 404, unknown.text);
    });

    test('a state change without the CSRF token is refused', async () => {
        const c = clients.s_village;
        const r = await srv.post('/api/returns', { village: V1, outbound: 1, returned: 1, not_returned: 0, as_of: TODAY }, { headers: { Cookie: c.cookie } });
        assert.equal(r.status, 403);
        assert.equal(r.json.error.code, 'csrf');
    });

    test('a mismatch is stored and flagged; the latest by date counts; history keeps all', async () => {
        const c = clients.s_township;
        let r = await post(c, { village: V1, outbound: 120, returned: 100, not_returned: 19, as_of: '2027-01-05' });
        assert.equal(r.status, 201, r.text);
        assert.equal(r.json.mismatch, true);
        assert.equal(r.json.latest, true);
        r = await post(c, { village: V1, outbound: 120, returned: 100, not_returned: 20, as_of: '2027-01-08' });
        assert.equal(r.json.mismatch, false);
        r = await post(c, { village: V1, outbound: 999, returned: 0, not_returned: 0, as_of: '2027-01-02' });
        assert.equal(r.status, 201, r.text);
        assert.equal(r.json.latest, false, 'an older figure only goes into the history');
        r = await post(c, { village: V2, outbound: 50, returned: 30, not_returned: 10, as_of: TODAY });
        assert.equal(r.json.mismatch, true);

        const list = await c.get('/api/returns');
        assert.equal(list.status, 200, list.text);
        assert.deepEqual(list.json.villages.map((v) => [v.village, v.outbound, v.returned, v.not_returned, v.mismatch]), [
            [V1, 120, 100, 20, false],
            [V2, 50, 30, 10, true],
        ]);
        assert.deepEqual(list.json.totals, { outbound: 170, returned: 130, not_returned: 30, villages: 2, flagged: 1, mismatch: true });

        const hist = await c.get(`/api/returns/${V1}`);
        assert.deepEqual(hist.json.entries.map((e) => e.as_of), ['2027-01-02', '2027-01-08', '2027-01-05']);
        assert.equal(hist.json.entries[0].entered_by, 's_township');

        for (const [who, scope] of [['s_region', '45'], ['s_county', '450102'], ['s_township', '450102001']]) {
            const s = await clients[who].get(`/api/stats?scope=${scope}`);
            assert.deepEqual(s.json.totals.returns, { outbound: 170, returned: 130, not_returned: 30, villages: 2, flagged: 1 }, `${who}: ${s.text}`);
        }
        const own = await clients.s_village.get('/api/returns');
        assert.deepEqual(own.json.villages.map((v) => v.village), [V1], 'a village sees its own figures only');
    });

    test('entering figures is audited', async () => {
        const a = await clients.s_region.get('/api/audit?count=50');
        assert.ok(a.json.entries.some((e) => e.action === 'returns' && e.target === V1 && e.user === 's_township'), a.text);
    });
});

/** Read server-sent events from a fetch response until pred(event) or ms pass. */
async function nextEvent(reader, state, pred, ms) {
    const deadline = Date.now() + ms;
    const dec = new TextDecoder();
    for (;;) {
        let i;
        while ((i = state.buf.indexOf('\n\n')) !== -1) {
            const block = state.buf.slice(0, i);
            state.buf = state.buf.slice(i + 2);
            const ev = { event: 'message', data: '' };
            for (const line of block.split('\n')) {
                if (line.startsWith('event: ')) ev.event = line.slice(7);
                else if (line.startsWith('data: ')) ev.data += line.slice(6);
            }
            if (ev.data && pred(ev)) return ev;
        }
        const left = deadline - Date.now();
        if (left <= 0) return null;
        const chunk = await Promise.race([reader.read(), sleep(left).then(() => null)]);
        if (!chunk || chunk.done) return null;
        state.buf += dec.decode(chunk.value, { stream: true });
    }
}

describe('event stream', () => {
    test('sends the figures at once, then again when a sign-up changes them', async () => {
        const c = clients.s_township;
        const ac = new AbortController();
        const res = await fetch(`${srv.url}/api/stats/stream`, { headers: { Cookie: c.cookie }, signal: ac.signal });
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type'), /^text\/event-stream/);
        const reader = res.body.getReader();
        const state = { buf: '' };
        const first = await nextEvent(reader, state, (e) => e.event === 'stats', 5000);
        assert.ok(first, 'first event');
        const before = JSON.parse(first.data).totals.people;
        await store(V2);
        const next = await nextEvent(reader, state, (e) => JSON.parse(e.data).totals.people === before + 1, 8000);
        assert.ok(next, 'the new sign-up arrives within a few seconds');
        ac.abort();
        await sleep(2500); // the server's next check runs against a client that is gone
        srv.assertAlive();
    });

    test('a logout ends the open stream (within the session re-check, ~10 s)', async () => {
        const c = await login(srv, 's_region'); // a session of its own
        const res = await fetch(`${srv.url}/api/stats/stream?scope=45`, { headers: { Cookie: c.cookie } });
        assert.equal(res.status, 200);
        const reader = res.body.getReader();
        assert.ok(await nextEvent(reader, { buf: '' }, (e) => e.event === 'stats', 5000), 'figures while logged in');
        const out = await c.post('/api/logout', {});
        assert.equal(out.status, 200, out.text);
        const t0 = Date.now();
        let done = false;
        while (!done && Date.now() - t0 < 20000) {
            const chunk = await Promise.race([reader.read(), sleep(20000).then(() => ({ timeout: true }))]);
            done = chunk.done === true;
            assert.ok(!chunk.timeout, 'the stream is still open 20 s after the logout');
        }
        assert.ok(done, 'the server ended the stream');
        assert.equal((await fetch(`${srv.url}/api/stats/stream?scope=45`, { headers: { Cookie: c.cookie } })).status, 401, 'and a reconnect is refused');
        srv.assertAlive();
    });

    test('many clients that leave at once, one mid-read, and one open at shutdown', async () => {
        const c = clients.s_region;
        for (let i = 0; i < 5; i++) {
            const ac = new AbortController();
            const res = await fetch(`${srv.url}/api/stats/stream?scope=45`, { headers: { Cookie: c.cookie }, signal: ac.signal });
            if (i % 2 === 0) await nextEvent(res.body.getReader(), { buf: '' }, () => true, 3000);
            ac.abort();
        }
        const res = await fetch(`${srv.url}/api/stats/stream?scope=45`, { headers: { Cookie: c.cookie } });
        assert.ok(await nextEvent(res.body.getReader(), { buf: '' }, () => true, 3000));
        srv.assertAlive();
        // left open: stack.close() checks that SIGTERM still ends the server cleanly (exit 0)
    });
});
