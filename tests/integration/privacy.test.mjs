// SPDX-License-Identifier: MIT
// Personal data at rest: after sign-ups, every key and every value in Redis is scanned and
// none holds a submitted ID or phone number in plain text. All keys live under "sg:".
// The server log never holds them either.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { startStack } from './lib/harness.mjs';
import { dumpAll } from './lib/resp.mjs';
import { companion, newId, secretsOf, signup } from './lib/people.mjs';

let stack, srv;
const secrets = [];
before(async () => {
    stack = await startStack('privacy');
    srv = stack.server;
    const bodies = [
        signup(),
        signup({ id_number: newId({ x: true }) }),
        signup({ companions: [companion({ phone: '13600001111' }), companion({ id_number: newId({ x: true }), phone: '15812345678' })] }),
        signup({ poverty: 'monitored', companions: [companion({ poverty: 'alleviated' })] }),
    ];
    for (const b of bodies) {
        const r = await srv.post('/api/registrations', b, { headers: { 'Idempotency-Key': `privacy-${secrets.length}-key` } });
        assert.equal(r.status, 201, r.text);
        secrets.push(...secretsOf(b));
    }
    // A duplicate and a lookup also run through the store.
    assert.equal((await srv.post('/api/registrations', bodies[0])).status, 409);
});
after(() => stack?.close());

test('no ID or phone number in plain text anywhere in Redis', async () => {
    const redis = await stack.redis.client();
    let dump;
    try {
        dump = await dumpAll(redis);
    } finally {
        redis.close();
    }
    assert.ok(dump.length > 0, 'Redis is empty after sign-ups');
    const forms = secrets.flatMap((s) => (s.endsWith('X') ? [s, s.slice(0, 17) + 'x'] : [s]));
    for (const { key, parts } of dump) {
        for (const s of forms) {
            assert.ok(!key.includes(s), `key ${key} contains ${s}`);
            for (const p of parts) assert.ok(!p.includes(s), `value of ${key} contains ${s}`);
        }
    }
});

test('every key is under the sg: prefix', async () => {
    const redis = await stack.redis.client();
    try {
        const dump = await dumpAll(redis);
        const stray = dump.map((d) => d.key.toString()).filter((k) => !k.startsWith('sg:'));
        assert.deepEqual(stray, []);
    } finally {
        redis.close();
    }
});

test('the server log holds no ID or phone number', async () => {
    const log = fs.readFileSync(srv.logFile, 'utf8');
    for (const s of secrets) assert.ok(!log.includes(s), `server log contains ${s}`);
});
