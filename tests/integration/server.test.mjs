// SPDX-License-Identifier: MIT
// The server as operators run it: several event loops sharing the port, one access line
// per request without query strings, GET /metrics (loopback or token, never through a
// proxy without the token), and a graceful stop under load that loses no acknowledged
// sign-up: every request that got 201 before SIGTERM is stored, the process exits 0.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { RedisProc, ServerProc, sleep, until } from './lib/harness.mjs';
import { signup } from './lib/people.mjs';

let redis;
before(async () => {
    redis = new RedisProc('server');
    await redis.start();
});
after(() => redis?.dispose());

/** The names of a process's threads (comm), from /proc. */
function threadNames(pid) {
    return fs.readdirSync(`/proc/${pid}/task`).map((t) => fs.readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').trim());
}

test('--threads 3: three event loops answer on one port; /metrics counts them all', async () => {
    const srv = new ServerProc('server-threads', redis, { env: { SONGGONG_THREADS: '3', SONGGONG_METRICS_TOKEN: 'tok-0123456789' } });
    await srv.start();
    try {
        // The port takes connections as soon as it is bound; the loops are running once the log says so.
        await until(() => /\(3 event loops\)/.test(fs.readFileSync(srv.logFile, 'utf8')), 10000, 50);
        await sleep(100);
        const names = threadNames(srv.child.pid);
        assert.equal(names.filter((n) => /^sg-loop-\d+$/.test(n)).length, 2, names.join(' ')); // + the main thread
        assert.match(fs.readFileSync(srv.logFile, 'utf8'), /\(3 event loops\)/);
        // Many connections in parallel: the kernel spreads them over the loops; all answer.
        const codes = await Promise.all(Array.from({ length: 60 }, () => srv.get('/healthz').then((r) => r.status)));
        assert.deepEqual([...new Set(codes)], [200]);
        const body = signup();
        const s = await srv.post('/api/registrations', body);
        assert.equal(s.status, 201, s.text);
        await srv.get(`/api/registrations/${s.json.code}?phone4=${body.phone.slice(-4)}`);

        const m = await srv.get('/metrics');
        assert.equal(m.status, 200, m.text);
        assert.match(m.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
        const count = (re) => Number((m.text.match(re) || [])[1] ?? NaN);
        assert.equal(count(/^songgong_requests_total\{route="\/healthz",status="200"\} (\d+)$/m), 60);
        assert.equal(count(/^songgong_requests_total\{route="\/api\/registrations",status="201"\} (\d+)$/m), 1);
        assert.equal(count(/^songgong_signups_total (\d+)$/m), 1);
        assert.equal(count(/^songgong_request_duration_seconds_count\{route="\/healthz"\} (\d+)$/m), 60);
        assert.match(m.text, /^songgong_request_duration_seconds_bucket\{route="\/healthz",le="\+Inf"\} 60$/m);
        assert.match(m.text, /^songgong_worker_queue\{worker="offload"\} 0$/m);
        assert.match(m.text, /^songgong_streams 0$/m);
        assert.ok(count(/^songgong_resident_memory_bytes (\d+)$/m) > 1e6);
        assert.match(m.text, /^songgong_redis_errors_total \d+$/m);
        assert.match(m.text, /^songgong_redis_reconnects_total 0$/m);

        // What nginx passes on is not "loopback": refused without the token, given with it.
        const proxied = await srv.get('/metrics', { headers: { 'X-Real-IP': '203.0.113.9' } });
        assert.equal(proxied.status, 403);
        assert.ok(!proxied.text.includes('songgong_'), 'nothing of the figures leaks');
        assert.equal((await srv.get('/metrics', { headers: { 'X-Forwarded-For': '203.0.113.9' } })).status, 403);
        assert.equal((await srv.get('/metrics', { headers: { 'X-Real-IP': '203.0.113.9', Authorization: 'Bearer wrong' } })).status, 403);
        const tok = await srv.get('/metrics', { headers: { 'X-Real-IP': '203.0.113.9', Authorization: 'Bearer tok-0123456789' } });
        assert.equal(tok.status, 200);
    } finally {
        await srv.dispose();
    }
});

test('the access log: one line per request, method, path, status, no query string', async () => {
    const srv = new ServerProc('server-access', redis, { env: { SONGGONG_THREADS: '2' } });
    await srv.start();
    let log;
    try {
        await srv.get('/api/registrations/ABCD2345?phone4=9876');
        await srv.get('/api/divisions/45?children=1');
        await sleep(400); // the buffer is written within 200 ms
        log = fs.readFileSync(srv.logFile, 'utf8');
    } finally {
        await srv.dispose();
    }
    const lines = log.split('\n').filter((l) => / access /.test(l));
    assert.ok(lines.some((l) => /"GET \/api\/registrations\/ABCD2345" 404 \d+ [\d.]+ms$/.test(l)), lines.join('\n'));
    // the whole line: the time (UTC, to the second), the peer's address, the request, the
    // status, the bytes sent, the duration in ms with one decimal
    const whole = new RegExp(`^songgong: 20\\d\\d-[01]\\d-[0-3]\\dT\\d\\d:\\d\\d:\\d\\dZ access 127\\.0\\.0\\.1 "GET /api/divisions/45" 200 [1-9]\\d* \\d+\\.\\dms$`);
    assert.ok(lines.some((l) => whole.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /"GET \/api\/divisions\/45" 200 /.test(l)), lines.join('\n'));
    assert.ok(!log.includes('phone4') && !log.includes('9876') && !log.includes('children='), 'no query string in the log');
});

test('SONGGONG_ACCESS_LOG=off: no access lines', async () => {
    const srv = new ServerProc('server-quiet', redis, { env: { SONGGONG_ACCESS_LOG: 'off' } });
    await srv.start();
    try {
        await srv.get('/healthz');
        await sleep(400);
        assert.ok(!/ access /.test(fs.readFileSync(srv.logFile, 'utf8')));
    } finally {
        await srv.dispose();
    }
});

/** A POST over a fresh connection; resolves {status, code} or {error}. */
function rawSignup(port, body) {
    return new Promise((resolve) => {
        const data = JSON.stringify(body);
        const req = http.request(
            { host: '127.0.0.1', port, path: '/api/registrations', method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } },
            (res) => {
                let text = '';
                res.on('data', (c) => (text += c));
                res.on('end', () => {
                    let code;
                    try {
                        code = JSON.parse(text).code;
                    } catch {
                        /* not JSON */
                    }
                    resolve({ status: res.statusCode, code, body });
                });
                res.on('error', (e) => resolve({ error: e.code || e.message, body }));
            },
        );
        req.on('error', (e) => resolve({ error: e.code || e.message, body }));
        req.end(data);
    });
}

test('SIGTERM under load: in-flight sign-ups are answered, every 201 is stored, exit 0', async () => {
    const srv = new ServerProc('server-stop', redis, { env: { SONGGONG_THREADS: '2', SONGGONG_ACCESS_LOG: 'off' } });
    await srv.start();
    const results = [];
    let stopping = false;
    const client = async () => {
        while (!stopping || results.length < 40) {
            const r = await rawSignup(srv.port, signup());
            results.push(r);
            if (r.error && stopping) return; // the listener is closed: this client is done
            if (results.length > 5000) return;
        }
    };
    const clients = Array.from({ length: 8 }, client);
    await sleep(1500);
    stopping = true;
    const t0 = Date.now();
    srv.child.kill('SIGTERM');
    const exit = await srv.child.exited;
    srv.child = null;
    await Promise.all(clients);
    assert.deepEqual(exit, { code: 0, signal: null }, 'clean exit');
    assert.ok(Date.now() - t0 < 8000, `stopped in ${Date.now() - t0} ms`);
    const ok = results.filter((r) => r.status === 201);
    assert.ok(ok.length >= 40, `${ok.length} sign-ups acknowledged before the stop`);
    const odd = results.filter((r) => !r.error && r.status !== 201);
    assert.deepEqual(odd.map((r) => r.status), [], 'no answer other than 201 (a refused connection is fine)');
    // Every acknowledged sign-up is in Redis: look each code up with a fresh server.
    const check = new ServerProc('server-stop-check', redis, { env: { SONGGONG_ACCESS_LOG: 'off' } });
    check.keyFile = srv.keyFile; // the same key
    await check.start();
    try {
        for (const r of ok) {
            const g = await check.get(`/api/registrations/${r.code}?phone4=${r.body.phone.slice(-4)}`);
            assert.equal(g.status, 200, `${r.code} acknowledged but not stored: ${g.text}`);
        }
    } finally {
        await check.dispose();
        fs.rmSync(srv.dir, { recursive: true, force: true });
    }
});

test('graceful stop waits for an answer Redis has not given yet', async () => {
    const srv = new ServerProc('server-slow', redis, { env: { SONGGONG_THREADS: '1', SONGGONG_ACCESS_LOG: 'off' } });
    await srv.start();
    const c = await redis.client();
    try {
        // Redis busy for a second with a script: the sign-up's reply comes after SIGTERM.
        const busy = c.call('EVAL', 'local t = redis.call("TIME") local s = t[1] + 1 repeat t = redis.call("TIME") until t[1] + t[2] / 1e6 > s + 0.0 return 1', '0');
        await sleep(50);
        const pending = rawSignup(srv.port, signup());
        await sleep(100);
        srv.child.kill('SIGTERM');
        const r = await pending;
        await busy;
        assert.equal(r.status, 201, JSON.stringify(r));
        const exit = await srv.child.exited;
        srv.child = null;
        assert.deepEqual(exit, { code: 0, signal: null });
    } finally {
        c.close();
        fs.rmSync(srv.dir, { recursive: true, force: true });
    }
});
