// SPDX-License-Identifier: MIT
// site/assets/check.js (the page's copy of the sign-up rules) against the server's: the
// same GB 11643 and phone and name rules as backend/domain, and the same Chinese words as
// backend/http/core/reply.c for every code it uses. Pure functions in node's vm, no browser.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const sandbox = { window: {} };
vm.runInNewContext(fs.readFileSync(path.join(REPO, 'site/assets/check.js'), 'utf8'), sandbox);
const check = sandbox.window.SG.check;
const TODAY = '2027-01-10';

function withCheck(first17) {
    return first17 + check.checkChar(first17);
}

describe('the messages are the server\'s', () => {
    const table = new Map();
    const src = fs.readFileSync(path.join(REPO, 'backend/http/core/reply.c'), 'utf8');
    for (const m of src.matchAll(/\{"([a-z0-9_]+)", "([^"]+)"\}/g)) table.set(m[1], m[2]);
    for (const [code, msg] of Object.entries(check.messages)) {
        test(code, () => assert.equal(msg, table.get(code), `reply.c says ${table.get(code)}`));
    }
});

describe('a missing choice says what to choose, as the server does', () => {
    const src = fs.readFileSync(path.join(REPO, 'backend/http/core/reply.c'), 'utf8');
    const server = Object.fromEntries([...src.matchAll(/\{"required:([a-z_]+)", "([^"]+)"\}/g)].map((m) => [m[1], m[2]]));
    test('the same fields and words', () => assert.deepEqual({ ...check.requiredChoices }, server));
    test('under the chips of a companion too, never the bare 此项必须填写', () => {
        const errs = check.registration({ companions: [{ name: '黄秀英' }] }, { today: TODAY });
        for (const f of ['poverty', 'job_confirmed', 'flex_days', 'mode', 'dest_city', 'depart_date', 'companions[0].poverty'])
            assert.equal(errs[f], check.requiredChoices[f.replace(/^companions\[0\]\./, '')], f);
        assert.equal(errs.name, '此项必须填写', 'a text field keeps the plain words');
    });
});

describe('ID numbers (GB 11643-1999)', () => {
    const ok = withCheck('45010219900101123');
    test('valid, with birth date and sex', () => {
        const r = check.idno(ok, TODAY);
        assert.equal(r.code, undefined);
        assert.equal(r.birth, '1990-01-01');
        assert.equal(r.sex, 1);
    });
    test('spaces anywhere and a small x are fine', () => {
        let id = '';
        for (let seq = 100; !id.endsWith('X'); seq++) id = withCheck(`45010219900101${seq}`);
        assert.equal(check.idno(` ${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14, 17)}x `, TODAY).number, id);
    });
    const cases = [
        ['', 'required'],
        ['450102900101123', 'idno_legacy15'],
        ['4501021990010112', 'idno_length'],
        ['45010219900101AB3X', 'idno_chars'],
        [withCheck('45010219900230123'), 'idno_date'],
        [withCheck('45010219990229123'), 'idno_date'],
        [withCheck('45010218991231123'), 'idno_date'],
        [withCheck('45010220270111123'), 'idno_future'],
        [ok.slice(0, 17) + (ok[17] === '0' ? '1' : '0'), 'idno_check'],
    ];
    for (const [id, code] of cases) test(`${id || '(empty)'} → ${code}`, () => assert.equal(check.idno(id, TODAY).code, code));
    test('born today is fine, 29 Feb of a leap year too', () => {
        assert.equal(check.idno(withCheck('45010220270110123'), TODAY).code, undefined);
        assert.equal(check.idno(withCheck('45010220000229123'), TODAY).code, undefined);
    });
    test('the check character over many numbers matches the reference weights', () => {
        const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        for (let i = 0; i < 500; i++) {
            const s = String(450102000000000000n + BigInt(i) * 7919n * 104729n).slice(0, 17);
            const sum = [...s].reduce((a, c, k) => a + Number(c) * W[k], 0);
            assert.equal(check.checkChar(s), '10X98765432'[sum % 11]);
        }
    });
});

describe('mobile numbers', () => {
    for (const p of ['13812345678', '138 1234 5678', '138-1234-5678', '+8613812345678', '8613812345678', '19912345678'])
        test(`${p} ok`, () => assert.equal(check.phone(p).number.length, 11));
    for (const p of ['12012345678', '1381234567', '138123456789', '2381234567a', '1381234567x'])
        test(`${p} → phone_format`, () => assert.equal(check.phone(p).code, 'phone_format'));
    test('empty → required', () => assert.equal(check.phone(' ').code, 'required'));
});

describe('names', () => {
    for (const [n, want] of [['韦小宝', '韦小宝'], ['阿卜杜·热合曼', '阿卜杜·热合曼'], ['阿卜杜 • 热合曼', '阿卜杜·热合曼'], ['张 三', '张三'], ['John Smith', 'John Smith'], ['𠮷野家', '𠮷野家']])
        test(`${n} ok`, () => assert.equal(check.name(n).name, want));
    for (const [n, code] of [['', 'required'], ['  ', 'required'], ['韦', 'too_short'], ['韦'.repeat(31), 'too_long'], ['12345', 'chars'], ['·韦', 'chars'], ['韦·', 'chars'], ['韦··宝', 'chars'], ['韦\u0001宝', 'chars']])
        test(`${JSON.stringify(n)} → ${code}`, () => assert.equal(check.name(n).code, code));
});

describe('the name\'s length limits are the server\'s (backend/domain/text.c)', () => {
    const src = fs.readFileSync(path.join(REPO, 'backend/domain/text.c'), 'utf8');
    const limit = (n) => Number(new RegExp(`#define ${n} (\\d+)`).exec(src)[1]);
    const min = limit('NAME_MIN_CHARS'), max = limit('NAME_MAX_CHARS');
    test(`${min} to ${max} characters`, () => {
        assert.equal(check.name('韦'.repeat(min)).name, '韦'.repeat(min));
        assert.equal(check.name('韦'.repeat(max)).name, '韦'.repeat(max));
        assert.equal(check.name('韦'.repeat(min - 1)).code, 'too_short');
        assert.equal(check.name('韦'.repeat(max + 1)).code, 'too_long');
    });
    test('25 Chinese characters with a middle dot are one name', () => {
        const n = '阿卜杜热合曼·买买提明江·艾合买提江·吐尔逊托合提';
        assert.equal([...n].length, 25);
        assert.equal(check.name(n).name, n);
    });
});

describe('a whole sign-up, fields named like the server names them', () => {
    const ctx = { today: TODAY, starts: '2027-01-01', ends: '2027-03-31' };
    const good = () => ({
        village: '450102001201', name: '韦小宝', id_number: withCheck('45010219900101123'), phone: '13812345678', poverty: 'none',
        dest_city: '4419', employer: '', job_confirmed: true, depart_date: '2027-02-03', flex_days: 1, mode: 'any',
        companions: [{ name: '黄秀英', id_number: withCheck('45010219920202124'), phone: '', poverty: 'none' }], consent: true,
    });
    test('a good one has no errors', () => assert.deepEqual({ ...check.registration(good(), ctx) }, {}));
    test('every bad field at once', () => {
        const b = { ...good(), name: 'A', phone: '123', poverty: '', dest_city: '', employer: 'x'.repeat(61), job_confirmed: null,
            depart_date: '2027-01-09', flex_days: null, mode: '', consent: false };
        b.companions = [{ name: '黄秀英', id_number: withCheck('45010219900230123'), phone: '999', poverty: 'none' }];
        const e = check.registration(b, ctx);
        assert.deepEqual(Object.keys(e).sort(), ['companions[0].id_number', 'companions[0].phone', 'consent', 'depart_date', 'dest_city',
            'employer', 'flex_days', 'job_confirmed', 'mode', 'name', 'phone', 'poverty'].sort());
        assert.equal(e.depart_date, check.messages.date_past);
    });
    test('dates: the window and today', () => {
        assert.equal(check.registration({ ...good(), depart_date: '2027-04-01' }, ctx).depart_date, check.messages.date_window);
        assert.equal(check.registration({ ...good(), depart_date: '2027-02-30' }, ctx).depart_date, check.messages.date_format);
        assert.equal(check.registration({ ...good(), depart_date: TODAY }, ctx).depart_date, undefined);
    });
    test('the same ID twice is named on the later person', () => {
        const b = good();
        b.companions[0].id_number = b.id_number;
        assert.deepEqual(Object.keys(check.registration(b, ctx)), ['companions[0].id_number']);
    });
    test('10 companions are too many', () => {
        const b = good();
        b.companions = Array.from({ length: 10 }, (_, i) => ({ name: '黄秀英', id_number: withCheck(`4501021992020${200 + i}`) }));
        assert.ok('companions' in check.registration(b, ctx));
    });
});

// What the server allows staff only (backend/http/registration_edit.c: SG_READ_BY_STAFF
// sets worker_phone_optional; an edit puts stored numbers back for masked ones) is an
// option of the same rules, not a second rule set.
describe('staff options', () => {
    const ctx = { today: TODAY, starts: '2027-01-01', ends: '2027-03-31' };
    const good = () => ({
        village: '450102001201', name: '韦小宝', id_number: withCheck('45010219900101123'), phone: '', poverty: 'none',
        dest_city: '4419', employer: '', job_confirmed: false, depart_date: '2027-02-03', flex_days: 1, mode: 'any',
        companions: [{ name: '黄秀英', id_number: withCheck('45010219920202124'), phone: '', poverty: 'none' }], consent: true,
    });
    test('a worker without a phone: required for the worker page, fine when staff enter it', () => {
        assert.equal(check.registration(good(), ctx).phone, check.messages.required);
        assert.deepEqual({ ...check.registration(good(), { ...ctx, workerPhoneOptional: true }) }, {});
    });
    test('a phone staff do type is still checked', () => {
        assert.equal(check.registration({ ...good(), phone: '123' }, { ...ctx, workerPhoneOptional: true }).phone, check.messages.phone_format);
    });
    test('masked numbers sent back by an edit are kept, not checked; typed ones are', () => {
        const b = { ...good(), id_number: '450102********1234', phone: '138****5678' };
        b.companions[0].id_number = '450102********5678';
        const edit = { ...ctx, workerPhoneOptional: true, keepMasked: true };
        assert.deepEqual({ ...check.registration(b, edit) }, {});
        assert.deepEqual(Object.keys(check.registration(b, ctx)).sort(), ['companions[0].id_number', 'id_number', 'phone']);
        assert.equal(check.registration({ ...b, id_number: '450102199001011234' }, edit).id_number, check.messages.idno_check);
    });
});
