// SPDX-License-Identifier: MIT
// /qr/{village}.png and .svg decode (zbarimg) to exactly {SONGGONG_PUBLIC_URL}/s/{village};
// ETag + If-None-Match → 304; unknown village → 404. /s/{village} serves the page.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO, startStack } from './lib/harness.mjs';
import { village } from './lib/people.mjs';

// A public URL unlike the listening address proves the configured one is encoded.
const PUBLIC_URL = 'https://sg.example.cn';
let stack, srv, tmp;
before(async () => {
    stack = await startStack('qr', { publicUrl: PUBLIC_URL });
    srv = stack.server;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-qr-'));
});
after(async () => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    await stack?.close();
});

function zbar(pngFile) {
    return execFileSync('zbarimg', ['--raw', '--nodbus', '-q', pngFile], { encoding: 'utf8' }).replace(/\n$/, '');
}

function pngSize(buf) {
    assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'not a PNG');
    return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

function otherVillages(n) {
    // A few more real villages from the data file, spread through it.
    const text = fs.readFileSync(path.join(REPO, 'data', 'divisions-45.tsv'), 'utf8');
    const all = [...new Set(text.match(/(?<![0-9])[0-9]{12}(?![0-9])/g) || [])];
    const step = Math.max(1, Math.floor(all.length / n));
    return all.filter((_, i) => i % step === 0).slice(0, n);
}

describe('PNG', () => {
    test('decodes to the sign-up URL, at least 600×600, cacheable', async () => {
        const v = village();
        const r = await srv.get(`/qr/${v}.png`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.headers.get('content-type'), 'image/png');
        const { width, height } = pngSize(r.buf);
        assert.ok(width >= 600 && height >= 600, `${width}×${height}`);
        assert.ok(r.headers.get('etag'), 'no ETag');
        assert.ok(r.headers.get('cache-control'), 'no Cache-Control');
        const f = path.join(tmp, `${v}.png`);
        fs.writeFileSync(f, r.buf);
        assert.equal(zbar(f), `${PUBLIC_URL}/s/${v}`);
    });

    test('If-None-Match with the ETag → 304, a different ETag → 200', async () => {
        const v = village();
        const r = await srv.get(`/qr/${v}.png`);
        const etag = r.headers.get('etag');
        const again = await srv.get(`/qr/${v}.png`, { headers: { 'If-None-Match': etag } });
        assert.equal(again.status, 304);
        assert.equal(again.buf.length, 0);
        const other = await srv.get(`/qr/${v}.png`, { headers: { 'If-None-Match': '"not-it"' } });
        assert.equal(other.status, 200);
    });

    test('several villages each decode to their own URL', async () => {
        for (const v of otherVillages(5)) {
            const r = await srv.get(`/qr/${v}.png`);
            assert.equal(r.status, 200, `${v}: ${r.text}`);
            const f = path.join(tmp, `${v}.png`);
            fs.writeFileSync(f, r.buf);
            assert.equal(zbar(f), `${PUBLIC_URL}/s/${v}`);
        }
    });
});

describe('SVG', () => {
    test('decodes (via rsvg-convert) to the sign-up URL', async () => {
        const v = village();
        const r = await srv.get(`/qr/${v}.svg`);
        assert.equal(r.status, 200, r.text);
        assert.match(r.headers.get('content-type') || '', /^image\/svg\+xml/);
        assert.match(r.text, /<svg[\s>]/);
        assert.ok(r.headers.get('etag'), 'no ETag');
        const svg = path.join(tmp, `${v}.svg`);
        const png = path.join(tmp, `${v}-svg.png`);
        fs.writeFileSync(svg, r.buf);
        execFileSync('rsvg-convert', ['-w', '800', '-h', '800', '-b', 'white', '-o', png, svg]);
        assert.equal(zbar(png), `${PUBLIC_URL}/s/${v}`);
    });

    test('If-None-Match → 304; the SVG and PNG ETags differ', async () => {
        const v = village();
        const s = await srv.get(`/qr/${v}.svg`);
        const p = await srv.get(`/qr/${v}.png`);
        assert.notEqual(s.headers.get('etag'), p.headers.get('etag'));
        const again = await srv.get(`/qr/${v}.svg`, { headers: { 'If-None-Match': s.headers.get('etag') } });
        assert.equal(again.status, 304);
    });
});

test('unknown or non-village codes → 404', async () => {
    const v = village();
    for (const code of ['450102999999', v.slice(0, 6), v.slice(0, 9), '999999999999', 'abc']) {
        for (const ext of ['png', 'svg']) {
            const r = await srv.get(`/qr/${code}.${ext}`);
            assert.equal(r.status, 404, `/qr/${code}.${ext}: ${r.status}`);
        }
    }
    assert.equal((await srv.get(`/qr/${v}.gif`)).status, 404);
    // no name at all: nothing may be read outside the path (the server runs under ASan)
    for (const p of ['/qr', '/qr/', '/qr/.png', '/s', '/s/']) assert.equal((await srv.get(p)).status, 404, p);
    assert.equal((await srv.get('/healthz')).status, 200);
});

describe('/s/{village}', () => {
    test('200 HTML for a known village', async () => {
        const r = await srv.get(`/s/${village()}`);
        assert.equal(r.status, 200, r.text.slice(0, 200));
        assert.match(r.headers.get('content-type') || '', /^text\/html/);
        assert.match(r.text, /<html|<!doctype html/i);
    });

    test('404 for an unknown village', async () => {
        for (const code of ['450102999999', '45']) {
            const r = await srv.get(`/s/${code}`);
            assert.equal(r.status, 404, `/s/${code}: ${r.status}`);
        }
    });
});
