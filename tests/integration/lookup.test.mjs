// SPDX-License-Identifier: MIT
// POST /api/registrations/lookup {"id_number","phone4"}: a worker who lost the code gets
// the same masked answer as GET /api/registrations/{code}?phone4= (code included), with
// the ID number of the worker or of a companion; any wrong pair (unknown or cancelled ID
// number, wrong phone4) is one and the same 404; a malformed number is a 422 next to its
// field; every try counts against the ID number in Redis (SONGGONG_LIMIT_CODE, here its
// production value 10/3600): the 11th within the hour is a 429 with Retry-After and a
// Chinese message, whether the ID number is registered or not, a flood of parallel tries
// gets no more than 10 through, and a right answer forgives.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack } from './lib/harness.mjs';
import { companion, newId, signup } from './lib/people.mjs';

let stack, srv, redis;
before(async () => {
    stack = await startStack('lookup', { env: { SONGGONG_LIMIT_CODE: '10/3600', SONGGONG_LIMIT_LOOKUP: '10000/60' } });
    srv = stack.server;
    redis = await stack.redis.client();
});
after(async () => {
    redis?.close();
    await stack?.close();
});

const lookup = (id_number, phone4) => srv.post('/api/registrations/lookup', { id_number, phone4 });

async function signUp(body) {
    const r = await srv.post('/api/registrations', body);
    assert.equal(r.status, 201, r.text);
    return r.json.code;
}

/** The attempt counters of ID numbers in Redis, by key. */
async function attemptKeys() {
    return (await redis.call('KEYS', 'sg:{45}:limit:code:id-*')).map(String);
}

describe('lookup by ID number', () => {
    test('the same answer as the lookup by code, for the worker and a companion', async () => {
        const body = signup({ companions: [companion()] });
        const code = await signUp(body);
        const phone4 = body.phone.slice(-4);
        const byCode = await srv.get(`/api/registrations/${code}?phone4=${phone4}`);
        assert.equal(byCode.status, 200);
        for (const id of [body.id_number, body.companions[0].id_number, ` ${body.id_number.slice(0, 6)} ${body.id_number.slice(6)} `]) {
            const r = await lookup(id, phone4);
            assert.equal(r.status, 200, r.text);
            assert.deepEqual(r.json, byCode.json);
            assert.equal(r.json.code, code);
            assert.doesNotMatch(r.text, new RegExp(body.id_number), 'masked');
            assert.doesNotMatch(r.text, new RegExp(body.phone), 'masked');
        }
    });

    test('a wrong phone4, an unknown and a cancelled ID number: the same 404', async () => {
        const body = signup();
        const code = await signUp(body);
        const gone = signup();
        const goneCode = await signUp(gone);
        assert.equal((await srv.post(`/api/registrations/${goneCode}/cancel`, { phone4: gone.phone.slice(-4) })).status, 200);
        const wrong4 = body.phone.slice(-4) === '0000' ? '1111' : '0000';
        const answers = [await lookup(body.id_number, wrong4), await lookup(newId(), body.phone.slice(-4)), await lookup(gone.id_number, gone.phone.slice(-4))];
        for (const r of answers) {
            assert.equal(r.status, 404, r.text);
            assert.deepEqual(r.json, answers[0].json, 'nothing tells an unknown ID number from a wrong phone4');
        }
        assert.equal(answers[0].json.error.code, 'not_found');
        assert.ok(code);
    });

    test('a malformed ID number or phone4: 422 next to the field, nothing counted', async () => {
        const before0 = (await attemptKeys()).length;
        const id = newId();
        const badCheck = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
        let r = await lookup(badCheck, '1234');
        assert.equal(r.status, 422, r.text);
        assert.equal(r.json.error.fields.id_number, '身份证号最后一位不对，请再核对一遍');
        r = await lookup(id, '12a4');
        assert.equal(r.status, 422);
        assert.equal(r.json.error.fields.phone4, '请填写手机号的最后4位数字');
        r = await srv.post('/api/registrations/lookup', {});
        assert.equal(r.status, 422);
        assert.deepEqual(Object.keys(r.json.error.fields).sort(), ['id_number', 'phone4']);
        assert.equal((await attemptKeys()).length, before0);
        assert.equal((await srv.get('/api/registrations/lookup')).status, 405);
    });
});

describe('the attempt limit per ID number', () => {
    test('10 wrong tries an hour, then 429 with Retry-After, even with the right phone4', async () => {
        const body = signup();
        await signUp(body);
        const right = body.phone.slice(-4);
        const wrong = right === '0000' ? '1111' : '0000';
        for (let i = 0; i < 10; i++) assert.equal((await lookup(body.id_number, wrong)).status, 404, `try ${i + 1}`);
        const r = await lookup(body.id_number, right);
        assert.equal(r.status, 429, r.text);
        assert.equal(r.json.error.code, 'too_many_attempts');
        assert.match(r.json.error.message, /次数太多/);
        const after = Number(r.headers.get('retry-after'));
        assert.ok(after > 3500 && after <= 3600, `Retry-After ${after}`);
        // the counter is kept by the ID number's keyed hash: no ID number in the key
        const keys = await attemptKeys();
        assert.ok(keys.every((k) => /^sg:\{45\}:limit:code:id-[0-9a-f]{32}$/.test(k)), keys.join());
        assert.ok(keys.every((k) => !k.includes(body.id_number)));
        const counts = await Promise.all(keys.map(async (k) => Number(await redis.call('GET', k))));
        const key = keys[counts.findIndex((n) => n === 10)];
        assert.ok(key, `one key holds the 10 wrong tries (a refused one is not counted): ${counts}`);
        const ttl = Number(await redis.call('TTL', key));
        assert.ok(ttl > 3500 && ttl <= 3600, `TTL ${ttl}`);
        // once the window is over (here: the key expires), the right pair answers again
        for (const k of keys) await redis.call('DEL', k);
        assert.equal((await lookup(body.id_number, right)).status, 200);
    });

    test('an unregistered ID number is limited the same way (the 429 says nothing either)', async () => {
        const id = newId();
        for (let i = 0; i < 10; i++) assert.equal((await lookup(id, '1234')).status, 404);
        assert.equal((await lookup(id, '1234')).status, 429);
        // another ID number is not affected
        assert.equal((await lookup(newId(), '1234')).status, 404);
    });

    test('30 parallel tries: 10 answered, 20 refused', async () => {
        const id = newId();
        const answers = await Promise.all(Array.from({ length: 30 }, () => lookup(id, '4321')));
        const by = (s) => answers.filter((r) => r.status === s).length;
        assert.equal(by(404), 10);
        assert.equal(by(429), 20);
    });

    test('a right answer forgives the tries before it', async () => {
        const body = signup();
        await signUp(body);
        const right = body.phone.slice(-4);
        const wrong = right === '0000' ? '1111' : '0000';
        for (let i = 0; i < 9; i++) await lookup(body.id_number, wrong);
        assert.equal((await lookup(body.id_number, right)).status, 200);
        for (let i = 0; i < 10; i++) assert.equal((await lookup(body.id_number, wrong)).status, 404, `try ${i + 1} after the right one`);
        assert.equal((await lookup(body.id_number, wrong)).status, 429);
    });
});
