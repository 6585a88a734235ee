// SPDX-License-Identifier: MIT
// POST /api/registrations: every status code (201 400 404 409 413 415 422), and
// GET /api/registrations/{code}?phone4= (200 masked, 404 alike for wrong code and phone4).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack } from './lib/harness.mjs';
import { badCheck, companion, newId, signup, village } from './lib/people.mjs';

const CODE_RE = /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{8}$/;

let stack, srv, campaignId;
before(async () => {
    stack = await startStack('registrations');
    srv = stack.server;
    campaignId = (await srv.get('/api/campaign')).json?.id;
});
after(() => stack?.close());

function assertError(r, status, code) {
    assert.equal(r.status, status, `want ${status} ${code}, got ${r.status}: ${r.text}`);
    assert.match(r.headers.get('content-type') || '', /application\/json/, 'error bodies are JSON');
    assert.equal(r.json?.error?.code, code, r.text);
    assert.equal(typeof r.json.error.message, 'string', `error.message missing: ${r.text}`);
    assert.ok(r.json.error.message.length > 0);
}

describe('201 Created', () => {
    test('a valid sign-up gets a readable code and people count', async () => {
        const r = await srv.post('/api/registrations', signup());
        assert.equal(r.status, 201, r.text);
        assert.match(r.json.code, CODE_RE);
        assert.equal(r.json.people, 1);
    });

    test('with companions, people counts everyone', async () => {
        const r = await srv.post('/api/registrations', signup({ companions: [companion(), companion({ poverty: 'monitored', phone: '13698765432' })] }));
        assert.equal(r.status, 201, r.text);
        assert.equal(r.json.people, 3);
    });

    test('9 companions is the maximum and is accepted', async () => {
        const companions = Array.from({ length: 9 }, () => companion());
        const r = await srv.post('/api/registrations', signup({ companions }));
        assert.equal(r.status, 201, r.text);
        assert.equal(r.json.people, 10);
    });

    test('an ID number ending in X, a middle-dot name, every mode and poverty value', async () => {
        const modes = ['any', 'bus', 'train', 'flight'];
        const pov = ['none', 'alleviated', 'monitored'];
        for (let i = 0; i < 4; i++) {
            const b = signup({ id_number: newId({ x: true }), name: '阿卜杜·热合曼', mode: modes[i], poverty: pov[i % 3], flex_days: i });
            const r = await srv.post('/api/registrations', b);
            assert.equal(r.status, 201, `${JSON.stringify(b)} -> ${r.text}`);
        }
    });

    test('companion poverty may be omitted (defaults to none), phone may be absent', async () => {
        const r = await srv.post('/api/registrations', signup({ companions: [{ name: '黄秀英', id_number: newId() }] }));
        assert.equal(r.status, 201, r.text);
    });

    test('Content-Type with a charset parameter is accepted', async () => {
        const r = await srv.request('POST', '/api/registrations', {
            body: JSON.stringify(signup()),
            headers: { 'Content-Type': 'application/json; charset=utf-8' },
        });
        assert.equal(r.status, 201, r.text);
    });

    test('departure on the first and last day of the window (today is 2027-01-10)', async () => {
        for (const d of ['2027-01-10', '2027-03-31']) {
            const r = await srv.post('/api/registrations', signup({ depart_date: d }));
            assert.equal(r.status, 201, `${d}: ${r.text}`);
        }
    });
});

describe('400 bad_json', () => {
    for (const [what, body] of [
        ['malformed JSON', '{"village": "4501'],
        ['an array', '[]'],
        ['a string', '"hello"'],
        ['empty body', ''],
    ]) {
        test(what, async () => {
            const r = await srv.request('POST', '/api/registrations', { body, headers: { 'Content-Type': 'application/json' } });
            assertError(r, 400, 'bad_json');
        });
    }
});

test('404 unknown_village names the field', async () => {
    const r = await srv.post('/api/registrations', signup({ village: '450102999999' }));
    assertError(r, 404, 'unknown_village');
    assert.equal(r.json.error.field, 'village');
});

test('413 too_large for a body over 16 KB', async () => {
    const r = await srv.post('/api/registrations', signup({ employer: 'x'.repeat(17 * 1024) }));
    assertError(r, 413, 'too_large');
});

test('a body just under 16 KB is not 413 (the field is then too long: 422)', async () => {
    const b = signup();
    const pad = 16 * 1024 - JSON.stringify({ ...b, employer: '' }).length - 10;
    const r = await srv.post('/api/registrations', { ...b, employer: 'x'.repeat(pad) });
    assert.notEqual(r.status, 413, r.text);
    assertError(r, 422, 'invalid');
    assert.ok('employer' in r.json.error.fields, r.text);
});

describe('415 unsupported_media_type', () => {
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', null]) {
        test(`Content-Type ${ct}`, async () => {
            const headers = ct ? { 'Content-Type': ct } : {};
            const body = ct ? JSON.stringify(signup()) : new Uint8Array(Buffer.from(JSON.stringify(signup())));
            const r = await srv.request('POST', '/api/registrations', { body, headers });
            assertError(r, 415, 'unsupported_media_type');
        });
    }
});

describe('422 invalid names every bad field', () => {
    test('all the worker fields at once, and a companion ID', async () => {
        const good = companion();
        const body = signup({
            name: 'A',
            id_number: badCheck(newId()),
            phone: '12345',
            dest_city: '9999',
            employer: 'x'.repeat(300),
            depart_date: '2026-12-31',
            flex_days: 7,
            mode: 'car',
            poverty: 'rich',
            consent: false,
            companions: [good, companion({ id_number: badCheck(newId()) })],
        });
        const r = await srv.post('/api/registrations', body);
        assertError(r, 422, 'invalid');
        const f = r.json.error.fields;
        for (const k of ['name', 'id_number', 'phone', 'dest_city', 'employer', 'depart_date', 'flex_days', 'mode', 'poverty', 'consent', 'companions[1].id_number']) {
            assert.ok(k in f, `field ${k} missing in ${JSON.stringify(f)}`);
            assert.equal(typeof f[k], 'string');
            assert.ok(/[\u4e00-\u9fff]/.test(f[k]), `message for ${k} is not Chinese: ${f[k]}`);
        }
        assert.ok(!('companions[0].id_number' in f), `valid companion 0 reported: ${JSON.stringify(f)}`);
    });

    const cases = [
        ['ID with a wrong check digit', () => ({ id_number: badCheck(newId()) }), 'id_number'],
        ['ID with a bad birth date (Feb 30)', () => ({ id_number: fix('45010219900230123') }), 'id_number'],
        ['ID born 29 Feb of a non-leap year', () => ({ id_number: fix('45010219990229123') }), 'id_number'],
        ['ID born in the future', () => ({ id_number: fix('45010220300101123') }), 'id_number'],
        ['15-digit legacy ID', () => ({ id_number: '450102900101123' }), 'id_number'],
        ['ID with letters', () => ({ id_number: '45010219900101AB3X' }), 'id_number'],
        ['phone not starting 1[3-9]', () => ({ phone: '12012345678' }), 'phone'],
        ['phone of 10 digits', () => ({ phone: '1381234567' }), 'phone'],
        ['missing name', () => ({ name: undefined }), 'name'],
        ['name of control characters', () => ({ name: '韦\u0001小宝' }), 'name'],
        ['name over 30 characters', () => ({ name: '韦'.repeat(31) }), 'name'],
        ['name of digits', () => ({ name: '12345' }), 'name'],
        ['missing phone', () => ({ phone: undefined }), 'phone'],
        ['missing id_number', () => ({ id_number: undefined }), 'id_number'],
        ['dest_city that is a province code', () => ({ dest_city: '44' }), 'dest_city'],
        ['depart_date before today', () => ({ depart_date: '2027-01-09' }), 'depart_date'],
        ['depart_date after the campaign', () => ({ depart_date: '2027-04-01' }), 'depart_date'],
        ['depart_date not a date', () => ({ depart_date: '2027-02-30' }), 'depart_date'],
        ['flex_days negative', () => ({ flex_days: -1 }), 'flex_days'],
        ['flex_days 4', () => ({ flex_days: 4 }), 'flex_days'],
        ['consent missing', () => ({ consent: undefined }), 'consent'],
        ['consent a string', () => ({ consent: 'true' }), 'consent'],
        ['10 companions', () => ({ companions: Array.from({ length: 10 }, () => companion()) }), 'companions'],
        ['companion without a name', () => ({ companions: [companion({ name: '' })] }), 'companions[0].name'],
        ['companion with a bad phone', () => ({ companions: [companion({ phone: '999' })] }), 'companions[0].phone'],
        ['companion with a bad poverty', () => ({ companions: [companion({ poverty: 'poor' })] }), 'companions[0].poverty'],
        ['companion with a 15-digit ID', () => ({ companions: [companion(), companion({ id_number: '450102900101123' })] }), 'companions[1].id_number'],
        // a field of the wrong JSON type is named with the person it belongs to
        ['name a number', () => ({ name: 12345 }), 'name'],
        ['companion phone a number', () => ({ companions: [companion(), companion({ phone: 13800138000 })] }), 'companions[1].phone'],
        ['companion low_income a string', () => ({ companions: [companion({ low_income: 'yes' })] }), 'companions[0].low_income'],
    ];
    for (const [what, over, field] of cases) {
        test(`${what} → ${field}`, async () => {
            const b = signup(over());
            const r = await srv.post('/api/registrations', b);
            assertError(r, 422, 'invalid');
            assert.ok(field in r.json.error.fields, `${field} not in ${JSON.stringify(r.json.error.fields)}`);
        });
    }

    test('the same ID twice within one sign-up', async () => {
        const id = newId();
        const r = await srv.post('/api/registrations', signup({ id_number: id, companions: [companion({ id_number: id })] }));
        assert.ok(r.status === 422 || r.status === 409, r.text);
        const named = r.json?.error?.fields ? Object.keys(r.json.error.fields) : [r.json?.error?.field];
        assert.ok(named.includes('companions[0].id_number'), r.text);
    });

    test('invalid UTF-8 in the name', async () => {
        const json = JSON.stringify(signup({ name: 'NAME_HERE' }));
        const [a, b] = json.split('NAME_HERE');
        const body = Buffer.concat([Buffer.from(a), Buffer.from([0xe9, 0x9f, 0x41, 0xff]), Buffer.from(b)]);
        const r = await srv.request('POST', '/api/registrations', { body, headers: { 'Content-Type': 'application/json' } });
        assert.ok(r.status === 422 || r.status === 400, `${r.status} ${r.text}`);
        if (r.status === 422) assert.ok('name' in r.json.error.fields, r.text);
    });
});

// 17 digits + the right check character.
function fix(first17) {
    const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let s = 0;
    for (let i = 0; i < 17; i++) s += Number(first17[i]) * W[i];
    return first17 + '10X98765432'[s % 11];
}

describe('GET /api/registrations/{code}?phone4=', () => {
    let body, code;
    before(async () => {
        body = signup({ id_number: newId({ x: true }), companions: [companion({ phone: '13712345678', poverty: 'alleviated' })] });
        const r = await srv.post('/api/registrations', body);
        assert.equal(r.status, 201, r.text);
        code = r.json.code;
    });

    test('200 with ID and phone numbers masked', async () => {
        const r = await srv.get(`/api/registrations/${code}?phone4=${body.phone.slice(-4)}`);
        assert.equal(r.status, 200, r.text);
        const g = r.json;
        assert.equal(g.code, code);
        if (campaignId) assert.equal(g.campaign, campaignId);
        assert.equal(g.status, 'registered');
        assert.equal(g.assignment, null);
        assert.equal(g.village.code, village());
        assert.equal(g.village.path.length, 5);
        assert.deepEqual(g.dest_city, { code: '4419', name: '东莞市', province: '广东省' });
        assert.equal(g.employer, body.employer);
        assert.equal(g.job_confirmed, true);
        assert.equal(g.depart_date, body.depart_date);
        assert.equal(g.flex_days, body.flex_days);
        assert.equal(g.mode, body.mode);
        assert.match(g.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.equal(g.people.length, 2);
        const [w, c] = g.people;
        assert.equal(w.name, body.name);
        assert.equal(w.id_number, `${body.id_number.slice(0, 6)}********${body.id_number.slice(-4)}`);
        assert.equal(w.phone, `${body.phone.slice(0, 3)}****${body.phone.slice(-4)}`);
        assert.equal(w.sex, Number(body.id_number[16]) % 2 ? 'male' : 'female');
        assert.equal(w.poverty, 'none');
        const cb = body.companions[0];
        assert.equal(c.name, cb.name);
        assert.equal(c.id_number, `${cb.id_number.slice(0, 6)}********${cb.id_number.slice(-4)}`);
        assert.equal(c.phone, '137****5678');
        assert.equal(c.poverty, 'alleviated');
        for (const secret of [body.id_number, body.phone, cb.id_number, cb.phone]) {
            assert.ok(!r.text.includes(secret), `unmasked ${secret} in ${r.text}`);
        }
    });

    test('the code may be typed in lower case', async () => {
        const r = await srv.get(`/api/registrations/${code.toLowerCase()}?phone4=${body.phone.slice(-4)}`);
        assert.equal(r.status, 200, r.text);
    });

    test('wrong code and wrong phone4 give the same 404', async () => {
        const other = code[0] === '2' ? `3${code.slice(1)}` : `2${code.slice(1)}`;
        const wrong4 = String((Number(body.phone.slice(-4)) + 1) % 10000).padStart(4, '0');
        const a = await srv.get(`/api/registrations/${other}?phone4=${body.phone.slice(-4)}`);
        const b = await srv.get(`/api/registrations/${code}?phone4=${wrong4}`);
        const c = await srv.get(`/api/registrations/${code}`);
        const d = await srv.get(`/api/registrations/NOTACODE?phone4=${body.phone.slice(-4)}`);
        for (const r of [a, b, c, d]) {
            assert.equal(r.status, 404, r.text);
            assert.equal(typeof r.json?.error?.code, 'string', r.text);
        }
        assert.equal(a.text, b.text, 'wrong code and wrong phone4 must be indistinguishable');
        assert.ok(!b.text.includes(body.name), 'a 404 must not leak the registration');
    });
});
