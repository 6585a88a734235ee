// SPDX-License-Identifier: MIT
// Staff accounts for the tests: `songgong user add` (password on stdin) and a logged-in
// client that sends the session cookie, and the CSRF token on state-changing requests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO, binary } from './harness.mjs';

export const PASSWORD = 'correct-horse-9';

/** Add an account on the server's Redis; throws when the command fails. */
export function addUser(server, name, role, scope) {
    // The CLI's event loop is not freed at exit (h2o 2.2.5 has no evloop destroy): no leak check.
    const env = { ...server.env, ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1' };
    const r = spawnSync(binary(), ['user', 'add', name, '--role', role, '--scope', scope], {
        env,
        cwd: REPO,
        input: `${PASSWORD}\n`,
        encoding: 'utf8',
        timeout: 60000,
    });
    if (r.status !== 0) throw new Error(`songgong user add ${name} failed (${r.status}): ${r.stderr}`);
}

/** Log in; returns a client with get/post/request that carry the session. */
export async function login(server, name, password = PASSWORD) {
    const r = await server.post('/api/login', { username: name, password });
    if (r.status !== 200) throw new Error(`login ${name}: ${r.status} ${r.text}`);
    const cookie = r.headers.get('set-cookie').split(';')[0];
    const csrf = r.json.csrf;
    const withSession = (opts = {}) => ({ ...opts, headers: { Cookie: cookie, 'X-CSRF-Token': csrf, ...(opts.headers || {}) } });
    return {
        me: r.json,
        cookie,
        csrf,
        get: (p, opts) => server.get(p, withSession(opts)),
        post: (p, json, opts) => server.post(p, json, withSession(opts)),
        request: (m, p, opts) => server.request(m, p, withSession(opts)),
    };
}

let divisions;
/** Every division of the data set as [code, name], in code order. */
export function allDivisions() {
    if (!divisions) {
        const text = fs.readFileSync(path.join(REPO, 'data', 'divisions-45.tsv'), 'utf8');
        divisions = text
            .split('\n')
            .filter((l) => /^[0-9]/.test(l))
            .map((l) => l.split('\t'));
    }
    return divisions;
}

/** The first n villages under prefix. */
export function villagesUnder(prefix, n = 1) {
    return allDivisions()
        .filter(([c]) => c.length === 12 && c.startsWith(prefix))
        .slice(0, n)
        .map(([c]) => c);
}
