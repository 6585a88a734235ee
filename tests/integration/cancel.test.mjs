// SPDX-License-Identifier: MIT
// POST /api/registrations/{code}/cancel {"phone4"}: the same proof as the lookup (wrong
// code or phone4: the same 404), atomic (status, freed ID numbers, place index, people
// counters), harmless when repeated (200 again, nothing changes), and the ID numbers can
// sign up again afterwards.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack } from './lib/harness.mjs';
import { companion, newId, signup, village } from './lib/people.mjs';

let stack, srv, redis, campaign;
before(async () => {
    stack = await startStack('cancel');
    srv = stack.server;
    redis = await stack.redis.client();
    campaign = (await srv.get('/api/campaign')).json.id;
});
after(async () => {
    redis?.close();
    await stack?.close();
});

const cancel = (code, phone4, opts) => srv.post(`/api/registrations/${code}/cancel`, { phone4 }, opts);

async function counters() {
    const v = village();
    const [a, b] = await Promise.all([redis.call('HGET', `sg:{45}:${campaign}:stats:${v}`, 'people'), redis.call('HGET', `sg:{45}:${campaign}:stats:${v.slice(0, 6)}`, 'people')]);
    return { village: Number(a || 0), county: Number(b || 0) };
}

async function signUp(body) {
    const r = await srv.post('/api/registrations', body);
    assert.equal(r.status, 201, r.text);
    return r.json.code;
}

describe('cancel', () => {
    test('frees every ID number, leaves the index, decrements the counters', async () => {
        const body = signup({ companions: [companion(), companion()] });
        const before0 = await counters();
        const code = await signUp(body);
        const before1 = await counters();
        assert.deepEqual(before1, { village: before0.village + 3, county: before0.county + 3 });
        assert.equal(await redis.call('ZSCORE', `sg:{45}:${campaign}:byplace`, `${village()}:${code}`) !== null, true);

        const r = await cancel(code, body.phone.slice(-4));
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.json, { code, status: 'cancelled' });
        assert.deepEqual(await counters(), before0);
        assert.equal(await redis.call('ZSCORE', `sg:{45}:${campaign}:byplace`, `${village()}:${code}`), null);
        assert.equal(String(await redis.call('HGET', `sg:{45}:reg:${code}`, 'status')), 'cancelled');

        const g = await srv.get(`/api/registrations/${code}?phone4=${body.phone.slice(-4)}`);
        assert.equal(g.status, 200, g.text);
        assert.equal(g.json.status, 'cancelled');
        assert.match(g.json.cancelled_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

        // All three may sign up again, alone or together.
        const again = await signUp({ ...body, phone: body.phone });
        assert.notEqual(again, code);
        assert.deepEqual(await counters(), before1);
    });

    test('twice is harmless: 200 again and the counters move once', async () => {
        const body = signup();
        const code = await signUp(body);
        const mid = await counters();
        const results = await Promise.all([1, 2, 3].map(() => cancel(code, body.phone.slice(-4))));
        for (const r of results) assert.equal(r.status, 200, r.text);
        assert.deepEqual(await counters(), { village: mid.village - 1, county: mid.county - 1 });
        const r = await cancel(code.toLowerCase(), body.phone.slice(-4));
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(await counters(), { village: mid.village - 1, county: mid.county - 1 });
    });

    test('a new sign-up of a freed ID is not touched by cancelling the old one again', async () => {
        const body = signup();
        const old = await signUp(body);
        assert.equal((await cancel(old, body.phone.slice(-4))).status, 200);
        const fresh = await signUp(body);
        assert.equal((await cancel(old, body.phone.slice(-4))).status, 200);
        const dup = await srv.post('/api/registrations', body);
        assert.equal(dup.status, 409, `the new sign-up ${fresh} must still hold the ID: ${dup.text}`);
    });
});

describe('404 rules: wrong code and wrong phone4 look the same', () => {
    let body, code;
    before(async () => {
        body = signup();
        code = await signUp(body);
    });

    test('wrong phone4, unknown code, malformed code or phone4: one 404 and nothing changes', async () => {
        const right = body.phone.slice(-4);
        const wrong4 = String((Number(right) + 1) % 10000).padStart(4, '0');
        const other = code[0] === '2' ? `3${code.slice(1)}` : `2${code.slice(1)}`;
        const answers = [await cancel(code, wrong4), await cancel(other, right), await cancel('NOTACODE', right), await cancel(code, '12'), await cancel(code, undefined)];
        for (const r of answers) {
            assert.equal(r.status, 404, r.text);
            assert.equal(r.json?.error?.code, 'not_found', r.text);
        }
        assert.equal(answers[0].text, answers[1].text, 'wrong code and wrong phone4 must be indistinguishable');
        assert.equal(String(await redis.call('HGET', `sg:{45}:reg:${code}`, 'status')), 'registered');
    });

    test('GET is not allowed, JSON is required, the body must be JSON', async () => {
        const g = await srv.get(`/api/registrations/${code}/cancel`);
        assert.equal(g.status, 405, g.text);
        assert.match(g.headers.get('allow') || '', /POST/);
        const t = await srv.request('POST', `/api/registrations/${code}/cancel`, { body: 'phone4=1234', headers: { 'Content-Type': 'text/plain' } });
        assert.equal(t.status, 415, t.text);
        const b = await srv.request('POST', `/api/registrations/${code}/cancel`, { body: '{"phone4":', headers: { 'Content-Type': 'application/json' } });
        assert.equal(b.status, 400, b.text);
        assert.equal(String(await redis.call('HGET', `sg:{45}:reg:${code}`, 'status')), 'registered');
    });
});

test('a cancel while Redis is down answers 503, and works once Redis is back', async () => {
    const body = signup({ id_number: newId() });
    const code = await signUp(body);
    await stack.redis.stop();
    const r = await cancel(code, body.phone.slice(-4));
    assert.ok(r.status === 503 || r.status === 504, r.text);
    await stack.redis.start();
    redis = await stack.redis.client();
    // the data went with the stopped Redis (--save ''): the code is simply unknown now
    let last;
    for (let i = 0; i < 50; i++) {
        last = await cancel(code, body.phone.slice(-4));
        if (last.status === 404) break;
        await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(last.status, 404, last.text);
});
