// SPDX-License-Identifier: MIT
// deploy/install.sh into a staging root (--root, --no-apt, --no-systemctl: no users, no
// running systemd, nothing outside the root touched): the files and their modes (the key
// 0600, owned by the caller since no user is made in a staging root), the units accepted
// by systemd-analyze verify and enabled (offline), the files of /etc made once and kept
// on a second install, --prefix/--ports/--server-name; and Redis run with the installed
// redis.conf and ACL file: no access without logging in, the user songgong allowed every
// command the code sends (found in backend/store/*.c and *.lua) and none of the dangerous
// ones, the user backup allowed what deploy/backup.sh needs (it runs against it).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OUT_DIR, REPO, binary, freePort, sleep } from './lib/harness.mjs';
import { RedisClient } from './lib/resp.mjs';

let tmp, root;
before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-install-'));
    root = path.join(tmp, 'root');
});
after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

function install(dir, ...args) {
    const r = spawnSync(path.join(REPO, 'deploy', 'install.sh'), ['--root', dir, '--no-apt', '--no-systemctl', '--binary', binary(), ...args], {
        encoding: 'utf8',
        timeout: 60000,
    });
    if (r.error) throw r.error;
    assert.equal(r.status, 0, `install.sh failed:\n${r.stderr}`);
    return r;
}

const UNITS = ['songgong@.service', 'songgong.target', 'songgong-redis.service', 'songgong-backup.service', 'songgong-backup.timer'];
const at = (p, dir = root) => path.join(dir, p);
const mode = (p, dir) => fs.statSync(at(p, dir)).mode & 0o7777;
const read = (p, dir) => fs.readFileSync(at(p, dir), 'utf8');
const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');

/** Every file under dir, relative, sorted. */
function tree(dir, base = dir) {
    const out = [];
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) out.push(...tree(p, base));
        else if (e.isFile()) out.push(path.relative(base, p));
    }
    return out.sort();
}

describe('install.sh into a staging root', () => {
    test('puts every file in place with its mode', () => {
        const r = install(root);
        assert.match(r.stderr, /no users made/);
        const uid = process.getuid();
        const expect = [
            ['usr/bin/songgong', 0o755],
            ['etc/songgong', 0o755],
            ['etc/songgong/songgong.key', 0o600],
            ['etc/songgong/songgong.env', 0o640],
            ['etc/songgong/redis.conf', 0o640],
            ['etc/songgong/redis-users.acl', 0o640],
            ['etc/songgong/redis-songgong.password', 0o600],
            ['etc/songgong/redis-backup.password', 0o600],
            ['etc/songgong/redis-admin.password', 0o600],
            ['etc/systemd/system/songgong@.service', 0o644],
            ['etc/systemd/system/songgong.target', 0o644],
            ['etc/systemd/system/songgong-redis.service', 0o644],
            ['etc/systemd/system/songgong-backup.service', 0o644],
            ['etc/systemd/system/songgong-backup.timer', 0o644],
            ['usr/sbin/songgong-backup', 0o755],
            ['usr/sbin/songgong-restore', 0o755],
            ['etc/nginx/sites-available/songgong', 0o644],
            ['etc/sysctl.d/60-songgong-redis.conf', 0o644],
            ['var/lib/songgong/redis', 0o750],
            ['usr/share/doc/songgong/operations.md', 0o644],
        ];
        for (const [p, m] of expect) {
            assert.equal(mode(p).toString(8), m.toString(8), p);
            assert.equal(fs.statSync(at(p)).uid, uid, `${p} owner`);
        }
        assert.ok(fs.statSync(at('etc/songgong/songgong.key')).size >= 32);

        assert.equal(sha256(fs.readFileSync(at('usr/bin/songgong'))), sha256(fs.readFileSync(binary())));
        for (const d of ['site', 'data']) {
            const files = tree(path.join(REPO, d));
            assert.deepEqual(tree(at(`usr/share/songgong/${d}`)), files, d);
            for (const f of files) assert.ok(fs.readFileSync(at(`usr/share/songgong/${d}/${f}`)).equals(fs.readFileSync(path.join(REPO, d, f))), f);
        }
        // the default layout is the templates' own: nothing substituted
        assert.equal(read('etc/songgong/songgong.env'), fs.readFileSync(path.join(REPO, 'deploy/songgong.env'), 'utf8'));
        assert.equal(read('etc/songgong/redis.conf'), fs.readFileSync(path.join(REPO, 'deploy/redis-production.conf'), 'utf8'));
        assert.equal(read('etc/nginx/sites-available/songgong'), fs.readFileSync(path.join(REPO, 'nginx.conf'), 'utf8'));
        for (const u of UNITS) {
            assert.equal(read(`etc/systemd/system/${u}`), fs.readFileSync(path.join(REPO, 'deploy', u), 'utf8'), u);
        }
        assert.equal(fs.readlinkSync(at('etc/nginx/sites-enabled/songgong')), '/etc/nginx/sites-available/songgong');
        assert.equal(read('usr/sbin/songgong-backup'), fs.readFileSync(path.join(REPO, 'deploy/backup.sh'), 'utf8'));
        assert.equal(read('usr/sbin/songgong-restore'), fs.readFileSync(path.join(REPO, 'deploy/restore.sh'), 'utf8'));
    });

    test('the key comes from songgong keygen, the Redis passwords are random and only their hashes are in the ACL file', () => {
        const pw = Object.fromEntries(['songgong', 'backup', 'admin'].map((u) => [u, read(`etc/songgong/redis-${u}.password`)]));
        for (const [u, p] of Object.entries(pw)) assert.match(p, /^[A-Za-z0-9_-]{32}$/, u);
        assert.equal(new Set(Object.values(pw)).size, 3);
        const acl = read('etc/songgong/redis-users.acl');
        assert.doesNotMatch(acl, /^#/m); // Redis takes no comments there
        assert.doesNotMatch(acl, /@[A-Z_]+_SHA256@/);
        for (const [u, p] of Object.entries(pw)) {
            assert.match(acl, new RegExp(`^user ${u} on #${sha256(p)} `, 'm'), u);
            assert.ok(!acl.includes(p), `${u}'s password in clear`);
        }
        assert.match(acl, /^user default off /m);
        // the key is a key songgong can use: keygen refuses to overwrite it
        const r = spawnSync(binary(), ['keygen', at('etc/songgong/songgong.key')], { encoding: 'utf8' });
        assert.notEqual(r.status, 0);
        assert.match(r.stderr, /exists/);
    });

    test('systemd-analyze verify accepts the units; they are enabled and hardened', () => {
        const which = spawnSync('sh', ['-c', 'command -v systemd-analyze'], { encoding: 'utf8' });
        assert.equal(which.status, 0, 'systemd-analyze missing: tests/run.sh installs the systemd package');
        // The units name /usr/bin/songgong and /usr/sbin/songgong-backup, which are not on
        // this machine: a copy names the staged files instead (/usr/bin/redis-server is
        // here, from redis-server).
        const dir = path.join(tmp, 'verify');
        fs.mkdirSync(dir);
        for (const u of UNITS) {
            const text = read(`etc/systemd/system/${u}`).replaceAll('/usr/bin/songgong', at('usr/bin/songgong')).replaceAll('/usr/sbin/songgong-', at('usr/sbin/songgong-'));
            fs.writeFileSync(path.join(dir, u), text);
        }
        fs.symlinkSync('songgong@.service', path.join(dir, 'songgong@8080.service'));
        const r = spawnSync('systemd-analyze', ['verify', 'songgong@8080.service', ...UNITS.filter((u) => !u.includes('@'))], {
            cwd: dir,
            encoding: 'utf8',
            timeout: 30000,
        });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr.trim(), '', 'systemd-analyze verify warns');

        // enabled offline: the target pulls in both servers, multi-user.target the target and Redis
        const wants = (t) => fs.readdirSync(at(`etc/systemd/system/${t}.wants`)).sort();
        assert.deepEqual(wants('songgong.target'), ['songgong@8080.service', 'songgong@8081.service']);
        assert.deepEqual(wants('multi-user.target'), ['songgong-redis.service', 'songgong.target']);
        assert.deepEqual(wants('timers.target'), ['songgong-backup.timer']);

        const unit = read('etc/systemd/system/songgong@.service');
        for (const line of [
            'User=songgong',
            'EnvironmentFile=/etc/songgong/songgong.env',
            'Environment=SONGGONG_PORT=%i',
            'ExecStartPre=/usr/bin/songgong migrate',
            'ExecStart=/usr/bin/songgong serve',
            'Restart=on-failure',
            'NoNewPrivileges=yes',
            'ProtectSystem=strict',
            'ProtectHome=yes',
            'PrivateTmp=yes',
            'StandardError=journal',
        ]) {
            assert.match(unit, new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'), line);
        }
        const redisUnit = read('etc/systemd/system/songgong-redis.service');
        for (const line of ['User=songgong-redis', 'ReadWritePaths=/var/lib/songgong/redis', 'ProtectSystem=strict', 'NoNewPrivileges=yes', 'PrivateTmp=yes', 'ProtectHome=yes', 'Restart=on-failure']) {
            assert.match(redisUnit, new RegExp(`^${line}$`, 'm'), line);
        }
        assert.match(redisUnit, /^ExecStart=\/usr\/bin\/redis-server \/etc\/songgong\/redis\.conf /m);
    });

    test('a second install keeps the key, passwords and edited settings, and puts new templates beside them', () => {
        const key = fs.readFileSync(at('etc/songgong/songgong.key'));
        const pw = read('etc/songgong/redis-songgong.password');
        const acl = read('etc/songgong/redis-users.acl');
        fs.appendFileSync(at('etc/songgong/songgong.env'), 'SONGGONG_SESSION_IDLE=900\n');
        fs.writeFileSync(at('usr/share/songgong/site/stale.html'), 'left from an old version');
        const r = install(root);
        assert.ok(fs.readFileSync(at('etc/songgong/songgong.key')).equals(key));
        assert.equal(read('etc/songgong/redis-songgong.password'), pw);
        assert.equal(read('etc/songgong/redis-users.acl'), acl);
        assert.match(read('etc/songgong/songgong.env'), /^SONGGONG_SESSION_IDLE=900$/m);
        assert.equal(read('etc/songgong/songgong.env.new'), fs.readFileSync(path.join(REPO, 'deploy/songgong.env'), 'utf8'));
        assert.match(r.stderr, /kept your .*songgong\.env/);
        assert.ok(!fs.existsSync(at('etc/songgong/redis.conf.new')), 'redis.conf is unchanged: no .new');
        assert.ok(!fs.existsSync(at('usr/share/songgong/site/stale.html')), 'the site is replaced whole');
    });

    test('--prefix, --ports and --server-name reach the units, settings and nginx site', () => {
        const other = path.join(tmp, 'other');
        install(other, '--prefix', '/opt/songgong', '--ports', '9001 9002 9003', '--server-name', 'songgong.gx.example');
        assert.ok(fs.existsSync(at('opt/songgong/bin/songgong', other)));
        assert.ok(fs.existsSync(at('opt/songgong/share/songgong/site/index.html', other)));
        const unit = read('etc/systemd/system/songgong@.service', other);
        assert.match(unit, /^ExecStart=\/opt\/songgong\/bin\/songgong serve$/m);
        assert.match(unit, /^ExecStartPre=\/opt\/songgong\/bin\/songgong migrate$/m);
        assert.doesNotMatch(unit, /\/usr\/bin\/songgong/);
        assert.match(read('etc/systemd/system/songgong-backup.service', other), /^ExecStart=\/opt\/songgong\/sbin\/songgong-backup /m);
        assert.ok(fs.existsSync(at('opt/songgong/sbin/songgong-restore', other)));
        const env = read('etc/songgong/songgong.env', other);
        assert.match(env, /^SONGGONG_SITE_DIR=\/opt\/songgong\/share\/songgong\/site$/m);
        assert.match(env, /^SONGGONG_DATA_DIR=\/opt\/songgong\/share\/songgong\/data$/m);
        assert.match(env, /^SONGGONG_PUBLIC_URL=https:\/\/songgong\.gx\.example$/m);
        const site = read('etc/nginx/sites-available/songgong', other);
        const upstream = site.match(/^upstream songgong \{\n([\s\S]*?)^\}/m)[1];
        assert.deepEqual([...upstream.matchAll(/server 127\.0\.0\.1:(\d+);/g)].map((m) => m[1]), ['9001', '9002', '9003']);
        assert.match(upstream, /keepalive 32;/);
        assert.match(site, /^\s*root \/opt\/songgong\/share\/songgong\/site;$/m);
        assert.match(site, /^\s*server_name songgong\.gx\.example;$/m);
        assert.deepEqual(fs.readdirSync(at('etc/systemd/system/songgong.target.wants', other)).sort(), [
            'songgong@9001.service',
            'songgong@9002.service',
            'songgong@9003.service',
        ]);
    });
});

/** The Redis commands the code sends: literal names in redis.call/pcall in Lua (in .lua
 * files and scripts inside .c files) and the command names of the C code's argument
 * lists (any upper-case string literal Redis knows as a command; a container command's
 * subcommand is the literal after it: "SCRIPT", "LOAD"). */
async function commandsOfTheCode(admin) {
    const dir = path.join(REPO, 'backend', 'store');
    const found = new Map();
    const known = new Map(); // name -> COMMAND INFO reply
    const info = async (name) => {
        if (!known.has(name)) known.set(name, (await admin.call('COMMAND', 'INFO', name))[0]);
        return known.get(name);
    };
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.c') || x.endsWith('.lua'))) {
        const text = fs.readFileSync(path.join(dir, f), 'utf8');
        for (const m of text.matchAll(/redis\.p?call\(\s*['"]([A-Za-z]+)['"]/g)) found.set(m[1].toLowerCase(), f);
        if (!f.endsWith('.c')) continue;
        for (const m of text.matchAll(/"([A-Z]{3,})"(?:\s*,\s*"([A-Z]{3,})")?/g)) {
            const ci = await info(m[1]);
            if (!ci) continue; // an argument (COUNT, MATCH), a reply (NOSCRIPT): not a command
            const subcommands = ci[9] || [];
            if (subcommands.length) {
                assert.ok(m[2], `${f}: ${m[1]} without a subcommand literal after it`);
                found.set(`${m[1]}|${m[2]}`.toLowerCase(), f);
            } else found.set(m[1].toLowerCase(), f);
        }
    }
    return found;
}

/** ACL DRYRUN arguments: enough of them for the arity, every key under sg:. */
async function dryrunArgs(admin, cmd) {
    const [name, sub] = cmd.split('|');
    if (name === 'eval') return ['EVAL', 'return 1', '1', 'sg:{45}:k'];
    if (name === 'evalsha') return ['EVALSHA', 'a'.repeat(40), '1', 'sg:{45}:k'];
    if (name === 'xadd') return ['XADD', 'sg:{45}:k', '*', 'f', 'v'];
    const ci = (await admin.call('COMMAND', 'INFO', name))[0];
    let arity = Math.abs(Number(ci[1]));
    const words = [name.toUpperCase()];
    if (sub) {
        const sci = ci[9].find((s) => String(s[0]) === cmd);
        arity = Math.abs(Number(sci[1]));
        words.push(sub.toUpperCase());
    }
    while (words.length < arity) words.push('sg:{45}:k');
    return words;
}

describe('Redis with the installed redis.conf and ACL file', () => {
    let redis, port, dataDir, admin, pw;

    before(async () => {
        pw = Object.fromEntries(['songgong', 'backup', 'admin'].map((u) => [u, read(`etc/songgong/redis-${u}.password`)]));
        dataDir = path.join(tmp, 'redis-data');
        fs.mkdirSync(dataDir);
        port = await freePort();
        // The installed file with the test's port and paths (Redis changes directory while
        // reading `dir`, so it must exist then: it is substituted, not overridden).
        const conf = read('etc/songgong/redis.conf')
            .replace(/^port 6379$/m, `port ${port}`)
            .replace(/^dir \/var\/lib\/songgong\/redis$/m, `dir ${dataDir}`)
            .replace(/^aclfile \/etc\/songgong\/redis-users\.acl$/m, `aclfile ${at('etc/songgong/redis-users.acl')}`);
        assert.equal((conf.match(new RegExp(`^(port ${port}|dir ${dataDir}|aclfile ${at('etc')}.*)$`, 'gm')) || []).length, 3);
        fs.writeFileSync(path.join(tmp, 'redis.conf'), conf);
        fs.mkdirSync(OUT_DIR, { recursive: true });
        const log = fs.openSync(path.join(OUT_DIR, `install-redis-${port}.log`), 'a');
        redis = spawn('redis-server', [path.join(tmp, 'redis.conf')], { stdio: ['ignore', log, log] });
        fs.closeSync(log);
        for (let i = 0; i < 100 && !admin; i++) {
            try {
                const c = await RedisClient.connect(port);
                await c.call('AUTH', 'admin', pw.admin);
                admin = c;
            } catch {
                await sleep(50);
            }
        }
        assert.ok(admin, 'redis-server with the installed configuration did not start');
    });
    after(async () => {
        admin?.close();
        if (redis && redis.exitCode === null) {
            redis.kill('SIGTERM');
            await new Promise((r) => redis.once('exit', r));
        }
    });

    test('nothing without logging in', async () => {
        const c = await RedisClient.connect(port);
        try {
            await assert.rejects(c.call('PING'), /NOAUTH/);
            await assert.rejects(c.call('AUTH', 'default', ''), /WRONGPASS|disabled/);
            await assert.rejects(c.call('AUTH', 'songgong', 'wrong'), /WRONGPASS/);
            assert.equal(await c.call('AUTH', 'songgong', pw.songgong), 'OK');
            assert.equal(await c.call('HSET', 'sg:{45}:install-test', 'a', 'b'), 1);
            await assert.rejects(c.call('SET', 'other', 'x'), /NOPERM/);
            await assert.rejects(c.call('FLUSHALL'), /NOPERM/);
        } finally {
            c.close();
        }
    });

    test('songgong may send every command the code sends, and no dangerous one', async () => {
        const found = await commandsOfTheCode(admin);
        assert.ok(found.size >= 20, [...found.keys()].join(' '));
        for (const [cmd, file] of found) {
            const reply = String(await admin.call('ACL', 'DRYRUN', 'songgong', ...(await dryrunArgs(admin, cmd))));
            assert.equal(reply, 'OK', `${cmd} (sent by backend/store/${file}) is not allowed to the ACL user songgong in deploy/redis-users.acl: ${reply}`);
        }
        for (const args of [
            ['FLUSHALL'],
            ['FLUSHDB'],
            ['KEYS', '*'],
            ['CONFIG', 'GET', 'dir'],
            ['CONFIG', 'SET', 'dir', '/tmp'],
            ['DEBUG', 'SLEEP', '0'],
            ['SHUTDOWN'],
            ['SAVE'],
            ['BGSAVE'],
            ['BGREWRITEAOF'],
            ['ACL', 'LIST'],
            ['MONITOR'],
            ['SCRIPT', 'FLUSH'],
            ['REPLICAOF', 'NO', 'ONE'],
            ['MIGRATE', 'h', '1', 'sg:{45}:k', '0', '1'],
            ['CLIENT', 'KILL', 'ID', '1'],
            ['MODULE', 'LIST'],
            ['SWAPDB', '0', '1'],
            ['HSET', 'other', 'f', 'v'],
            ['EVAL', 'return 1', '1', 'other'],
        ]) {
            const reply = String(await admin.call('ACL', 'DRYRUN', 'songgong', ...args));
            assert.notEqual(reply, 'OK', `songgong may ${args.join(' ')}`);
        }
    });

    test('the backup user can run deploy/backup.sh and read no data', async () => {
        for (const args of [['GET', 'sg:{45}:k'], ['HGETALL', 'sg:{45}:k'], ['FLUSHALL'], ['CONFIG', 'GET', 'dir']]) {
            assert.notEqual(String(await admin.call('ACL', 'DRYRUN', 'backup', ...args)), 'OK', args.join(' '));
        }
        const r = spawnSync(
            path.join(REPO, 'deploy', 'backup.sh'),
            ['--redis', `127.0.0.1:${port}`, '--redis-password-file', at('etc/songgong/redis-backup.password'), '--redis-dir', dataDir,
                '--key-file', at('etc/songgong/songgong.key'), '--out', path.join(tmp, 'backups'), '--key-out', path.join(tmp, 'keys')],
            { encoding: 'utf8', timeout: 60000 },
        );
        assert.equal(r.status, 0, r.stderr);
        assert.match(path.basename(r.stdout.trim()), /^songgong-data-.*\.tar\.gz$/);
        assert.ok(!r.stderr.includes(pw.backup));
    });
});
