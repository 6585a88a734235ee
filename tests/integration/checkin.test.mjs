// SPDX-License-Identifier: MIT
// Boarding check-in: the token in the worker's lookup, check-in only by staff whose scope
// holds the vehicle's, idempotent, counted on the vehicle; the boarding view lists the
// missing with full phone numbers (audited); no check-in after departure.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorCode, startStack } from './lib/harness.mjs';
import { companion, signup } from './lib/people.mjs';
import { addUser, busPlan, login, NO_MINIMUM } from './lib/transport.mjs';

let stack, srv, org, org2, cityStaff, admin, vehicle;
const groups = [];
before(async () => {
    stack = await startStack('checkin');
    srv = stack.server;
    addUser(srv, 'org-nn', 'organiser', '4501');
    addUser(srv, 'org-lz', 'organiser', '4502');
    addUser(srv, 'city-nn', 'city', '4501');
    addUser(srv, 'admin', 'admin', '45');
    [org, org2, cityStaff, admin] = await Promise.all(['org-nn', 'org-lz', 'city-nn', 'admin'].map((n) => login(srv, n)));
    vehicle = (await org.post('/api/vehicles', busPlan())).json;
    for (const n of [2, 1, 3]) {
        const body = signup({ flex_days: 0, poverty: 'alleviated', companions: Array.from({ length: n - 1 }, () => companion()) });
        const r = await srv.post('/api/registrations', body);
        groups.push({ code: r.json.code, phone: body.phone, people: n });
    }
    const m = await org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: true, min_load: NO_MINIMUM });
    assert.equal(m.json.assigned, 3, m.text);
    for (const g of groups) {
        const r = await srv.get(`/api/registrations/${g.code}?phone4=${g.phone.slice(7)}`);
        g.checkin = r.json.assignment.checkin;
    }
});
after(() => stack?.close());

describe('check-in', () => {
    test('the lookup carries an unguessable token and a check-in URL', () => {
        const c = groups[0].checkin;
        assert.match(c.token, /^[23456789A-Z]{8}[0-9a-f]{20}$/);
        assert.ok(c.url.endsWith(`/staff/checkin.html#${c.token}`));
        assert.notEqual(groups[0].checkin.token, groups[1].checkin.token);
    });

    test('403 for staff of another city; 404 for a forged token; 401 without a session', async () => {
        const t = groups[0].checkin.token;
        assert.equal((await org2.post(`/api/checkin/${t}`, {})).status, 403);
        const forged = t.slice(0, 8) + (t[8] === 'a' ? 'b' : 'a') + t.slice(9);
        assert.equal((await org.post(`/api/checkin/${forged}`, {})).status, 404);
        assert.equal((await srv.post(`/api/checkin/${t}`, {})).status, 401);
    });

    test('staff in scope check a group in, once', async () => {
        const t = groups[0].checkin.token;
        let r = await cityStaff.post(`/api/checkin/${t}`, {});
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.again, false);
        assert.equal(r.json.people.length, 2);
        r = await org.post(`/api/checkin/${t}`, {});
        assert.equal(r.json.again, true);
        const v = (await org.get(`/api/vehicles/${vehicle.id}`)).json;
        assert.equal(v.boarded_people, 2);
        assert.equal(v.boarded_poverty, 1, 'the worker is alleviated, companions not');
    });

    test('the boarding view: boarded and missing, full phones of the missing, audited', async () => {
        const r = await cityStaff.get(`/api/vehicles/${vehicle.id}/boarding`);
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.json.boarded.map((g) => g.code), [groups[0].code]);
        assert.equal(r.json.missing.length, 2);
        const miss = r.json.missing.find((g) => g.code === groups[1].code);
        assert.equal(miss.people[0].phone, groups[1].phone);
        assert.equal(r.json.boarded[0].people[0].phone, undefined);
        assert.equal((await org2.get(`/api/vehicles/${vehicle.id}/boarding`)).status, 403);
        const log = (await admin.get('/api/audit?count=30')).json.entries.map((e) => `${e.user} ${e.action} ${e.target}`);
        assert.ok(log.includes(`city-nn boarding_view ${vehicle.id}`), log.join('\n'));
        assert.ok(log.includes(`city-nn checkin ${groups[0].code}`), log.join('\n'));
    });

    test('the answer names the vehicle; a vehicle other than the escort\'s is refused and named', async () => {
        const other = (await org.post('/api/vehicles', busPlan({ number: '桂A99999' }))).json;
        const t = groups[2].checkin.token;
        let r = await cityStaff.post(`/api/checkin/${t}`, { vehicle: other.id });
        assert.equal(r.status, 409, r.text);
        assert.equal(errorCode(r), 'wrong_vehicle');
        assert.deepEqual(r.json.error.vehicle, { id: vehicle.id, number: '桂A12345', type_label: '专车' });
        assert.equal(r.json.error.people.length, 3, 'who it was, so the escort can send them to their vehicle');
        assert.equal((await org2.post(`/api/checkin/${t}`, { vehicle: other.id })).status, 403, 'outside the scope: nothing about the vehicle');
        assert.equal((await cityStaff.post(`/api/checkin/${t}`, { vehicle: 'x1' })).status, 422);
        r = await cityStaff.post(`/api/checkin/${groups[0].checkin.token}`, { vehicle: vehicle.id });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.again, true);
        assert.equal(r.json.number, '桂A12345');
        assert.equal(r.json.type_label, '专车');
        assert.equal(r.json.people[0].carriage, undefined, 'a bus has no carriages');
        assert.equal((await org.get(`/api/vehicles/${vehicle.id}`)).json.boarded_people, 2, 'nothing more boarded');
    });

    test('POST /api/checkin {code, vehicle}: from the boarding view without a scan, same rules, audited', async () => {
        const code = groups[1].code;
        assert.equal((await srv.post('/api/checkin', { code, vehicle: vehicle.id })).status, 401);
        // by code, another city's group is answered as no such code: staff cannot tell which codes exist elsewhere
        assert.equal((await org2.post('/api/checkin', { code, vehicle: vehicle.id })).status, 404);
        let r = await cityStaff.post('/api/checkin', { code });
        assert.equal(r.status, 422, r.text);
        assert.ok(r.json.error.fields.vehicle, r.text);
        assert.equal((await cityStaff.post('/api/checkin', { vehicle: vehicle.id })).status, 422);
        assert.equal((await cityStaff.post('/api/checkin', { code: 'ZZZZZZZZ', vehicle: vehicle.id })).status, 404);
        assert.equal((await cityStaff.post('/api/checkin', { code, vehicle: String(Number(vehicle.id) + 1) })).status, 409);
        r = await cityStaff.post('/api/checkin', { code: code.toLowerCase().replace(/^(....)/, '$1-'), vehicle: vehicle.id });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.code, code);
        assert.equal(r.json.again, false);
        assert.equal(r.json.people.length, 1);
        const b = (await cityStaff.get(`/api/vehicles/${vehicle.id}/boarding`)).json;
        assert.ok(b.boarded.some((g) => g.code === code));
        assert.equal((await org.get(`/api/vehicles/${vehicle.id}`)).json.boarded_people, 3);
        const log = (await admin.get('/api/audit?count=30')).json.entries.map((e) => `${e.user} ${e.action} ${e.target} ${e.detail}`);
        assert.ok(log.includes(`city-nn checkin ${code} ${vehicle.id} by code`), log.join('\n'));
    });

    test('no check-in once departed', async () => {
        assert.equal((await org.patch(`/api/vehicles/${vehicle.id}`, { status: 'boarding' })).status, 200);
        assert.equal((await org.post(`/api/checkin/${groups[1].checkin.token}`, {})).json.again, true, 'checked in by code before');
        assert.equal((await org.patch(`/api/vehicles/${vehicle.id}`, { status: 'departed' })).status, 200);
        const r = await org.post(`/api/checkin/${groups[2].checkin.token}`, {});
        assert.equal(r.status, 409, r.text);
        assert.equal(errorCode(r), 'vehicle_closed');
        const v = (await org.get(`/api/vehicles/${vehicle.id}`)).json;
        assert.equal(v.boarded_people, 3);
        assert.equal(v.status, 'departed');
    });
});

describe('check-in on a train', () => {
    test('carriage and seat in the carriage, in the check-in answer and on the worker\'s lookup', async () => {
        const plan = busPlan({ type: 'train', number: 'D3856', capacity: 100, carriage_size: 20, depart_date: '2027-02-05', drivers: [] });
        const train = (await org.post('/api/vehicles', plan)).json;
        assert.ok(train.id, JSON.stringify(train));
        const mine = [];
        for (const n of [10, 9, 3]) {
            const body = signup({ flex_days: 0, mode: 'train', depart_date: '2027-02-05', companions: Array.from({ length: n - 1 }, () => companion()) });
            const r = await srv.post('/api/registrations', body);
            assert.equal(r.status, 201, r.text);
            mine.push({ code: r.json.code, phone: body.phone });
        }
        const m = await org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: true, min_load: NO_MINIMUM });
        assert.equal(m.json.assigned, 3, m.text);
        // 22 people in carriages of 20: whatever order the matcher chose, someone sits in carriage 2
        const where = [];
        for (const g of mine) {
            const look = await srv.get(`/api/registrations/${g.code}?phone4=${g.phone.slice(7)}`);
            assert.equal(look.json.assignment.vehicle, train.id);
            const r = await cityStaff.post(`/api/checkin/${look.json.assignment.checkin.token}`, { vehicle: train.id });
            assert.equal(r.status, 200, r.text);
            assert.equal(r.json.type, 'train');
            assert.equal(r.json.number, 'D3856');
            for (const [i, p] of r.json.people.entries()) {
                assert.equal(p.carriage, Math.ceil(p.seat / 20), JSON.stringify(p));
                assert.equal(p.carriage_seat, ((p.seat - 1) % 20) + 1, JSON.stringify(p));
                assert.deepEqual(look.json.assignment.seats[i], { carriage: p.carriage, seat: p.carriage_seat }, 'the lookup says the same');
                where.push([p.seat, p.carriage, p.carriage_seat]);
            }
        }
        where.sort((a, b) => a[0] - b[0]);
        assert.deepEqual(where[19], [20, 1, 20]);
        assert.deepEqual(where[20], [21, 2, 1]);
        assert.deepEqual(where[21], [22, 2, 2]);
    });
});
