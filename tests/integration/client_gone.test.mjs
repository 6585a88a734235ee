// SPDX-License-Identifier: MIT
// Clients that go away while their sign-up waits on Redis: HTTP/2 streams reset (which
// frees the request at once in H2O) and HTTP/1 sockets closed, while Redis is frozen.
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

test('HTTP/2 streams reset while Redis is frozen', async () => {
    const session = await h2Session(srv.url);
    session.on('error', () => {});
    // Sanity: the server speaks h2c (prior knowledge) at all.
    const status = await new Promise((resolve, reject) => {
        const s = session.request({ ':path': '/healthz' });
        s.on('response', (h) => resolve(h[':status']));
        s.on('error', reject);
        s.resume();
    });
    assert.equal(status, 200);

    stack.redis.pause();
    const streams = [];
    try {
        for (let i = 0; i < 20; i++) {
            const s = session.request({ ':method': 'POST', ':path': '/api/registrations', 'content-type': 'application/json' });
            s.on('error', () => {});
            s.end(JSON.stringify(signup()));
            streams.push(s);
        }
        await sleep(300); // the sign-ups are now waiting on Redis
        for (const s of streams) s.close(http2.constants.NGHTTP2_CANCEL);
        await sleep(100);
    } finally {
        stack.redis.resume();
    }
    await sleep(500);
    session.close();
    srv.assertAlive();
    assert.ok(await until(async () => (await srv.post('/api/registrations', signup())).status === 201, 10000, 250));
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

test('HTTP/2 session torn down mid-request (GOAWAY + socket close)', async () => {
    const session = await h2Session(srv.url);
    session.on('error', () => {});
    stack.redis.pause();
    try {
        for (let i = 0; i < 10; i++) {
            const s = session.request({ ':method': 'POST', ':path': '/api/registrations', 'content-type': 'application/json' });
            s.on('error', () => {});
            s.end(JSON.stringify(signup()));
            const g = session.request({ ':path': '/api/registrations/23456789?phone4=1234' });
            g.on('error', () => {});
            g.end();
        }
        await sleep(300);
        session.destroy();
        await sleep(100);
    } finally {
        stack.redis.resume();
    }
    await sleep(500);
    srv.assertAlive();
    assert.equal((await srv.get('/healthz')).status, 200);
});
