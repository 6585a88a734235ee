// SPDX-License-Identifier: MIT
// Attempt limits in the server (a county may run it without nginx), kept in Redis so that
// every process shares them: sign-ups per client address, lookups and cancels per address
// and per code (10 wrong phone4 an hour, then 429 for that code from anywhere), logins
// counted before the password is hashed (40 parallel guesses cannot pass the lock-out),
// unknown names answered as slowly without taking a place in the hashing queue; and the
// idempotency key tied to its body.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RedisProc, ServerProc } from './lib/harness.mjs';
import { badCheck, signup, village } from './lib/people.mjs';
import { addUser, PASSWORD } from './lib/staff.mjs';

let redis, srv;
before(async () => {
    redis = new RedisProc('limits');
    await redis.start();
    srv = new ServerProc('limits', redis, {
        env: {
            SONGGONG_LIMIT_SIGNUP: '5/60',
            SONGGONG_LIMIT_LOOKUP: '30/60',
            SONGGONG_LIMIT_CODE: '10/3600',
            SONGGONG_LIMIT_LOGIN: '5/900',
            SONGGONG_LIMIT_LOGIN_NAME: '50/3600',
            SONGGONG_LIMIT_LOGIN_ADDRESS: '200/300',
            SONGGONG_ACCESS_LOG: 'off',
        },
    });
    await srv.start();
});
after(async () => {
    await srv?.dispose();
    await redis?.dispose();
});

// nginx on the same host passes the client's address in X-Real-IP (trusted from loopback only).
const from = (ip, headers = {}) => ({ headers: { 'X-Real-IP': ip, ...headers } });
const count = (codes, c) => codes.filter((x) => x === c).length;

test('sign-ups per address: the 6th in a minute is 429 with Retry-After; another address goes on', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await srv.post('/api/registrations', signup(), from('203.0.113.1'))).status, 201);
    const r = await srv.post('/api/registrations', signup(), from('203.0.113.1'));
    assert.equal(r.status, 429, r.text);
    assert.equal(r.json.error.code, 'rate_limited');
    assert.match(r.json.error.message, /太频繁/);
    assert.ok(Number(r.headers.get('retry-after')) > 0 && Number(r.headers.get('retry-after')) <= 60, r.headers.get('retry-after'));
    assert.equal((await srv.post('/api/registrations', signup(), from('203.0.113.2'))).status, 201);
    // A retry of a stored sign-up (its Idempotency-Key) is not a new attempt.
    const body = signup();
    const first = await srv.post('/api/registrations', body, from('203.0.113.3', { 'Idempotency-Key': 'limits-retry-0001' }));
    assert.equal(first.status, 201);
    for (let i = 0; i < 8; i++) {
        const again = await srv.post('/api/registrations', body, from('203.0.113.3', { 'Idempotency-Key': 'limits-retry-0001' }));
        assert.equal(again.status, 201, again.text);
        assert.equal(again.json.code, first.json.code);
    }
});

test('a burst of 10,000 bogus sign-ups from one address stores nothing and leaves others unaffected', async () => {
    const c = await redis.client();
    const keysBefore = Number(await c.call('DBSIZE'));
    const bogus = signup({ id_number: badCheck(signup().id_number) });
    const codes = [];
    let next = 0;
    const slow = [];
    const attacker = async () => {
        while (next < 10000) {
            next++;
            codes.push((await srv.post('/api/registrations', bogus, from('198.51.100.66'))).status);
        }
    };
    const neighbour = async () => {
        for (let i = 0; i < 3; i++) {
            const t0 = Date.now();
            const r = await srv.post('/api/registrations', signup(), from(`203.0.113.${20 + i}`));
            slow.push(Date.now() - t0);
            assert.equal(r.status, 201, r.text);
        }
    };
    await Promise.all([...Array.from({ length: 32 }, attacker), neighbour()]);
    assert.equal(codes.length, 10000);
    assert.deepEqual([...new Set(codes)], [422], 'every bogus sign-up refused at validation');
    assert.ok(Math.max(...slow) < 3000, `the other addresses' sign-ups took ${slow.join(', ')} ms`);
    const keysAfter = Number(await c.call('DBSIZE'));
    c.close();
    assert.ok(keysAfter - keysBefore <= 3 * 4 + 3, `keys written: ${keysAfter - keysBefore} (only the 3 real sign-ups' and their counters)`);
});

test('lookups: 10 wrong phone4 on a code, then 429 for it from any address; right ones do not count', async () => {
    const body = signup();
    const made = await srv.post('/api/registrations', body, from('203.0.113.40'));
    assert.equal(made.status, 201);
    const code = made.json.code;
    const right = body.phone.slice(-4);
    const wrong = right === '0000' ? '1111' : '0000';
    for (let i = 0; i < 20; i++) assert.equal((await srv.get(`/api/registrations/${code}?phone4=${right}`, from('203.0.113.41'))).status, 200);
    for (let i = 0; i < 10; i++) assert.equal((await srv.get(`/api/registrations/${code}?phone4=${wrong}`, from(`203.0.113.${50 + i}`))).status, 404);
    const blocked = await srv.get(`/api/registrations/${code}?phone4=${right}`, from('203.0.113.99'));
    assert.equal(blocked.status, 429, blocked.text);
    assert.equal(blocked.json.error.code, 'too_many_attempts');
    assert.ok(Number(blocked.headers.get('retry-after')) > 3000, 'for about an hour');
    const cancel = await srv.post(`/api/registrations/${code}/cancel`, { phone4: right }, from('203.0.113.98'));
    assert.equal(cancel.status, 429, 'the cancel is under the same limit');
});

test('50 parallel wrong guesses on one code: at most 10 are checked', async () => {
    const body = signup();
    const made = await srv.post('/api/registrations', body, from('203.0.113.42'));
    const right = Number(body.phone.slice(-4));
    const guesses = Array.from({ length: 50 }, (_, i) => String((right + 1 + i) % 10000).padStart(4, '0'));
    const codes = await Promise.all(guesses.map((g, i) => srv.get(`/api/registrations/${made.json.code}?phone4=${g}`, from(`198.51.100.${i + 1}`)).then((r) => r.status)));
    assert.equal(count(codes, 404), 10, codes.join(','));
    assert.equal(count(codes, 429), 40);
});

test('lookups per address: 30 a minute', async () => {
    const codes = [];
    for (let i = 0; i < 31; i++) codes.push((await srv.get(`/api/registrations/2345678${'ABCDEFGHJK'[i % 10]}?phone4=1234`, from('192.0.2.7'))).status);
    assert.equal(count(codes, 404), 30);
    assert.equal(codes[30], 429);
});

test('login: 40 parallel tries, 39 wrong and 1 right, lock out after 5 without hashing the rest', async () => {
    addUser(srv, 'lockme', 'village', village());
    const bodies = Array.from({ length: 40 }, (_, i) => ({ username: 'lockme', password: i === 20 ? PASSWORD : `wrong-password-${i}` }));
    const t0 = Date.now();
    const codes = await Promise.all(bodies.map((b) => srv.post('/api/login', b, from('198.51.100.200')).then((r) => r.status)));
    const checked = count(codes, 401) + count(codes, 200);
    assert.equal(checked, 5, `five tries checked: ${codes.join(',')}`);
    assert.equal(count(codes, 423), 35, 'the rest refused before hashing');
    assert.ok(Date.now() - t0 < 20000);
    const after = await srv.post('/api/login', { username: 'lockme', password: PASSWORD }, from('198.51.100.200'));
    if (!codes.includes(200)) {
        assert.equal(after.status, 423, 'locked from this address');
        assert.ok(Number(after.headers.get('retry-after')) > 60);
    }
    // Someone else's guesses do not lock the user out of their own address.
    const mine = await srv.post('/api/login', { username: 'lockme', password: PASSWORD }, from('203.0.113.77'));
    assert.equal(mine.status, 200, mine.text);
});

test('100 parallel logins with unknown names: answered 401 as slowly as a check, a real login still quick', async () => {
    addUser(srv, 'quick', 'village', village());
    const unknown = Array.from({ length: 100 }, (_, i) =>
        srv.post('/api/login', { username: `nobody${i}`, password: 'whatever-it-is' }, from(`198.51.100.${(i % 200) + 1}`)).then((r) => r.status),
    );
    const t0 = Date.now();
    const real = await srv.post('/api/login', { username: 'quick', password: PASSWORD }, from('203.0.113.78'));
    const realMs = Date.now() - t0;
    const codes = await Promise.all(unknown);
    assert.deepEqual([...new Set(codes)], [401]);
    assert.equal(real.status, 200, real.text);
    assert.ok(realMs < 3000, `a real login took ${realMs} ms behind 100 unknown names`);
    // an unknown name takes about as long as a wrong password
    const time = async (b) => {
        const s = Date.now();
        await srv.post('/api/login', b, from('203.0.113.79'));
        return Date.now() - s;
    };
    const wrongMs = await time({ username: 'quick', password: 'not-the-password' });
    const unknownMs = await time({ username: 'nobody-at-all', password: 'not-the-password' });
    assert.ok(unknownMs > wrongMs / 4 && unknownMs < wrongMs * 4 + 50, `unknown ${unknownMs} ms, wrong ${wrongMs} ms`);
});

test('an Idempotency-Key reused with another body: 422 idempotency_mismatch, nothing stored', async () => {
    const a = signup();
    const b = signup();
    const key = 'limits-idem-mismatch-1';
    const first = await srv.post('/api/registrations', a, from('203.0.113.80', { 'Idempotency-Key': key }));
    assert.equal(first.status, 201);
    const other = await srv.post('/api/registrations', b, from('203.0.113.80', { 'Idempotency-Key': key }));
    assert.equal(other.status, 422, other.text);
    assert.equal(other.json.error.code, 'idempotency_mismatch');
    assert.equal(other.json.error.field, 'Idempotency-Key');
    // b was not stored: it can sign up under its own key
    assert.equal((await srv.post('/api/registrations', b, from('203.0.113.80', { 'Idempotency-Key': 'limits-idem-own-2' }))).status, 201);
});
