// SPDX-License-Identifier: MIT
// The worker's pages over HTTP: /s/{village} and /status served with a strict
// Content-Security-Policy and the other security headers, revalidated on every visit;
// assets cached and linked with ?v=; everything text gzipped when the client asks; no
// inline script in any page; /api/campaign says which day is today.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { REPO, TODAY, startStack } from './lib/harness.mjs';
import { village } from './lib/people.mjs';

let stack, srv;
before(async () => {
    stack = await startStack('pages');
    srv = stack.server;
});
after(() => stack?.close());

const gz = { headers: { 'Accept-Encoding': 'gzip' } };

function assertPageHeaders(r) {
    const csp = r.headers.get('content-security-policy') || '';
    assert.match(csp, /(^|; )default-src 'self'(;|$)/, csp);
    assert.match(csp, /object-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/, 'no inline script, no other host');
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('x-frame-options'), 'DENY');
    assert.equal(r.headers.get('referrer-policy'), 'same-origin');
    assert.equal(r.headers.get('cache-control'), 'no-cache');
    assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/);
}

describe('pages', () => {
    test('GET /s/{village}: the sign-up page with CSP and security headers', async () => {
        const r = await srv.get(`/s/${village()}`);
        assert.equal(r.status, 200, r.text);
        assertPageHeaders(r);
        assert.match(r.text, /<form id="form"/);
    });

    test('GET /status and /status/: the status page with CSP', async () => {
        for (const p of ['/status', '/status/']) {
            const r = await srv.get(p);
            assert.equal(r.status, 200, `${p}: ${r.status}`);
            assertPageHeaders(r);
            assert.match(r.text, /查询报名/);
        }
        assert.equal((await srv.get('/status/x')).status, 404);
        assert.equal((await srv.get('/statusx')).status, 404);
        assert.equal((await srv.request('POST', '/status', { body: '' })).status, 405);
    });

    test('GET / : the landing page', async () => {
        const r = await srv.get('/');
        assert.equal(r.status, 200);
        assertPageHeaders(r);
    });

    test('unknown villages, and /s alone, are 404 (not a crash)', async () => {
        for (const p of ['/s', '/s/', '/s/450102', '/s/999999999999', '/s/index.html']) {
            const r = await srv.get(p);
            assert.equal(r.status, 404, `${p}: ${r.status}`);
        }
        stack.server.assertAlive();
    });

    test('pages carry no inline script or style, and link assets with ?v=', () => {
        for (const f of ['s/index.html', 'status/index.html', 'index.html']) {
            const html = fs.readFileSync(path.join(REPO, 'site', f), 'utf8');
            assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, `${f}: inline script`);
            assert.doesNotMatch(html, /\son[a-z]+=|<style|\sstyle=/, `${f}: inline handler or style`);
            for (const m of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) assert.match(m[1], /\?v=\d+$/, `${f}: ${m[1]}`);
        }
    });
});

describe('compression and caching', () => {
    test('pages, CSS, JS and API JSON are gzipped when asked', async () => {
        for (const p of [`/s/${village()}`, '/status', '/assets/sg.css', '/assets/signup.js', '/api/destinations']) {
            const r = await fetch(srv.url + p, gz);
            assert.equal(r.status, 200, p);
            assert.equal(r.headers.get('content-encoding'), 'gzip', p);
            assert.match(r.headers.get('vary') || '', /accept-encoding/i, p);
            const raw = Buffer.from(await r.arrayBuffer());
            // fetch already inflated it; the size on the wire is checked by the browser tests
            assert.ok(raw.length > 0);
        }
        const plain = await srv.get('/assets/sg.css', { headers: { 'Accept-Encoding': 'identity' } });
        assert.equal(plain.headers.get('content-encoding'), null);
        assert.ok(zlib.gzipSync(plain.buf).length < plain.buf.length);
    });

    test('assets are cached for a while and revalidate with ETag (304)', async () => {
        const r = await srv.get('/assets/signup.js');
        assert.equal(r.status, 200);
        assert.match(r.headers.get('cache-control'), /^public, max-age=\d+$/);
        assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
        assert.match(r.headers.get('content-type'), /javascript/);
        const etag = r.headers.get('etag');
        assert.ok(etag);
        const again = await srv.get('/assets/signup.js', { headers: { 'If-None-Match': etag } });
        assert.equal(again.status, 304);
    });

    test('API answers keep their own Cache-Control', async () => {
        assert.equal((await srv.get('/api/campaign')).headers.get('cache-control'), 'no-store');
        // one header: a second "no-store" beside it would forbid the cache the first allows
        assert.equal((await srv.get('/api/destinations')).headers.get('cache-control'), 'public, max-age=3600');
    });
});

test('GET /api/campaign tells the page which day is today (China time)', async () => {
    const r = await srv.get('/api/campaign');
    assert.equal(r.status, 200);
    assert.equal(r.json.today, TODAY);
});
