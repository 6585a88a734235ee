// SPDX-License-Identifier: MIT
// Sign-ups that change after matching: a cancel frees the seat and never comes back to
// matching; an edit of an open sign-up is matched with its new trip; an edit of an
// assigned one is refused until it is taken out of its vehicle.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { errorCode, startStack } from './lib/harness.mjs';
import { companion, signup } from './lib/people.mjs';
import { addUser, busPlan, login, NO_MINIMUM } from './lib/transport.mjs';

let stack, srv, org, redis;
const campaign = '2027-spring';
before(async () => {
    stack = await startStack('transport-changes');
    srv = stack.server;
    addUser(srv, 'org', 'organiser', '45');
    org = await login(srv, 'org');
    redis = await stack.redis.client();
});
after(async () => {
    redis?.close();
    await stack?.close();
});

async function signUp(over = {}) {
    const body = signup(over);
    const r = await srv.post('/api/registrations', body);
    assert.equal(r.status, 201, r.text);
    return { code: r.json.code, body };
}

const matchRun = (accept) => org.post('/api/match', { campaign, scope: '45', accept, min_load: NO_MINIMUM });
const openMembers = async () => (await redis.call('ZRANGEBYLEX', `sg:{45}:${campaign}:open`, '-', '+')).map(String);

test('a cancel frees the seat, and the cancelled sign-up is never matched again', async () => {
    const a = await signUp({ dest_city: '4403', flex_days: 0 });
    const b = await signUp({ dest_city: '4403', flex_days: 0 });
    const r = await matchRun(true);
    assert.equal(r.status, 200, r.text);
    const vid = String(await redis.call('HGET', `sg:{45}:${campaign}:assign`, a.code)).split(':')[0];
    assert.ok(vid.length > 0, 'assigned');
    assert.equal(Number(await redis.call('HGET', `sg:{45}:vehicle:${vid}`, 'used')), 2);
    const c = await org.post(`/api/registrations/${a.code}/cancel`, {});
    assert.equal(c.status, 200, c.text);
    assert.equal(Number(await redis.call('HGET', `sg:{45}:vehicle:${vid}`, 'used')), 1, 'seat freed');
    assert.equal(await redis.call('ZSCORE', `sg:{45}:vehicle:${vid}:seats`, a.code), null);
    assert.equal(await redis.call('HGET', `sg:{45}:${campaign}:assign`, a.code), null);
    assert.ok(!(await openMembers()).some((m) => m.includes(`:${a.code}:`)), 'not open');
    const again = await matchRun(false);
    assert.equal(again.json.registrations, 0, 'nothing left to match');
    const m = await org.get(`/api/vehicles/${vid}/manifest`);
    assert.equal(m.status, 200);
    assert.ok(!JSON.stringify(m.json).includes(a.code), 'not on the manifest');
    assert.ok(JSON.stringify(m.json).includes(b.code));
});

test('an edited open sign-up is matched with its new destination', async () => {
    const a = await signUp({ dest_city: '4406', flex_days: 0 });
    const e = await org.patch(`/api/registrations/${a.code}`, { ...a.body, dest_city: '4413' });
    assert.equal(e.status, 200, e.text);
    const open = (await openMembers()).filter((m) => m.includes(`:${a.code}:`));
    assert.equal(open.length, 1, 'one open member');
    assert.match(open[0], /:4413:/);
    const p = await matchRun(false);
    assert.equal(p.status, 200);
    assert.ok(p.json.new.some((n) => n.dest_city === '4413'), JSON.stringify(p.json.new));
    assert.ok(!p.json.new.some((n) => n.dest_city === '4406'));
});

test('an assigned sign-up is not edited until it is taken out of its vehicle', async () => {
    const a = await signUp({ dest_city: '4419', flex_days: 0 });
    assert.equal((await matchRun(true)).status, 200);
    const vid = String(await redis.call('HGET', `sg:{45}:${campaign}:assign`, a.code)).split(':')[0];
    const e = await org.patch(`/api/registrations/${a.code}`, { ...a.body, dest_city: '4401' });
    assert.equal(e.status, 409, e.text);
    assert.equal(errorCode(e), 'assigned');
    const out = await org.del(`/api/vehicles/${vid}/passengers/${a.code}`);
    assert.equal(out.status, 200, out.text);
    const e2 = await org.patch(`/api/registrations/${a.code}`, { ...a.body, dest_city: '4401' });
    assert.equal(e2.status, 200, e2.text);
    assert.ok((await openMembers()).some((m) => m.includes(`:${a.code}:4401:`)));
});

test('the worker sees the vehicle and a personal check-in QR that decodes to the check-in link', async () => {
    const a = await signUp({ dest_city: '4420', flex_days: 0 });
    assert.equal((await matchRun(true)).status, 200);
    const g = await srv.get(`/api/registrations/${a.code}?phone4=${a.body.phone.slice(7)}`);
    assert.equal(g.status, 200, g.text);
    assert.equal(g.json.status, 'assigned');
    const as = g.json.assignment;
    assert.ok(as && as.vehicle && as.seats.length === 1, JSON.stringify(as));
    assert.ok(as.checkin.token.length > 8);
    const png = await srv.get(`/qr/checkin/${as.checkin.token}.png`);
    assert.equal(png.status, 200);
    assert.match(png.headers.get('cache-control'), /private/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-checkin-qr-'));
    fs.writeFileSync(path.join(dir, 'q.png'), png.buf);
    const z = spawnSync('zbarimg', ['--raw', '--nodbus', '-q', path.join(dir, 'q.png')], { encoding: 'utf8' });
    assert.equal(z.stdout.trim(), as.checkin.url);
    fs.rmSync(dir, { recursive: true, force: true });
    // a made-up token is no QR code at all
    const forged = as.checkin.token.slice(0, -1) + (as.checkin.token.endsWith('A') ? 'B' : 'A');
    assert.equal((await srv.get(`/qr/checkin/${forged}.svg`)).status, 404);
    assert.equal((await srv.get('/qr/checkin/x.svg')).status, 404);
});

test('a boarding view that refreshes itself is one audit entry per 10 minutes, not one per refresh', async () => {
    const a = await signUp({ dest_city: '4409', flex_days: 0 });
    assert.equal((await matchRun(true)).status, 200);
    const vid = String(await redis.call('HGET', `sg:{45}:${campaign}:assign`, a.code)).split(':')[0];
    for (let i = 0; i < 3; i++) assert.equal((await org.get(`/api/vehicles/${vid}/boarding`)).status, 200);
    const entries = (await redis.call('XRANGE', 'sg:{45}:audit', '-', '+')).map((e) => e[1].map(String));
    const views = entries.filter((f) => f.includes('boarding_view') && f.includes(vid));
    assert.equal(views.length, 1, JSON.stringify(views));
});

test('each passenger boards at the stop that serves their village', async () => {
    const plan = busPlan({
        scope: '4501',
        dest_city: '4405',
        depart_date: '2027-02-05',
        stops: [
            { name: '民生街道政府门口', time: '07:00', serves: '450102001' },
            { name: '仙葫大道路口', time: '07:30', serves: '450102002' },
        ],
    });
    const v = await org.post('/api/vehicles', plan);
    assert.equal(v.status, 201, v.text);
    assert.equal(v.json.stops[1].serves, '450102002');
    const bad = await org.post('/api/vehicles', { ...plan, stops: [{ name: '某地', time: '07:00', serves: '459999' }] });
    assert.equal(bad.status, 422);
    assert.ok(bad.json.error.fields['stops[0].serves'], bad.text);
    const a = await signUp({ village: '450102001003', dest_city: '4405', depart_date: '2027-02-05', flex_days: 0 });
    const b = await signUp({ village: '450102002201', dest_city: '4405', depart_date: '2027-02-05', flex_days: 0 });
    assert.equal((await org.post('/api/match', { campaign, scope: '4501', accept: true, min_load: NO_MINIMUM })).status, 200);
    const m = await org.get(`/api/vehicles/${v.json.id}/manifest`);
    assert.equal(m.status, 200, m.text);
    const text = JSON.stringify(m.json);
    const stopOf = (code) => {
        const g = JSON.stringify(m.json).match(new RegExp(`"code":"${code}"[^}]*?"stop":"([^"]*)"`));
        return g && g[1];
    };
    assert.ok(text.includes(a.code) && text.includes(b.code), text.slice(0, 300));
    assert.equal(stopOf(a.code), '民生街道政府门口');
    assert.equal(stopOf(b.code), '仙葫大道路口');
    const mine = await srv.get(`/api/registrations/${b.code}?phone4=${b.body.phone.slice(7)}`);
    assert.equal(mine.json.assignment.pickup, '仙葫大道路口');
    assert.equal(mine.json.assignment.pickup_time, '07:30');
});

test('seats freed by a cancel are given again: to the next match, to a move by hand', async () => {
    // five single people to 4451 on one day: one new bus, seats 1..5
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await signUp({ dest_city: '4451', depart_date: '2027-02-06', flex_days: 0, mode: 'bus' }));
    assert.equal((await matchRun(true)).status, 200);
    const where = async (code) => String((await redis.call('HGET', `sg:{45}:${campaign}:assign`, code)) ?? '');
    const [vid] = (await where(people[0].code)).split(':');
    const seats = await Promise.all(people.map(async (p) => Number((await where(p.code)).split(':')[1])));
    assert.deepEqual([...seats].sort((x, y) => x - y), [1, 2, 3, 4, 5]);
    assert.equal(String(await redis.call('HGET', `sg:{45}:vehicle:${vid}`, 'seat_next')), '6');
    // the people on seats 2 and 3 cancel: a hole 2-3; the one on seat 5 cancels: back to the tail
    const on = (s) => people[seats.indexOf(s)];
    for (const s of [2, 3, 5]) assert.equal((await org.post(`/api/registrations/${on(s).code}/cancel`, {})).status, 200);
    assert.equal(String(await redis.call('HGET', `sg:{45}:vehicle:${vid}`, 'holes')), '2-3');
    assert.equal(String(await redis.call('HGET', `sg:{45}:vehicle:${vid}`, 'seat_next')), '5');
    assert.equal(Number(await redis.call('HGET', `sg:{45}:vehicle:${vid}`, 'used')), 2);
    // a pair signs up: matching puts it into the hole (an existing vehicle first)
    const pair = await signUp({ dest_city: '4451', depart_date: '2027-02-06', flex_days: 0, mode: 'bus', companions: [companion()] });
    const r = await matchRun(true);
    assert.equal(r.status, 200, r.text);
    assert.equal(await where(pair.code), `${vid}:2`);
    assert.equal(String((await redis.call('HGET', `sg:{45}:vehicle:${vid}`, 'holes')) ?? ''), '');
    assert.equal(Number(await redis.call('HGET', `sg:{45}:vehicle:${vid}`, 'used')), 4);
    // taken out by hand (seats 2-3 free again) and moved back: the same seats
    assert.equal((await org.del(`/api/vehicles/${vid}/passengers/${pair.code}`)).status, 200);
    assert.equal(String(await redis.call('HGET', `sg:{45}:vehicle:${vid}`, 'holes')), '2-3');
    const mv = await org.post(`/api/vehicles/${vid}/passengers`, { code: pair.code });
    assert.equal(mv.status, 200, mv.text);
    assert.equal(await where(pair.code), `${vid}:2`);
    // every seat once: the seat list and the assignment hash agree
    const list = (await redis.call('ZRANGE', `sg:{45}:vehicle:${vid}:seats`, 0, -1, 'WITHSCORES')).map(String);
    const got = new Map();
    for (let i = 0; i < list.length; i += 2) got.set(list[i], list[i + 1]);
    for (const [code, seat] of got) assert.equal(await where(code), `${vid}:${seat}`);
    assert.deepEqual([...got.values()].map(Number).sort((x, y) => x - y), [1, 2, 4]);
});

test('a cancelled vehicle sends its passengers back to matching; they are matched again', async () => {
    const group = [];
    for (let i = 0; i < 3; i++) group.push(await signUp({ dest_city: '4452', depart_date: '2027-02-07', flex_days: 0, mode: 'bus' }));
    assert.equal((await matchRun(true)).status, 200);
    const where = async (code) => String((await redis.call('HGET', `sg:{45}:${campaign}:assign`, code)) ?? '');
    const [vid] = (await where(group[0].code)).split(':');
    // one passenger checked in: that vehicle is not cancelled (409 vehicle_boarded), nothing changes
    const token = (await srv.get(`/api/registrations/${group[0].code}?phone4=${group[0].body.phone.slice(-4)}`)).json.assignment.checkin.token;
    assert.equal((await org.post(`/api/checkin/${token}`, {})).status, 200);
    const before = await where(group[0].code);
    let r = await org.patch(`/api/vehicles/${vid}`, { status: 'cancelled' });
    assert.equal(r.status, 409, r.text);
    assert.equal(errorCode(r), 'vehicle_boarded');
    assert.equal((await org.get(`/api/vehicles/${vid}`)).json.status, 'planned');
    assert.equal(await where(group[0].code), before, 'the one checked in keeps the seat');
    assert.equal(await redis.call('SCARD', `sg:{45}:vehicle:${vid}:boarded`), 1);
    // the other two moved to a second vehicle; one cancels, then that vehicle is cancelled
    const spare = await org.post('/api/vehicles', busPlan({ scope: '45', dest_city: '4452', depart_date: '2027-02-07', number: '桂A77777' }));
    assert.equal(spare.status, 201, spare.text);
    const sid = spare.json.id;
    for (const g of group.slice(1)) assert.equal((await org.post(`/api/vehicles/${sid}/passengers`, { code: g.code })).status, 200);
    assert.equal((await org.post(`/api/registrations/${group[2].code}/cancel`, {})).status, 200);
    r = await org.patch(`/api/vehicles/${sid}`, { status: 'cancelled' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'cancelled');
    assert.equal(r.json.used, 0, 'the answer says the vehicle is empty');
    const v = (await org.get(`/api/vehicles/${sid}`)).json;
    assert.equal(v.used, 0, 'no one left on the cancelled vehicle');
    assert.equal(await redis.call('ZCARD', `sg:{45}:vehicle:${sid}:seats`), 0);
    for (const g of group.slice(1)) assert.equal(await where(g.code), '', `${g.code} no longer assigned`);
    const open = await openMembers();
    assert.ok(open.some((m) => m.includes(`:${group[1].code}:`)), 'back in matching');
    assert.ok(!open.some((m) => m.includes(`:${group[2].code}:`)), 'the cancelled sign-up stays out');
    const lookup = await srv.get(`/api/registrations/${group[1].code}?phone4=${group[1].body.phone.slice(-4)}`);
    assert.equal(lookup.json.status, 'registered');
    assert.equal(lookup.json.assignment, null);
    // the next run puts it into a vehicle again, never the cancelled one
    const again = await matchRun(true);
    assert.equal(again.status, 200, again.text);
    const [nv] = (await where(group[1].code)).split(':');
    assert.ok(nv !== '' && nv !== sid, `${group[1].code} matched again into another vehicle (${nv})`);
    assert.equal(await where(group[2].code), '', 'the cancelled sign-up is not');
});

test('the trip of a vehicle with people on it does not change under them', async () => {
    const a = await signUp({ dest_city: '4453', depart_date: '2027-02-08', flex_days: 0, mode: 'bus' });
    assert.equal((await matchRun(true)).status, 200);
    const [vid] = String(await redis.call('HGET', `sg:{45}:${campaign}:assign`, a.code)).split(':');
    for (const [field, value] of [['depart_date', '2027-02-09'], ['dest_city', '4419'], ['type', 'train']]) {
        const r = await org.patch(`/api/vehicles/${vid}`, { [field]: value, ...(field === 'type' ? { capacity: 600, carriage_size: 100 } : {}) });
        assert.equal(r.status, 409, `${field}: ${r.text}`);
        assert.equal(errorCode(r), 'has_passengers');
        assert.equal(r.json.error.field, field);
        assert.match(r.json.error.message, /请先把人移出/);
    }
    const v = (await org.get(`/api/vehicles/${vid}`)).json;
    assert.equal(v.depart_date, '2027-02-08');
    assert.equal(v.dest_city.code ?? v.dest_city, '4453');
    // the rest of the plan can change; and once empty, the trip too
    assert.equal((await org.patch(`/api/vehicles/${vid}`, { number: '桂A77777' })).status, 200);
    assert.equal((await org.del(`/api/vehicles/${vid}/passengers/${a.code}`)).status, 200);
    const moved = await org.patch(`/api/vehicles/${vid}`, { depart_date: '2027-02-09' });
    assert.equal(moved.status, 200, moved.text);
});

test('a run that stopped half way is healed by the next one: no phantom vehicles, right counts', async () => {
    const a = await signUp({ dest_city: '4407', depart_date: '2027-02-11', flex_days: 0, mode: 'bus' });
    assert.equal((await matchRun(true)).status, 200);
    const member = String(await redis.call('HGET', `sg:{45}:reg:${a.code}`, 'open'));
    const stale = async () => {
        // what an accept cut off by an outage leaves: assigned, still in the open index, its mark
        await redis.call('ZADD', `sg:{45}:${campaign}:open`, 0, member);
        await redis.call('SET', `sg:{45}:${campaign}:unswept`, 'deadbeef 45');
    };
    await stale();
    // while another run holds the lock its mark is not stale: a preview leaves it alone
    await redis.call('SET', `sg:{45}:${campaign}:matchlock`, 'someone-else');
    let p = await matchRun(false);
    assert.equal(p.status, 200, p.text);
    assert.equal(String(await redis.call('GET', `sg:{45}:${campaign}:unswept`)), 'deadbeef 45');
    await redis.call('DEL', `sg:{45}:${campaign}:matchlock`);
    // now it is: the preview sweeps the scope first and counts right
    p = await matchRun(false);
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json.registrations, 0, 'the assigned registration is not offered again');
    assert.equal(await redis.call('GET', `sg:{45}:${campaign}:unswept`), null, 'mark cleared');
    assert.ok(!(await openMembers()).includes(member), 'swept');
    // an accept heals too, and creates no vehicle for it
    await stale();
    const r = await matchRun(true);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.created, []);
    assert.equal(r.json.assigned, 0);
    assert.equal(await redis.call('GET', `sg:{45}:${campaign}:unswept`), null);
    // a finished accept leaves no mark of its own
    await signUp({ dest_city: '4407', depart_date: '2027-02-11', flex_days: 0, mode: 'bus' });
    assert.equal((await matchRun(true)).json.assigned, 1);
    assert.equal(await redis.call('GET', `sg:{45}:${campaign}:unswept`), null);
});
