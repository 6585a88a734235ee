// SPDX-License-Identifier: MIT
// CPU-heavy work runs on the offload worker thread ("sg-offload"), not on the event loop:
// while a manifest PDF is drawn or a large matching preview is computed, the loop goes on
// answering. The worker's CPU time (/proc/PID/task/TID/stat) tells when it is busy, so
// every assertion is about order (answered while the worker was at it, before the big
// answer came), never about how long anything took. Clients that leave mid-drawing (HTTP/2
// reset, HTTP/1 socket closed) must not crash the server: under ASan any use of a freed
// request is a crash, which the harness reports when it stops the server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { REPO, binary, serverEnv, sleep, startStack, until } from './lib/harness.mjs';
import { companion, signup } from './lib/people.mjs';
import { addUser, login } from './lib/staff.mjs';
import { NO_MINIMUM } from './lib/transport.mjs';

const DEMO_PEOPLE = 100000;

let stack, srv, org, admin;
before(async () => {
    stack = await startStack('offload');
    srv = stack.server;
    addUser(srv, 'org-nn', 'organiser', '4501');
    addUser(srv, 'admin', 'admin', '45');
    [org, admin] = await Promise.all([login(srv, 'org-nn'), login(srv, 'admin')]);
});
after(() => stack?.close());

/** The worker thread of the server: its task directory under /proc. */
function workerTask() {
    const dir = `/proc/${srv.child.pid}/task`;
    for (const tid of fs.readdirSync(dir)) {
        if (fs.readFileSync(`${dir}/${tid}/comm`, 'utf8').trim() === 'sg-offload') return `${dir}/${tid}`;
    }
    throw new Error('no thread named sg-offload in the server');
}

/** CPU time (user + system, in clock ticks) the worker has used so far. */
function workerCpu(task) {
    const stat = fs.readFileSync(`${task}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 on
    return Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
}

/** Resolves once the worker's CPU time has grown past cpu0; false if stop() turns true first. */
async function workerStarted(task, cpu0, stop) {
    for (;;) {
        if (workerCpu(task) > cpu0) return true;
        if (stop()) return false;
        await sleep(2);
    }
}

/** Resolves once the worker's CPU time stops growing (it has finished what it was given). */
async function workerIdle(task) {
    let last = -1;
    await until(
        () => {
            const now = workerCpu(task);
            const idle = now === last;
            last = now;
            return idle;
        },
        60000,
        300,
    );
}

let train;
test('a full train (1,000 people) for the manifest tests', async () => {
    const r = await org.post('/api/vehicles', {
        campaign: '2027-spring',
        scope: '4501',
        type: 'train',
        capacity: 1000,
        carriage_size: 100,
        dest_city: '4419',
        depart_date: '2027-02-03',
    });
    assert.equal(r.status, 201, r.text);
    train = r.json;
    for (let i = 0; i < 100; i += 10) {
        const batch = Array.from({ length: 10 }, () =>
            srv.post('/api/registrations', signup({ flex_days: 0, companions: Array.from({ length: 9 }, () => companion()) })),
        );
        for (const s of await Promise.all(batch)) assert.equal(s.status, 201, s.text);
    }
    const m = await org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: true, min_load: NO_MINIMUM });
    assert.equal(m.status, 200, m.text);
    assert.equal((await org.get(`/api/vehicles/${train.id}`)).json.used, 1000);
});

test('the loop answers while a manifest PDF is drawn', async () => {
    const task = workerTask();
    const cpu0 = workerCpu(task);
    let pdfDone = false;
    const pdf = org.get(`/api/vehicles/${train.id}/manifest.pdf`, { timeout: 120000 }).finally(() => (pdfDone = true));
    assert.ok(await workerStarted(task, cpu0, () => pdfDone), 'the worker drew nothing while the PDF was asked for');
    const health = await srv.get('/healthz');
    assert.equal(health.status, 200);
    assert.equal(pdfDone, false, 'the health check waited for the PDF');
    const r = await pdf;
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/pdf');
    assert.equal(r.buf.subarray(0, 5).toString(), '%PDF-');
});

test('two clients that leave while their PDF and .xlsx are drawn', async () => {
    // (cleartext HTTP/2, whose stream resets free a request at once, is off: HTTP/1 sockets here)
    const task = workerTask();
    const cpu0 = workerCpu(task);
    const socks = [];
    for (const ext of ['pdf', 'xlsx']) {
        const s = net.connect(srv.port, '127.0.0.1');
        s.on('error', () => {});
        await new Promise((r) => s.once('connect', r));
        s.write(`GET /api/vehicles/${train.id}/manifest.${ext}?full=1 HTTP/1.1\r\nHost: x\r\nCookie: ${org.cookie}\r\n\r\n`);
        socks.push(s);
    }
    assert.ok(await workerStarted(task, cpu0, () => false), 'the worker began');
    for (const s of socks) s.destroy();
    // the worker finishes both documents for nobody; the server stays up and answers
    await workerIdle(task);
    srv.assertAlive();
    assert.equal((await srv.get('/healthz')).status, 200);
    assert.equal((await org.get(`/api/vehicles/${train.id}/manifest.xlsx`)).status, 200);
});

test('HTTP/1 client that closes its socket while its PDF is drawn', async () => {
    const task = workerTask();
    const cpu0 = workerCpu(task);
    const s = net.connect(srv.port, '127.0.0.1');
    s.on('error', () => {});
    await new Promise((r) => s.once('connect', r));
    let answered = false;
    s.on('data', () => (answered = true));
    s.write(`GET /api/vehicles/${train.id}/manifest.pdf HTTP/1.1\r\nHost: x\r\nCookie: ${org.cookie}\r\n\r\n`);
    assert.ok(await workerStarted(task, cpu0, () => answered), 'answered before the worker began');
    s.destroy();
    await workerIdle(task);
    srv.assertAlive();
    const r = await org.get(`/api/vehicles/${train.id}/manifest.pdf`, { timeout: 120000 });
    assert.equal(r.status, 200);
    assert.equal(r.buf.subarray(0, 5).toString(), '%PDF-');
});

test(`the loop answers while the matcher works through ${DEMO_PEOPLE.toLocaleString('en')} people`, async () => {
    // Not spawnSync: this process must go on seeing its idle keep-alive connections close meanwhile.
    const env = { ...serverEnv(stack.redis.port, srv.keyFile), ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1' };
    await new Promise((resolve, reject) =>
        execFile(binary(), ['demo-data', '--people', String(DEMO_PEOPLE), '--seed', '11'], { env, cwd: REPO }, (e) =>
            e ? reject(e) : resolve(),
        ),
    );
    const task = workerTask();
    const cpu0 = workerCpu(task);
    let matchDone = false;
    const match = admin
        .post('/api/match', { campaign: '2027-spring', scope: '45', accept: false, min_load: NO_MINIMUM }, { timeout: 120000 })
        .finally(() => (matchDone = true));
    // Health checks one after another until the preview answers; after each, the worker's CPU.
    const answers = [];
    for (let i = 0; !matchDone; i++) {
        const r = await srv.get(i % 2 ? '/healthz' : '/staff/index.html');
        answers.push({ status: r.status, matchDone, cpu: workerCpu(task) });
    }
    const m = await match;
    assert.equal(m.status, 200, m.text);
    assert.ok(m.json.people >= DEMO_PEOPLE, `${m.json.people} people matched`);
    assert.ok(answers.every((a) => a.status === 200));
    // An answer that came after the worker had begun, while the preview was still out:
    const started = answers.findIndex((a) => a.cpu > cpu0);
    assert.ok(started >= 0, 'the matcher never ran on the worker');
    const during = answers.slice(started + 1).filter((a) => !a.matchDone);
    assert.ok(during.length >= 1, `no answer while the matcher ran (${answers.length} answers in all)`);
});

test('SIGTERM while a PDF is drawn: the server finishes it and exits cleanly', async () => {
    const task = workerTask();
    const cpu0 = workerCpu(task);
    let pdfDone = false;
    const pdf = org
        .get(`/api/vehicles/${train.id}/manifest.pdf`, { timeout: 120000 })
        .catch((e) => ({ status: 0, error: e }))
        .finally(() => (pdfDone = true));
    assert.ok(await workerStarted(task, cpu0, () => pdfDone), 'answered before the worker began');
    await srv.stop(); // throws unless it exits 0 (no sanitizer report) within 10 s
    const r = await pdf;
    assert.equal(r.status, 200, 'the PDF in progress was still sent');
});
