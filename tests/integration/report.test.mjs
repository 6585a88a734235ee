// SPDX-License-Identifier: MIT
// The statistics table from a seeded scenario: three cities, buses, trains and flights
// (departed, arrived, boarding, departed after the date), check-ins with companions and
// poverty flags, Guangdong and other destinations, funding, village return figures with a
// history. Every cell is compared with a count written here from the scenario itself; the
// .xlsx goes through LibreOffice (csv: the numbers in the right cells; pdf: one page, and a
// PNG of it in the test output); scope rules; filing freezes a copy; the CLI agrees.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OUT_DIR, runCli, startStack } from './lib/harness.mjs';
import { companion, signup } from './lib/people.mjs';
import { addUser, login, villagesUnder } from './lib/staff.mjs';
import { busPlan, NO_MINIMUM } from './lib/transport.mjs';

const CAMPAIGN = '2027-spring';
const UNTIL = '2027-02-10';
const [VNN] = villagesUnder('4501');
const [VLZ] = villagesUnder('4502');
const [VGL] = villagesUnder('4503');

// p: people of the group; pov: how many of them are poverty-alleviated or monitored; in: checked in
const VEHICLES = [
    { key: 'nn-bus', city: '4501', village: VNN, type: 'bus', dest: '4419', date: '2027-02-03', status: 'departed',
      groups: [{ p: 2, pov: 1, in: true }, { p: 1, pov: 1, in: true }, { p: 3, pov: 0, in: false }] },
    { key: 'nn-train', city: '4501', village: VNN, type: 'train', dest: '3301', date: '2027-02-04', status: 'arrived',
      groups: [{ p: 2, pov: 2, in: true }, { p: 1, pov: 0, in: true }] },
    { key: 'nn-flight', city: '4501', village: VNN, type: 'flight', dest: '4403', date: '2027-02-05', status: 'boarding',
      groups: [{ p: 2, pov: 0, in: true }] },
    { key: 'lz-flight', city: '4502', village: VLZ, type: 'flight', dest: '4401', date: '2027-02-06', status: 'departed',
      groups: [{ p: 1, pov: 1, in: true }, { p: 4, pov: 0, in: true }] },
    { key: 'lz-bus-late', city: '4502', village: VLZ, type: 'bus', dest: '3205', date: '2027-02-15', status: 'departed',
      groups: [{ p: 2, pov: 0, in: true }] },
];
const RETURNS = [
    { village: VNN, outbound: 1200, returned: 1000, not_returned: 200, as_of: '2027-01-05' },
    { village: VNN, outbound: 1300, returned: 1100, not_returned: 150, as_of: '2027-01-09' }, // does not add up
    { village: VLZ, outbound: 800, returned: 600, not_returned: 200, as_of: '2027-01-08' },
    { village: VGL, outbound: 50000, returned: 30000, not_returned: 20000, as_of: '2027-01-07' },
];
const FUNDING = [
    { scope: '4501', amount: '12.5', source: '自治区就业补助资金', date: '2027-01-08' },
    { scope: '4501', amount: 3.25, source: '本级就业补助资金', date: '2027-01-09' },
    { scope: '4503', amount: '1', source: '本级就业补助资金', date: '2027-01-10' },
];
const CITIES = [['4501', '南宁市'], ['4502', '柳州市'], ['4503', '桂林市']];

const wan = (n) => (Math.round(n / 100) / 100).toFixed(2); // half up for non-negative integers
const yuan = (a) => Math.round(Number(a) * 10000);

/** The expected figures of a city (or of everything with city null), counted from the scenario. */
function expected(city, until = UNTIL) {
    const f = { outbound: 0, returned: 0, not_returned: 0, people: 0, poverty: 0, guangdong: 0, trains: 0,
        train_people: 0, buses: 0, bus_people: 0, flights: 0, flight_people: 0, yuan: 0, sources: [] };
    const latest = new Map();
    for (const r of RETURNS)
        if ((!city || r.village.startsWith(city)) && r.as_of <= until && (!latest.has(r.village) || latest.get(r.village).as_of <= r.as_of))
            latest.set(r.village, r);
    for (const r of latest.values()) {
        f.outbound += r.outbound, f.returned += r.returned, f.not_returned += r.not_returned;
    }
    for (const v of VEHICLES) {
        if ((city && v.city !== city) || !['departed', 'arrived'].includes(v.status) || v.date > until) continue;
        const people = v.groups.filter((g) => g.in).reduce((s, g) => s + g.p, 0);
        const poverty = v.groups.filter((g) => g.in).reduce((s, g) => s + g.pov, 0);
        f.people += people, f.poverty += poverty;
        if (v.dest.startsWith('44')) f.guangdong += people;
        const count = { bus: 'buses', train: 'trains', flight: 'flights' }[v.type];
        f[count] += 1, f[`${v.type}_people`] += people;
    }
    for (const e of FUNDING) {
        if ((city && e.scope !== city) || e.date > until) continue;
        f.yuan += yuan(e.amount);
        if (!f.sources.includes(e.source)) f.sources.push(e.source);
    }
    return f;
}

function cells(name, f) {
    return [name, wan(f.outbound), wan(f.returned), wan(f.not_returned), String(f.trains + f.buses), wan(f.people),
        wan(f.poverty), wan(f.guangdong), String(f.trains), String(f.train_people), String(f.buses),
        String(f.bus_people), String(f.flights), String(f.flight_people), (Math.round(f.yuan / 100) / 100).toFixed(2),
        f.sources.join('、'), ''];
}

/** RFC 4180 rows (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text) {
    const rows = [[]];
    let field = '', quoted = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (quoted && ch === '"' && text[i + 1] === '"') field += '"', i++;
        else if (ch === '"') quoted = !quoted;
        else if (!quoted && ch === ',') rows.at(-1).push(field), (field = '');
        else if (!quoted && (ch === '\n' || ch === '\r')) {
            if (ch === '\r' && text[i + 1] === '\n') i++;
            rows.at(-1).push(field), (field = ''), rows.push([]);
        } else field += ch;
    }
    rows.at(-1).push(field);
    return rows;
}

let stack, srv, org, cityNN, countyStaff, report;
const vehicleIds = {};

async function seed() {
    for (const v of VEHICLES) {
        const plan = busPlan({ scope: v.city, type: v.type, dest_city: v.dest, depart_date: v.date,
            number: { bus: '桂A12345', train: 'Z5678', flight: 'CZ3301' }[v.type],
            capacity: { bus: 50, train: 200, flight: 60 }[v.type], ...(v.type === 'train' ? { carriage_size: 50 } : {}) });
        const r = await org.post('/api/vehicles', plan);
        assert.equal(r.status, 201, r.text);
        vehicleIds[v.key] = r.json.id;
        for (const g of v.groups) {
            const comps = Array.from({ length: g.p - 1 }, (_, i) => companion({ poverty: i + 1 < g.pov ? 'monitored' : 'none' }));
            const body = signup({ village: v.village, dest_city: v.dest, depart_date: v.date, flex_days: 0,
                poverty: g.pov > 0 ? 'alleviated' : 'none', companions: comps });
            const s = await srv.post('/api/registrations', body);
            assert.equal(s.status, 201, s.text);
            Object.assign(g, { code: s.json.code, phone: body.phone });
        }
    }
    for (const city of ['4501', '4502']) {
        const m = await org.post('/api/match', { campaign: CAMPAIGN, scope: city, accept: true, min_load: NO_MINIMUM });
        assert.equal(m.status, 200, m.text);
        assert.equal(m.json.created.length, 0, `everyone fits the planned vehicles: ${m.text}`);
    }
    for (const v of VEHICLES) {
        for (const g of v.groups.filter((x) => x.in)) {
            const look = await srv.get(`/api/registrations/${g.code}?phone4=${g.phone.slice(7)}`);
            assert.equal(look.json.assignment.vehicle, vehicleIds[v.key], look.text);
            const c = await org.post(`/api/checkin/${look.json.assignment.checkin.token}`, {});
            assert.equal(c.status, 200, c.text);
        }
        const steps = { boarding: ['boarding'], departed: ['boarding', 'departed'], arrived: ['boarding', 'departed', 'arrived'] }[v.status];
        for (const status of steps) {
            const r = await org.request('PATCH', `/api/vehicles/${vehicleIds[v.key]}`, { json: { status } });
            assert.equal(r.status, 200, r.text);
        }
    }
    for (const r of RETURNS) {
        const res = await org.post('/api/returns', r);
        assert.equal(res.status, 201, res.text);
    }
    for (const e of FUNDING) {
        const res = await org.post('/api/funding', { campaign: CAMPAIGN, ...e });
        assert.equal(res.status, 201, res.text);
    }
}

before(async () => {
    stack = await startStack('report');
    srv = stack.server;
    addUser(srv, 'org', 'organiser', '45');
    addUser(srv, 'city-nn', 'city', '4501');
    addUser(srv, 'county-xn', 'county', '450102');
    [org, cityNN, countyStaff] = await Promise.all(['org', 'city-nn', 'county-xn'].map((n) => login(srv, n)));
    await seed();
    const r = await org.get(`/api/report?campaign=${CAMPAIGN}&until=${UNTIL}&scope=45`);
    assert.equal(r.status, 200, r.text);
    report = r.json;
});
after(() => stack?.close());

describe('report', () => {
    test('every cell of every city and of the total equals the count from the scenario', () => {
        const byCode = new Map(report.rows.map((r) => [r.code, r]));
        assert.equal(report.rows.length, 14, 'all 14 cities, no own row (nothing owned by the region)');
        for (const [code, name] of CITIES) assert.deepEqual(byCode.get(code).cells, cells(name, expected(code)), code);
        assert.deepEqual(byCode.get('4505').cells, cells('北海市', expected('4505')));
        assert.deepEqual(report.total.cells, cells('合计', expected(null)));
        assert.equal(report.title, '2027年全区“点对点”送工服务情况统计表');
        assert.deepEqual(report.columns.map((c) => c.no), ['甲', ...Array.from({ length: 16 }, (_, i) => String(i + 1))]);
        // the scenario by hand: 南宁 3+3 people carried, 柳州 5 by air; col 4 counts trains and buses only
        assert.deepEqual(byCode.get('4501').cells.slice(4, 9), ['2', '0.00', '0.00', '0.00', '1']);
        assert.equal(byCode.get('4501').figures.people, 6);
        assert.equal(byCode.get('4501').figures.poverty, 4);
        assert.equal(byCode.get('4501').figures.guangdong, 3);
        assert.equal(byCode.get('4502').figures.flight_people, 5);
        assert.equal(byCode.get('4502').figures.trips, 0);
        assert.equal(report.total.figures.people, 11);
    });

    test('self-checks: returns that do not add up, a city with departed vehicles and no funding', () => {
        const byCode = new Map(report.rows.map((r) => [r.code, r]));
        assert.deepEqual(byCode.get('4501').checks.map((c) => c.code), ['returns_sum']);
        assert.deepEqual(byCode.get('4502').checks.map((c) => c.code), ['no_funding']);
        assert.deepEqual(byCode.get('4503').checks, []);
        assert.ok(report.total.checks.some((c) => c.code === 'returns_sum'));
    });

    test('until: return figures as they stood then, vehicles departed by then', async () => {
        const r = await org.get(`/api/report?campaign=${CAMPAIGN}&until=2027-01-06&scope=45`);
        const nn = r.json.rows.find((x) => x.code === '4501');
        assert.deepEqual(nn.cells, cells('南宁市', expected('4501', '2027-01-06')));
        assert.equal(nn.figures.outbound, 1200, 'the 5 Jan figure, not the later one');
        const late = await org.get(`/api/report?campaign=${CAMPAIGN}&until=2027-02-20&scope=45`);
        assert.deepEqual(late.json.rows.find((x) => x.code === '4502').cells, cells('柳州市', expected('4502', '2027-02-20')));
    });

    test('scope: a city user gets only their city, per county; others 403; county level 400', async () => {
        assert.equal((await cityNN.get(`/api/report?campaign=${CAMPAIGN}&until=${UNTIL}&scope=45`)).status, 403);
        assert.equal((await cityNN.get(`/api/report?campaign=${CAMPAIGN}&until=${UNTIL}&scope=4502`)).status, 403);
        assert.equal((await cityNN.get(`/api/report.xlsx?campaign=${CAMPAIGN}&scope=45`)).status, 403);
        const r = await cityNN.get(`/api/report?campaign=${CAMPAIGN}&until=${UNTIL}`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.scope.code, '4501');
        assert.ok(r.json.rows.every((x) => x.code.startsWith('4501')));
        assert.deepEqual(r.json.total.cells, cells('合计', expected('4501')));
        // vehicles owned by the city itself are on the 市本级 row; the village's county has the returns
        assert.equal(r.json.rows.at(-1).name, '市本级');
        assert.equal(r.json.rows.find((x) => x.code === VNN.slice(0, 6)).figures.outbound, 1300);
        assert.equal((await countyStaff.get(`/api/report?campaign=${CAMPAIGN}`)).status, 400);
        assert.equal((await srv.get(`/api/report?campaign=${CAMPAIGN}`)).status, 401);
    });

    test('filing freezes a copy: listed, downloadable unchanged, the schedule says filed', async () => {
        let s = await cityNN.get(`/api/report/schedule?campaign=${CAMPAIGN}`);
        assert.equal(s.status, 200, s.text);
        assert.deepEqual(s.json.next_due, { date: '2027-01-16', before: '24:00' });
        assert.equal(s.json.filed, false);
        assert.equal((await countyStaff.post('/api/report/filings', { until: UNTIL })).status, 403);
        assert.equal((await cityNN.post('/api/report/filings', { scope: '45', until: UNTIL })).status, 403);
        const f = await cityNN.post(`/api/report/filings?campaign=${CAMPAIGN}`, { until: UNTIL });
        assert.equal(f.status, 201, f.text);
        assert.equal(f.json.scope, '4501');
        s = await cityNN.get(`/api/report/schedule?campaign=${CAMPAIGN}`);
        assert.equal(s.json.filed, true);
        assert.equal(s.json.filing.id, f.json.id);
        const first = await cityNN.get(`/api/report/filings/${f.json.id}.xlsx`);
        const json = await cityNN.get(`/api/report/filings/${f.json.id}`);
        assert.equal(first.status, 200);
        assert.deepEqual(json.json.total.cells, cells('合计', expected('4501')));
        // more funding later: the live table changes, the filed copy does not
        const extra = { scope: '4501', amount: '2', source: '社会捐助', date: '2027-01-10' };
        assert.equal((await org.post('/api/funding', { campaign: CAMPAIGN, ...extra })).status, 201);
        FUNDING.push(extra);
        const live = await cityNN.get(`/api/report?campaign=${CAMPAIGN}&until=${UNTIL}`);
        assert.notDeepEqual(live.json.total.cells, json.json.total.cells);
        const again = await cityNN.get(`/api/report/filings/${f.json.id}.xlsx`);
        assert.ok(first.buf.equals(again.buf), 'the same bytes');
        assert.deepEqual((await cityNN.get(`/api/report/filings/${f.json.id}`)).json, json.json);
        const list = await cityNN.get(`/api/report/filings?campaign=${CAMPAIGN}`);
        assert.deepEqual(list.json.filings.map((x) => [x.id, x.filed_by, x.until]), [[f.json.id, 'city-nn', UNTIL]]);
        const lz = await login(srv, 'org');
        assert.equal((await lz.get(`/api/report/filings/${f.json.id}.xlsx`)).status, 200);
        addUser(srv, 'city-lz', 'city', '4502');
        const other = await login(srv, 'city-lz');
        assert.equal((await other.get(`/api/report/filings/${f.json.id}.xlsx`)).status, 403);
        assert.equal((await other.get('/api/report/filings/999999')).status, 404);
    });

    test('funding: organisers only, in scope, validated; listed with the sum', async () => {
        assert.equal((await cityNN.post('/api/funding', { scope: '4501', amount: '1', source: 'x' })).status, 403);
        const bad = await org.post('/api/funding', { scope: '4501', amount: '1.23456', source: '' });
        assert.equal(bad.status, 422, bad.text);
        assert.deepEqual(Object.keys(bad.json.error.fields).sort(), ['amount', 'source']);
        const list = await cityNN.get(`/api/funding?campaign=${CAMPAIGN}`);
        assert.equal(list.status, 200, list.text);
        assert.equal(list.json.entries.length, 3);
        assert.equal(list.json.total, '17.75');
    });

    test('songgong report prints the same table and writes the .xlsx', () => {
        const file = path.join(OUT_DIR, 'report', 'cli.xlsx');
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const env = { ...srv.env, ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1' };
        const r = runCli(['report', '--campaign', CAMPAIGN, '--until', UNTIL, '--scope', '45', '--xlsx', file], env);
        assert.equal(r.status, 0, r.stderr);
        const json = JSON.parse(r.stdout);
        const byCode = new Map(json.rows.map((x) => [x.code, x]));
        assert.deepEqual(byCode.get('4502').cells, cells('柳州市', expected('4502')));
        assert.ok(fs.statSync(file).size > 4000);
    });

    // Last: LibreOffice takes up to 20 s under load, longer than the server keeps an idle
    // keep-alive connection, so no request of the other tests comes after it.
    test('the .xlsx through LibreOffice: the numbers in the right cells, one landscape page', async () => {
        const r = await org.get(`/api/report.xlsx?campaign=${CAMPAIGN}&until=${UNTIL}&scope=45`);
        assert.equal(r.status, 200, r.text);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-report-'));
        const out = path.join(OUT_DIR, 'report');
        fs.mkdirSync(out, { recursive: true });
        const xlsx = path.join(out, 'report.xlsx');
        fs.writeFileSync(xlsx, r.buf);
        const office = (args) => {
            const res = spawnSync('soffice', ['-env:UserInstallation=file://' + dir, '--headless', ...args, '--outdir', out, xlsx],
                { encoding: 'utf8', timeout: 120000, env: { ...process.env, HOME: dir } });
            assert.equal(res.status, 0, res.stderr);
        };
        office(['--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76']);
        office(['--convert-to', 'pdf']);
        const csv = fs.readFileSync(path.join(out, 'report.csv'), 'utf8');
        const rows = parseCsv(csv);
        assert.match(rows[0][0], /2027年全区“点对点”送工服务情况统计表/);
        assert.ok(rows.some((row) => row[0].startsWith('填报单位：广西')), 'the 填报单位 line');
        assert.match(csv, /^"?填报时间：2027年1月10日　　（统计截至2027年2月10日/m, 'the 填报时间 line');
        const numbering = rows.find((row) => row[0] === '甲');
        assert.deepEqual(numbering.slice(0, 17), ['甲', ...Array.from({ length: 16 }, (_, i) => String(i + 1))]);
        for (const [code, name] of CITIES) {
            const row = rows.find((x) => x[0] === name);
            assert.deepEqual(row.slice(0, 15), cells(name, expected(code)).slice(0, 15), name);
        }
        const total = rows.find((x) => x[0] === '合计');
        assert.deepEqual(total.slice(0, 15), cells('合计', expected(null)).slice(0, 15));
        assert.ok(rows.some((row) => row.includes('组织包车运输')) && rows.some((row) => row.includes('资金投入')));
        assert.ok(rows.some((row) => row[0] === '审核人：'));
        const info = spawnSync('pdfinfo', [path.join(out, 'report.pdf')], { encoding: 'utf8' });
        assert.match(info.stdout, /^Pages:\s+1$/m, info.stdout);
        const size = info.stdout.match(/Page size:\s+([\d.]+) x ([\d.]+)/);
        assert.ok(Number(size[1]) > Number(size[2]), 'landscape');
        spawnSync('pdftoppm', ['-png', '-r', '110', '-singlefile', path.join(out, 'report.pdf'), path.join(out, 'report')]);
        assert.ok(fs.existsSync(path.join(out, 'report.png')));
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
