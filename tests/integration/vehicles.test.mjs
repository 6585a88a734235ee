// SPDX-License-Identifier: MIT
// Vehicles and plans: create, read, list by scope, edit, status machine, validation,
// 403 outside the user's scope or role, audit entries.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorCode, startStack } from './lib/harness.mjs';
import { addUser, busPlan, login } from './lib/transport.mjs';

let stack, srv, org, org2, city, admin;
before(async () => {
    stack = await startStack('vehicles');
    srv = stack.server;
    addUser(srv, 'org-nn', 'organiser', '4501');
    addUser(srv, 'org-lz', 'organiser', '4502');
    addUser(srv, 'city-nn', 'city', '4501');
    addUser(srv, 'admin', 'admin', '45');
    [org, org2, city, admin] = await Promise.all(['org-nn', 'org-lz', 'city-nn', 'admin'].map((n) => login(srv, n)));
});
after(() => stack?.close());

describe('vehicles', () => {
    let id;
    test('an organiser creates a vehicle in scope: 201, planned, used 0', async () => {
        const r = await org.post('/api/vehicles', busPlan({ scope: '450102' }));
        assert.equal(r.status, 201, r.text);
        assert.match(r.json.id, /^\d+$/);
        assert.equal(r.json.status, 'planned');
        assert.equal(r.json.used, 0);
        assert.equal(r.json.scope, '450102');
        assert.equal(r.json.dest_city_name, '东莞市');
        assert.deepEqual(r.json.drivers, ['李建国', '王大伟']);
        id = r.json.id;
        const g = await org.get(`/api/vehicles/${id}`);
        assert.equal(g.status, 200, g.text);
        assert.deepEqual(g.json, r.json);
    });

    test('a placeholder plan (type, capacity, city, date) is valid; a train needs a carriage size', async () => {
        const min = { campaign: '2027-spring', scope: '4501', type: 'train', capacity: 1000, dest_city: '4419', depart_date: '2027-02-05' };
        let r = await org.post('/api/vehicles', min);
        assert.equal(r.status, 422, r.text);
        assert.ok(r.json.error.fields.carriage_size);
        r = await org.post('/api/vehicles', { ...min, carriage_size: 100 });
        assert.equal(r.status, 201, r.text);
        assert.equal(r.json.carriage_size, 100);
    });

    test('validation names every bad field', async () => {
        const r = await org.post('/api/vehicles', busPlan({ capacity: 80, depart_date: '2027-05-01', depart_time: '7:3', escort_phone: '123', stops: [{ name: '甲', time: '09:00' }, { name: '乙', time: '08:00' }] }));
        assert.equal(r.status, 422, r.text);
        for (const f of ['capacity', 'depart_date', 'depart_time', 'escort_phone', 'stops[1].time']) assert.ok(r.json.error.fields[f], `${f}: ${r.text}`);
    });

    test('403 outside the scope, for a role without transport, and 401 without a session', async () => {
        assert.equal((await org2.post('/api/vehicles', busPlan({ scope: '450102' }))).status, 403);
        assert.equal((await city.post('/api/vehicles', busPlan())).status, 403);
        assert.equal((await org2.get(`/api/vehicles/${id}`)).status, 403);
        assert.equal((await org2.patch(`/api/vehicles/${id}`, { notes: 'x' })).status, 403);
        assert.equal((await org2.get('/api/vehicles?scope=4501')).status, 403);
        assert.equal((await srv.get(`/api/vehicles/${id}`)).status, 401);
        const r = await srv.post('/api/vehicles', busPlan(), { headers: {} });
        assert.equal(r.status, 401);
    });

    test('the list of a scope holds what lies under it', async () => {
        const r2 = await org2.post('/api/vehicles', busPlan({ scope: '4502', number: '桂B55555' }));
        assert.equal(r2.status, 201, r2.text);
        const mine = await org.get('/api/vehicles?scope=4501&campaign=2027-spring');
        assert.equal(mine.status, 200, mine.text);
        assert.ok(mine.json.vehicles.some((v) => v.id === id));
        assert.ok(mine.json.vehicles.every((v) => v.scope.startsWith('4501')));
        const narrow = await org.get('/api/vehicles?scope=450103');
        assert.equal(narrow.json.vehicles.length, 0);
        const all = await admin.get('/api/vehicles?scope=45');
        assert.ok(all.json.vehicles.some((v) => v.scope === '4502'));
    });

    test('PATCH edits the plan; id, scope and used stay; status follows the machine', async () => {
        let r = await org.patch(`/api/vehicles/${id}`, { number: '桂A99999', scope: '4502', used: 7, notes: '带好身份证' });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.number, '桂A99999');
        assert.equal(r.json.scope, '450102');
        assert.equal(r.json.used, 0);
        r = await org.patch(`/api/vehicles/${id}`, { status: 'departed' });
        assert.equal(r.status, 409, r.text);
        assert.equal(errorCode(r), 'status_transition');
        r = await org.patch(`/api/vehicles/${id}`, { status: 'boarding' });
        assert.equal(r.status, 200, r.text);
        r = await org.patch(`/api/vehicles/${id}`, { status: 'departed' });
        assert.equal(r.json.status, 'departed');
        r = await org.patch(`/api/vehicles/${id}`, { status: 'cancelled' });
        assert.equal(r.status, 409);
    });

    test('boarding needs a complete plan', async () => {
        const c = await org.post('/api/vehicles', { campaign: '2027-spring', scope: '4501', type: 'bus', capacity: 50, dest_city: '4419', depart_date: '2027-02-05' });
        const r = await org.patch(`/api/vehicles/${c.json.id}`, { status: 'boarding' });
        assert.equal(r.status, 422, r.text);
        for (const f of ['number', 'escort_name', 'escort_phone', 'stops', 'drivers']) assert.ok(r.json.error.fields[f], f);
    });

    test('creates and edits are in the audit log', async () => {
        const r = await admin.get('/api/audit?count=50');
        const actions = r.json.entries.map((e) => `${e.user} ${e.action} ${e.target}`);
        assert.ok(actions.includes(`org-nn vehicle_create ${id}`), actions.join('\n'));
        assert.ok(actions.includes(`org-nn vehicle_edit ${id}`), actions.join('\n'));
    });

    test('unknown id 404, bad id 404', async () => {
        assert.equal((await org.get('/api/vehicles/999999')).status, 404);
        assert.equal((await org.get('/api/vehicles/abc')).status, 404);
    });
});
