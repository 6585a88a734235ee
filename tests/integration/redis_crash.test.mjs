// SPDX-License-Identifier: MIT
// Redis killed with SIGKILL while 50 clients sign up (AOF, appendfsync always): after it
// starts again from its AOF, every sign-up answered 201 is there, and a sign-up answered
// 503 carries the Idempotency-Key it ran under, so that its retry settles it: 201 with
// the code it got if it was stored, else stored now; no person is ever stored twice.
// Redis at its maxmemory: 503 with a clear message, and nothing partial is stored.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { RedisProc, ServerProc, sleep, until } from './lib/harness.mjs';
import { companion, signup } from './lib/people.mjs';

const disposables = [];
after(async () => {
    for (const d of disposables.reverse()) await d.dispose().catch(() => {});
});

test('kill -9 of Redis under 50 clients: every 201 is there afterwards, every 503 settles by its key, no duplicate', async () => {
    const redis = new RedisProc('crash', ['--appendonly', 'yes', '--appendfsync', 'always']);
    await redis.start();
    const srv = new ServerProc('crash', redis, { env: { SONGGONG_REDIS_TIMEOUT_MS: '1000', SONGGONG_ACCESS_LOG: 'off' } });
    await srv.start();
    disposables.push(redis, srv);
    const acked = [];
    const refused = [];
    let stop = false;
    const client = async () => {
        while (!stop) {
            const body = signup({ companions: Math.random() < 0.3 ? [companion()] : [] });
            const r = await srv.post('/api/registrations', body, { timeout: 10000 }).catch((e) => ({ status: 0, text: e.message, headers: new Headers() }));
            if (r.status === 201) acked.push({ code: r.json.code, body });
            else refused.push({ status: r.status, key: r.headers.get('idempotency-key'), body });
            if (r.status !== 201) await sleep(200);
        }
    };
    const clients = Array.from({ length: 50 }, client);
    await sleep(2000);
    // Redis hangs first, then dies: sign-ups are surely in flight (sent, unanswered) when it
    // goes, whatever the machine's load (a bare kill can fall between two round trips).
    redis.child.kill('SIGSTOP');
    await sleep(300);
    redis.child.kill('SIGKILL');
    await redis.child.exited;
    redis.child = null;
    await sleep(1000);
    stop = true;
    await Promise.all(clients);
    assert.ok(acked.length > 20, `sign-ups before the kill: ${acked.length}`);
    assert.ok(refused.length > 0, 'some were refused while Redis was down');
    assert.ok(refused.every((r) => r.status === 503 || r.status === 504), `refusals: ${[...new Set(refused.map((r) => r.status))]}`);
    const keyed = refused.filter((r) => r.key);
    console.log(`acked ${acked.length}, refused ${refused.length} (${keyed.length} with a key): ${JSON.stringify(refused.slice(0, 3).map((r) => [r.status, r.key]))}`);
    assert.ok(keyed.length > 0 && keyed.every((r) => /^s-[0-9a-f]{32}$/.test(r.key)), 'a refused sign-up names the key it ran under');

    await redis.start(); // the same data directory: Redis loads its AOF
    assert.ok(await until(async () => (await srv.get('/healthz')).status === 200, 20000, 200), 'the server is back by itself');
    for (const a of acked) {
        const g = await srv.get(`/api/registrations/${a.code}?phone4=${a.body.phone.slice(-4)}`);
        assert.equal(g.status, 200, `${a.code} was acknowledged but is gone: ${g.text}`);
        assert.equal(g.json.people.length, 1 + a.body.companions.length);
    }
    // The retries: with the key each refusal named, every one ends in 201, none twice.
    const codes = new Set(acked.map((a) => a.code));
    for (const r of keyed) {
        const again = await srv.post('/api/registrations', r.body, { headers: { 'Idempotency-Key': r.key } });
        assert.equal(again.status, 201, again.text);
        assert.ok(!codes.has(again.json.code), 'a retry never answers another sign-up\'s code');
        codes.add(again.json.code);
    }
    const c = await redis.client();
    const places = (await c.call('ZRANGE', 'sg:{45}:2027-spring:byplace', '0', '-1')).map(String);
    c.close();
    const stored = new Set(places.map((m) => m.split(':')[1]));
    assert.equal(stored.size, places.length, 'one index entry a registration');
    for (const code of codes) assert.ok(stored.has(code), `${code} is in the index`);
    // No person twice: each body's ID number again is a duplicate now, never stored again.
    const sample = [...acked.slice(0, 5), ...keyed.slice(0, 5)];
    for (const x of sample) assert.equal((await srv.post('/api/registrations', signup({ id_number: x.body.id_number }))).status, 409);
});

test('Redis at its maxmemory: 503 with a clear message, nothing partial stored, 201 again once there is room', async () => {
    const redis = new RedisProc('oom', ['--maxmemory', '3mb', '--maxmemory-policy', 'noeviction']);
    await redis.start();
    // no text-message sender: it makes its streams when it starts, which is not the sign-up's doing
    const srv = new ServerProc('oom', redis, { env: { SONGGONG_ACCESS_LOG: 'off', SONGGONG_NOTIFY_SENDER: 'off' } });
    await srv.start();
    disposables.push(redis, srv);
    const c = await redis.client();
    // fill Redis up to its limit with a key of our own
    const chunk = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 200; i++) {
        const r = await c.call('SET', `filler:${i}`, chunk).catch((e) => e);
        if (r instanceof Error || String(r).startsWith('OOM')) break;
    }
    const keys = async () => (await c.call('KEYS', '*')).map(String).sort();
    const before = await keys();
    const body = signup({ companions: [companion()] });
    const r = await srv.post('/api/registrations', body);
    assert.equal(r.status, 503, r.text);
    assert.equal(r.json.error.code, 'unavailable');
    assert.match(r.json.error.message, /稍后再试/);
    const added = (await keys()).filter((k) => !before.includes(k));
    assert.deepEqual(added, [], 'nothing stored, not even a uniqueness key');
    // room again: the same person signs up (no uniqueness key was left behind)
    for (let i = 0; i < 200; i++) await c.call('DEL', `filler:${i}`);
    c.close();
    const ok = await srv.post('/api/registrations', body);
    assert.equal(ok.status, 201, ok.text);
});
