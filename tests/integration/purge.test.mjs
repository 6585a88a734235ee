// SPDX-License-Identifier: MIT
// songgong purge: refused without --yes and before the retention date, then every key of
// the campaign is gone (registrations, uniqueness keys, counters, indexes, vehicles) while
// accounts and the audit log stay; running it again is harmless.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli, startStack } from './lib/harness.mjs';
import { signup } from './lib/people.mjs';
import { addUser, busPlan, login, NO_MINIMUM } from './lib/transport.mjs';

let stack, srv, redis;
before(async () => {
    stack = await startStack('purge');
    srv = stack.server;
    redis = await stack.redis.client();
});
after(async () => {
    redis?.close();
    await stack?.close();
});

const keys = async (pattern) => (await redis.call('KEYS', pattern)).map(String);

test('a campaign is purged only with --yes and after its retention, then nothing of it is left', async () => {
    addUser(srv, 'org', 'organiser', '45');
    const org = await login(srv, 'org');
    assert.equal((await org.post('/api/vehicles', busPlan())).status, 201);
    const a = await srv.post('/api/registrations', signup());
    const b = await srv.post('/api/registrations', signup());
    assert.equal(a.status, 201);
    assert.equal((await srv.post(`/api/registrations/${b.json.code}/cancel`, {}, { headers: {} })).status, 404); // needs phone4
    assert.equal((await org.post(`/api/registrations/${b.json.code}/cancel`, {})).status, 200);
    assert.equal((await org.post('/api/match', { campaign: '2027-spring', scope: '45', accept: true, min_load: NO_MINIMUM })).status, 200);
    assert.equal(runCli(['demo-data', '--people', '200', '--seed', '5'], srv.env).status, 0);
    assert.ok((await keys('sg:{45}:reg:*')).length > 100);

    let r = runCli(['purge', '--campaign', '2027-spring'], srv.env);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /183 days|--force/);
    r = runCli(['purge', '--campaign', '2027-spring', '--force'], srv.env);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--yes/);
    assert.ok((await keys('sg:{45}:reg:*')).length > 100, 'nothing deleted without --yes');
    r = runCli(['purge', '--campaign', 'no-such', '--yes', '--force'], srv.env);
    assert.equal(r.status, 1);

    r = runCli(['purge', '--campaign', '2027-spring', '--yes', '--force'], srv.env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /purged campaign 2027-spring: \d+ keys deleted/);
    assert.deepEqual(await keys('sg:{45}:reg:*'), []);
    assert.deepEqual(await keys('sg:{45}:uid:2027-spring:*'), []);
    assert.deepEqual(await keys('sg:{45}:2027-spring:*'), []);
    assert.deepEqual(await keys('sg:{45}:vehicle:*'), []);
    assert.deepEqual(await keys('sg:{45}:purge:*'), []);
    assert.equal((await keys('sg:{45}:user:org')).length, 1, 'accounts stay');
    assert.equal(Number(await redis.call('XLEN', 'sg:{45}:audit')) > 0, true, 'the audit log stays');

    r = runCli(['purge', '--campaign', '2027-spring', '--yes', '--force'], srv.env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /: 0 keys deleted/);
    // the server goes on: a new sign-up works after the purge
    assert.equal((await srv.post('/api/registrations', signup())).status, 201);
});
