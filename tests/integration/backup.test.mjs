// SPDX-License-Identifier: MIT
// deploy/backup.sh and deploy/restore.sh on a Redis with AOF as in production: a few
// hundred sign-ups, a backup (a dated data archive without the key, the key archived
// apart), then Redis's data directory and the key file wiped, restored from the archives,
// Redis and the server started again: every registration looks up as before, and what
// was written after the backup is not there.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { REPO, RedisProc, ServerProc } from './lib/harness.mjs';
import { companion, signup } from './lib/people.mjs';

const PEOPLE = 300;
const me = os.userInfo().username;

let redis, server, tmp;
before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-backup-'));
    redis = new RedisProc('backup', ['--appendonly', 'yes', '--appendfsync', 'always']);
    await redis.start();
    server = new ServerProc('backup', redis);
    await server.start();
});
after(async () => {
    try {
        await server?.dispose();
    } finally {
        await redis?.dispose();
        for (const d of fs.readdirSync(path.dirname(redis.dir))) {
            if (d.startsWith(`${path.basename(redis.dir)}.before-restore-`)) fs.rmSync(path.join(path.dirname(redis.dir), d), { recursive: true, force: true });
        }
        fs.rmSync(tmp, { recursive: true, force: true });
    }
});

function run(script, args) {
    const r = spawnSync(path.join(REPO, 'deploy', script), args, { encoding: 'utf8', timeout: 60000 });
    if (r.error) throw r.error;
    return r;
}

/** n requests, at most `width` at a time. */
async function pool(n, width, fn) {
    const out = new Array(n);
    let next = 0;
    await Promise.all(
        Array.from({ length: width }, async () => {
            while (next < n) {
                const i = next++;
                out[i] = await fn(i);
            }
        }),
    );
    return out;
}

const lookup = (reg) => server.get(`/api/registrations/${reg.code}?phone4=${reg.phone4}`);

describe('backup and restore', () => {
    let regs, archive, keyArchive, keyBytes, late;

    test(`${PEOPLE} sign-ups, looked up`, async () => {
        regs = await pool(PEOPLE, 8, async (i) => {
            const body = signup(i % 5 === 0 ? { companions: [companion(), ...(i % 10 === 0 ? [companion()] : [])] } : {});
            const r = await server.post('/api/registrations', body);
            assert.equal(r.status, 201, r.text);
            return { code: r.json.code, phone4: body.phone.slice(-4) };
        });
        await pool(PEOPLE, 8, async (i) => {
            const r = await lookup(regs[i]);
            assert.equal(r.status, 200, r.text);
            regs[i].seen = r.json;
        });
        assert.equal(new Set(regs.map((r) => r.code)).size, PEOPLE);
    });

    test('backup.sh: a dated data archive without the key, the key archived apart', () => {
        const r = run('backup.sh', [
            '--redis', `127.0.0.1:${redis.port}`,
            '--redis-password-file', '',
            '--redis-dir', redis.dir,
            '--key-file', server.keyFile,
            '--out', path.join(tmp, 'data'),
            '--key-out', path.join(tmp, 'key'),
        ]);
        assert.equal(r.status, 0, r.stderr);
        archive = r.stdout.trim();
        assert.match(path.basename(archive), /^songgong-data-\d{8}T\d{6}Z\.tar\.gz$/);
        assert.equal(path.dirname(archive), path.join(tmp, 'data'));
        assert.equal(fs.statSync(archive).mode & 0o777, 0o600);
        assert.equal(fs.statSync(path.join(tmp, 'data')).mode & 0o777, 0o700);
        const keys = fs.readdirSync(path.join(tmp, 'key'));
        assert.equal(keys.length, 1);
        assert.match(keys[0], /^songgong-key-[0-9a-f]{16}\.tar$/);
        keyArchive = path.join(tmp, 'key', keys[0]);
        assert.equal(fs.statSync(keyArchive).mode & 0o777, 0o600);

        // the data archive holds the snapshot and its manifest, and not the key
        keyBytes = fs.readFileSync(server.keyFile);
        const tarBytes = zlib.gunzipSync(fs.readFileSync(archive));
        assert.equal(tarBytes.indexOf(keyBytes), -1, 'the key is inside the data archive');
        const list = spawnSync('tar', ['-tzf', archive], { encoding: 'utf8' }).stdout.trim().split('\n').sort();
        const dir = path.basename(archive, '.tar.gz');
        assert.deepEqual(list, [`${dir}/`, `${dir}/MANIFEST`, `${dir}/dump.rdb`]);
        const manifest = spawnSync('tar', ['-xzOf', archive, `${dir}/MANIFEST`], { encoding: 'utf8' }).stdout;
        assert.match(manifest, /^keys=[1-9]\d*$/m);
        assert.match(manifest, new RegExp(`^key_fingerprint=${keys[0].slice(13, 29)}$`, 'm'));
        // a second run archives the data again, the same key not again
        const again = run('backup.sh', ['--redis', `127.0.0.1:${redis.port}`, '--redis-password-file', '', '--redis-dir', redis.dir,
            '--key-file', server.keyFile, '--out', path.join(tmp, 'data2'), '--key-out', path.join(tmp, 'key')]);
        assert.equal(again.status, 0, again.stderr);
        assert.equal(fs.readdirSync(path.join(tmp, 'key')).length, 1);
    });

    test('after a wipe, restore.sh brings every registration back', async () => {
        // written after the backup: must not come back
        const body = signup();
        const r = await server.post('/api/registrations', body);
        assert.equal(r.status, 201, r.text);
        late = { code: r.json.code, phone4: body.phone.slice(-4) };

        await server.stop();
        await redis.stop();
        fs.rmSync(redis.dir, { recursive: true, force: true });
        fs.mkdirSync(redis.dir);
        fs.rmSync(server.keyFile);

        // without the key archive it refuses: the data would be unreadable
        const refused = run('restore.sh', [archive, '--redis-dir', redis.dir, '--key-file', server.keyFile, '--owner', me, '--key-owner', me, '--no-systemctl']);
        assert.notEqual(refused.status, 0);
        assert.match(refused.stderr, /--key-archive/);

        const ok = run('restore.sh', [archive, '--key-archive', keyArchive, '--redis-dir', redis.dir, '--key-file', server.keyFile,
            '--owner', me, '--key-owner', me, '--no-systemctl']);
        assert.equal(ok.status, 0, ok.stderr);
        assert.deepEqual(fs.readFileSync(server.keyFile), keyBytes);
        assert.equal(fs.statSync(server.keyFile).mode & 0o777, 0o600);
        assert.ok(fs.existsSync(path.join(redis.dir, 'appendonlydir', 'appendonly.aof.manifest')), 'no AOF made');

        await redis.start(); // same port and directory, AOF on: it loads the AOF restore.sh made
        await server.start();
        await pool(PEOPLE, 8, async (i) => {
            const g = await lookup(regs[i]);
            assert.equal(g.status, 200, `${regs[i].code}: ${g.text}`);
            assert.deepEqual(g.json, regs[i].seen);
        });
        assert.equal((await lookup(late)).status, 404);
        // and the restored Redis takes new sign-ups
        assert.equal((await server.post('/api/registrations', signup())).status, 201);
    });

    test('restore.sh refuses a key that is not the backup\'s', () => {
        const other = path.join(tmp, 'other.key');
        fs.writeFileSync(other, Buffer.alloc(keyBytes.length, 7), { mode: 0o600 });
        const r = run('restore.sh', [archive, '--redis-dir', path.join(tmp, 'unused'), '--key-file', other, '--owner', me, '--no-systemctl']);
        assert.notEqual(r.status, 0);
        assert.match(r.stderr, /is not the one of this backup/);
        assert.ok(!fs.existsSync(path.join(tmp, 'unused')), 'touched the data directory');
    });
});
