// SPDX-License-Identifier: MIT
// GET /api/posters.pdf?scope= and /api/posters/{village}.pdf|.png: staff of the scope
// only; the PDF streams one page per village and decodes to each village's link; a client
// that leaves mid-stream does not hurt the server (it runs under ASan).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { REPO, startStack } from './lib/harness.mjs';

let stack, srv;
const TOWNSHIP = '450225101'; // 10 villages
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-posters-http-'));

function villagesUnder(scope) {
    return fs
        .readFileSync(path.join(REPO, 'data', 'divisions-45.tsv'), 'utf8')
        .split('\n')
        .map((l) => l.split('\t'))
        .filter(([code]) => code && code.length === 12 && code.startsWith(scope));
}

async function login(name, password) {
    const r = await srv.post('/api/login', { username: name, password });
    assert.equal(r.status, 200, r.text);
    return { Cookie: r.headers.get('set-cookie').split(';')[0] };
}

before(async () => {
    stack = await startStack('posters-http');
    srv = stack.server;
    for (const [name, role, scope] of [
        ['county1', 'county', '450225'],
        ['other', 'county', '450102'],
    ]) {
        const r = spawnSync(process.env.SONGGONG_BIN || path.join(REPO, 'build', 'songgong'),
            ['user', 'add', name, '--role', role, '--scope', scope], { env: srv.env, input: 'poster-pass-1\n', encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
    }
});

after(async () => {
    await stack?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
});

test('no session → 401; another county → 403', async () => {
    assert.equal((await srv.get(`/api/posters.pdf?scope=${TOWNSHIP}`)).status, 401);
    const other = await login('other', 'poster-pass-1');
    assert.equal((await srv.get(`/api/posters.pdf?scope=${TOWNSHIP}`, { headers: other })).status, 403);
    assert.equal((await srv.get(`/api/posters/${TOWNSHIP}001.png`, { headers: other })).status, 403);
});

test('a township of 10 villages: 10 pages, each decodes to its village link', async () => {
    const h = await login('county1', 'poster-pass-1');
    const r = await srv.get(`/api/posters.pdf?scope=${TOWNSHIP}`, { headers: h, timeout: 60000 });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/pdf');
    const pdf = path.join(tmp, 't.pdf');
    fs.writeFileSync(pdf, r.buf);
    const villages = villagesUnder(TOWNSHIP);
    const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' });
    assert.match(info.stdout, new RegExp(`Pages:\\s+${villages.length}\\b`));
    const text = spawnSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).stdout;
    for (const [, name] of villages) assert.ok(text.includes(name), `${name} on a page`);
    spawnSync('pdftoppm', ['-r', '100', '-f', '1', '-l', '2', '-png', pdf, path.join(tmp, 'page')]);
    const pages = fs.readdirSync(tmp).filter((f) => f.startsWith('page')).sort();
    assert.equal(pages.length, 2);
    for (let i = 0; i < pages.length; i++) {
        const z = spawnSync('zbarimg', ['--raw', '--nodbus', '-q', path.join(tmp, pages[i])], { encoding: 'utf8' });
        assert.equal(z.stdout.trim(), `${srv.url}/s/${villages[i][0]}`);
    }
});

test('one village as PDF and PNG; labels; unknown → 404', async () => {
    const h = await login('county1', 'poster-pass-1');
    const v = villagesUnder(TOWNSHIP)[0][0];
    const one = await srv.get(`/api/posters/${v}.pdf`, { headers: h });
    assert.equal(one.status, 200);
    fs.writeFileSync(path.join(tmp, 'one.pdf'), one.buf);
    assert.match(spawnSync('pdfinfo', [path.join(tmp, 'one.pdf')], { encoding: 'utf8' }).stdout, /Pages:\s+1\b/);
    const png = await srv.get(`/api/posters/${v}.png`, { headers: h });
    assert.equal(png.status, 200);
    assert.equal(png.headers.get('content-type'), 'image/png');
    fs.writeFileSync(path.join(tmp, 'one.png'), png.buf);
    const z = spawnSync('zbarimg', ['--raw', '--nodbus', '-q', path.join(tmp, 'one.png')], { encoding: 'utf8' });
    assert.equal(z.stdout.trim(), `${srv.url}/s/${v}`);
    const labels = await srv.get(`/api/posters.pdf?scope=${TOWNSHIP}&layout=labels`, { headers: h });
    assert.equal(labels.status, 200);
    fs.writeFileSync(path.join(tmp, 'labels.pdf'), labels.buf);
    assert.match(spawnSync('pdfinfo', [path.join(tmp, 'labels.pdf')], { encoding: 'utf8' }).stdout, /Pages:\s+1\b/);
    assert.equal((await srv.get('/api/posters/450225101999.png', { headers: h })).status, 404);
    assert.equal((await srv.get(`/api/posters/${v}.gif`, { headers: h })).status, 404);
    assert.equal((await srv.get('/api/posters/', { headers: h })).status, 404);
});

test('a client that leaves in the middle of a county PDF does not hurt the server', async () => {
    const h = await login('county1', 'poster-pass-1');
    await new Promise((resolve) => {
        const req = http.get(`${srv.url}/api/posters.pdf?scope=450225`, { headers: h }, (res) => {
            res.once('data', () => {
                req.destroy(); // gone after the first chunk
                resolve();
            });
        });
        req.on('error', () => resolve());
    });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await srv.get('/healthz')).status, 200);
});
