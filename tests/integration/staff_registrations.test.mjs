// SPDX-License-Identifier: MIT
// Staff work on registrations (issue 4): scope rules for every role on list, detail,
// edit, cancel and exports; CSRF; lock-out; session expiry; edit and cancel keeping
// uniqueness and counters right; exports matching the stored data, the .xlsx read back
// by LibreOffice.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { binary, REPO, ServerProc, sleep, startStack } from './lib/harness.mjs';
import { companion, newId, newPhone, signup } from './lib/people.mjs';

const A = '450102001003'; // 兴宁社区 (南宁市兴宁区)
const A2 = '450102001004'; // same township
const B = '450202001001'; // 柳州市: outside every test user's scope
const PASSWORD = 'correct-horse-1';
const ROLES = { village: A, township: A.slice(0, 9), county: A.slice(0, 6), city: A.slice(0, 4), organiser: A.slice(0, 4), admin: A.slice(0, 4) };

let stack, srv, redis;
before(async () => {
    stack = await startStack('staff');
    srv = stack.server;
    redis = await stack.redis.client();
    for (const [role, scope] of Object.entries(ROLES)) addUser(srv, `u-${role}`, role, scope);
    addUser(srv, 'root', 'admin', '45');
});
after(async () => {
    redis?.close();
    await stack?.close();
});

function addUser(server, name, role, scope) {
    const r = spawnSync(binary(), ['user', 'add', name, '--role', role, '--scope', scope], { env: server.env, cwd: REPO, input: `${PASSWORD}\n`, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
}

/** Log in; returns {get, post, patch, csrf} sending the cookie (and CSRF on writes). */
async function login(server, user, password = PASSWORD) {
    const r = await server.post('/api/login', { username: user, password });
    assert.equal(r.status, 200, r.text);
    const cookie = r.headers.get('set-cookie').split(';')[0];
    const csrf = r.json.csrf;
    const h = (extra = {}) => ({ headers: { Cookie: cookie, 'X-CSRF-Token': csrf, ...extra } });
    return {
        csrf,
        cookie,
        get: (p) => server.get(p, { headers: { Cookie: cookie } }),
        post: (p, json, extra) => server.request('POST', p, { ...h(extra), json }),
        patch: (p, json, extra) => server.request('PATCH', p, { ...h(extra), json }),
    };
}

async function create(over) {
    const body = signup(over);
    const r = await srv.post('/api/registrations', body);
    assert.equal(r.status, 201, r.text);
    return { code: r.json.code, body };
}

async function stats(code) {
    const flat = await redis.call('HGETALL', `sg:{45}:2027-spring:stats:${code}`);
    const out = {};
    for (let i = 0; i < flat.length; i += 2) out[flat[i]] = Number(flat[i + 1]);
    return out;
}

function parseCsv(text) {
    assert.ok(text.startsWith('\uFEFF'), 'CSV starts with a BOM');
    const rows = [];
    let row = [], cell = '', q = false;
    for (let i = 1; i < text.length; i++) {
        const ch = text[i];
        if (q) {
            if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
            else if (ch === '"') q = false;
            else cell += ch;
        } else if (ch === '"') q = true;
        else if (ch === ',') row.push(cell), (cell = '');
        else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
        else cell += ch;
    }
    return rows;
}

describe('scope: every role gets 403 outside its division (404 for another division\'s record, as for no such code) and learns nothing', () => {
    let inA, inB;
    before(async () => {
        inA = await create({ village: A });
        inB = await create({ village: B, employer: '柳州秘密企业' });
    });
    for (const role of Object.keys(ROLES)) {
        test(role, async () => {
            const s = await login(srv, `u-${role}`);
            const denied = [
                await s.get(`/api/registrations?scope=${B.slice(0, 4)}`),
                await s.get(`/api/registrations?scope=${B}&q=${inB.body.name}`),
                await s.get(`/api/registrations.csv?scope=${B.slice(0, 4)}`),
                await s.get(`/api/registrations.xlsx?scope=${B.slice(0, 4)}`),
                await s.get(`/api/registrations.csv?scope=45`),
                await s.post('/api/registrations', signup({ village: B })),
            ];
            // A record of another division is answered as a code that does not exist.
            const unknown = 'ZZZZ2345';
            const records = [
                [await s.get(`/api/registrations/${inB.code}`), await s.get(`/api/registrations/${unknown}`)],
                [await s.patch(`/api/registrations/${inB.code}`, { ...inB.body, employer: 'x' }), await s.patch(`/api/registrations/${unknown}`, { ...inB.body, employer: 'x' })],
                [await s.post(`/api/registrations/${inB.code}/cancel`, {}), await s.post(`/api/registrations/${unknown}/cancel`, {})],
                [await s.post(`/api/registrations/${inB.code}/flag-checked`, {}), await s.post(`/api/registrations/${unknown}/flag-checked`, {})],
            ];
            for (const r of denied) {
                assert.equal(r.status, 403, r.text);
                assert.equal(r.json?.error?.code, 'forbidden', r.text);
            }
            for (const [other, none] of records) {
                assert.equal(other.status, 404, other.text);
                assert.equal(other.text, none.text, 'the same answer as for no such code');
            }
            for (const r of [...denied, ...records.map(([other]) => other)])
                assert.ok(!r.text.includes(inB.code) && !r.text.includes('柳州秘密企业') && !r.text.includes(inB.body.id_number.slice(-4)), r.text);
            // Their own division works, and shows only what lies under it.
            const list = await s.get('/api/registrations?per_page=200');
            assert.equal(list.status, 200, list.text);
            assert.ok(list.json.items.some((i) => i.code === inA.code));
            for (const item of list.json.items) assert.ok(item.village.code.startsWith(ROLES[role]));
            assert.equal((await s.get(`/api/registrations/${inA.code}`)).status, 200);
            const full = await s.get(`/api/registrations.csv?full=1`);
            assert.equal(full.status, role === 'organiser' || role === 'admin' ? 200 : 403, full.text);
            // The edit moved nothing: B's registration is unchanged.
            const b = await srv.get(`/api/registrations/${inB.code}?phone4=${inB.body.phone.slice(-4)}`);
            assert.equal(b.json.status, 'registered');
            assert.equal(b.json.employer, '柳州秘密企业');
        });
    }
});

describe('sessions', () => {
    test('CSRF: PATCH, cancel and face-to-face entry without the right token are refused', async () => {
        const s = await login(srv, 'u-county');
        const { code, body } = await create({ village: A });
        const bad = { 'X-CSRF-Token': 'wrong' };
        for (const r of [
            await s.patch(`/api/registrations/${code}`, { ...body, employer: 'x' }, bad),
            await s.post(`/api/registrations/${code}/cancel`, {}, bad),
            await s.post('/api/registrations', signup({ village: A }), bad),
            await srv.request('PATCH', `/api/registrations/${code}`, { json: body, headers: { Cookie: s.cookie } }),
        ]) {
            assert.equal(r.status, 403, r.text);
            assert.equal(r.json.error.code, 'csrf');
        }
        const still = await s.get(`/api/registrations/${code}`);
        assert.equal(still.json.status, 'registered');
        assert.equal(still.json.employer, body.employer);
    });

    test('lock-out: 5 wrong passwords lock the account, the right one is then refused too', async () => {
        addUser(srv, 'locky', 'village', A);
        const codes = [];
        for (let i = 0; i < 5; i++) codes.push((await srv.post('/api/login', { username: 'locky', password: 'wrong-password' })).status);
        assert.deepEqual(codes.slice(0, 4), [401, 401, 401, 401]);
        const r = await srv.post('/api/login', { username: 'locky', password: PASSWORD });
        assert.equal(r.status, 423, r.text);
        assert.equal(r.json.error.code, 'locked');
    });

    test('a session ends after SONGGONG_SESSION_IDLE seconds without a request', async () => {
        const idle = new ServerProc('staff-idle', stack.redis, { env: { SONGGONG_SESSION_IDLE: '2' } });
        await idle.start();
        try {
            const s = await login(idle, 'u-village');
            assert.equal((await s.get('/api/registrations')).status, 200);
            await sleep(3200);
            const r = await s.get('/api/registrations');
            assert.equal(r.status, 401, r.text);
            assert.equal(r.json.error.code, 'login_required');
        } finally {
            await idle.dispose();
        }
    });
});

describe('edit, cancel, flag, face-to-face', () => {
    test('edit: a taken ID number is 409 and changes nothing; a move keeps uniqueness and counters right', async () => {
        const s = await login(srv, 'u-township');
        const other = await create({ village: A });
        const comp = companion();
        const { code, body } = await create({ village: A, companions: [comp] });
        const taken = await s.patch(`/api/registrations/${code}`, { ...body, companions: [{ ...comp, id_number: other.body.id_number }] });
        assert.equal(taken.status, 409, taken.text);
        assert.equal(taken.json.error.field, 'companions[0].id_number');

        const [va, va2, county] = [await stats(A), await stats(A2), await stats(A.slice(0, 6))];
        const newIdNumber = newId();
        const edited = await s.patch(`/api/registrations/${code}`, { ...body, village: A2, dest_city: '3301', id_number: newIdNumber, companions: [] });
        assert.equal(edited.status, 200, edited.text);
        assert.equal(edited.json.village.code, A2);
        assert.equal(edited.json.people.length, 1);
        assert.equal(edited.json.people[0].id_number, `${newIdNumber.slice(0, 6)}********${newIdNumber.slice(-4)}`);
        const [vb, vb2, countyB] = [await stats(A), await stats(A2), await stats(A.slice(0, 6))];
        assert.equal((vb.people || 0) - (va.people || 0), -2);
        assert.equal((vb2.people || 0) - (va2.people || 0), 1);
        assert.equal((vb2['dest:3301'] || 0) - (va2['dest:3301'] || 0), 1);
        assert.equal((countyB.people || 0) - (county.people || 0), -1);
        assert.equal((countyB.regs || 0) - (county.regs || 0), 0);
        assert.equal(String(await redis.call('ZSCORE', 'sg:{45}:2027-spring:byplace', `${A2}:${code}`)), '0');
        assert.equal(await redis.call('ZSCORE', 'sg:{45}:2027-spring:byplace', `${A}:${code}`), null);
        // The old numbers are free again, the new one is taken.
        assert.equal((await srv.post('/api/registrations', signup({ id_number: body.id_number }))).status, 201);
        assert.equal((await srv.post('/api/registrations', signup({ id_number: comp.id_number }))).status, 201);
        assert.equal((await srv.post('/api/registrations', signup({ id_number: newIdNumber }))).status, 409);
        // Audited, masked.
        const admin = await login(srv, 'root');
        const log = await admin.get('/api/audit?count=50');
        const entry = log.json.entries.find((e) => e.action === 'edit' && e.target === code);
        assert.ok(entry, JSON.stringify(log.json.entries.slice(0, 5)));
        assert.ok(entry.detail.includes('village') && !entry.detail.includes(newIdNumber), entry.detail);
    });

    test('cancel frees the ID numbers, takes back the counters, and a second cancel is 409', async () => {
        const s = await login(srv, 'u-village');
        const comp = companion();
        const { code, body } = await create({ village: A, companions: [comp] });
        const before = await stats(A);
        const r = await s.post(`/api/registrations/${code}/cancel`, {});
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.status, 'cancelled');
        const afterStats = await stats(A);
        assert.equal((before.people || 0) - (afterStats.people || 0), 2);
        assert.equal((before.regs || 0) - (afterStats.regs || 0), 1);
        const again = await s.post(`/api/registrations/${code}/cancel`, {});
        assert.equal(again.status, 409);
        assert.equal(again.json.error.code, 'already_cancelled');
        assert.equal((await srv.post('/api/registrations', signup({ id_number: body.id_number }))).status, 201);
        assert.equal((await srv.post('/api/registrations', signup({ id_number: comp.id_number }))).status, 201);
        const d = await s.get(`/api/registrations/${code}`);
        assert.equal(d.json.status, 'cancelled');
        assert.equal(d.json.cancelled_by, 'u-village');
        const listed = await s.get('/api/registrations?status=cancelled&per_page=200');
        assert.ok(listed.json.items.some((i) => i.code === code));
        const active = await s.get('/api/registrations?per_page=200');
        assert.ok(!active.json.items.some((i) => i.code === code));
        assert.equal((await s.patch(`/api/registrations/${code}`, body)).status, 409);
    });

    test('flag-checked and face-to-face entry record who did it', async () => {
        const s = await login(srv, 'u-county');
        const noPhone = signup({ village: A, phone: '', consent: true });
        let r = await s.post('/api/registrations', { ...noPhone, phone: newPhone() });
        assert.equal(r.status, 201, r.text);
        const code = r.json.code;
        r = await s.post(`/api/registrations/${code}/flag-checked`, {});
        assert.equal(r.status, 200, r.text);
        const d = await s.get(`/api/registrations/${code}`);
        assert.equal(d.json.entered_by, 'u-county');
        assert.equal(d.json.flag_checked, true);
        const missingConsent = await s.post('/api/registrations', signup({ village: A, consent: false }));
        assert.equal(missingConsent.status, 422);
    });

    test('search: name, code, last 4 of ID and phone, destination, date', async () => {
        const s = await login(srv, 'u-village');
        const { code, body } = await create({ village: A, name: '覃搜索', dest_city: '4401', depart_date: '2027-02-09' });
        const find = async (qs) => (await s.get(`/api/registrations?${qs}&per_page=200`)).json.items.map((i) => i.code);
        assert.ok((await find(`q=${encodeURIComponent('搜索')}`)).includes(code));
        assert.ok((await find(`q=${code.slice(0, 4)}-${code.slice(4).toLowerCase()}`)).includes(code));
        assert.ok((await find(`q=${body.id_number.slice(-4)}`)).includes(code));
        assert.ok((await find(`q=${body.phone.slice(-4)}`)).includes(code));
        assert.ok((await find('dest_city=4401&date=2027-02-09')).includes(code));
        assert.ok(!(await find('dest_city=4419')).includes(code));
        // Redis leaves out rows that cannot match (page.lua's needle): what comes back is
        // exactly what a filter over the whole list gives, companions' numbers included
        const withCompanion = await create({ village: A, companions: [companion({ phone: newPhone() })] });
        const all = (await s.get('/api/registrations?per_page=200')).json.items;
        const ends = (x, q) => typeof x === 'string' && x.endsWith(q);
        for (const q of [withCompanion.body.companions[0].id_number.slice(-4), withCompanion.body.companions[0].phone.slice(-4), body.id_number.slice(-4)]) {
            const want = all.filter((i) => i.people.some((p) => ends(p.id_number, q) || ends(p.phone, q))).map((i) => i.code).sort();
            assert.deepEqual((await find(`q=${q}`)).sort(), want, `q=${q}`);
        }
        const want4401 = all.filter((i) => i.dest_city.code === '4401').map((i) => i.code).sort();
        assert.deepEqual((await find('dest_city=4401')).sort(), want4401);
        const paged = await s.get('/api/registrations?per_page=1&page=2');
        assert.equal(paged.json.page, 2);
        assert.equal(paged.json.items.length, 1);
        assert.ok(paged.json.total >= 2);
    });
});

describe('exports', () => {
    test('CSV (masked and full) and .xlsx match the stored data; audited', async () => {
        const org = await login(srv, 'u-organiser');
        const mine = await create({ village: A2, employer: '=HYPERLINK("x")', companions: [companion({ phone: newPhone() })] });
        const list = await org.get(`/api/registrations?scope=${A2}&per_page=200`);
        const masked = await org.get(`/api/registrations.csv?scope=${A2}`);
        assert.equal(masked.status, 200);
        assert.match(masked.headers.get('content-type'), /text\/csv/);
        const rows = parseCsv(masked.text);
        assert.equal(rows[0].join(','), '报名号,姓名,性别,年龄,身份证号,手机,市,县,乡镇,村,目的地省,目的地市,用工企业,岗位已确定,出发日期,可调整天数,出行方式,脱贫人口,低收入人口,状态,报名时间,录入人');
        const people = list.json.items.flatMap((i) => i.people.map((p) => [i.code, p.name, p.id_number, p.phone]));
        assert.equal(rows.length - 1, people.length);
        for (const [c, name, id, phone] of people) assert.ok(rows.some((r) => r[0] === c && r[1] === name && r[4] === id && r[5] === phone), `${c} ${name}`);
        const mineRow = rows.find((r) => r[0] === mine.code);
        assert.equal(mineRow[12], "'=HYPERLINK(\"x\")");
        assert.equal(mineRow[9], '北宁社区居委会');
        assert.ok(!masked.text.includes(mine.body.id_number));

        const full = await org.get(`/api/registrations.csv?scope=${A2}&full=1`);
        const frows = parseCsv(full.text);
        assert.ok(frows.some((r) => r[0] === mine.code && r[4] === mine.body.id_number && r[5] === mine.body.phone));
        assert.ok(frows.some((r) => r[0] === mine.code && r[4] === mine.body.companions[0].id_number));

        const xlsx = await org.get(`/api/registrations.xlsx?scope=${A2}&full=1`);
        assert.equal(xlsx.status, 200);
        assert.equal(Number(xlsx.headers.get('content-length')), xlsx.buf.length);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-xlsx-'));
        try {
            fs.writeFileSync(path.join(dir, 'export.xlsx'), xlsx.buf);
            const lo = spawnSync('libreoffice', ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', dir, path.join(dir, 'export.xlsx')], { encoding: 'utf8', timeout: 120000 });
            assert.equal(lo.status, 0, lo.stderr);
            const converted = parseCsv('\uFEFF' + fs.readFileSync(path.join(dir, 'export.csv'), 'utf8').replace(/\r?\n/g, '\r\n'));
            assert.equal(converted.length, frows.length);
            const key = (r) => `${r[0]}|${r[4]}`;
            const byKey = new Map(frows.slice(1).map((r) => [key(r), r]));
            for (const r of converted.slice(1)) {
                const c = byKey.get(key(r));
                assert.ok(c, key(r));
                // The CSV protects formulas with a leading apostrophe; the .xlsx holds plain text.
                assert.deepEqual(r.map((x, i) => (i === 12 && c[12].startsWith("'") ? `'${x}` : x)), c);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        const admin = await login(srv, 'root');
        const log = (await admin.get('/api/audit?count=100')).json.entries;
        const fullEntry = log.find((e) => e.action === 'export_full' && e.target === A2 && e.detail.startsWith('xlsx'));
        assert.ok(fullEntry, JSON.stringify(log.slice(0, 5)));
        assert.match(fullEntry.detail, new RegExp(`rows=${frows.length - 1}`));
        assert.ok(log.some((e) => e.action === 'export' && e.target === A2));
        for (const e of log) assert.ok(!e.detail.includes(mine.body.id_number));
    });

    test('a client that goes away mid-export does not hurt the server', async () => {
        const org = await login(srv, 'u-organiser');
        for (let i = 0; i < 3; i++) {
            const ctl = new AbortController();
            const res = await fetch(`${srv.url}/api/registrations.csv?scope=45`, { headers: { Cookie: org.cookie }, signal: ctl.signal });
            ctl.abort();
            await res.body?.cancel().catch(() => {});
        }
        const r = await org.get('/api/registrations.csv?scope=4501');
        assert.equal(r.status, 200);
        srv.assertAlive();
    });
});
