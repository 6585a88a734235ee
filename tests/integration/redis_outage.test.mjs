// SPDX-License-Identifier: MIT
// Redis goes away: 503 (POST and /healthz) promptly, never a hang; Redis comes back: 201
// without restarting the server. Redis frozen (SIGSTOP): the command timeout answers 504.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack, until } from './lib/harness.mjs';
import { signup } from './lib/people.mjs';

let stack, srv;
before(async () => {
    stack = await startStack('redis-outage');
    srv = stack.server;
});
after(() => stack?.close());

test('Redis stopped → 503, Redis back → 201 without restarting the server', async () => {
    assert.equal((await srv.post('/api/registrations', signup())).status, 201);

    await stack.redis.stop();
    const t0 = Date.now();
    const p = await srv.post('/api/registrations', signup());
    assert.equal(p.status, 503, p.text);
    assert.equal(p.json?.error?.code, 'unavailable', p.text);
    assert.ok(Date.now() - t0 < 5000, `503 took ${Date.now() - t0} ms`);
    const h = await srv.get('/healthz');
    assert.equal(h.status, 503, h.text);
    assert.equal(h.json?.error?.code, 'unavailable', h.text);
    // Still 503 a little later (while reconnect attempts fail), not a hang or a crash.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await srv.post('/api/registrations', signup())).status, 503);
    const g = await srv.get('/api/registrations/23456789?phone4=1234');
    assert.ok(g.status === 503 || g.status === 404, g.text);

    await stack.redis.start();
    const ok = await until(async () => (await srv.post('/api/registrations', signup())).status === 201, 10000, 250);
    assert.ok(ok, 'no 201 within 10 s of Redis coming back');
    assert.equal((await srv.get('/healthz')).status, 200);
});

test('Redis restarted twice in a row: the client keeps reconnecting', async () => {
    for (let i = 0; i < 2; i++) {
        await stack.redis.stop();
        assert.equal((await srv.get('/healthz')).status, 503);
        await stack.redis.start();
        const ok = await until(async () => (await srv.get('/healthz')).status === 200, 10000, 250);
        assert.ok(ok, `healthz not 200 within 10 s after restart ${i + 1}`);
    }
    assert.equal((await srv.post('/api/registrations', signup())).status, 201);
});

test('Redis frozen → 504 timeout (or 503), not a hang; then 201 again', async () => {
    stack.redis.pause();
    let r;
    try {
        const t0 = Date.now();
        r = await srv.post('/api/registrations', signup(), { timeout: 20000 });
        const ms = Date.now() - t0;
        assert.ok(r.status === 504 || r.status === 503, `${r.status} ${r.text}`);
        if (r.status === 504) assert.equal(r.json?.error?.code, 'timeout', r.text);
        assert.ok(ms < 15000, `answer took ${ms} ms`);
    } finally {
        stack.redis.resume();
    }
    const ok = await until(async () => (await srv.post('/api/registrations', signup())).status === 201, 10000, 250);
    assert.ok(ok, 'no 201 within 10 s of Redis thawing');
});
