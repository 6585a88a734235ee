// SPDX-License-Identifier: MIT
// Issue 12, end to end in 宾阳县 (450126): pickup areas (a bus with stops for 黎塘镇 and
// 六律村 takes no one else; proposed vehicles per township; who fits no stop is reported),
// minimum loads (no train for one person; the leftover report; the organiser's minimums;
// the 400 answers), locks after check-in and departure (worker and staff refused, the
// statistics table unchanged), no-shows, scope on every passenger operation (a passenger
// of another scope is as unknown as a made-up code: the same 404, nothing about them; a
// vehicle of another scope 403; removal from the wrong vehicle 404; a cancelled code never
// reassigned), the village's call-back loop (assignment fields, phone reveals audited one
// by one, 已通知), the dashboard's transport counts against counts made independently, and
// the vehicle list's filters, paging and the 调到… choice.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorCode, startStack } from './lib/harness.mjs';
import { companion, signup } from './lib/people.mjs';
import { villagesUnder } from './lib/staff.mjs';
import { addUser, busPlan, login, NO_MINIMUM } from './lib/transport.mjs';

const CAMPAIGN = '2027-spring';
const COUNTY = '450126'; // 宾阳县
const LITANG = villagesUnder('450126101', 2); // 黎塘镇
const GANTANG = villagesUnder('450126102', 3).filter((v) => v !== '450126102202'); // 甘棠镇, not 六律
const LIULV = '450126102202'; // 六律村委会 (甘棠镇)
const SILONG = villagesUnder('450126103', 1)[0]; // 思陇镇
const CHENPING = villagesUnder('450126115', 1)[0]; // 陈平镇
const NN_OTHER = villagesUnder('450102', 1)[0]; // 兴宁区, another county of 南宁市
const LZ = villagesUnder('4502', 1)[0]; // 柳州市

let stack, srv, org, orgNN, orgLZ, admin, villageLL, villageGT, township, county;
before(async () => {
    stack = await startStack('transport-ops');
    srv = stack.server;
    const users = [
        ['org-by', 'organiser', COUNTY],
        ['org-nn', 'organiser', '4501'],
        ['org-lz', 'organiser', '4502'],
        ['admin', 'admin', '45'],
        ['cun-liulv', 'village', LIULV],
        ['cun-gantang', 'village', GANTANG[0]],
        ['zhen-gantang', 'township', '450126102'],
        ['xian-by', 'county', COUNTY],
    ];
    for (const [name, role, scope] of users) addUser(srv, name, role, scope);
    [org, orgNN, orgLZ, admin, villageLL, villageGT, township, county] = await Promise.all(users.map(([n]) => login(srv, n)));
});
after(() => stack?.close());

async function signUp(over = {}, people = 1) {
    const body = signup({ flex_days: 0, companions: Array.from({ length: people - 1 }, () => companion()), ...over });
    const r = await srv.post('/api/registrations', body);
    assert.equal(r.status, 201, `${body.village}: ${r.text}`);
    return { code: r.json.code, body, phone4: body.phone.slice(7), people };
}
const many = (n, over) => Promise.all(Array.from({ length: n }, () => signUp(over)));
const look = (g) => srv.get(`/api/registrations/${g.code}?phone4=${g.phone4}`);
const match = (body) => org.post('/api/match', { campaign: CAMPAIGN, scope: COUNTY, ...body });
const ok = (r, status = 200) => {
    assert.equal(r.status, status, `${r.status} ${r.text.slice(0, 500)}`);
    return r.json;
};
const audit = async () => ok(await admin.get('/api/audit?count=500')).entries;

describe('pickup areas', () => {
    let bus, litang, liulv, gantang, silong;
    test('a bus whose stops serve 黎塘镇 and 六律村 takes only their people; 思陇镇 gets a bus of its own; 甘棠镇 is reported', async () => {
        bus = ok(await org.post('/api/vehicles', busPlan({ scope: COUNTY, dest_city: '4419', depart_date: '2027-02-08',
            stops: [{ name: '黎塘镇政府', time: '07:00', serves: '450126101' }, { name: '六律村委会', time: '07:40', serves: LIULV }] })), 201);
        litang = await many(6, { village: LITANG[0], dest_city: '4419', depart_date: '2027-02-08' });
        liulv = await many(3, { village: LIULV, dest_city: '4419', depart_date: '2027-02-08' });
        gantang = await many(4, { village: GANTANG[0], dest_city: '4419', depart_date: '2027-02-08' });
        silong = await many(30, { village: SILONG, dest_city: '4419', depart_date: '2027-02-08' });
        const p = ok(await match({}));
        assert.equal(p.area, 'township');
        assert.deepEqual(p.min_load, { bus: 25, train: 300, flight: 100 });
        assert.equal(p.existing.find((e) => e.id === bus.id).added, 9, '黎塘镇 6 + 六律村 3');
        const noStop = p.unplaced.find((u) => u.reason === 'no_stop' && u.dest_city === '4419' && u.depart_date === '2027-02-08');
        assert.ok(noStop, JSON.stringify(p.unplaced));
        assert.equal(noStop.people, 4);
        assert.equal(noStop.dest_city_name, '东莞市');
        assert.deepEqual([...noStop.codes].sort(), gantang.map((g) => g.code).sort());
        const row = p.plan.find((r) => r.dest_city === '4419' && r.depart_date === '2027-02-08');
        assert.deepEqual(row.vehicles, { bus: 2, train: 0, flight: 0 }, JSON.stringify(row));
        assert.equal(row.people, 39);
        assert.equal(row.seats, 100);
        assert.equal(row.load, 39);
        assert.equal(p.people_unplaced, p.unplaced.reduce((n, u) => n + u.people, 0));

        const a = ok(await match({ accept: true }));
        assert.equal(a.created.length, 1);
        assert.ok(a.unplaced.some((u) => u.reason === 'no_stop' && u.people === 4), 'the accepted answer lists them too');
        const made = ok(await org.get(`/api/vehicles/${a.created[0]}`));
        assert.equal(made.stops.length, 1);
        assert.equal(made.stops[0].serves, '450126103');
        assert.equal(made.stops[0].name, '思陇镇（上车点待定）');
        assert.equal(made.plan_complete, false);
        assert.ok(made.plan_missing.includes('stops[0].time'));
        assert.equal(made.notes, '', 'no note written into the plan');
        for (const g of silong) assert.equal(ok(await look(g)).assignment.pickup, '思陇镇（上车点待定）');
        for (const g of liulv) assert.equal(ok(await look(g)).assignment.pickup, '六律村委会');
        for (const g of gantang) assert.equal(ok(await look(g)).status, 'registered');
    });

    test('the manifest goes stop by stop in the stops\' order', async () => {
        const m = ok(await org.get(`/api/vehicles/${bus.id}/manifest`));
        assert.deepEqual(m.passengers.map((x) => x.stop), [...Array(6).fill('黎塘镇政府'), ...Array(3).fill('六律村委会')]);
    });

    test('by hand: into a bus with no stop for the village is refused; with one, it fits', async () => {
        const g = gantang[0];
        let r = await org.post(`/api/vehicles/${bus.id}/passengers`, { code: g.code });
        assert.equal(r.status, 409, r.text);
        assert.equal(errorCode(r), 'no_stop');
        assert.match(r.json.error.message, /上车点/);
        const stops = [...bus.stops, { name: '甘棠镇政府', time: '07:50', serves: '450126102' }];
        ok(await org.patch(`/api/vehicles/${bus.id}`, { stops }));
        r = await org.post(`/api/vehicles/${bus.id}/passengers`, { code: g.code });
        assert.equal(r.status, 200, r.text);
        // stops that would leave a passenger outside them are refused, naming who
        r = await org.patch(`/api/vehicles/${bus.id}`, { stops: stops.filter((s) => s.serves !== '450126101') });
        assert.equal(r.status, 409, r.text);
        assert.equal(errorCode(r), 'outside_area');
        assert.ok(litang.some((x) => x.code === r.json.error.registration), r.text);
        // and a stop may only serve a place inside the vehicle's own division
        r = await org.patch(`/api/vehicles/${bus.id}`, { stops: [...stops, { name: '兴宁', time: '08:00', serves: '450102001' }] });
        assert.equal(r.status, 422, r.text);
        assert.ok(r.json.error.fields['stops[3].serves']);
    });

    test('area "county": one vehicle for two townships of the county; bad areas and minimums are 400', async () => {
        await many(15, { village: CHENPING, dest_city: '4406', depart_date: '2027-02-12' });
        await many(15, { village: LITANG[1], dest_city: '4406', depart_date: '2027-02-12' });
        const byTownship = ok(await match({}));
        assert.ok(!byTownship.plan.some((r) => r.dest_city === '4406'), 'two townships of 15: none reaches 25');
        assert.equal(byTownship.unplaced.find((u) => u.dest_city === '4406').reason, 'below_minimum');
        const byCounty = ok(await match({ area: 'county' }));
        assert.equal(byCounty.area, 'county');
        assert.equal(byCounty.plan.find((r) => r.dest_city === '4406').people, 30);
        const cases = [
            [{ area: 'city' }, 'area', 'area_enum'],
            [{ area: 9 }, 'area', 'area_enum'],
            [{ min_load: { bus: 0 } }, 'min_load.bus', 'min_load_range'],
            [{ min_load: { bus: 51 } }, 'min_load.bus', 'min_load_range'],
            [{ min_load: { train: 1001 } }, 'min_load.train', 'min_load_range'],
            [{ sizes: { flight: 60 }, min_load: { flight: 61 } }, 'min_load.flight', 'min_load_range'],
            [{ min_load: { bus: 2.5 } }, 'min_load.bus', 'type'],
            [{ min_load: { ship: 3 } }, 'min_load.ship', 'bad_request'],
            [{ min_load: [1, 2] }, 'min_load', 'type'],
        ];
        for (const [body, field, code] of cases) {
            for (const accept of [false, true]) {
                const r = await match({ ...body, accept });
                assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
                assert.equal(errorCode(r), code, JSON.stringify(body));
                assert.equal(r.json.error.field, field, JSON.stringify(body));
                assert.ok(r.json.error.message);
            }
        }
    });
});

describe('minimum loads', () => {
    test('no train for one person, no charter flight for one: reported with what to do, never dropped', async () => {
        const train = await signUp({ village: SILONG, dest_city: '3201', depart_date: '2027-02-22', mode: 'train' });
        const flight = await signUp({ village: SILONG, dest_city: '3201', depart_date: '2027-02-22', mode: 'flight' });
        const buses = await many(20, { village: SILONG, dest_city: '4403', depart_date: '2027-02-24', mode: 'bus' });
        const p = ok(await match({}));
        assert.ok(!p.new.some((n) => n.dest_city === '3201' || n.dest_city === '4403'), JSON.stringify(p.new));
        const nj = p.unplaced.filter((u) => u.dest_city === '3201');
        assert.equal(nj.length, 1, 'one group: reason, city and date');
        assert.deepEqual([nj[0].reason, nj[0].dest_city_name, nj[0].depart_date, nj[0].people, nj[0].registrations],
            ['below_minimum', '南京市', '2027-02-22', 2, 2]);
        assert.deepEqual([...nj[0].codes].sort(), [train.code, flight.code].sort());
        assert.equal(p.unplaced.find((u) => u.dest_city === '4403').people, 20);
        // the organiser's own minimum: 20 make a bus; the lone train and flight still do not
        const q = ok(await match({ min_load: { bus: 20 } }));
        assert.deepEqual(q.min_load, { bus: 20, train: 300, flight: 100 });
        assert.equal(q.new.find((n) => n.dest_city === '4403').vehicles, 1);
        assert.ok(!q.unplaced.some((u) => u.dest_city === '4403'));
        assert.ok(q.unplaced.some((u) => u.dest_city === '3201'));
        assert.ok(buses.length === 20);
    });
});

/** A bus of the county for dest on date with the groups put in by hand; its id. */
async function busWith(dest, date, groups, over = {}) {
    const v = ok(await org.post('/api/vehicles', busPlan({ scope: COUNTY, dest_city: dest, depart_date: date, stops: [{ name: '宾州镇汽车站', time: '07:00' }], ...over })), 201);
    for (const g of groups) ok(await org.post(`/api/vehicles/${v.id}/passengers`, { code: g.code }));
    return v.id;
}

describe('trip states lock the record', () => {
    let vid, boarded, waiting, noShow, reportBefore;
    const reportNow = async () => ok(await admin.get(`/api/report?campaign=${CAMPAIGN}&until=2027-03-31&scope=45`));
    before(async () => {
        [boarded, waiting, noShow] = [await signUp({ village: SILONG, dest_city: '4401', depart_date: '2027-02-15', poverty: 'alleviated' }, 2),
            await signUp({ village: SILONG, dest_city: '4401', depart_date: '2027-02-15' }),
            await signUp({ village: SILONG, dest_city: '4401', depart_date: '2027-02-15' })];
        vid = await busWith('4401', '2027-02-15', [boarded, waiting, noShow]);
    });

    test('a no-show is recorded only while the vehicle is boarding, audited', async () => {
        let r = await org.post(`/api/registrations/${noShow.code}/no-show`, {});
        assert.equal(r.status, 409, r.text);
        assert.equal(errorCode(r), 'not_boarding');
        ok(await org.patch(`/api/vehicles/${vid}`, { status: 'boarding' }));
        const a = ok(await look(boarded)).assignment;
        ok(await org.post(`/api/checkin/${a.checkin.token}`, {}));
        r = await org.post(`/api/registrations/${boarded.code}/no-show`, {});
        assert.equal(errorCode(r), 'boarded');
        const first = ok(await org.post(`/api/registrations/${noShow.code}/no-show`, {}));
        assert.deepEqual([first.no_show, first.again], [true, false], 'the first mark is no repeat');
        assert.equal(ok(await org.post(`/api/registrations/${noShow.code}/no-show`, {})).again, true);
        assert.equal(ok(await look(noShow)).assignment.trip, 'no_show');
        const b = ok(await org.get(`/api/vehicles/${vid}/boarding`));
        assert.equal(b.missing.find((g) => g.code === noShow.code).no_show, true);
        assert.equal((await audit()).filter((e) => e.action === 'no_show' && e.target === noShow.code).length, 1, 'one entry: the repeat is not audited');
    });

    test('checked in: neither the worker nor staff may cancel, edit or move it out (409 boarded)', async () => {
        assert.equal(ok(await look(boarded)).assignment.trip, 'boarded');
        let r = await srv.post(`/api/registrations/${boarded.code}/cancel`, { phone4: boarded.phone4 });
        assert.equal(r.status, 409, r.text);
        assert.equal(errorCode(r), 'boarded');
        assert.match(r.json.error.message, /上车/);
        r = await org.post(`/api/registrations/${boarded.code}/cancel`, {});
        assert.equal(errorCode(r), 'boarded');
        r = await org.patch(`/api/registrations/${boarded.code}`, { ...boarded.body, employer: '别的厂' });
        assert.equal(errorCode(r), 'boarded');
        r = await org.del(`/api/vehicles/${vid}/passengers/${boarded.code}`);
        assert.equal(errorCode(r), 'boarded');
        const other = await busWith('4401', '2027-02-15', []);
        r = await org.post(`/api/vehicles/${other}/passengers`, { code: boarded.code });
        assert.equal(errorCode(r), 'boarded');
        // nor by cancelling the vehicle under them: a broken-down bus gets another plate instead
        r = await org.patch(`/api/vehicles/${vid}`, { status: 'cancelled' });
        assert.equal(r.status, 409, r.text);
        assert.equal(errorCode(r), 'vehicle_boarded');
        assert.equal(ok(await look(boarded)).status, 'assigned');
    });

    test('departed: nobody on it is cancelled or moved (409 departed); the statistics table does not change', async () => {
        ok(await org.patch(`/api/vehicles/${vid}`, { status: 'departed' }));
        reportBefore = await reportNow();
        const row = reportBefore.rows.find((x) => x.code === '4501');
        assert.ok(row, JSON.stringify(reportBefore.rows.map((x) => x.code)));
        assert.equal(ok(await look(boarded)).assignment.trip, 'departed');
        assert.equal(ok(await look(waiting)).assignment.trip, 'no_show', 'not checked in, the bus left');
        for (const g of [boarded, waiting]) {
            let r = await srv.post(`/api/registrations/${g.code}/cancel`, { phone4: g.phone4 });
            assert.equal(r.status, 409, r.text);
            assert.equal(errorCode(r), 'departed');
            r = await org.post(`/api/registrations/${g.code}/cancel`, {});
            assert.equal(r.status, 409);
            r = await org.del(`/api/vehicles/${vid}/passengers/${g.code}`);
            assert.equal(r.status, 409);
        }
        assert.equal(errorCode(await srv.post(`/api/registrations/${waiting.code}/cancel`, { phone4: waiting.phone4 })), 'departed');
        assert.deepEqual(await reportNow(), reportBefore, 'transported and poverty counts unchanged');
        ok(await org.patch(`/api/vehicles/${vid}`, { status: 'arrived' }));
        assert.equal(ok(await look(boarded)).assignment.trip, 'arrived');
    });
});

describe('scope on every passenger operation', () => {
    let nnVehicle, lzVehicle, byReg, lzReg, nnReg;
    before(async () => {
        byReg = await signUp({ village: SILONG, dest_city: '4413', depart_date: '2027-02-18' });
        nnReg = await signUp({ village: NN_OTHER, dest_city: '4413', depart_date: '2027-02-18' });
        lzReg = await signUp({ village: LZ, dest_city: '4413', depart_date: '2027-02-18' });
        nnVehicle = ok(await orgNN.post('/api/vehicles', busPlan({ scope: '4501', dest_city: '4413', depart_date: '2027-02-18' })), 201);
        lzVehicle = ok(await orgLZ.post('/api/vehicles', busPlan({ scope: '4502', dest_city: '4413', depart_date: '2027-02-18' })), 201);
        ok(await orgLZ.post(`/api/vehicles/${lzVehicle.id}/passengers`, { code: lzReg.code }));
        ok(await orgNN.post(`/api/vehicles/${nnVehicle.id}/passengers`, { code: nnReg.code }));
    });
    const leaks = (r, g) => r.text.includes(g.code) || r.text.includes(g.body.name) || r.text.includes(g.body.phone.slice(7));
    // another scope's registration answers as a code nobody has (send(code) makes the same call with it)
    const FAKE = 'ZZ2ZZ3ZZ';
    async function unknownLike(r, send) {
        const f = await send(FAKE);
        assert.equal(f.status, 404, f.text);
        assert.deepEqual([r.status, r.json], [f.status, f.json], 'the same answer as for a made-up code');
    }

    test('moving another city\'s registration into one\'s own vehicle: as unknown as a made-up code, nothing said', async () => {
        const r = await orgLZ.post(`/api/vehicles/${lzVehicle.id}/passengers`, { code: byReg.code });
        await unknownLike(r, (code) => orgLZ.post(`/api/vehicles/${lzVehicle.id}/passengers`, { code }));
        assert.ok(!leaks(r, byReg), r.text);
        assert.equal(ok(await look(byReg)).status, 'registered');
        const m = ok(await orgLZ.get(`/api/vehicles/${lzVehicle.id}/manifest`));
        assert.deepEqual(m.passengers.map((x) => x.code), [lzReg.code]);
    });

    test('a county organiser moving a registration of another county of the city: 403 for the vehicle, 404 for the registration', async () => {
        const r = await org.post(`/api/vehicles/${nnVehicle.id}/passengers`, { code: byReg.code });
        assert.equal(r.status, 403, r.text);
        const own = await busWith('4413', '2027-02-18', []);
        const r2 = await org.post(`/api/vehicles/${own}/passengers`, { code: nnReg.code });
        await unknownLike(r2, (code) => org.post(`/api/vehicles/${own}/passengers`, { code }));
        assert.ok(!leaks(r2, nnReg));
    });

    test('removing: another city\'s passenger as unknown as a made-up code; another city\'s vehicle 403; a passenger not on {id} 404; nothing changes', async () => {
        let r = await orgNN.del(`/api/vehicles/${nnVehicle.id}/passengers/${lzReg.code}`);
        await unknownLike(r, (code) => orgNN.del(`/api/vehicles/${nnVehicle.id}/passengers/${code}`));
        assert.ok(!leaks(r, lzReg));
        r = await orgNN.del(`/api/vehicles/${lzVehicle.id}/passengers/${lzReg.code}`);
        assert.equal(r.status, 403, r.text);
        const inNN = await signUp({ village: NN_OTHER, dest_city: '4413', depart_date: '2027-02-18' });
        const second = ok(await orgNN.post('/api/vehicles', busPlan({ scope: '4501', dest_city: '4413', depart_date: '2027-02-18', number: '桂A77777' })), 201);
        ok(await orgNN.post(`/api/vehicles/${second.id}/passengers`, { code: inNN.code }));
        r = await orgNN.del(`/api/vehicles/${nnVehicle.id}/passengers/${inNN.code}`);
        assert.equal(r.status, 404, r.text);
        assert.equal(ok(await look(inNN)).assignment.vehicle, second.id, 'still on its vehicle');
        assert.equal(ok(await look(lzReg)).assignment.vehicle, lzVehicle.id);
    });

    test('check-in, the boarding view and the 调到… list: another scope\'s passenger is unknown (by code), 403 (by its own token) or masked', async () => {
        // a village user whose scope holds a vehicle (owned by the village) with a passenger of another village
        const villageBus = ok(await org.post('/api/vehicles', busPlan({ scope: LIULV, dest_city: '4413', depart_date: '2027-02-18', number: '桂A66666' })), 201);
        const own = await signUp({ village: LIULV, dest_city: '4413', depart_date: '2027-02-18' });
        ok(await org.post(`/api/vehicles/${villageBus.id}/passengers`, { code: own.code }));
        const stranger = await signUp({ village: GANTANG[1], dest_city: '4413', depart_date: '2027-02-18' });
        // owned by 六律 and without a stop naming a place: it takes 六律's people only
        assert.equal(errorCode(await org.post(`/api/vehicles/${villageBus.id}/passengers`, { code: stranger.code })), 'no_stop');
        const b = ok(await villageLL.get(`/api/vehicles/${villageBus.id}/boarding`));
        assert.equal(b.missing[0].people[0].phone, own.body.phone, 'its own village: in full (a village may call)');
        // the manifest of lzVehicle seen by the county: 403; check-in of another city's passenger: 403
        assert.equal((await org.get(`/api/vehicles/${lzVehicle.id}/boarding`)).status, 403);
        const token = ok(await look(lzReg)).assignment.checkin.token;
        let r = await orgNN.post(`/api/checkin/${token}`, {});
        assert.equal(r.status, 403, r.text);
        assert.ok(!leaks(r, lzReg));
        r = await villageGT.post('/api/checkin', { code: own.code, vehicle: villageBus.id });
        await unknownLike(r, (code) => villageGT.post('/api/checkin', { code, vehicle: villageBus.id }));
        assert.ok(!r.text.includes(own.body.name));
        r = await orgNN.get(`/api/vehicles?scope=4501&campaign=${CAMPAIGN}&fits=${lzReg.code}`);
        await unknownLike(r, (code) => orgNN.get(`/api/vehicles?scope=4501&campaign=${CAMPAIGN}&fits=${code}`));
        r = await villageGT.post(`/api/registrations/${own.code}/phone`, { person: 0 });
        await unknownLike(r, (code) => villageGT.post(`/api/registrations/${code}/phone`, { person: 0 }));
        assert.ok(!r.text.includes(own.body.phone));
        r = await villageGT.post(`/api/registrations/${own.code}/notified`, {});
        await unknownLike(r, (code) => villageGT.post(`/api/registrations/${code}/notified`, {}));
    });

    test('a cancelled registration is never reassigned', async () => {
        const g = await signUp({ village: SILONG, dest_city: '4413', depart_date: '2027-02-18' });
        const v = await busWith('4413', '2027-02-18', [g]);
        ok(await org.post(`/api/registrations/${g.code}/cancel`, {}));
        let r = await org.del(`/api/vehicles/${v}/passengers/${g.code}`);
        assert.equal(r.status, 404, r.text);
        r = await org.post(`/api/vehicles/${v}/passengers`, { code: g.code });
        assert.equal(r.status, 409, r.text);
        assert.equal(errorCode(r), 'not_open');
        const a = ok(await match({ accept: true, min_load: NO_MINIMUM }));
        assert.ok(!JSON.stringify(a).includes(g.code));
        const me = ok(await look(g));
        assert.equal(me.status, 'cancelled');
        assert.equal(me.assignment, null);
    });
});

describe('the village call-back loop', () => {
    let vid, groups;
    before(async () => {
        groups = [await signUp({ village: LIULV, dest_city: '4404', depart_date: '2027-02-20' }, 2),
            await signUp({ village: LIULV, dest_city: '4404', depart_date: '2027-02-20' })];
        vid = await busWith('4404', '2027-02-20', groups, { depart_time: '08:30', stops: [{ name: '六律村委会门口', time: '07:15', serves: LIULV }] });
    });

    test('the village list and detail give vehicle, date and time, pickup and seat; 未通知 filters', async () => {
        const list = ok(await villageLL.get(`/api/registrations?notified=0&per_page=200`));
        const item = list.items.find((x) => x.code === groups[0].code);
        assert.ok(item, JSON.stringify(list.items.map((x) => x.code)));
        const a = item.assignment;
        assert.deepEqual([a.vehicle, a.type_label, a.number, a.depart_date, a.depart_time, a.pickup, a.pickup_time, a.notified],
            [vid, '专车', '桂A12345', '2027-02-20', '08:30', '六律村委会门口', '07:15', false]);
        assert.deepEqual(a.seats.map((s) => s.seat), [1, 2]);
        assert.ok(list.items.every((x) => x.assignment && !x.assignment.notified));
        assert.equal(item.people[0].phone.includes('*'), true, 'the list stays masked');
        const d = ok(await villageLL.get(`/api/registrations/${groups[1].code}`));
        assert.equal(d.assignment.seats[0].seat, 3);
        assert.equal(d.assignment.pickup, '六律村委会门口');
    });

    test('拨打 reveals one person\'s number, each reveal audited; 已通知 is recorded, audited and filters', async () => {
        const r = ok(await villageLL.post(`/api/registrations/${groups[0].code}/phone`, { person: 0 }));
        assert.equal(r.phone, groups[0].body.phone);
        ok(await villageLL.post(`/api/registrations/${groups[0].code}/phone`, { person: 0 }));
        const reveals = (await audit()).filter((e) => e.action === 'phone_view' && e.target === groups[0].code);
        assert.equal(reveals.length, 2, 'one entry per reveal');
        assert.ok(reveals.every((e) => e.user === 'cun-liulv' && !e.detail.includes(groups[0].body.phone)));
        // (the county's reveal below makes a third)
        assert.equal((await villageLL.post(`/api/registrations/${groups[0].code}/phone`, { person: 1 })).status, 404, 'a companion without a phone');
        assert.equal(ok(await county.post(`/api/registrations/${groups[0].code}/phone`, { person: 0 })).phone, groups[0].body.phone);
        assert.equal((await (await login(srv, 'org-lz')).post(`/api/registrations/${groups[0].code}/phone`, { person: 0 })).status, 404, 'another city: no such code');
        assert.equal(ok(await township.post(`/api/registrations/${groups[1].code}/phone`, { person: 0 })).phone, groups[1].body.phone);
        const tick = ok(await villageLL.post(`/api/registrations/${groups[0].code}/notified`, {}));
        assert.deepEqual([tick.notified, tick.again], [true, false], 'the first tick is no repeat');
        assert.equal(ok(await villageLL.post(`/api/registrations/${groups[0].code}/notified`, {})).again, true);
        assert.ok((await audit()).some((e) => e.action === 'notified' && e.target === groups[0].code));
        const untold = ok(await villageLL.get('/api/registrations?notified=0&per_page=200')).items.map((x) => x.code);
        assert.ok(!untold.includes(groups[0].code) && untold.includes(groups[1].code));
        const told = ok(await villageLL.get('/api/registrations?notified=1&per_page=200')).items;
        assert.deepEqual(told.map((x) => x.code), [groups[0].code]);
        assert.equal(told[0].assignment.notified, true);
        assert.equal(ok(await villageLL.get(`/api/registrations/${groups[0].code}`)).assignment.notified_by, 'cun-liulv');
        // a move means telling again
        const other = await busWith('4404', '2027-02-20', [], { number: '桂A88888' });
        ok(await org.post(`/api/vehicles/${other}/passengers`, { code: groups[0].code }));
        assert.equal(ok(await villageLL.get(`/api/registrations/${groups[0].code}`)).assignment.notified, false);
    });

    test('已通知 waits until the time and the village\'s stop with its time are set: 409 trip_not_set, still 待通知', async () => {
        const g = await signUp({ village: LIULV, dest_city: '4413', depart_date: '2027-02-21' });
        // a stop as matching proposes it: the place the organiser still has to name, no time
        const v = await busWith('4413', '2027-02-21', [g], { depart_time: '', stops: [{ name: '甘棠镇（上车点待定）', time: '', serves: LIULV.slice(0, 9) }] });
        const a = ok(await villageLL.get(`/api/registrations/${g.code}`)).assignment;
        assert.deepEqual([a.depart_time, a.pickup_time], ['', '']);
        let r = await villageLL.post(`/api/registrations/${g.code}/notified`, {});
        assert.equal(r.status, 409, r.text);
        assert.equal(errorCode(r), 'trip_not_set');
        assert.match(r.json.error.message, /发车时间.*还没定.*定好后再通知/);
        assert.ok(!(await audit()).some((e) => e.action === 'notified' && e.target === g.code), 'nothing recorded');
        assert.ok(ok(await villageLL.get('/api/registrations?notified=0&per_page=200')).items.some((x) => x.code === g.code), 'still to be told');
        // the stop's time alone is not enough: the vehicle's own time too
        ok(await org.patch(`/api/vehicles/${v}`, { stops: [{ name: '六律村委会门口', time: '07:20', serves: LIULV.slice(0, 9) }] }));
        r = await villageLL.post(`/api/registrations/${g.code}/notified`, {});
        assert.equal(errorCode(r), 'trip_not_set', r.text);
        ok(await org.patch(`/api/vehicles/${v}`, { depart_time: '08:00' }));
        assert.equal(ok(await villageLL.post(`/api/registrations/${g.code}/notified`, {})).notified, true);
        assert.equal(ok(await villageLL.get(`/api/registrations/${g.code}`)).assignment.notified, true);
        // taking the tick back never waits
        ok(await org.patch(`/api/vehicles/${v}`, { depart_time: '' }));
        assert.equal(ok(await villageLL.post(`/api/registrations/${g.code}/notified`, { notified: false })).notified, false);
    });
});

describe('the dashboard\'s transport counts', () => {
    /** The counts made from the registrations list itself, per township and in all. */
    async function counted(client, scope) {
        const out = new Map(), all = { assigned: 0, notified: 0, boarded: 0, departed: 0, arrived: 0 };
        for (let page = 1; ; page++) {
            const r = ok(await client.get(`/api/registrations?scope=${scope}&per_page=200&page=${page}`));
            for (const x of r.items) {
                const a = x.assignment;
                if (!a) continue;
                const n = x.people.length, c = out.get(x.village.code.slice(0, 9)) || { assigned: 0, notified: 0, boarded: 0, departed: 0, arrived: 0 };
                const add = (k) => ((c[k] += n), (all[k] += n));
                add('assigned');
                if (a.notified) add('notified');
                if (['boarded', 'departed', 'arrived'].includes(a.trip)) add('boarded');
                if (['departed', 'arrived'].includes(a.trip)) add('departed');
                if (a.trip === 'arrived') add('arrived');
                out.set(x.village.code.slice(0, 9), c);
            }
            if (page * 200 >= r.total) break;
        }
        return { out, all };
    }

    test('assigned / told / boarded / departed / arrived equal counts made independently, per township', async () => {
        // more movement first: a told person boards, a vehicle with a told person is cancelled
        const g = await signUp({ village: LIULV, dest_city: '4409', depart_date: '2027-02-26' }, 3);
        const h = await signUp({ village: LIULV, dest_city: '4409', depart_date: '2027-02-26' });
        const v = await busWith('4409', '2027-02-26', [g, h]);
        ok(await villageLL.post(`/api/registrations/${g.code}/notified`, {}));
        ok(await villageLL.post(`/api/registrations/${h.code}/notified`, {}));
        ok(await org.patch(`/api/vehicles/${v}`, { status: 'boarding' }));
        ok(await org.post(`/api/checkin/${ok(await look(g)).assignment.checkin.token}`, {}));
        const gone = await busWith('4409', '2027-02-26', [await signUp({ village: LIULV, dest_city: '4409', depart_date: '2027-02-26' })]);
        ok(await villageLL.post(`/api/registrations/${h.code}/notified`, { notified: false }));
        ok(await org.patch(`/api/vehicles/${gone}`, { status: 'cancelled' }));
        const st = ok(await org.get(`/api/stats?scope=${COUNTY}`));
        const mine = await counted(org, COUNTY);
        assert.deepEqual(st.transport, mine.all);
        assert.deepEqual(st.totals.transport, mine.all);
        assert.ok(mine.all.assigned > 0 && mine.all.notified > 0 && mine.all.boarded > 0 && mine.all.departed > 0 && mine.all.arrived > 0, JSON.stringify(mine.all));
        for (const c of st.children) assert.deepEqual(c.transport, mine.out.get(c.code) || { assigned: 0, notified: 0, boarded: 0, departed: 0, arrived: 0 }, c.name);
        const village = ok(await villageLL.get(`/api/stats?scope=${LIULV}`));
        assert.deepEqual(village.transport, (await counted(villageLL, LIULV)).all);
    });
});

describe('the vehicle list holds a province', () => {
    test('filters (date, destination, type, status, plan incomplete), search by number, paging, what the filters offer', async () => {
        const base = `/api/vehicles?scope=${COUNTY}&campaign=${CAMPAIGN}`;
        const all = ok(await org.get(base));
        assert.equal(all.total, all.vehicles.length, 'no paging asked: all');
        assert.ok(all.cities.some((c) => c.code === '4419' && c.name === '东莞市'));
        assert.ok(all.dates.includes('2027-02-08'));
        const dates = all.vehicles.map((v) => v.depart_date);
        assert.deepEqual(dates, [...dates].sort(), 'in departure order');
        const page = ok(await org.get(`${base}&page=2&per_page=3`));
        assert.deepEqual(page.vehicles.map((v) => v.id), all.vehicles.slice(3, 6).map((v) => v.id));
        assert.equal(page.total, all.total);
        const f = ok(await org.get(`${base}&date=2027-02-08&dest_city=4419&type=bus&status=planned&per_page=50`));
        assert.ok(f.vehicles.length >= 2 && f.vehicles.every((v) => v.depart_date === '2027-02-08' && v.dest_city === '4419' && v.type === 'bus' && v.status === 'planned'));
        const todo = ok(await org.get(`${base}&incomplete=1`));
        assert.ok(todo.vehicles.length > 0 && todo.vehicles.every((v) => v.status === 'planned' && !v.plan_complete));
        const q = ok(await org.get(`${base}&q=A888`));
        assert.deepEqual(q.vehicles.map((v) => v.number), ['桂A88888']);
        assert.equal((await org.get(`${base}&type=ship`)).status, 400);
        assert.equal((await org.get(`${base}&date=2027-13-01`)).status, 400);
    });

    test('调到…: fits=CODE offers only vehicles the group fits (city, day, mode, room, pickup area)', async () => {
        const g = await signUp({ village: LITANG[0], dest_city: '4419', depart_date: '2027-02-08', mode: 'bus' });
        const fits = ok(await org.get(`/api/vehicles?scope=${COUNTY}&campaign=${CAMPAIGN}&fits=${g.code}`));
        assert.ok(fits.vehicles.length >= 1, JSON.stringify(fits));
        for (const v of fits.vehicles) {
            assert.equal(v.dest_city, '4419');
            assert.equal(v.depart_date, '2027-02-08');
            assert.equal(v.status, 'planned');
            assert.ok(v.used < v.capacity);
            assert.ok(v.stops.some((s) => s.serves && LITANG[0].startsWith(s.serves)) || v.stops.every((s) => !s.serves));
        }
        assert.ok(!fits.vehicles.some((v) => v.stops.some((s) => s.serves === '450126103')), '思陇镇\'s bus has no stop for 黎塘镇');
        for (const v of fits.vehicles) ok(await org.get(`/api/vehicles/${v.id}`));
        assert.equal((await org.get(`/api/vehicles?scope=${COUNTY}&campaign=${CAMPAIGN}&fits=ZZZZZZZZ`)).status, 404);
    });
});
