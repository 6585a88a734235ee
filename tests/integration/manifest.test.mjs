// SPDX-License-Identifier: MIT
// Manifests: JSON, CSV, .xlsx and PDF of a matched vehicle hold exactly its assigned
// passengers; the PDF has every name (pdftotext), its pages (pdfinfo), and page 1 is
// rendered to PNG in the test output folder for a person to look at; full ID numbers
// only with full=1 by an organiser, audited; moves by hand keep the rules.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OUT_DIR, startStack } from './lib/harness.mjs';
import { companion, signup } from './lib/people.mjs';
import { addUser, busPlan, login, NO_MINIMUM } from './lib/transport.mjs';

const SURNAMES = ['韦', '黄', '李', '覃', '陆', '蒙', '潘', '莫', '农', '梁'];
const GIVEN = ['秀英', '志强', '丽华', '建国', '海燕', '文军', '春兰', '金凤', '明亮', '玉梅', '永福', '桂芳'];
let nameNo = 0;
const uniqueName = () => SURNAMES[nameNo % 10] + GIVEN[Math.floor(nameNo / 10) % 12] + '甲乙丙丁戊己'[Math.floor(nameNo++ / 120) % 6];

let stack, srv, org, org2, admin, vehicle, people;
before(async () => {
    stack = await startStack('manifest');
    srv = stack.server;
    addUser(srv, 'org-nn', 'organiser', '4501');
    addUser(srv, 'org-lz', 'organiser', '4502');
    addUser(srv, 'admin', 'admin', '45');
    [org, org2, admin] = await Promise.all(['org-nn', 'org-lz', 'admin'].map((n) => login(srv, n)));
    vehicle = (await org.post('/api/vehicles', busPlan({ capacity: 50, depart_date: '2027-02-03' }))).json;
    people = [];
    for (let i = 0; i < 18; i++) {
        const comps = Array.from({ length: i % 3 }, () => companion({ name: uniqueName(), poverty: i % 2 ? 'alleviated' : 'none' }));
        const body = signup({ name: uniqueName(), flex_days: 0, poverty: i % 4 === 0 ? 'monitored' : 'none', companions: comps });
        const r = await srv.post('/api/registrations', body);
        assert.equal(r.status, 201, r.text);
        people.push({ name: body.name, id: body.id_number, code: r.json.code, poverty: body.poverty !== 'none' });
        for (const c of comps) people.push({ name: c.name, id: c.id_number, code: r.json.code, poverty: c.poverty !== 'none' });
    }
    const m = await org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: true, min_load: NO_MINIMUM });
    assert.equal(m.status, 200, m.text);
    assert.equal(m.json.new_vehicles, 0, 'all fit the existing bus');
});
after(() => stack?.close());

describe('manifest', () => {
    test('JSON: exactly the assigned passengers, masked, seats in order, totals', async () => {
        const r = await org.get(`/api/vehicles/${vehicle.id}/manifest`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.people, people.length);
        assert.deepEqual(r.json.passengers.map((p) => p.name).sort(), people.map((p) => p.name).sort());
        assert.equal(r.json.poverty, people.filter((p) => p.poverty).length);
        r.json.passengers.forEach((p, i) => {
            assert.equal(p.no, i + 1);
            assert.equal(p.seat, String(i + 1));
            assert.match(p.id_number, /^\d{6}\*{8}[\dX]{4}$/);
            assert.equal(p.stop, '民生街道政府门口');
            assert.match(p.dest, /^东莞市/);
        });
        assert.equal(r.json.vehicle.used, people.length);
    });

    test('403 for an organiser of another city; full=1 gives full ID numbers, audited', async () => {
        assert.equal((await org2.get(`/api/vehicles/${vehicle.id}/manifest`)).status, 403);
        assert.equal((await org2.get(`/api/vehicles/${vehicle.id}/manifest.pdf`)).status, 403);
        const r = await org.get(`/api/vehicles/${vehicle.id}/manifest?full=1`);
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.json.passengers.map((p) => p.id_number).sort(), people.map((p) => p.id).sort());
        const log = (await admin.get('/api/audit?count=20')).json.entries.map((e) => `${e.user} ${e.action} ${e.target}`);
        assert.ok(log.includes(`org-nn manifest_full ${vehicle.id}`), log.join('\n'));
        assert.ok(log.includes(`org-nn manifest ${vehicle.id}`), log.join('\n'));
    });

    test('CSV: a header and one row per passenger, masked', async () => {
        const r = await org.get(`/api/vehicles/${vehicle.id}/manifest.csv`);
        assert.equal(r.status, 200);
        assert.match(r.headers.get('content-type'), /text\/csv/);
        const lines = r.text.replace(/^\ufeff/, '').trim().split('\r\n');
        assert.equal(lines[0], '序号,姓名,性别,身份证号,手机,乡镇/村,上车点,目的地/用工企业,座位,脱贫人口,签到');
        assert.equal(lines.length, people.length + 1);
        for (const p of people) assert.ok(r.text.includes(p.name), p.name);
        for (const p of people) assert.ok(!r.text.includes(p.id), 'no full ID number in the masked CSV');
    });

    test('.xlsx: a zip with the sheet', async () => {
        const r = await org.get(`/api/vehicles/${vehicle.id}/manifest.xlsx`);
        assert.equal(r.status, 200);
        assert.equal(r.buf.subarray(0, 2).toString(), 'PK');
        assert.ok(r.buf.length > 4000);
    });

    test('PDF: every name (pdftotext), pages (pdfinfo), page 1 as PNG', async () => {
        const r = await org.get(`/api/vehicles/${vehicle.id}/manifest.pdf`);
        assert.equal(r.status, 200);
        assert.equal(r.buf.subarray(0, 5).toString(), '%PDF-');
        fs.mkdirSync(OUT_DIR, { recursive: true });
        const file = path.join(OUT_DIR, 'manifest.pdf');
        fs.writeFileSync(file, r.buf);
        const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout;
        for (const p of people) assert.ok(text.includes(p.name), `${p.name} not in the PDF`);
        assert.ok(text.includes('乘车人员名单'));
        assert.ok(text.includes(`合计：${people.length} 人`), text);
        assert.ok(text.includes('审核人') && text.includes('填报人'));
        const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout;
        const pages = Number(/Pages:\s+(\d+)/.exec(info)[1]);
        assert.equal(pages, 2, info);
        assert.ok(/841\.89 x 595\.28|842 x 595/.test(info), info);
        // a print shop needs every font inside the file (Noto CJK from fonts-noto-cjk, subset)
        const fonts = spawnSync('pdffonts', [file], { encoding: 'utf8' }).stdout.split('\n').slice(2).filter(Boolean);
        assert.ok(fonts.length > 0, 'fonts listed');
        for (const row of fonts) assert.match(row, /\s+yes\s+yes\s+yes\s+/, `embedded, subset, with a ToUnicode map: ${row}`);
        const png = spawnSync('pdftoppm', ['-png', '-r', '110', '-f', '1', '-l', '1', file, path.join(OUT_DIR, 'manifest-page')]);
        assert.equal(png.status, 0, String(png.stderr));
    });

    test('a plan still to complete prints what is missing as 待定 (PDF and .xlsx opened with LibreOffice)', async () => {
        // as matching proposes a vehicle: no number, no time, a stop whose place and time the organiser still sets
        const draft = (await org.post('/api/vehicles', busPlan({ number: '', depart_date: '2027-02-04', depart_time: '', arrive_time: '', stops: [{ name: '民生街道（上车点待定）', time: '', serves: '450102001' }], handover: '宏达电子人事部 王芳 0769-12345678', convoy: '兴宁—东莞第2车队' }))).json;
        assert.ok(draft.id, JSON.stringify(draft));
        assert.deepEqual([draft.handover, draft.convoy, draft.captain], ['宏达电子人事部 王芳 0769-12345678', '兴宁—东莞第2车队', '']);
        const pdf = await org.get(`/api/vehicles/${draft.id}/manifest.pdf`);
        assert.equal(pdf.status, 200);
        const file = path.join(OUT_DIR, 'manifest-draft.pdf');
        fs.writeFileSync(file, pdf.buf);
        const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
        assert.match(text, /专车 （待定） 车辆编号/, text);
        assert.match(text, /出发 2027-02-04 （时间待定）/, text);
        assert.match(text, /上车点：民生街道（上车点待定） （时间待定）/, text);
        assert.match(text, /车队：兴宁—东莞第2车队/, text);
        assert.equal(text.split('到达交接').length - 1, 1, 'the hand-over once: at the foot');
        assert.match(text, /到达交接（接收单位）：宏达电子人事部 王芳 0769-12345678 接收人签字：/, text);
        const xlsx = await org.get(`/api/vehicles/${draft.id}/manifest.xlsx`);
        assert.equal(xlsx.status, 200);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-manifest-'));
        try {
            fs.writeFileSync(path.join(dir, 'draft.xlsx'), xlsx.buf);
            const lo = spawnSync('libreoffice', ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', dir, path.join(dir, 'draft.xlsx')], { encoding: 'utf8', timeout: 120000 });
            assert.equal(lo.status, 0, lo.stderr);
            const sheet = fs.readFileSync(path.join(dir, 'draft.csv'), 'utf8');
            assert.match(sheet, /专车 （待定）（编号 \d+）/, sheet);
            assert.match(sheet, /出发 2027-02-04 （时间待定）/, sheet);
            assert.match(sheet, /上车点：民生街道（上车点待定） （时间待定）/, sheet);
            assert.match(sheet, /车队：兴宁—东莞第2车队/, sheet);
            assert.equal(sheet.split('到达交接').length - 1, 1, 'the hand-over once: at the foot');
            assert.match(sheet, /到达交接（接收单位）：宏达电子人事部 王芳 0769-12345678　　接收人签字：_+　　交接时间：/, sheet);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    test('move by hand: into another vehicle of the same trip; refused when it does not fit', async () => {
        const other = (await org.post('/api/vehicles', busPlan({ number: '桂A00002', depart_date: '2027-02-03' }))).json;
        const wrong = (await org.post('/api/vehicles', busPlan({ number: '桂A00003', dest_city: '4403', depart_date: '2027-02-03' }))).json;
        const code = people[0].code;
        let r = await org.post(`/api/vehicles/${wrong.id}/passengers`, { code });
        assert.equal(r.status, 409, r.text);
        assert.equal(r.json.error.code, 'not_matching');
        r = await org.post(`/api/vehicles/${other.id}/passengers`, { code });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.seat, 1);
        const m1 = (await org.get(`/api/vehicles/${vehicle.id}/manifest`)).json;
        const m2 = (await org.get(`/api/vehicles/${other.id}/manifest`)).json;
        assert.ok(!m1.passengers.some((p) => p.code === code));
        assert.ok(m2.passengers.every((p) => p.code === code) && m2.passengers.length > 0);
        assert.equal(m1.people + m2.people, people.length);
        r = await org.del(`/api/vehicles/${other.id}/passengers/${code}`);
        assert.equal(r.status, 200, r.text);
        assert.equal((await org.get(`/api/vehicles/${other.id}/manifest`)).json.people, 0);
        const again = await org.post('/api/match', { campaign: '2027-spring', scope: '4501', accept: false, min_load: NO_MINIMUM });
        assert.equal(again.json.registrations, 1, 'the removed registration is open again');
    });
});
