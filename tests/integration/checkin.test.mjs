// SPDX-License-Identifier: MIT
// Boarding check-in: the token in the worker's lookup, check-in only by staff whose scope
// holds the vehicle's, idempotent, counted on the vehicle; the boarding view lists the
// missing with full phone numbers (audited); no check-in after departure.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorCode, startStack } from './lib/harness.mjs';
import { companion, signup } from './lib/people.mjs';
import { addUser, busPlan, login } from './lib/transport.mjs';

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
    const m = await org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: true });
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

    test('no check-in once departed', async () => {
        assert.equal((await org.patch(`/api/vehicles/${vehicle.id}`, { status: 'boarding' })).status, 200);
        assert.equal((await org.post(`/api/checkin/${groups[1].checkin.token}`, {})).status, 200);
        assert.equal((await org.patch(`/api/vehicles/${vehicle.id}`, { status: 'departed' })).status, 200);
        const r = await org.post(`/api/checkin/${groups[2].checkin.token}`, {});
        assert.equal(r.status, 409, r.text);
        assert.equal(errorCode(r), 'vehicle_closed');
        const v = (await org.get(`/api/vehicles/${vehicle.id}`)).json;
        assert.equal(v.boarded_people, 3);
        assert.equal(v.status, 'departed');
    });
});
