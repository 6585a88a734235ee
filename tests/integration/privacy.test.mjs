// SPDX-License-Identifier: MIT
// Personal data at rest: after sign-ups, every key and every value in Redis is scanned and
// none holds a submitted ID or phone number in plain text. All keys live under "sg:{45}:".
// Stronger still: nothing the server sends to Redis (MONITOR) and nothing in the AOF
// holds them, and neither does the server log.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sleep, startStack } from './lib/harness.mjs';
import { dumpAll } from './lib/resp.mjs';
import { companion, newId, secretsOf, signup } from './lib/people.mjs';

let stack, srv;
const secrets = [];
const monitored = [];
before(async () => {
    stack = await startStack('privacy', { redisArgs: ['--appendonly', 'yes', '--appendfsync', 'always'] });
    srv = stack.server;
    const mon = await stack.redis.client();
    mon.onUnsolicited = (line) => monitored.push(String(line));
    assert.equal(await mon.call('MONITOR'), 'OK');
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
        // A lookup decrypts: it must send nothing in plain text either.
        const g = await srv.get(`/api/registrations/${r.json.code}?phone4=${b.phone.slice(-4)}`);
        assert.equal(g.status, 200, g.text);
    }
    // A duplicate also runs through the store.
    assert.equal((await srv.post('/api/registrations', bodies[0])).status, 409);
    await sleep(200);
    mon.close();
});
after(() => stack?.close());

// The forms to look for: the numbers as given, and an X check digit in lower case.
function forms() {
    return secrets.flatMap((s) => (s.endsWith('X') ? [s, s.slice(0, 17) + 'x'] : [s]));
}

test('no ID or phone number in plain text anywhere in Redis', async () => {
    const redis = await stack.redis.client();
    let dump;
    try {
        dump = await dumpAll(redis);
    } finally {
        redis.close();
    }
    assert.ok(dump.length > 0, 'Redis is empty after sign-ups');
    for (const { key, parts } of dump) {
        for (const s of forms()) {
            assert.ok(!key.includes(s), `key ${key} contains ${s}`);
            for (const p of parts) assert.ok(!p.includes(s), `value of ${key} contains ${s}`);
        }
    }
});

test('every key is under the sg:{45}: prefix (one hash slot)', async () => {
    const redis = await stack.redis.client();
    try {
        const dump = await dumpAll(redis);
        const stray = dump.map((d) => d.key.toString()).filter((k) => !k.startsWith('sg:{45}:'));
        assert.deepEqual(stray, []);
    } finally {
        redis.close();
    }
});

test('no command the server sent to Redis holds one (MONITOR)', () => {
    assert.ok(monitored.some((l) => /"EVALSHA"|"evalsha"/i.test(l)), `MONITOR saw no EVALSHA: ${monitored.slice(0, 5).join('\n')}`);
    for (const line of monitored) {
        for (const s of forms()) assert.ok(!line.includes(s), `Redis command holds ${s}: ${line.slice(0, 300)}`);
    }
});

test('the AOF on disk holds none', () => {
    const files = [];
    const walk = (d) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) walk(p);
            else files.push(p);
        }
    };
    walk(stack.redis.dir);
    const aof = files.filter((f) => /appendonly/.test(f));
    assert.ok(aof.length > 0, `no AOF files in ${stack.redis.dir}: ${files.join(', ')}`);
    let seen = false;
    for (const f of aof) {
        const buf = fs.readFileSync(f);
        seen ||= buf.includes('sg:{45}:reg:');
        for (const s of forms()) assert.ok(!buf.includes(s), `${f} contains ${s}`);
    }
    assert.ok(seen, 'the AOF does not hold the registrations: wrong files?');
});

test('the server log holds none', () => {
    const log = fs.readFileSync(srv.logFile, 'utf8');
    for (const s of secrets) assert.ok(!log.includes(s), `server log contains ${s}`);
});
