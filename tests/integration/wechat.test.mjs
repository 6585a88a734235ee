// SPDX-License-Identifier: MIT
// GET /api/wechat/jssdk?url=PAGE: the JS-SDK signature for a staff page inside WeChat
// (wx.scanQRCode), against a stand-in for WeChat's API on a loopback port
// (SONGGONG_WECHAT_API): the access token and the jsapi_ticket are fetched once and the
// ticket kept in Redis for the next requests (WeChat limits fetches); the signature is
// SHA-1 over jsapi_ticket, noncestr, timestamp and url as WeChat's documentation says;
// staff only; only this server's staff pages are signed; WeChat refusing is a 502 the
// page turns into the camera path; a server without an official account answers 404
// wechat_off (the page scans with the camera), and keeps no secret in any answer or log.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startStack } from './lib/harness.mjs';
import { addUser, login } from './lib/staff.mjs';

const APPID = 'wx0123456789abcdef';
const SECRET = 'secret-0123456789abcdef0123456789';
let wechat, hits, answers, stack, plain, srv, redis;

function fakeWeChat() {
    hits = [];
    answers = {
        token: () => ({ access_token: 'ACCESS_TOKEN_1', expires_in: 7200 }),
        ticket: () => ({ errcode: 0, errmsg: 'ok', ticket: 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg', expires_in: 7200 }),
    };
    return new Promise((resolve) => {
        const s = http.createServer((req, res) => {
            const u = new URL(req.url, 'http://x');
            hits.push(u.pathname + u.search);
            const body = u.pathname === '/cgi-bin/token' && u.searchParams.get('appid') === APPID && u.searchParams.get('secret') === SECRET
                ? answers.token()
                : u.pathname === '/cgi-bin/ticket/getticket' && u.searchParams.get('access_token') === 'ACCESS_TOKEN_1' && u.searchParams.get('type') === 'jsapi'
                  ? answers.ticket()
                  : { errcode: 40013, errmsg: 'invalid appid' };
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify(body));
        });
        s.listen(0, '127.0.0.1', () => resolve(s));
    });
}

before(async () => {
    wechat = await fakeWeChat();
    const api = `http://127.0.0.1:${wechat.address().port}`;
    stack = await startStack('wechat', { env: { SONGGONG_WECHAT_APPID: APPID, SONGGONG_WECHAT_SECRET: SECRET, SONGGONG_WECHAT_API: api } });
    srv = stack.server;
    redis = await stack.redis.client();
    addUser(srv, 'daidui', 'county', '450102');
    plain = await startStack('wechat-off');
    addUser(plain.server, 'daidui', 'county', '450102');
});
after(async () => {
    redis?.close();
    await stack?.close();
    await plain?.close();
    wechat?.close();
});

const page = () => `${srv.url}/staff/checkin.html`;
const sign = (ticket, nonce, ts, url) => crypto.createHash('sha1').update(`jsapi_ticket=${ticket}&noncestr=${nonce}&timestamp=${ts}&url=${url}`).digest('hex');

describe('with an official account', () => {
    test('signed with a ticket fetched once, then kept in Redis', async () => {
        const s = await login(srv, 'daidui');
        const url = page();
        const r = await s.get(`/api/wechat/jssdk?url=${encodeURIComponent(url)}`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.appId, APPID);
        assert.match(r.json.nonceStr, /^[0-9a-f]{16}$/);
        assert.ok(Math.abs(r.json.timestamp - Date.now() / 1000) < 60);
        const ticket = answers.ticket().ticket;
        assert.equal(r.json.signature, sign(ticket, r.json.nonceStr, r.json.timestamp, url));
        assert.deepEqual(hits.map((h) => h.split('?')[0]), ['/cgi-bin/token', '/cgi-bin/ticket/getticket']);
        assert.equal(String(await redis.call('GET', 'sg:{45}:wechat:ticket')), ticket);
        const ttl = Number(await redis.call('TTL', 'sg:{45}:wechat:ticket'));
        assert.ok(ttl > 6800 && ttl <= 6900, `kept ${ttl} s: until 5 minutes before WeChat's end`);
        // again, and with a query: the kept ticket, no fetch
        const again = await s.get(`/api/wechat/jssdk?url=${encodeURIComponent(url + '?v=2')}`);
        assert.equal(again.status, 200);
        assert.equal(again.json.signature, sign(ticket, again.json.nonceStr, again.json.timestamp, `${url}?v=2`));
        assert.equal(hits.length, 2, 'fetched once');
        assert.doesNotMatch(r.text + again.text, new RegExp(`${SECRET}|ACCESS_TOKEN|${ticket}`), 'no secret answered');
    });

    test('staff only; only this server\'s staff pages; GET only', async () => {
        assert.equal((await srv.get(`/api/wechat/jssdk?url=${encodeURIComponent(page())}`)).status, 401);
        const s = await login(srv, 'daidui');
        for (const url of ['https://evil.example/staff/x', `${srv.url}/s/450102001201`, `${page()}#scan`, '', `${page()}<x>`]) {
            const r = await s.get(`/api/wechat/jssdk?url=${encodeURIComponent(url)}`);
            assert.equal(r.status, 400, `${url}: ${r.text}`);
        }
        assert.equal((await s.get('/api/wechat/jssdk')).status, 400);
        assert.equal((await s.post('/api/wechat/jssdk', {})).status, 405);
    });

    test('WeChat refusing: 502 with a message to use the camera, and nothing kept', async () => {
        await redis.call('DEL', 'sg:{45}:wechat:ticket');
        answers.ticket = () => ({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
        const s = await login(srv, 'daidui');
        const r = await s.get(`/api/wechat/jssdk?url=${encodeURIComponent(page())}`);
        assert.equal(r.status, 502, r.text);
        assert.equal(r.json.error.code, 'wechat_unavailable');
        assert.match(r.json.error.message, /相机扫码/);
        assert.equal(await redis.call('GET', 'sg:{45}:wechat:ticket'), null);
        // WeChat's API unreachable
        wechat.close();
        const down = await s.get(`/api/wechat/jssdk?url=${encodeURIComponent(page())}`);
        assert.equal(down.status, 502, down.text);
        const log = fs.readFileSync(srv.logFile, 'utf8');
        assert.match(log, /error 502 GET \/api\/wechat\/jssdk/);
        assert.ok(!log.includes(SECRET) && !log.includes('ACCESS_TOKEN'), 'no secret in the log');
    });
});

test('without an official account: 404 wechat_off, the page scans with the camera', async () => {
    const s = await login(plain.server, 'daidui');
    const r = await s.get(`/api/wechat/jssdk?url=${encodeURIComponent(`${plain.server.url}/staff/checkin.html`)}`);
    assert.equal(r.status, 404);
    assert.equal(r.json.error.code, 'wechat_off');
});

test('WeChat over TLS: a certificate the system does not trust is refused (no secret sent)', async () => {
    const dir = fs.mkdtempSync('/tmp/sg-wechat-tls-');
    const { execFileSync } = await import('node:child_process');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const https = await import('node:https');
    const got = [];
    const fake = https.createServer({ key: fs.readFileSync(`${dir}/key.pem`), cert: fs.readFileSync(`${dir}/cert.pem`) }, (req, res) => {
        got.push(req.url);
        res.end('{"access_token":"T","expires_in":7200}');
    });
    await new Promise((r) => fake.listen(0, '127.0.0.1', r));
    const tls = await startStack('wechat-tls', { env: { SONGGONG_WECHAT_APPID: APPID, SONGGONG_WECHAT_SECRET: SECRET, SONGGONG_WECHAT_API: `https://127.0.0.1:${fake.address().port}` } });
    try {
        addUser(tls.server, 'daidui', 'county', '450102');
        const s = await login(tls.server, 'daidui');
        const r = await s.get(`/api/wechat/jssdk?url=${encodeURIComponent(`${tls.server.url}/staff/checkin.html`)}`);
        assert.equal(r.status, 502, r.text);
        assert.deepEqual(got, [], 'the request with the secret never went out');
    } finally {
        await tls.close();
    }
    // the same server trusted (OpenSSL's SSL_CERT_FILE): the token and the ticket go over TLS
    const trusted = await startStack('wechat-tls-ok', { env: { SONGGONG_WECHAT_APPID: APPID, SONGGONG_WECHAT_SECRET: SECRET, SONGGONG_WECHAT_API: `https://127.0.0.1:${fake.address().port}`, SSL_CERT_FILE: `${dir}/cert.pem` } });
    try {
        addUser(trusted.server, 'daidui', 'county', '450102');
        const s = await login(trusted.server, 'daidui');
        const r = await s.get(`/api/wechat/jssdk?url=${encodeURIComponent(`${trusted.server.url}/staff/checkin.html`)}`);
        assert.equal(r.status, 502, 'this stand-in answers the ticket without one');
        assert.deepEqual(got.map((u) => u.split('?')[0]), ['/cgi-bin/token', '/cgi-bin/ticket/getticket']);
    } finally {
        await trusted.close();
        fake.close();
        fs.rmSync(dir, { recursive: true, force: true });
    }
});
