// SPDX-License-Identifier: MIT
// Smaller holes, each closed: the audit log's "before" parameter never makes a 500; a
// path with a NUL is no file (it was served as text/html without CSP); no cleartext
// HTTP/2 (h2c, by upgrade or by its preface); the filings endpoint refuses a scope of the
// wrong type instead of filing for the default one; the employer field's error speaks of
// an employer, not of names.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { startStack } from './lib/harness.mjs';
import { signup } from './lib/people.mjs';
import { addUser, login } from './lib/staff.mjs';

let stack, srv, admin;
before(async () => {
    stack = await startStack('security');
    srv = stack.server;
    addUser(srv, 'sec-admin', 'admin', '45');
    admin = await login(srv, 'sec-admin');
});
after(() => stack?.close());

/** Raw bytes to the server; resolves with everything it answers until it closes or 2 s pass. */
function raw(text) {
    return new Promise((resolve) => {
        const s = net.connect(srv.port, '127.0.0.1');
        let got = '';
        const done = () => {
            s.destroy();
            resolve(got);
        };
        s.on('data', (d) => (got += d.toString('latin1')));
        s.on('end', done);
        s.on('error', done);
        setTimeout(done, 2000);
        s.write(text);
    });
}

test('GET /api/audit?before= with anything malformed: 400 naming it, never 500', async () => {
    for (const v of ['-', '0-0-0', '-1', '2027-02-30x', '99999999999999999999-0', 'abc', '1-', '-5', '1.5-2']) {
        const r = await admin.get(`/api/audit?before=${encodeURIComponent(v)}`);
        assert.equal(r.status, 400, `${v}: ${r.text}`);
        assert.equal(r.json.error.field, 'before');
    }
    assert.equal((await admin.get('/api/audit?before=0-0')).status, 200, 'the smallest id is a real one');
    const r = await admin.get('/api/audit?count=abc');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'count');
    assert.equal((await admin.get('/api/audit?count=0')).status, 400);
    assert.equal((await admin.get('/api/audit?count=5')).status, 200);
});

test('a path with a NUL or a control character is no file: 400, never a typed page', async () => {
    for (const p of ['/assets/core.js%00.html', '/assets/core.js%0a.html', '/index.html%00.js', '/status%00']) {
        const r = await srv.get(p);
        assert.ok(r.status === 400 || r.status === 404, `${p}: ${r.status}`);
        assert.ok(!/text\/html/.test(r.headers.get('content-type') || '') || r.status >= 400, p);
        assert.ok(!r.text.includes('function') && !r.text.includes('SG.'), `${p} sent the script`);
    }
    assert.equal((await srv.get('/assets/core.js')).status, 200, 'the file itself is still served');
});

test('no cleartext HTTP/2: an h2c upgrade gets HTTP/1.1, the HTTP/2 preface no HTTP/2 frames', async () => {
    const up = await raw('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n');
    assert.match(up, /^HTTP\/1\.1 200/);
    assert.ok(!/101 Switching Protocols/.test(up));
    const pri = await raw('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    assert.ok(!pri.startsWith('\x00'), 'no HTTP/2 SETTINGS frame came back');
    assert.ok(pri === '' || /^HTTP\/1\.1 [45]\d\d/.test(pri), JSON.stringify(pri.slice(0, 40)));
});

test('filings: {"scope":123} is refused (422 naming scope), nothing filed', async () => {
    const before = (await admin.get('/api/report/filings')).json;
    const r = await admin.post('/api/report/filings', { scope: 123 });
    assert.equal(r.status, 422, r.text);
    assert.ok(r.json.error.fields.scope, r.text);
    assert.deepEqual((await admin.get('/api/report/filings')).json, before);
});

test("the employer field's error speaks of the employer", async () => {
    const r = await srv.post('/api/registrations', signup({ employer: '东莞\n某厂' }));
    assert.equal(r.status, 422);
    assert.match(r.json.error.fields.employer, /单位名称/);
    assert.ok(!/姓名/.test(r.json.error.fields.employer));
});
