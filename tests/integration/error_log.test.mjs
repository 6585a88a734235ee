// SPDX-License-Identifier: MIT
// Every 5xx leaves one line in the server's error log with its route and cause (what
// Redis said, where it said something), and never an ID number, a phone number or a
// query string. The failures are real: Redis refusing the sign-up script (an ACL that
// takes EVALSHA away: its NOPERM error text must reach the log), and Redis gone (503).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { startStack, until } from './lib/harness.mjs';
import { companion, secretsOf, signup } from './lib/people.mjs';

let stack, srv, redis;
before(async () => {
    stack = await startStack('error-log');
    srv = stack.server;
    redis = await stack.redis.client();
});
after(async () => {
    redis?.close();
    await stack?.close();
});

const log = () => fs.readFileSync(srv.logFile, 'utf8');
const errorLines = () => log().split('\n').filter((l) => / error 5\d\d /.test(l));

function assertNoSecrets(text, bodies) {
    for (const b of bodies)
        for (const s of secretsOf(b)) {
            assert.ok(!text.includes(s), `the log holds a personal number (${s.slice(0, 3)}…)`);
            assert.ok(!text.includes(s.slice(-4) + '"'), 'the log quotes the end of a personal number');
        }
    assert.ok(!/phone4/.test(text), 'the log holds a query string');
}

test('a Redis error reply becomes 500 with one log line naming the route and what Redis said', async () => {
    const before = errorLines().length;
    const body = signup({ companions: [companion({ phone: '13912345678' })] });
    await redis.call('ACL', 'SETUSER', 'default', '-evalsha', '-eval');
    let r;
    try {
        r = await srv.post('/api/registrations', body);
    } finally {
        await redis.call('ACL', 'SETUSER', 'default', '+@all');
    }
    assert.equal(r.status, 500, r.text);
    assert.equal(r.json?.error?.code, 'internal');
    assert.ok(!r.text.includes('NOPERM'), 'the client is not told what Redis said');
    const lines = errorLines().slice(before);
    assert.equal(lines.length, 1, `one line for one 5xx:\n${lines.join('\n')}`);
    assert.match(lines[0], /error 500 POST \/api\/registrations: store error/);
    assert.match(lines[0], /NOPERM/, 'Redis\'s own error text is in the line');
    assertNoSecrets(log(), [body]);
    // The same request works again once Redis allows it: nothing was stored the first time.
    assert.equal((await srv.post('/api/registrations', body)).status, 201);
});

test('Redis gone: every 503 is logged without the query string; the server recovers by itself', async () => {
    const body = signup();
    const first = await srv.post('/api/registrations', body);
    assert.equal(first.status, 201, first.text);
    const phone4 = body.phone.slice(-4);
    const before = errorLines().length;
    await stack.redis.stop();
    const a = await srv.post('/api/registrations', signup());
    const b = await srv.get(`/api/registrations/${first.json.code}?phone4=${phone4}`);
    assert.equal(a.status, 503, a.text);
    assert.equal(b.status, 503, b.text);
    const lines = errorLines().slice(before);
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0], /error 503 POST \/api\/registrations: store unavailable/);
    assert.match(lines[1], new RegExp(`error 503 GET /api/registrations/${first.json.code}: store unavailable`));
    assertNoSecrets(log(), [body]);
    await stack.redis.start();
    redis.close();
    redis = await stack.redis.client();
    assert.ok(await until(async () => (await srv.get('/healthz')).status === 200, 10000, 250), 'healthz back');
});
