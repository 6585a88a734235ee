// SPDX-License-Identifier: MIT
// PATCH /api/registrations/{code} with the numbers as staff see them (masked): the stored
// numbers are kept; a masked value that is no stored number's mask is an invalid field.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from './lib/harness.mjs';
import { companion, signup } from './lib/people.mjs';
import { addUser, login } from './lib/transport.mjs';

let stack, srv, staff;
before(async () => {
    stack = await startStack('staff-edit-masked');
    srv = stack.server;
    addUser(srv, 'county', 'county', '450102');
    addUser(srv, 'root', 'admin', '45');
    staff = await login(srv, 'county');
});
after(async () => {
    await stack?.close();
});

test('masked numbers sent back unchanged keep the stored ones', async () => {
    const body = signup({ companions: [companion({ phone: '13700001111' })] });
    const r = await srv.post('/api/registrations', body);
    assert.equal(r.status, 201, r.text);
    const seen = (await staff.get(`/api/registrations/${r.json.code}`)).json;
    const [w, c] = seen.people;
    const edit = {
        ...body,
        id_number: w.id_number,
        phone: w.phone,
        companions: [{ ...body.companions[0], id_number: c.id_number, phone: c.phone }],
        depart_date: '2027-02-25',
    };
    assert.match(edit.id_number, /\*{8}/);
    const e = await staff.patch(`/api/registrations/${r.json.code}`, edit);
    assert.equal(e.status, 200, e.text);
    assert.equal(e.json.depart_date, '2027-02-25');
    // the worker's proof still works, and both ID numbers still hold their place
    const mine = await srv.get(`/api/registrations/${r.json.code}?phone4=${body.phone.slice(-4)}`);
    assert.equal(mine.status, 200);
    assert.equal((await srv.post('/api/registrations', { ...body, companions: [] })).status, 409);
    const other = signup({ id_number: body.companions[0].id_number });
    assert.equal((await srv.post('/api/registrations', other)).status, 409);

    // a mask that matches nobody's number is not taken as "keep": it is an invalid ID
    const bad = { ...edit, id_number: '450102********0000' };
    const b = await staff.patch(`/api/registrations/${r.json.code}`, bad);
    assert.equal(b.status, 422, b.text);
    assert.ok(b.json.error.fields.id_number);
});

test('an edit marks a companion 低收入人口: stored, counted on the dashboard, audited without numbers', async () => {
    const body = signup({ village: '450102001004', companions: [companion()] });
    const r = await srv.post('/api/registrations', body);
    assert.equal(r.status, 201, r.text);
    const before = (await staff.get('/api/stats?scope=450102001004')).json.totals.low_income;
    const seen = (await staff.get(`/api/registrations/${r.json.code}`)).json;
    const edit = { ...body, id_number: seen.people[0].id_number, phone: seen.people[0].phone,
        companions: [{ ...body.companions[0], id_number: seen.people[1].id_number, phone: seen.people[1].phone, low_income: true }] };
    const e = await staff.patch(`/api/registrations/${r.json.code}`, edit);
    assert.equal(e.status, 200, e.text);
    assert.deepEqual((await staff.get(`/api/registrations/${r.json.code}`)).json.people.map((p) => p.low_income), [false, true]);
    assert.equal((await staff.get('/api/stats?scope=450102001004')).json.totals.low_income, before + 1, 'counted once the edit is folded');
    const admin = await login(srv, 'root');
    const entry = (await admin.get('/api/audit?count=20')).json.entries.find((x) => x.target === r.json.code && x.action === 'edit');
    assert.match(entry.detail, /people\[1\]\.low_income -> true/);
    assert.ok(!entry.detail.includes(body.companions[0].id_number));
});

test('staff may enter a worker who has no phone; the public form may not', async () => {
    const body = signup({ phone: '' });
    const pub = await srv.post('/api/registrations', body);
    assert.equal(pub.status, 422, pub.text);
    assert.ok(pub.json.error.fields.phone);
    const f2f = await staff.post('/api/registrations', body);
    assert.equal(f2f.status, 201, f2f.text);
    const seen = (await staff.get(`/api/registrations/${f2f.json.code}`)).json;
    assert.equal(seen.people[0].phone, '');
    assert.equal(seen.entered_by, 'county');
});
