// SPDX-License-Identifier: MIT
// Live dashboard streams (GET /api/stats/stream) cannot be used to eat the server: at most
// SONGGONG_STREAMS_PER_SESSION per session and SONGGONG_STREAMS_MAX in all (429
// too_many_streams beyond), the memory 500 streams took is given back once they close
// (measured on the Release binary: ASan's allocator keeps freed memory on purpose), and an
// open stream does not keep its session alive past its idle limit.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { RedisProc, ServerProc, sleep, until } from './lib/harness.mjs';
import { addUser, login } from './lib/staff.mjs';

let redis;
before(async () => {
    redis = new RedisProc('streams');
    await redis.start();
});
after(() => redis?.dispose());

/** Open a stream and read its first event; returns the abort function, or the refusal. */
/**
 * A live dashboard stream as a browser tab holds it: {status: 200, close, ended} once its
 * first event came (close() drops the connection as a closed tab does; ended resolves when
 * the server ends it), or {status, json} when refused. Plain node:http, one socket each.
 */
function open(srv, cookie) {
    return new Promise((resolve, reject) => {
        const req = http.get(`${srv.url}/api/stats/stream?scope=45`, { headers: { Cookie: cookie }, agent: false }, (res) => {
            if (res.statusCode !== 200) {
                let text = '';
                res.setEncoding('utf8');
                res.on('data', (c) => (text += c));
                res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(text) }));
                return;
            }
            const ended = new Promise((done) => res.on('close', done));
            res.once('data', () => resolve({ status: 200, close: () => req.destroy(), ended }));
        });
        req.on('error', reject); // after close(): the promise is settled already
    });
}

const rssMb = (pid) => Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;
const metric = async (srv, name) => Number((await srv.get('/metrics')).text.match(new RegExp(`^${name} (\\d+)$`, 'm'))[1]);

test('per session and in all: the caps answer 429 too_many_streams; a closed stream frees its place', async () => {
    const srv = new ServerProc('streams-caps', redis, { env: { SONGGONG_STREAMS_PER_SESSION: '3', SONGGONG_STREAMS_MAX: '5', SONGGONG_ACCESS_LOG: 'off' } });
    await srv.start();
    try {
        addUser(srv, 'dash', 'organiser', '45');
        const a = await login(srv, 'dash');
        const b = await login(srv, 'dash');
        const mine = [];
        for (let i = 0; i < 3; i++) mine.push(await open(srv, a.cookie));
        assert.deepEqual(mine.map((x) => x.status), [200, 200, 200]);
        const fourth = await open(srv, a.cookie);
        assert.equal(fourth.status, 429);
        assert.equal(fourth.json.error.code, 'too_many_streams');
        assert.match(fourth.json.error.message, /标签页/);
        const other = [await open(srv, b.cookie), await open(srv, b.cookie)];
        assert.deepEqual(other.map((x) => x.status), [200, 200], 'another session has its own places');
        assert.equal((await open(srv, b.cookie)).status, 429, 'five in all');
        assert.equal(await metric(srv, 'songgong_streams'), 5);
        // A tab closed: its place is free again once the server notices (a write every tick, 2 s).
        mine[0].close();
        assert.ok(await until(async () => (await metric(srv, 'songgong_streams')) === 4, 10000, 250), 'the closed stream is gone');
        const again = await open(srv, a.cookie);
        assert.equal(again.status, 200);
        for (const x of [...mine.slice(1), ...other, again]) x.close();
    } finally {
        await srv.dispose();
    }
});

test('500 streams opened and closed: the server gives their memory back', async () => {
    const bin = process.env.SONGGONG_RELEASE_BIN;
    assert.ok(bin && fs.existsSync(bin), `the Release binary (SONGGONG_RELEASE_BIN=${bin}; tests/run.sh builds it) is needed to measure memory`);
    const srv = new ServerProc('streams-rss', redis, {
        bin,
        env: { SONGGONG_STREAMS_PER_SESSION: '100', SONGGONG_STREAMS_MAX: '1000', SONGGONG_THREADS: '2', SONGGONG_ACCESS_LOG: 'off' },
    });
    await srv.start();
    try {
        addUser(srv, 'dash500', 'organiser', '45');
        const sessions = [];
        for (let i = 0; i < 6; i++) sessions.push(await login(srv, 'dash500'));
        await open(srv, sessions[0].cookie).then((x) => x.close()); // warm: one stream's worth of buffers
        await sleep(500);
        const before = rssMb(srv.child.pid);
        const streams = [];
        for (let i = 0; i < 500; i++) streams.push(await open(srv, sessions[1 + (i % 5)].cookie));
        assert.deepEqual([...new Set(streams.map((x) => x.status))], [200]);
        const during = rssMb(srv.child.pid);
        for (const x of streams) x.close();
        assert.ok(await until(async () => (await metric(srv, 'songgong_streams')) === 0, 15000, 250), 'every stream ended');
        await sleep(300);
        const afterMb = rssMb(srv.child.pid);
        console.log(`RSS: ${before.toFixed(1)} MB before, ${during.toFixed(1)} MB with 500 streams, ${afterMb.toFixed(1)} MB after`);
        assert.ok(afterMb < before + 8, `RSS ${afterMb.toFixed(1)} MB after closing (was ${before.toFixed(1)} MB before)`);
    } finally {
        await srv.dispose();
    }
});

test('an open stream does not keep its session alive past SONGGONG_SESSION_IDLE', async () => {
    const srv = new ServerProc('streams-idle', redis, { env: { SONGGONG_SESSION_IDLE: '4', SONGGONG_ACCESS_LOG: 'off' } });
    await srv.start();
    try {
        addUser(srv, 'idle', 'organiser', '45');
        const c = await login(srv, 'idle');
        const s = await open(srv, c.cookie);
        assert.equal(s.status, 200);
        await sleep(6000); // ticks and session checks ran meanwhile
        assert.equal((await c.get('/api/me')).status, 401, 'the session ended at its idle limit');
        // and the stream ends within its next session check (10 s)
        const ended = await Promise.race([s.ended.then(() => true), sleep(15000).then(() => false)]);
        assert.ok(ended, 'the stream ended');
    } finally {
        await srv.dispose();
    }
});
