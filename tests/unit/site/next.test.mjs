// SPDX-License-Identifier: MIT
// site/staff/js/next.js: after logging in, the staff page follows ?next= only to a path of
// the staff pages on this server (no open redirect). Pure function, loaded alone in node.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const src = fs.readFileSync(path.join(REPO, 'site/staff/js/next.js'), 'utf8');
const { safeNext } = await import(`data:text/javascript,${encodeURIComponent(src)}`);
const ORIGIN = 'https://songgong.example.cn';

test('a staff path comes back as it was, query and hash included', () => {
    for (const p of ['/staff/checkin.html#7KQ2M9XAab12cd34ef56ab12cd34', '/staff/', '/staff/#/boarding/12', '/staff/report.html?scope=4501&until=2027-02-10'])
        assert.equal(safeNext(p, ORIGIN), p);
});

test('another host, scheme or place is refused', () => {
    const bad = [
        null, undefined, '', 42,
        'https://evil.example/staff/', '//evil.example/staff/', '///evil.example', '/\\evil.example/',
        '/staff/\\\\evil.example', 'javascript:alert(1)', ' /staff/', '/staff', '/status', '/s/450102001201',
        '/staff/../s/450102001201', '/staff/%2e%2e/api/me', '/staff/\nx', '/staff/' + 'x'.repeat(600),
    ];
    for (const p of bad) assert.equal(safeNext(p, ORIGIN), null, String(p));
});
