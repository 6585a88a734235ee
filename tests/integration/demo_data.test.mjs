// SPDX-License-Identifier: MIT
// `songgong demo-data --people 200` writes through the store: Redis fills up, the people
// block their ID numbers for the campaign, and the server still starts and answers.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { RedisProc, ServerProc, runCli, serverEnv } from './lib/harness.mjs';
import { dumpAll } from './lib/resp.mjs';

let redis, server;
before(async () => {
    redis = await new RedisProc('demo-data').start();
    server = new ServerProc('demo-data', redis);
    await server.start(); // also makes the key file
});
after(async () => {
    try {
        await server?.dispose();
    } finally {
        await redis?.dispose();
    }
});

test('demo-data --people 200 writes registrations through the store', async () => {
    const env = serverEnv(redis.port, server.keyFile);
    const r = runCli(['demo-data', '--people', '200', '--seed', '7'], env);
    assert.equal(r.status, 0, `demo-data exited ${r.status}:\n${r.stderr}`);
    const c = await redis.client();
    try {
        const size = await c.call('DBSIZE');
        assert.ok(size > 0, 'Redis is empty after demo-data');
        const dump = await dumpAll(c);
        const stray = dump.map((d) => d.key.toString()).filter((k) => !k.startsWith('sg:'));
        assert.deepEqual(stray, [], 'keys outside sg:');
    } finally {
        c.close();
    }
    assert.equal((await server.get('/healthz')).status, 200);
});

test('--help works for the subcommands', () => {
    for (const args of [['--help'], ['serve', '--help'], ['demo-data', '--help']]) {
        const r = runCli(args, process.env);
        assert.equal(r.status, 0, `songgong ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
        assert.ok((r.stdout + r.stderr).length > 20, `songgong ${args.join(' ')} printed nothing`);
    }
    const s = runCli(['serve', '--help'], process.env);
    for (const v of ['SONGGONG_PORT', 'SONGGONG_REDIS', 'SONGGONG_PUBLIC_URL', 'SONGGONG_KEY_FILE', 'SONGGONG_DATA_DIR']) {
        assert.ok((s.stdout + s.stderr).includes(v), `serve --help does not list ${v}`);
    }
});

test('keygen makes a 0600 key file and refuses to overwrite it', () => {
    assert.equal(fs.statSync(server.keyFile).mode & 0o777, 0o600);
    const before = fs.readFileSync(server.keyFile);
    const r = runCli(['keygen', server.keyFile], process.env);
    assert.equal(r.status, 1, `keygen over an existing file exited ${r.status}`);
    assert.deepEqual(fs.readFileSync(server.keyFile), before, 'keygen changed the existing key');
});
