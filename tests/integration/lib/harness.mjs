// SPDX-License-Identifier: MIT
// Integration-test harness: a real redis-server on a free loopback port and the real
// server binary (SONGGONG_BIN) with a fresh key file, driven over HTTP. Everything started
// here is stopped by stack.close(), and killed on process exit whatever happened.
// Logs go to $SONGGONG_TEST_OUT (ctest sets it to its build dir) or tests/out/.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RedisClient } from './resp.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const TODAY = '2027-01-10';
export const OUT_DIR = process.env.SONGGONG_TEST_OUT || path.join(REPO, 'tests', 'out');

const live = new Set(); // child processes to kill on exit
process.on('exit', () => {
    for (const c of live) {
        try {
            c.kill('SIGKILL');
        } catch {
            /* already gone */
        }
    }
});

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function binary() {
    const bin = process.env.SONGGONG_BIN || path.join(REPO, 'build', 'songgong');
    if (!fs.existsSync(bin)) throw new Error(`server binary ${bin} not found (set SONGGONG_BIN)`);
    return bin;
}

function tryListen(port) {
    return new Promise((resolve) => {
        const s = net.createServer();
        s.unref();
        s.once('error', () => resolve(false));
        s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago, from 20000-32767: below Linux's
 * ephemeral range, so an outgoing connection cannot take it before the server binds it.
 */
export async function freePort() {
    for (let i = 0; i < 100; i++) {
        const port = 20000 + Math.floor(Math.random() * 12768);
        if (await tryListen(port)) return port;
    }
    throw new Error('no free port in 20000-32767');
}

function canConnect(port) {
    return new Promise((resolve) => {
        const s = net.connect(port, '127.0.0.1');
        s.once('connect', () => {
            s.destroy();
            resolve(true);
        });
        s.once('error', () => resolve(false));
    });
}

function spawnLogged(cmd, args, { env, logFile }) {
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const fd = fs.openSync(logFile, 'a');
    const child = spawn(cmd, args, { env, stdio: ['ignore', fd, fd], cwd: REPO });
    fs.closeSync(fd);
    child.exited = new Promise((resolve) => {
        child.once('exit', (code, signal) => {
            live.delete(child);
            child.exitInfo = { code, signal };
            resolve(child.exitInfo);
        });
    });
    live.add(child);
    return child;
}

async function stopChild(child, signal, ms) {
    if (!child || child.exitInfo) return child?.exitInfo;
    child.kill(signal);
    let timer;
    const timeout = new Promise((r) => {
        timer = setTimeout(() => r(null), ms);
    });
    const done = await Promise.race([child.exited, timeout]);
    clearTimeout(timer);
    if (done) return done;
    child.kill('SIGKILL');
    const info = await child.exited;
    return { ...info, killed: true };
}

export function tail(file, lines = 40) {
    try {
        return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
        return '';
    }
}

/**
 * redis-server --save '' --appendonly no on 127.0.0.1; stop() and start() keep the port.
 * With {cluster: true}, a Redis Cluster of this one node owning all 16384 slots: it then
 * refuses a command or a script (with #!lua) that touches keys of two slots.
 */
export class RedisProc {
    /** extraArgs are appended to the redis-server command line (e.g. to turn AOF on). */
    constructor(name, extraArgs = [], { cluster = false } = {}) {
        this.name = name;
        this.extraArgs = extraArgs;
        this.cluster = cluster;
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-redis-'));
        this.port = 0;
        this.child = null;
        this.logFile = '';
    }

    /** Start; the first start retries on another port if another test took this one. */
    async start() {
        const first = !this.port;
        for (let attempt = 0; ; attempt++) {
            if (!this.port) this.port = await freePort();
            try {
                return await this.startOnce();
            } catch (e) {
                if (!first || attempt >= 2 || !/Address already in use/.test(tail(this.logFile))) throw e;
                this.port = 0;
            }
        }
    }

    async startOnce() {
        this.logFile = path.join(OUT_DIR, `${this.name}-redis-${this.port}.log`);
        const cluster = this.cluster ? ['--cluster-enabled', 'yes', '--cluster-config-file', path.join(this.dir, 'nodes.conf')] : [];
        this.child = spawnLogged(
            'redis-server',
            ['--bind', '127.0.0.1', '--port', String(this.port), '--save', '', '--appendonly', 'no', '--dir', this.dir, ...cluster, ...this.extraArgs],
            { env: process.env, logFile: this.logFile },
        );
        for (let i = 0; i < 100; i++) {
            if (this.child.exitInfo) break;
            try {
                const c = await RedisClient.connect(this.port);
                const pong = await c.call('PING');
                c.close();
                if (pong === 'PONG') return this.cluster ? await this.clusterUp() : this;
            } catch {
                /* not yet */
            }
            await sleep(50);
        }
        throw new Error(`redis-server on port ${this.port} did not start:\n${tail(this.logFile)}`);
    }

    /** The one node takes every slot (unless nodes.conf kept them), then waits for cluster_state:ok. */
    async clusterUp() {
        const c = await RedisClient.connect(this.port);
        try {
            const info = async () => String(await c.call('CLUSTER', 'INFO'));
            if (/cluster_slots_assigned:0\b/.test(await info())) await c.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
            for (let i = 0; i < 200; i++) {
                if (/cluster_state:ok/.test(await info())) return this;
                await sleep(50);
            }
            throw new Error(`Redis Cluster on port ${this.port} not ok after 10 s:\n${await info()}`);
        } finally {
            c.close();
        }
    }

    /** Stop it (SIGTERM; data is thrown away, nothing is saved). */
    async stop() {
        await stopChild(this.child, 'SIGTERM', 5000);
        this.child = null;
    }

    /** Freeze it without closing connections: commands hang until resume(). */
    pause() {
        this.child.kill('SIGSTOP');
    }

    resume() {
        this.child.kill('SIGCONT');
    }

    client() {
        return RedisClient.connect(this.port);
    }

    async dispose() {
        if (this.child) {
            try {
                this.child.kill('SIGCONT');
            } catch {
                /* gone */
            }
        }
        await this.stop();
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/**
 * The attempt limits off: every test client comes from 127.0.0.1, and a test of another
 * feature makes more sign-ups, lookups and logins a minute than one person would. The
 * limits themselves are tested with their own settings (tests/integration/limits.test.mjs).
 */
export const NO_LIMITS = {
    SONGGONG_LIMIT_SIGNUP: '0/60',
    SONGGONG_LIMIT_LOOKUP: '0/60',
    SONGGONG_LIMIT_CODE: '0/60',
    SONGGONG_LIMIT_LOGIN_ADDRESS: '0/60',
};

/** Environment for the songgong binary talking to this Redis. */
export function serverEnv(redisPort, keyFile, extra = {}) {
    return {
        ...process.env,
        SONGGONG_REDIS: `127.0.0.1:${redisPort}`,
        SONGGONG_KEY_FILE: keyFile,
        SONGGONG_DATA_DIR: path.join(REPO, 'data'),
        SONGGONG_SITE_DIR: path.join(REPO, 'site'),
        SONGGONG_TODAY: TODAY,
        ...NO_LIMITS,
        // the server's text-message sender (log driver) writes here, not into the checkout's var/
        SONGGONG_NOTIFY_LOG: path.join(OUT_DIR, 'notify.log'),
        SONGGONG_NOTIFY_DELIVERY_LOG: path.join(OUT_DIR, 'notify-delivery.log'),
        ...extra,
    };
}

/** Run a songgong subcommand to completion: {status, stdout, stderr}. */
export function runCli(args, env) {
    const r = spawnSync(binary(), args, { env, cwd: REPO, encoding: 'utf8', timeout: 120000 });
    if (r.error) throw r.error;
    return r;
}

/** `songgong serve` on a free port. */
export class ServerProc {
    /** bin: another build of songgong (e.g. the Release one) instead of SONGGONG_BIN. */
    constructor(name, redis, { env = {}, publicUrl, bin } = {}) {
        this.name = name;
        this.redis = redis;
        this.bin = bin;
        this.extraEnv = env;
        this.publicUrlOpt = publicUrl;
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-server-'));
        this.keyFile = path.join(this.dir, 'songgong.key');
    }

    /** Start on a free port; retries on another if a parallel test took it first. */
    async start() {
        if (!fs.existsSync(this.keyFile)) {
            const r = runCli(['keygen', this.keyFile], process.env);
            if (r.status !== 0) throw new Error(`songgong keygen failed (${r.status}): ${r.stderr}`);
        }
        for (let attempt = 0; ; attempt++) {
            try {
                return await this.startOnce();
            } catch (e) {
                if (attempt >= 2 || !/Address already in use/.test(tail(this.logFile))) throw e;
            }
        }
    }

    async startOnce() {
        this.port = await freePort();
        this.url = `http://127.0.0.1:${this.port}`;
        this.publicUrl = this.publicUrlOpt || this.url;
        this.logFile = path.join(OUT_DIR, `${this.name}-server-${this.port}.log`);
        this.env = serverEnv(this.redis.port, this.keyFile, {
            SONGGONG_PORT: String(this.port),
            SONGGONG_HOST: '127.0.0.1',
            SONGGONG_PUBLIC_URL: this.publicUrl,
            ...this.extraEnv,
        });
        this.child = spawnLogged(this.bin || binary(), ['serve'], { env: this.env, logFile: this.logFile });
        const deadline = Date.now() + 30000; // ASan builds load the division data slowly
        while (Date.now() < deadline) {
            if (this.child.exitInfo) break;
            if (await canConnect(this.port)) return this;
            await sleep(50);
        }
        throw new Error(`songgong serve did not listen on ${this.port}:\n${tail(this.logFile)}`);
    }

    /** Throws (with the log) if the server died. */
    assertAlive() {
        if (this.child?.exitInfo) {
            throw new Error(`songgong serve exited ${JSON.stringify(this.child.exitInfo)}:\n${tail(this.logFile)}`);
        }
    }

    /** SIGTERM and check it exits 0 within 10 s (sanitizer reports make it non-zero). */
    async stop() {
        if (!this.child) return;
        const died = this.child.exitInfo;
        const info = await stopChild(this.child, 'SIGTERM', 10000);
        this.child = null;
        if (died) throw new Error(`songgong serve had died during the test ${JSON.stringify(died)}:\n${tail(this.logFile)}`);
        if (info.killed) throw new Error(`songgong serve ignored SIGTERM for 10 s:\n${tail(this.logFile)}`);
        if (info.code !== 0) throw new Error(`songgong serve exited ${JSON.stringify(info)} on SIGTERM:\n${tail(this.logFile)}`);
    }

    async dispose() {
        try {
            await this.stop();
        } finally {
            fs.rmSync(this.dir, { recursive: true, force: true });
        }
    }

    /**
     * One HTTP request. opts: {json, body, headers, timeout}. Resolves with
     * {status, headers, text, json, buf}; json is undefined when the body is not JSON.
     */
    async request(method, urlPath, opts = {}) {
        const headers = { ...(opts.headers || {}) };
        let body = opts.body;
        if (opts.json !== undefined) {
            body = JSON.stringify(opts.json);
            if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
        }
        let res;
        try {
            res = await fetch(this.url + urlPath, { method, headers, body, signal: AbortSignal.timeout(opts.timeout ?? 15000) });
        } catch (e) {
            this.assertAlive();
            throw new Error(`${method} ${urlPath}: ${e.message}${e.cause ? ` (${e.cause.message || e.cause.code})` : ''}`);
        }
        const buf = Buffer.from(await res.arrayBuffer());
        const text = buf.toString('utf8');
        let json;
        try {
            json = JSON.parse(text);
        } catch {
            json = undefined;
        }
        return { status: res.status, headers: res.headers, text, json, buf };
    }

    get(urlPath, opts) {
        return this.request('GET', urlPath, opts);
    }

    post(urlPath, json, opts = {}) {
        return this.request('POST', urlPath, { ...opts, json });
    }
}

/**
 * Redis + server, started together (opts: the ServerProc's, redisArgs, cluster: see
 * RedisProc); close() stops both and rethrows a server failure
 * (crash, sanitizer report, unclean exit) so that the test file fails.
 */
export async function startStack(name, opts = {}) {
    const redis = new RedisProc(name, opts.redisArgs, { cluster: opts.cluster });
    let server;
    try {
        await redis.start();
        server = new ServerProc(name, redis, opts);
        await server.start();
    } catch (e) {
        if (server) await server.dispose().catch(() => {});
        await redis.dispose();
        throw e;
    }
    return {
        redis,
        server,
        async close() {
            try {
                await server.dispose();
            } finally {
                await redis.dispose();
            }
        },
    };
}

/** Poll fn() until it returns truthy or ms pass; returns the last value. */
export async function until(fn, ms, every = 200) {
    const deadline = Date.now() + ms;
    let v;
    for (;;) {
        v = await fn();
        if (v || Date.now() >= deadline) return v;
        await sleep(every);
    }
}

/** Asserts an error body: {"error":{"code": code, ...}}. */
export function errorCode(res) {
    return res.json?.error?.code;
}
