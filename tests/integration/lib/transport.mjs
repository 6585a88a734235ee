// SPDX-License-Identifier: MIT
// Helpers of the transport tests: staff accounts made with `songgong user add` (password
// on stdin), logged-in sessions, and a complete vehicle plan.
import { spawnSync } from 'node:child_process';
import { binary, REPO } from './harness.mjs';

export const PASSWORD = 'correct horse battery';

/** `songgong user add NAME --role R --scope S` against the stack's Redis. */
export function addUser(server, name, role, scope) {
    const r = spawnSync(binary(), ['user', 'add', name, '--role', role, '--scope', scope], {
        env: server.env,
        cwd: REPO,
        input: PASSWORD + '\n',
        encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`songgong user add ${name}: ${r.stderr}`);
}

/** Log in: a client whose requests carry the session cookie and the CSRF token. */
export async function login(server, name) {
    const r = await server.post('/api/login', { username: name, password: PASSWORD });
    if (r.status !== 200) throw new Error(`login ${name}: ${r.status} ${r.text}`);
    const cookie = r.headers.get('set-cookie').split(';')[0];
    const csrf = r.json.csrf;
    const headers = (h = {}) => ({ Cookie: cookie, 'X-CSRF-Token': csrf, ...h });
    return {
        name,
        get: (p, o = {}) => server.get(p, { ...o, headers: headers(o.headers) }),
        post: (p, json, o = {}) => server.post(p, json, { ...o, headers: headers(o.headers) }),
        patch: (p, json, o = {}) => server.request('PATCH', p, { ...o, json, headers: headers(o.headers) }),
        del: (p, o = {}) => server.request('DELETE', p, { ...o, headers: headers(o.headers) }),
    };
}

/** A complete bus plan (ready to board), fields overridable. */
export function busPlan(over = {}) {
    return {
        campaign: '2027-spring',
        scope: '4501',
        type: 'bus',
        number: '桂A12345',
        capacity: 50,
        dest_city: '4419',
        employer: '东莞市宏达电子有限公司',
        depart_date: '2027-02-03',
        depart_time: '08:30',
        arrive_time: '18:00',
        stops: [
            { name: '民生街道政府门口', time: '07:00' },
            { name: '新竹社区村委', time: '07:40' },
        ],
        drivers: ['李建国', '王大伟'],
        escort_name: '黄志强',
        escort_phone: '13912345678',
        emergency: '兴宁区人社局 0771-1234567',
        notes: '途中不停靠未登记站点',
        ...over,
    };
}

/**
 * A matching run's "min_load" that proposes a vehicle for any group however small: for
 * tests of what matching feeds (seats, manifests, check-in, reports) with a handful of
 * people, far below the default minimum loads (a bus half full, a train 300, a flight 100).
 */
export const NO_MINIMUM = { bus: 1, train: 1, flight: 1 };
