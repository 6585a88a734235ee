// SPDX-License-Identifier: MIT
// The measurements of bench/jobs.sh (see there). Everything it starts it stops.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RedisClient } from '../tests/integration/lib/resp.mjs';
import { freePort, sleep } from '../tests/integration/lib/harness.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const BIN = process.env.SONGGONG_BENCH_BIN || path.join(ROOT, 'build/songgong'); // bench/jobs.sh's Release build
const PEOPLE = Number(process.env.PEOPLE || 150000);
const FLOOD = Number(process.env.FLOOD || 20000);
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-bench-jobs-'));
const load = () => os.loadavg()[0].toFixed(2);
const rows = [];
const note = (what, value, extra = '') => {
    rows.push(`| ${what} | ${value} | ${load()} | ${extra} |`);
    console.error(`bench: ${what}: ${value} ${extra}`);
};
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const now = () => process.hrtime.bigint();

const redisPort = await freePort();
const redis = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(redisPort), '--save', '', '--appendonly', 'no', '--dir', WORK], { stdio: 'ignore' });
let server;
const stop = async () => {
    server?.kill('SIGTERM');
    redis.kill('SIGTERM');
    await sleep(500);
    fs.rmSync(WORK, { recursive: true, force: true });
};
try {
    await sleep(300);
    const env = { ...process.env, SONGGONG_REDIS: `127.0.0.1:${redisPort}`, SONGGONG_KEY_FILE: path.join(WORK, 'key'), SONGGONG_TODAY: '2027-01-10',
        SONGGONG_NOTIFY_QUIET: 'none', SONGGONG_NOTIFY_LOG: path.join(WORK, 'notify.log'), SONGGONG_NOTIFY_DELIVERY_LOG: path.join(WORK, 'delivery.log'),
        SONGGONG_NOTIFY_POLL_MS: '200', SONGGONG_ACCESS_LOG: 'off', SONGGONG_DATA_DIR: path.join(ROOT, 'data'), SONGGONG_SITE_DIR: path.join(ROOT, 'site') };
    spawnSync(BIN, ['keygen', env.SONGGONG_KEY_FILE], { env });
    let t0 = now();
    const demo = spawnSync(BIN, ['demo-data', '--people', String(PEOPLE), '--seed', '7'], { env, encoding: 'utf8' });
    if (demo.status !== 0) throw new Error(demo.stderr);
    note(`demo-data --people ${PEOPLE}`, `${(ms(t0) / 1000).toFixed(1)} s`);
    for (const [u, role, scope] of [['jiuye', 'county', '450102'], ['org', 'organiser', '45']])
        spawnSync(BIN, ['user', 'add', u, '--role', role, '--scope', scope], { env, input: 'bench-password-1\n' });
    const port = await freePort();
    server = spawn(BIN, ['serve'], { env: { ...env, SONGGONG_PORT: String(port) }, stdio: ['ignore', 'ignore', fs.openSync(path.join(WORK, 'server.log'), 'a')] });
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
        try {
            if ((await fetch(url + '/healthz')).ok) break;
        } catch {
            /* not yet */
        }
        await sleep(100);
    }
    const session = async (user) => {
        const r = await fetch(url + '/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: user, password: 'bench-password-1' }) });
        const cookie = r.headers.get('set-cookie').split(';')[0], csrf = (await r.json()).csrf;
        const call = async (method, p, body) => {
            const res = await fetch(url + p, { method, headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
            return { status: res.status, json: await res.json().catch(() => null) };
        };
        return call;
    };
    const county = await session('jiuye'), org = await session('org');
    // the county employment office registers 20 employers and 40 jobs
    const codes = ['91350100M000100Y43', '914403001922038216', '911000001000013428', '9144030071526726XG', '91330100716105852F'];
    const A = '0123456789ABCDEFGHJKLMNPQRTUWXY', W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    for (let i = codes.length; i < 20; i++) {
        const first = `914501007${String(10000000 + i).slice(-8)}`;
        let s = 0;
        for (let k = 0; k < 17; k++) s += A.indexOf(first[k]) * W[k];
        codes.push(first + A[(31 - (s % 31)) % 31]);
    }
    t0 = now();
    const jobs = [];
    for (let i = 0; i < 20; i++) {
        const city = ['4419', '4403', '4401', '4501'][i % 4];
        const e = await county('POST', '/api/employers', { name: `测试企业${i}号有限公司`, credit_code: codes[i], city, industry: 'manufacturing', key: i < 5, contact_name: '张经理', contact_phone: '13700000000' });
        if (e.status !== 201) throw new Error(JSON.stringify(e));
        for (let k = 0; k < 2; k++)
            jobs.push((await county('POST', '/api/jobs', { employer: e.json.id, title: `普工${k}`, city, kind: 'manufacturing', headcount: 50, wage_min: 4000, wage_max: 6000, age_min: 18, age_max: 60, closes: '2027-03-31' })).json.id);
    }
    note('20 employers and 40 jobs through the API', `${ms(t0).toFixed(0)} ms`);
    const filter = (scope) => ({ scope, poverty: 'poverty', age_min: 50, no_job: true });
    for (const [who, call, scope] of [['county 450102', county, '450102'], ['region 45', org, '45']]) {
        const times = [];
        let r;
        for (let i = 0; i < 3; i++) {
            t0 = now();
            r = await call('POST', '/api/pushes', { jobs: [jobs[0]], filter: filter(scope), dry_run: true });
            times.push(ms(t0));
        }
        times.sort((a, b) => a - b);
        note(`count before sending, ${who} (大龄 脱贫人口 without a job), median of 3`, `${times[1].toFixed(0)} ms`, `${r.json.people} phones of ${r.json.matched} people`);
    }
    const regs = Number(await (await RedisClient.connect(redisPort)).call('ZCARD', 'sg:{45}:2027-spring:byplace'));
    t0 = now();
    const sent = await org('POST', '/api/pushes', { jobs: [jobs[0]], filter: filter('45'), dry_run: false });
    note('send to the region group (count again, store, queue)', `${ms(t0).toFixed(0)} ms`, `${sent.json.people} people of ${regs} sign-ups`);
    t0 = now();
    const want = sent.json.people;
    let lines = 0;
    for (let i = 0; i < 6000 && lines < want; i++) {
        await sleep(100);
        lines = fs.existsSync(env.SONGGONG_NOTIFY_DELIVERY_LOG) ? fs.readFileSync(env.SONGGONG_NOTIFY_DELIVERY_LOG, 'utf8').split('\n').filter((l) => l.includes('result=sent')).length : 0;
    }
    const s = ms(t0) / 1000;
    note('every message delivered by the sender (log driver)', `${s.toFixed(1)} s`, `${lines} of ${want} (${(lines / s).toFixed(0)} a second)`);
    const phoneLike = fs.readFileSync(env.SONGGONG_NOTIFY_LOG, 'utf8').match(/1[3-9]\d{9}/g);
    note('unmasked phone numbers in the message and delivery logs', String((phoneLike || []).length + (fs.readFileSync(env.SONGGONG_NOTIFY_DELIVERY_LOG, 'utf8').match(/1[3-9]\d{9}/g) || []).length));
    // the public jobs list flooded
    const rc = await RedisClient.connect(redisPort);
    const calls = async () => Number(String(await rc.call('INFO', 'stats')).match(/total_commands_processed:(\d+)/)[1]);
    const before = await calls();
    t0 = now();
    let done = 0, failed = 0;
    await Promise.all(Array.from({ length: 64 }, async () => {
        while (done + failed < FLOOD) {
            const q = ['', '普工', '测试企业3', 'x'][(done + failed) % 4];
            const r = await fetch(`${url}/api/jobs?city=44&q=${encodeURIComponent(q)}`).catch(() => null);
            if (r?.ok) {
                await r.arrayBuffer();
                done++;
            } else failed++;
        }
    }));
    const fs_ = ms(t0) / 1000, after = await calls();
    note(`public jobs list flooded: ${FLOOD} requests, 64 at a time`, `${(done / fs_).toFixed(0)} req/s`, `${failed} failed; Redis commands ${after - before} (${((after - before) / FLOOD).toFixed(3)} a request, the sender's polling included)`);
    rc.close();
    for (const by of ['category', 'dest', 'employer']) {
        t0 = now();
        const r = await org('GET', `/api/stats?scope=45&by=${by}`);
        note(`分类汇集 by ${by}, region`, `${ms(t0).toFixed(0)} ms`, `${r.json.rows.length} rows`);
    }
    const header = `# Jobs and text messages at a county's scale\n\nbench/jobs.sh on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores (shared), Release build, Redis without AOF, ${PEOPLE} people of demo data (seed 7) over the whole region; load average (1 min) beside each figure.\n\n| what | figure | load | notes |\n| --- | --- | --- | --- |\n`;
    fs.writeFileSync(path.join(ROOT, 'bench/RESULTS-jobs.md'), header + rows.join('\n') + '\n');
} finally {
    await stop();
}
