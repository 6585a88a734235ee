// SPDX-License-Identifier: MIT
// Clients that go away while their sign-up waits on Redis: HTTP/1 sockets closed while
// Redis is frozen (cleartext HTTP/2, whose reset streams free a request at once, is off).
// When Redis answers, the server must not touch the freed requests: under ASan any such
// use is a crash, which the harness reports when it stops the server.
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { sleep, startStack, until } from './lib/harness.mjs';
import { signup } from './lib/people.mjs';

let stack, srv;
before(async () => {
    stack = await startStack('client-gone');
    srv = stack.server;
});
after(() => stack?.close());

function h2Session(url) {
    return new Promise((resolve, reject) => {
        const s = http2.connect(url);
        s.once('connect', () => resolve(s));
        s.once('error', reject);
    });
}

test('no HTTP/2 in clear text to reset streams with: a prior-knowledge session is refused', async () => {
    // Cleartext HTTP/2 is off (docs/security.md): nginx speaks HTTP/1.1 to the server. A
    // reset stream frees its request at once in H2O; that path (the pending link cut by the
    // pool) is covered by tests/unit/http/test_pending.c.
    await assert.rejects(
        (async () => {
            const session = await h2Session(srv.url);
            await new Promise((resolve, reject) => {
                const st = session.request({ ':path': '/healthz' });
                st.on('response', resolve);
                st.on('error', reject);
                session.on('error', reject);
            });
        })(),
    );
    srv.assertAlive();
    assert.equal((await srv.get('/healthz')).status, 200);
});

test('HTTP/1 clients that close their socket while Redis is frozen', async () => {
    stack.redis.pause();
    const socks = [];
    try {
        for (let i = 0; i < 20; i++) {
            const body = Buffer.from(JSON.stringify(signup()));
            const s = net.connect(srv.port, '127.0.0.1');
            s.on('error', () => {});
            await new Promise((r) => s.once('connect', r));
            s.write(`POST /api/registrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
            s.write(body);
            socks.push(s);
        }
        await sleep(300);
        for (const s of socks) s.destroy();
        await sleep(100);
    } finally {
        stack.redis.resume();
    }
    await sleep(500);
    srv.assertAlive();
    assert.ok(await until(async () => (await srv.post('/api/registrations', signup())).status === 201, 10000, 250));
});
