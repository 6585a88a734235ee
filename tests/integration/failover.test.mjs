// SPDX-License-Identifier: MIT
// Redis high availability: a primary, a replica and three Sentinels on 127.0.0.1; the
// server finds the primary through the Sentinels and acknowledges a sign-up only once the
// replica has it (SONGGONG_REDIS_REPLICAS_ACK=1, WAIT). kill -9 of the primary while 8
// clients sign up: the Sentinels promote the replica, the server follows it by itself,
// and every sign-up that got 201 is there afterwards. The old primary, started again,
// comes back as a replica and sign-ups are acknowledged again.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { freePort, OUT_DIR, RedisProc, ServerProc, sleep, until } from './lib/harness.mjs';
import { RedisClient } from './lib/resp.mjs';
import { signup } from './lib/people.mjs';

const MASTER = 'songgong';
const procs = [];
const dirs = [];
after(async () => {
    for (const p of procs) {
        try {
            p.kill('SIGKILL');
        } catch {
            /* gone */
        }
    }
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function call(port, ...args) {
    const c = await RedisClient.connect(port);
    try {
        return await c.call(...args);
    } finally {
        c.close();
    }
}

async function startSentinel(primaryPort) {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-sentinel-'));
    dirs.push(dir);
    const conf = path.join(dir, 'sentinel.conf');
    fs.writeFileSync(
        conf,
        [
            `port ${port}`,
            'bind 127.0.0.1',
            `dir ${dir}`,
            `sentinel monitor ${MASTER} 127.0.0.1 ${primaryPort} 2`,
            // 2 s: short for a test, long enough that a Redis slowed by a loaded machine
            // (the suite runs ASan builds beside it) is not taken for a dead one
            `sentinel down-after-milliseconds ${MASTER} 2000`,
            `sentinel failover-timeout ${MASTER} 4000`,
            `sentinel parallel-syncs ${MASTER} 1`,
            '',
        ].join('\n'),
    );
    const log = fs.openSync(path.join(OUT_DIR, `failover-sentinel-${port}.log`), 'a');
    const child = spawn('redis-sentinel', [conf], { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    procs.push(child);
    assert.ok(await until(async () => (await call(port, 'PING').catch(() => '')) === 'PONG', 10000, 100), 'sentinel up');
    return port;
}

const primaryOf = async (sentinelPort) => (await call(sentinelPort, 'SENTINEL', 'get-master-addr-by-name', MASTER).catch(() => null))?.[1]?.toString();

// SENTINEL MASTER's reply as an object (flags, num-slaves, ...).
async function masterInfo(sentinelPort) {
    const r = await call(sentinelPort, 'SENTINEL', 'MASTER', MASTER).catch(() => null);
    const o = {};
    for (let i = 0; r && i + 1 < r.length; i += 2) o[r[i].toString()] = r[i + 1].toString();
    return o;
}

// Every Sentinel names `port` as the primary and none is still failing over.
async function failoverDone(sentinels, port) {
    for (const s of sentinels) {
        if ((await primaryOf(s)) !== String(port)) return false;
        if (/failover/.test((await masterInfo(s)).flags ?? 'failover')) return false;
    }
    return true;
}

test('kill -9 of the primary under load: every 201 survives, the server follows the new primary', async () => {
    // AOF on both, as in production (deploy/redis.conf): the old primary, started again,
    // comes back with what it had, not empty.
    const aof = ['--appendonly', 'yes', '--appendfsync', 'always'];
    const primary = new RedisProc('failover-primary', aof);
    await primary.start();
    const replica = new RedisProc('failover-replica', [...aof, '--replicaof', '127.0.0.1', String(primary.port)]);
    await replica.start();
    assert.ok(await until(async () => /master_link_status:up/.test(await call(replica.port, 'INFO', 'replication')), 10000, 100), 'replica in sync');
    const sentinels = [];
    for (let i = 0; i < 3; i++) sentinels.push(await startSentinel(primary.port));
    assert.ok(await until(async () => /num-other-sentinels|sentinels=3/.test(await call(sentinels[0], 'INFO', 'sentinel')), 10000, 200));

    const srv = new ServerProc('failover', primary, {
        env: {
            SONGGONG_REDIS: '127.0.0.1:1', // unused: the Sentinels say where the primary is
            SONGGONG_REDIS_SENTINELS: sentinels.map((p) => `127.0.0.1:${p}`).join(','),
            SONGGONG_REDIS_MASTER: MASTER,
            SONGGONG_REDIS_REPLICAS_ACK: '1',
            SONGGONG_REDIS_TIMEOUT_MS: '1500',
            SONGGONG_ACCESS_LOG: 'off',
        },
    });
    await srv.start();
    try {
        assert.ok(await until(async () => (await srv.get('/healthz')).status === 200, 10000, 100), 'server up through Sentinel');
        const acked = [];
        const failed = [];
        let stop = false;
        const client = async () => {
            while (!stop) {
                const body = signup();
                const r = await srv.post('/api/registrations', body, { timeout: 10000 }).catch((e) => ({ status: 0, text: e.message }));
                if (r.status === 201) acked.push({ code: r.json.code, phone4: body.phone.slice(-4), at: Date.now() });
                else failed.push(r.status);
                if (r.status !== 201) await sleep(100);
            }
        };
        let killedAt = 0;
        let promotedAt = Infinity;
        const clients = Array.from({ length: 8 }, client);
        try {
            await sleep(1500);
            assert.ok(acked.length > 10, `sign-ups before the failure: ${acked.length}`);
            killedAt = Date.now();
            primary.child.kill('SIGKILL');
            // The Sentinels promote the replica...
            assert.ok(await until(async () => (await primaryOf(sentinels[0])) === String(replica.port), 20000, 200), 'replica promoted');
            promotedAt = Date.now();
            // ...all three agree and the failover is over (a machine comes back after that:
            // one back within the failover is not the case under test)...
            assert.ok(await until(() => failoverDone(sentinels, replica.port), 20000, 200), 'the Sentinels agree on the new primary');
            // ...and the old primary, started again, is made its replica: then WAIT 1 is met again.
            primary.child = null;
            await primary.start();
            await until(() => acked.some((a) => a.at > promotedAt), 20000, 200);
        } finally {
            stop = true;
            await Promise.all(clients);
        }
        assert.ok(acked.some((a) => a.at > promotedAt), `no sign-up acknowledged after the failover (failures: ${failed.slice(-5).join(',')})`);
        // One failover, not two: the promoted replica is still the primary, the old one its replica.
        assert.ok(await failoverDone(sentinels, replica.port), `the Sentinels moved the primary again: ${await primaryOf(sentinels[0])}`);
        assert.ok(
            await until(async () => /role:slave/.test(await call(primary.port, 'INFO', 'replication')), 20000, 200),
            'the old primary came back as a replica',
        );
        const resumedIn = acked.find((a) => a.at > promotedAt).at - killedAt;
        console.log(`promoted ${promotedAt - killedAt} ms after the kill; sign-ups acknowledged again after ${resumedIn} ms; ${acked.length} acknowledged, ${failed.length} refused`);
        assert.ok(resumedIn < 30000, `sign-ups resumed ${resumedIn} ms after the kill`);
        assert.ok(failed.every((s) => s === 503 || s === 504 || s === 0), `failures are 503/504 only: ${[...new Set(failed)]}`);
        // Every acknowledged sign-up is on the new primary.
        for (const a of acked) {
            const g = await srv.get(`/api/registrations/${a.code}?phone4=${a.phone4}`);
            assert.equal(g.status, 200, `${a.code} was acknowledged but is gone: ${g.text}`);
        }
        const m = await srv.get('/metrics');
        assert.match(m.text, /^songgong_redis_reconnects_total [1-9]\d*$/m, 'the server reconnected');
    } finally {
        await srv.dispose();
        await replica.dispose();
        await primary.dispose();
    }
});

test('SONGGONG_REDIS_REPLICAS_ACK=1 without a replica: 503, logged; the retry is acknowledged once a replica has it', async () => {
    const primary = new RedisProc('ack-primary');
    await primary.start();
    const srv = new ServerProc('ack', primary, { env: { SONGGONG_REDIS_REPLICAS_ACK: '1', SONGGONG_REDIS_TIMEOUT_MS: '1000', SONGGONG_ACCESS_LOG: 'off' } });
    await srv.start();
    let replica;
    try {
        const body = signup();
        const key = 'ack-test-0123456789';
        const first = await srv.post('/api/registrations', body, { headers: { 'Idempotency-Key': key } });
        assert.equal(first.status, 503, first.text);
        assert.match(fs.readFileSync(srv.logFile, 'utf8'), /error 503 POST \/api\/registrations: .*0 of 1 replicas confirmed it/);
        // attempt counters do not wait for a replica: a lookup is answered without one
        const miss = await srv.get('/api/registrations/ABCD2345?phone4=1234');
        assert.equal(miss.status, 404, miss.text);
        replica = new RedisProc('ack-replica', ['--replicaof', '127.0.0.1', String(primary.port)]);
        await replica.start();
        assert.ok(await until(async () => /master_link_status:up/.test(await call(replica.port, 'INFO', 'replication')), 10000, 100));
        // the primary counts a replica for WAIT once it holds it online (after the first sync)
        assert.ok(await until(async () => /slave0:.*state=online/.test(await call(primary.port, 'INFO', 'replication')), 10000, 100));
        const again = await srv.post('/api/registrations', body, { headers: { 'Idempotency-Key': key } });
        assert.equal(again.status, 201, again.text);
        const look = await srv.get(`/api/registrations/${again.json.code}?phone4=${body.phone.slice(-4)}`);
        assert.equal(look.status, 200, look.text);
        const dup = await srv.post('/api/registrations', { ...body }, { headers: { 'Idempotency-Key': 'ack-test-other-key' } });
        assert.equal(dup.status, 409, `stored once: the same person again is a duplicate (${dup.text}; server: ${fs.readFileSync(srv.logFile, 'utf8').split('\n').filter((l) => / error /.test(l)).slice(-2).join(' | ')})`);
    } finally {
        await srv.dispose();
        await replica?.dispose();
        await primary.dispose();
    }
});

test('an ACL user with a password file: the server logs in; a wrong password stops the start with what Redis said', async () => {
    const redis = new RedisProc('acl');
    await redis.start();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-acl-'));
    dirs.push(dir);
    await call(redis.port, 'ACL', 'SETUSER', 'songgong', 'on', '>s3cret-pass-phrase', '~sg:*', '+@all', '-@dangerous', '+info');
    await call(redis.port, 'ACL', 'SETUSER', 'default', 'off');
    const good = path.join(dir, 'good');
    const bad = path.join(dir, 'bad');
    fs.writeFileSync(good, 's3cret-pass-phrase\n', { mode: 0o600 });
    fs.writeFileSync(bad, 'wrong\n', { mode: 0o600 });
    const env = (file) => ({ SONGGONG_REDIS_USER: 'songgong', SONGGONG_REDIS_PASSWORD_FILE: file, SONGGONG_ACCESS_LOG: 'off' });
    const srv = new ServerProc('acl-good', redis, { env: env(good) });
    await srv.start();
    try {
        const r = await srv.post('/api/registrations', signup());
        assert.equal(r.status, 201, r.text);
    } finally {
        await srv.dispose();
    }
    const wrong = new ServerProc('acl-bad', redis, { env: env(bad) });
    try {
        await assert.rejects(wrong.start(), /did not listen/);
        const log = fs.readFileSync(wrong.logFile, 'utf8');
        assert.match(log, /cannot read the key layout's version from Redis at 127\.0\.0\.1:\d+: Redis: (WRONGPASS|NOAUTH)/);
        assert.ok(!log.includes('wrong'), 'the password never reaches the log');
        assert.deepEqual(wrong.child.exitInfo, { code: 1, signal: null });
    } finally {
        wrong.child = null;
        await wrong.dispose();
        await redis.dispose();
    }
});
