// SPDX-License-Identifier: MIT
// /healthz, /api/campaign, /api/divisions/{code}[?children=1], /api/destinations.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from './lib/harness.mjs';
import { village } from './lib/people.mjs';

let stack, srv;
before(async () => {
    stack = await startStack('basics');
    srv = stack.server;
});
after(() => stack?.close());

test('GET /healthz is 200 {"ok":true} while Redis answers', async () => {
    const r = await srv.get('/healthz');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json?.ok, true, r.text);
    assert.match(r.headers.get('content-type') || '', /application\/json/);
});

test('GET /api/campaign is the active 2027 spring campaign', async () => {
    const r = await srv.get('/api/campaign');
    assert.equal(r.status, 200, r.text);
    const c = r.json;
    assert.equal(typeof c.id, 'string');
    assert.ok(c.id.length > 0);
    assert.equal(typeof c.name, 'string');
    assert.equal(c.starts, '2027-01-01');
    assert.equal(c.ends, '2027-03-31');
    assert.equal(c.active, true);
});

test('GET /api/divisions/{village} gives the 5-level path', async () => {
    const v = village();
    const r = await srv.get(`/api/divisions/${v}`);
    assert.equal(r.status, 200, r.text);
    const d = r.json;
    assert.equal(d.code, v);
    assert.equal(d.level, 'village');
    assert.equal(typeof d.name, 'string');
    assert.ok(d.name.length > 0);
    assert.equal(d.path.length, 5, JSON.stringify(d.path));
    assert.deepEqual(
        d.path.map((p) => p.code),
        [v.slice(0, 2), v.slice(0, 4), v.slice(0, 6), v.slice(0, 9), v],
    );
    assert.equal(d.path[0].name, '广西壮族自治区');
    assert.equal(d.path[4].name, d.name);
    for (const p of d.path) assert.ok(p.name.length > 0, JSON.stringify(p));
});

test('GET /api/divisions for province, city, county and township levels', async () => {
    const v = village();
    const want = [
        [v.slice(0, 2), 'province', 1],
        [v.slice(0, 4), 'city', 2],
        [v.slice(0, 6), 'county', 3],
        [v.slice(0, 9), 'township', 4],
    ];
    for (const [code, level, depth] of want) {
        const r = await srv.get(`/api/divisions/${code}`);
        assert.equal(r.status, 200, `${code}: ${r.text}`);
        assert.equal(r.json.code, code);
        assert.equal(r.json.level, level, code);
        assert.equal(r.json.path.length, depth, code);
        assert.equal(r.json.path.at(-1).code, code);
    }
});

test('GET /api/divisions/{code}?children=1 lists the divisions one level down by name', async () => {
    const county = await srv.get('/api/divisions/450102?children=1');
    assert.equal(county.status, 200, county.text);
    assert.equal(county.json.name, '兴宁区');
    assert.deepEqual(county.json.children.map((c) => c.name), ['民生街道', '朝阳街道', '兴东街道', '三塘镇', '五塘镇', '昆仑镇']);
    assert.deepEqual(county.json.children[0], { code: '450102001', name: '民生街道' });
    const township = (await srv.get('/api/divisions/450102001?children=1')).json;
    assert.equal(township.children.length, 13);
    assert.ok(township.children.every((c) => c.code.length === 12 && c.code.startsWith('450102001')));
    assert.ok(township.children.some((c) => c.code === '450102001201' && c.name === '官桥村委会'));
    const region = (await srv.get('/api/divisions/45?children=1')).json;
    assert.equal(region.children.length, 14, 'the 14 cities, not their counties');
    assert.deepEqual((await srv.get('/api/divisions/450102001201?children=1')).json.children, [], 'a village has none');
    assert.equal((await srv.get('/api/divisions/450102')).json.children, undefined, 'only when asked');
});

test('GET /api/divisions/{unknown} is 404 not_found', async () => {
    for (const code of ['450102999999', '459999', '99', 'abc', '4501020010011']) {
        const r = await srv.get(`/api/divisions/${code}`);
        assert.equal(r.status, 404, `${code}: ${r.status} ${r.text}`);
        assert.equal(r.json?.error?.code, 'not_found', `${code}: ${r.text}`);
    }
});

test('GET /api/destinations lists provinces in code order, 44 广东省 with 4419 东莞市', async () => {
    const r = await srv.get('/api/destinations');
    assert.equal(r.status, 200, r.text);
    const provs = r.json.provinces;
    assert.ok(Array.isArray(provs));
    assert.ok(provs.length >= 31, `only ${provs.length} provinces`);
    const codes = provs.map((p) => p.code);
    assert.deepEqual(codes, [...codes].sort(), 'provinces not in code order');
    const gd = provs.find((p) => p.code === '44');
    assert.ok(gd, 'no province 44');
    assert.equal(gd.name, '广东省');
    const dg = gd.cities.find((c) => c.code === '4419');
    assert.ok(dg, 'no city 4419 under 44');
    assert.equal(dg.name, '东莞市');
    const gx = provs.find((p) => p.code === '45');
    assert.equal(gx?.name, '广西壮族自治区');
    for (const p of provs) {
        const cc = p.cities.map((c) => c.code);
        assert.deepEqual(cc, [...cc].sort(), `cities of ${p.code} not in code order`);
        for (const c of cc) assert.ok(c.startsWith(p.code), `city ${c} under province ${p.code}`);
    }
});

test('unknown path is 404', async () => {
    const r = await srv.get('/api/nothing-here');
    assert.equal(r.status, 404);
});
