// SPDX-License-Identifier: MIT
// The repository's nginx.conf, run by Debian's nginx (only ports, paths and the
// certificate substituted: lib/nginx.mjs) in front of two songgong servers sharing one
// Redis and one key: nginx -t passes; sign-up and lookup go through; both servers get
// requests and one can stop; the rate limits answer 429 with the JSON error and
// Retry-After; what nginx serves itself carries the server's CSP, nosniff,
// Referrer-Policy, HSTS, X-Frame-Options on pages, the long cache on versioned assets and
// no-cache on pages, and is gzipped; the access log holds no query string; when no
// server answers, the API says so in JSON.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { REPO, RedisProc, ServerProc, until } from './lib/harness.mjs';
import { NginxProc, headerCount } from './lib/nginx.mjs';
import { signup, village } from './lib/people.mjs';

const METRICS_TOKEN = 'test-metrics-token-0123456789';
let redis, a, b, ng;
before(async () => {
    redis = new RedisProc('nginx');
    await redis.start();
    const env = { SONGGONG_METRICS_TOKEN: METRICS_TOKEN, SONGGONG_THREADS: '2' };
    a = new ServerProc('nginx-a', redis, { env });
    await a.start();
    b = new ServerProc('nginx-b', redis, { env });
    b.keyFile = a.keyFile; // one key for both, as in production: either may read what the other wrote
    await b.start();
    ng = new NginxProc('nginx', [a.port, b.port]);
    await ng.start();
});
after(async () => {
    await ng?.dispose();
    try {
        await b?.dispose();
        await a?.dispose();
    } finally {
        await redis?.dispose();
    }
});

/** The server's Content-Security-Policy: the string literals of the CSP macro in routes.c. */
function serverCsp() {
    const src = fs.readFileSync(path.join(REPO, 'backend/http/core/routes.c'), 'utf8');
    const m = src.match(/#define CSP\s*\\\n((?:.*\\\n)*.*\n)/);
    assert.ok(m, 'no #define CSP in routes.c');
    return [...m[1].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1]).join('');
}

const STATIC_HEADERS = (res) => {
    assert.equal(res.headers['content-security-policy'], serverCsp());
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'same-origin');
    assert.equal(res.headers['strict-transport-security'], 'max-age=31536000');
};

/** Every access-log line since `from` characters. */
const logSince = (from) => ng.accessLogText().slice(from);

describe('nginx in front of two servers', () => {
    test('nginx -t passes on the site file, changed only in ports and paths', () => {
        assert.equal(ng.test.status, 0, ng.test.output);
        assert.match(ng.test.output, /syntax is ok/);
        assert.match(ng.test.output, /test is successful/);
        // 2 upstream servers, 2 listens, root, certificate and key, 4 log lines
        assert.equal(ng.changedLines, 11);
    });

    test('plain HTTP redirects to HTTPS', async () => {
        const r = await ng.get('/status?code=ABC', { tls: false });
        assert.equal(r.status, 301);
        assert.equal(r.headers.location, 'https://127.0.0.1/status?code=ABC');
    });

    test('a sign-up through nginx gives 201 and can be looked up', async () => {
        const body = signup();
        const r = await ng.post('/api/registrations', body);
        assert.equal(r.status, 201, r.text);
        assert.match(r.json.code, /^[0-9A-Z]+$/);
        assert.equal(r.headers['strict-transport-security'], 'max-age=31536000');
        assert.equal(headerCount(r, 'x-content-type-options'), 1); // the server's, not doubled
        const g = await ng.get(`/api/registrations/${r.json.code}?phone4=${body.phone.slice(-4)}`);
        assert.equal(g.status, 200, g.text);
        assert.equal(g.json.code, r.json.code);
        assert.equal(g.json.status, 'registered');
    });

    test('requests are spread over both servers', async () => {
        const from = ng.accessLogText().length;
        for (let i = 0; i < 12; i++) assert.equal((await ng.get('/api/campaign')).status, 200);
        const ups = await until(() => {
            // (only these requests' lines: nginx may write the test before's last line after `from`)
            const u = [...logSince(from).matchAll(/"GET \/api\/campaign [^"]*" .* up=127\.0\.0\.1:(\d+) /g)].map((m) => Number(m[1]));
            return u.length >= 12 && u;
        }, 2000);
        assert.equal(ups.length, 12);
        assert.ok(ups.includes(a.port), `no request reached ${a.port}: ${ups}`);
        assert.ok(ups.includes(b.port), `no request reached ${b.port}: ${ups}`);
        // and each server's own access log says so (it is written in batches: wait a little)
        for (const srv of [a, b]) {
            const seen = await until(() => /access 127\.0\.0\.1 "GET \/api\/campaign" 200 /.test(fs.readFileSync(srv.logFile, 'utf8')), 5000);
            assert.ok(seen, `${srv.name}: no access line for GET /api/campaign`);
        }
    });

    test('/metrics through nginx: only with the token', async () => {
        const r = await ng.get('/metrics');
        assert.equal(r.status, 403, r.text); // the server sees X-Real-IP: not a local scrape
        const t = await ng.get('/metrics', { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
        assert.equal(t.status, 200, t.text);
        assert.match(t.text, /^# TYPE songgong_/m);
        assert.equal(t.headers['strict-transport-security'], 'max-age=31536000');
    });

    test('a versioned asset: security headers, a year of cache, gzip', async () => {
        const file = fs.readFileSync(path.join(REPO, 'site/assets/core.js'));
        const r = await ng.get('/assets/core.js?v=1', { headers: { 'Accept-Encoding': 'gzip' } });
        assert.equal(r.status, 200);
        STATIC_HEADERS(r);
        assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
        assert.equal(r.headers['content-type'], 'application/javascript; charset=utf-8');
        assert.equal(r.headers['x-frame-options'], undefined); // documents only
        assert.equal(r.headers['content-encoding'], 'gzip');
        assert.match(r.headers.vary, /Accept-Encoding/);
        assert.ok(r.buf.length < file.length, `gzipped ${r.buf.length} >= ${file.length}`);
        assert.deepEqual(zlib.gunzipSync(r.buf), file);
        // without ?v, an hour (as the server); without Accept-Encoding, as it is
        const plain = await ng.get('/assets/core.js');
        assert.equal(plain.headers['cache-control'], 'public, max-age=3600');
        assert.equal(plain.headers['content-encoding'], undefined);
        assert.deepEqual(plain.buf, file);
    });

    test('pages nginx serves: security headers, DENY framing, no-cache', async () => {
        for (const [p, file] of [
            ['/staff/', 'staff/index.html'],
            ['/', 'index.html'],
            ['/status', 'status/index.html'],
            ['/status/', 'status/index.html'],
        ]) {
            const r = await ng.get(p);
            assert.equal(r.status, 200, p);
            STATIC_HEADERS(r);
            assert.equal(r.headers['x-frame-options'], 'DENY', p);
            assert.equal(r.headers['cache-control'], 'no-cache', p);
            assert.equal(r.headers['content-type'], 'text/html; charset=utf-8', p);
            assert.equal(r.text, fs.readFileSync(path.join(REPO, 'site', file), 'utf8'), p);
        }
        // the staff app's modules have no version in their links: revalidated too
        const js = await ng.get('/staff/js/app.js');
        assert.equal(js.status, 200);
        assert.equal(js.headers['cache-control'], 'no-cache');
    });

    test('the sign-up page comes from the server with its headers, once each', async () => {
        const r = await ng.get(`/s/${village()}`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.text, fs.readFileSync(path.join(REPO, 'site/s/index.html'), 'utf8'));
        assert.equal(r.headers['content-security-policy'], serverCsp());
        assert.equal(r.headers['x-frame-options'], 'DENY');
        assert.equal(r.headers['referrer-policy'], 'same-origin');
        assert.equal(r.headers['cache-control'], 'no-cache');
        assert.equal(r.headers['strict-transport-security'], 'max-age=31536000');
        for (const h of ['content-security-policy', 'x-frame-options', 'x-content-type-options', 'cache-control', 'strict-transport-security']) {
            assert.equal(headerCount(r, h), 1, h);
        }
        assert.equal((await ng.get('/s/000000000000')).status, 404); // a village the server does not know
    });

    test('the access and error logs hold no query string', async () => {
        const r = await ng.get('/api/registrations/ZZZZZZZZ?phone4=1234');
        assert.equal(r.status, 404);
        const log = await until(() => /ZZZZZZZZ/.test(ng.accessLogText()) && ng.accessLogText(), 2000);
        assert.match(log, /"GET \/api\/registrations\/ZZZZZZZZ HTTP\/1\.1" 404 /);
        assert.doesNotMatch(log, /phone4|\?/);
        assert.doesNotMatch(ng.errorLogText(), /phone4/);
    });

    test('a body over client_max_body_size answers 413 in JSON', async () => {
        const r = await ng.request('POST', '/api/registrations', { body: 'x'.repeat(100 * 1024), headers: { 'Content-Type': 'application/json' } });
        assert.equal(r.status, 413);
        assert.equal(r.json?.error?.code, 'too_large', r.text);
    });

    const burst = (n, fn) => Promise.all(Array.from({ length: n }, fn));
    const assertRateLimited = (r, retryAfter) => {
        assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
        assert.deepEqual(r.json, { error: { code: 'rate_limited', message: '请求太频繁，请稍后再试' } });
        assert.equal(r.headers['retry-after'], retryAfter);
        assert.equal(r.headers['strict-transport-security'], 'max-age=31536000');
    };

    test('a burst of sign-ups over the limit answers 429 with the JSON error and Retry-After', async () => {
        // Empty bodies: the server answers 422 to those let through, quickly.
        const rs = await burst(60, () => ng.post('/api/registrations', {}));
        const limited = rs.filter((r) => r.status === 429);
        assert.ok(limited.length >= 10, `only ${limited.length} of 60 limited`);
        for (const r of rs) assert.ok(r.status === 429 || r.status === 422, `${r.status} ${r.text}`);
        assertRateLimited(limited[0], '2');
        // the staff list (GET) is not a sign-up: not limited by it
        assert.equal((await ng.get('/api/registrations?scope=45')).status, 401);
    });

    test('a burst of lookups over the limit answers 429', async () => {
        const rs = await burst(40, () => ng.get('/api/registrations/ZZZZZZZZ?phone4=0000'));
        const limited = rs.filter((r) => r.status === 429);
        assert.ok(limited.length >= 5, `only ${limited.length} of 40 limited`);
        for (const r of rs) assert.ok(r.status === 429 || r.status === 404, `${r.status} ${r.text}`);
        assertRateLimited(limited[0], '2');
    });

    test('a burst of logins over the limit answers 429 with a longer Retry-After', async () => {
        const rs = await burst(25, (_, i) => ng.post('/api/login', { username: `nobody${i}`, password: 'wrong-password-1' }));
        const limited = rs.filter((r) => r.status === 429);
        assert.ok(limited.length >= 5, `only ${limited.length} of 25 limited`);
        for (const r of rs) assert.ok(r.status === 429 || r.status === 401, `${r.status} ${r.text}`);
        assertRateLimited(limited[0], '10');
        assert.ok(await until(() => /"POST \/api\/login HTTP\/1\.1" 429 /.test(ng.accessLogText()), 2000));
    });

    test('one server stopped: requests still succeed on the other', async () => {
        const body = signup();
        const r = await ng.post('/api/registrations', body);
        assert.equal(r.status, 201, r.text);
        await b.stop(); // SIGTERM: exits cleanly (checked)
        const from = ng.accessLogText().length;
        // Lookups first, so that one of them meets the stopped server: nginx tries the
        // other, and its error log says so without the query string.
        for (let i = 0; i < 2; i++) {
            const g = await ng.get(`/api/registrations/${r.json.code}?phone4=${body.phone.slice(-4)}`);
            assert.equal(g.status, 200, g.text);
        }
        for (let i = 0; i < 4; i++) assert.equal((await ng.get('/api/campaign')).status, 200);
        assert.equal((await ng.post('/api/registrations', signup())).status, 201);
        // nginx writes a log line once the answer is sent: it may come a moment after it
        const lines = await until(() => {
            const l = logSince(from).trim().split('\n');
            return l.length >= 7 && l;
        }, 2000);
        assert.ok(lines, logSince(from));
        assert.equal(lines.length, 7);
        for (const line of lines) assert.match(line, new RegExp(` (200|201) .* up=(.*, )?127\\.0\\.0\\.1:${a.port} `), line);
        assert.ok(lines.some((l) => l.includes(`up=127.0.0.1:${b.port}, 127.0.0.1:${a.port} 502, 200 `)), lines.join('\n'));
        assert.doesNotMatch(ng.errorLogText(), /phone4/);
    });

    test('no server at all: the API answers 503 in JSON', async () => {
        await a.stop();
        const r = await ng.get('/api/campaign');
        assert.equal(r.status, 503);
        assert.equal(r.json?.error?.code, 'unavailable', r.text);
        assert.equal(r.headers['retry-after'], '5');
        assert.doesNotMatch(ng.errorLogText(), /phone4/);
    });
});
