// SPDX-License-Identifier: MIT
// `songgong demo-data --people 200` writes through the store: registrations totalling 200
// people in the docs/redis-keys.md layout, realistic enough (ages, Guangdong share).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { RedisProc, ServerProc, TODAY, runCli, serverEnv } from './lib/harness.mjs';
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

test('demo-data --people 200 writes registrations totalling 200 people (docs/redis-keys.md layout)', async () => {
    const env = serverEnv(redis.port, server.keyFile);
    const r = runCli(['demo-data', '--people', '200', '--seed', '7'], env);
    assert.equal(r.status, 0, `demo-data exited ${r.status}:\n${r.stderr}`);
    const campaign = (await server.get('/api/campaign')).json.id;
    const c = await redis.client();
    let dump;
    try {
        assert.ok((await c.call('DBSIZE')) > 0, 'Redis is empty after demo-data');
        dump = await dumpAll(c);
    } finally {
        c.close();
    }
    const stray = dump.map((d) => d.key.toString()).filter((k) => !k.startsWith('sg:{45}:'));
    assert.deepEqual(stray, [], 'keys outside sg:{45}:');

    const regs = dump.filter((d) => d.key.toString().startsWith('sg:{45}:reg:')).map((d) => hashOf(d.parts));
    assert.ok(regs.length > 0 && regs.length <= 200, `${regs.length} registrations`);
    const people = regs.reduce((n, h) => n + Number(h.people), 0);
    assert.equal(people, 200, 'people over all registrations');
    const uids = dump.filter((d) => d.key.toString().startsWith(`sg:{45}:uid:${campaign}:`));
    assert.equal(uids.length, 200, 'one sg:{45}:uid: key per person');
    // Counters per village and per county (docs/redis-keys.md): each level sums to 200.
    const stats = dump.filter((d) => d.key.toString().startsWith(`sg:{45}:${campaign}:stats:`));
    const statsOf = (len) => stats.filter((d) => d.key.toString().split(':').pop().length === len).map((d) => hashOf(d.parts));
    const sum = (len, field) => statsOf(len).reduce((n, h) => n + Number(h[field] || 0), 0);
    assert.equal(sum(12, 'people'), 200, 'village counters');
    assert.equal(sum(6, 'people'), 200, 'county counters');
    assert.equal(sum(12, 'regs'), regs.length, 'sign-ups counted');
    const count = Object.fromEntries(
        stats.map((d) => [d.key.toString().split(':').pop(), Number(hashOf(d.parts).people)]),
    );
    for (const h of regs) assert.ok(Number(count[h.village]) >= Number(h.people), `village ${h.village} counter`);

    // Realistic: valid fields, ages 18-65 on 2027-01-10, mostly Guangdong.
    let guangdong = 0;
    for (const h of regs) {
        assert.equal(h.campaign, campaign);
        assert.equal(h.status, 'registered');
        assert.match(h.village, /^45[0-9]{10}$/);
        const data = JSON.parse(h.data);
        assert.match(data.depart_date, /^2027-(0[1-3])-[0-9]{2}$/);
        assert.ok(data.depart_date >= TODAY, `departure ${data.depart_date} before today`);
        if (data.dest_city.startsWith('44')) guangdong++;
        assert.equal(data.people.length, Number(h.people));
        for (const p of data.people) {
            assert.match(p.birth, /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/);
            const age = ageOn(p.birth, TODAY);
            assert.ok(age >= 18 && age <= 65, `age ${age} (born ${p.birth})`);
            assert.ok(p.id.length > 18 && !/^[0-9]{17}[0-9X]$/.test(p.id), 'ID number not sealed');
        }
        assert.ok(data.people[0].phone.length > 11, 'worker phone not sealed');
    }
    const share = guangdong / regs.length;
    assert.ok(share > 0.5 && share < 0.9, `Guangdong share ${share.toFixed(2)}, want about 0.7`);
    assert.equal((await server.get('/healthz')).status, 200);
});

function hashOf(parts) {
    const h = {};
    for (let i = 0; i + 1 < parts.length; i += 2) h[parts[i].toString()] = parts[i + 1].toString();
    return h;
}

function ageOn(birth, day) {
    const [by, bm, bd] = birth.split('-').map(Number);
    const [y, m, d] = day.split('-').map(Number);
    return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

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
