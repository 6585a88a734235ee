// SPDX-License-Identifier: MIT
// The one-registration-per-ID rule (409) across workers and companions, its atomicity,
// 50 concurrent duplicates, and Idempotency-Key replays.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack } from './lib/harness.mjs';
import { dumpAll } from './lib/resp.mjs';
import { companion, newId, newPhone, signup } from './lib/people.mjs';

let stack, srv;
before(async () => {
    stack = await startStack('duplicates');
    srv = stack.server;
});
after(() => stack?.close());

function assert409(r, field) {
    assert.equal(r.status, 409, r.text);
    assert.equal(r.json?.error?.code, 'duplicate', r.text);
    assert.equal(r.json.error.field, field, r.text);
    assert.equal(typeof r.json.error.message, 'string');
}

describe('409 duplicate', () => {
    test('the same worker twice', async () => {
        const b = signup();
        assert.equal((await srv.post('/api/registrations', b)).status, 201);
        const r = await srv.post('/api/registrations', { ...b, phone: newPhone() });
        assert409(r, 'id_number');
    });

    test("a worker who is already another sign-up's companion, and the reverse", async () => {
        const comp = companion();
        const a = signup({ companions: [comp] });
        const ra = await srv.post('/api/registrations', a);
        assert.equal(ra.status, 201, ra.text);

        // B signs up as a worker with A's companion's ID.
        assert409(await srv.post('/api/registrations', signup({ id_number: comp.id_number })), 'id_number');
        // C brings A (the worker) along as second companion.
        const rc = await srv.post('/api/registrations', signup({ companions: [companion(), companion({ id_number: a.id_number })] }));
        assert409(rc, 'companions[1].id_number');
        // D brings A's companion as first companion.
        const rd = await srv.post('/api/registrations', signup({ companions: [companion({ id_number: comp.id_number })] }));
        assert409(rd, 'companions[0].id_number');
    });

    test('a rejected sign-up stores nothing: its other people can sign up afterwards', async () => {
        const taken = signup();
        assert.equal((await srv.post('/api/registrations', taken)).status, 201);
        const free = [newId(), newId()];
        const rejected = signup({ id_number: free[0], companions: [companion({ id_number: free[1] }), companion({ id_number: taken.id_number })] });
        assert409(await srv.post('/api/registrations', rejected), 'companions[1].id_number');
        const r = await srv.post('/api/registrations', signup({ id_number: free[0], companions: [companion({ id_number: free[1] })] }));
        assert.equal(r.status, 201, `the 409 left something behind: ${r.text}`);
    });

    test('50 concurrent sign-ups with the same ID: exactly one 201, 49 × 409', async () => {
        const id = newId();
        const reqs = Array.from({ length: 50 }, () => srv.post('/api/registrations', signup({ id_number: id }), { timeout: 30000 }));
        const res = await Promise.all(reqs);
        const count = {};
        for (const r of res) count[r.status] = (count[r.status] || 0) + 1;
        assert.deepEqual(count, { 201: 1, 409: 49 }, JSON.stringify(res.filter((r) => r.status !== 409 && r.status !== 201).map((r) => r.text)));
        for (const r of res.filter((x) => x.status === 409)) assert409(r, 'id_number');
    });

    test('50 concurrent sign-ups sharing one companion: exactly one 201', async () => {
        const shared = newId();
        const reqs = Array.from({ length: 50 }, () => srv.post('/api/registrations', signup({ companions: [companion({ id_number: shared })] }), { timeout: 30000 }));
        const res = await Promise.all(reqs);
        const statuses = res.map((r) => r.status);
        assert.equal(statuses.filter((s) => s === 201).length, 1, JSON.stringify(statuses));
        assert.equal(statuses.filter((s) => s === 409).length, 49, JSON.stringify(statuses));
    });
});

describe('Idempotency-Key', () => {
    test('a replay answers the same 201 and code and stores nothing new', async () => {
        const key = `test-${Date.now()}-abc_DEF`;
        const b = signup({ companions: [companion()] });
        const first = await srv.post('/api/registrations', b, { headers: { 'Idempotency-Key': key } });
        assert.equal(first.status, 201, first.text);

        const redis = await stack.redis.client();
        try {
            const before = await dumpAll(redis);
            const again = await srv.post('/api/registrations', b, { headers: { 'Idempotency-Key': key } });
            assert.equal(again.status, 201, again.text);
            assert.deepEqual(again.json, first.json);
            const afterDump = await dumpAll(redis);
            // A hash's field order is not part of its content (a dict being rehashed reorders HGETALL).
            const pairs = (e) => {
                const hex = e.parts.map((p) => p.toString('hex'));
                if (e.type !== 'hash') return hex;
                const out = [];
                for (let i = 0; i < hex.length; i += 2) out.push(`${hex[i]}=${hex[i + 1]}`);
                return out.sort();
            };
            const show = (d) => d.map((e) => `${e.key}(${e.type}):${pairs(e).join(',')}`).sort();
            assert.deepEqual(show(afterDump), show(before), 'the replay changed Redis');
        } finally {
            redis.close();
        }
        // Without the key the same people are a duplicate: the first one was stored.
        assert409(await srv.post('/api/registrations', b), 'id_number');
    });

    test('concurrent replays of one key give one code', async () => {
        const key = `conc-${Date.now()}`;
        const b = signup();
        const res = await Promise.all(Array.from({ length: 10 }, () => srv.post('/api/registrations', b, { headers: { 'Idempotency-Key': key } })));
        const ok = res.filter((r) => r.status === 201);
        assert.ok(ok.length >= 1, JSON.stringify(res.map((r) => r.status)));
        assert.equal(new Set(ok.map((r) => r.json.code)).size, 1, 'two codes for one key');
    });

    test('a different key with the same people is a duplicate', async () => {
        const b = signup();
        assert.equal((await srv.post('/api/registrations', b, { headers: { 'Idempotency-Key': `k1-${Date.now()}` } })).status, 201);
        assert409(await srv.post('/api/registrations', b, { headers: { 'Idempotency-Key': `k2-${Date.now()}` } }), 'id_number');
    });
});
