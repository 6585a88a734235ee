// SPDX-License-Identifier: MIT
// site/staff/js/audit.js: every action the server writes to the audit log (found in the C
// sources: sg_staff_audit, sg__staff_audit_as, the CLI's audit) has a Chinese name, and
// each detail the server writes is told in words, never as the raw codes ("manifest",
// "json, 4 registrations").
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// its imports (the API and DOM helpers) are only used when shown: left out, as next.test.mjs does
const src = fs.readFileSync(path.join(REPO, 'site/staff/js/audit.js'), 'utf8').replace(/^import .*$/gm, '');
const { ACTIONS, describe, who } = await import(`data:text/javascript,${encodeURIComponent(src)}`);

function sources(dir) {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(path.join(dir, d.name)) : d.name.endsWith('.c') ? [path.join(dir, d.name)] : []));
}

test('every action written anywhere has a Chinese name', () => {
    const written = new Set();
    for (const f of sources(path.join(REPO, 'backend'))) {
        const src = fs.readFileSync(f, 'utf8');
        for (const m of src.matchAll(/(?:sg_staff_audit(?:_once)?\([^,]+|sg__staff_audit_as\([^,]+,[^,]+,[^,]+|audit\(s, loop)\s*,\s*(?:[^,?]+\?\s*)?"([a-z_]+)"(?:\s*:\s*"([a-z_]+)")?/g)) {
            written.add(m[1]);
            if (m[2]) written.add(m[2]);
        }
        for (const m of src.matchAll(/snprintf\(a\.action, sizeof\(a\.action\), "([a-z_]+)"\)/g)) written.add(m[1]);
        // an action chosen before it is written: p->action = x ? "phone_view" : ... "notified";
        for (const m of src.matchAll(/->action = ([^;]+);/g)) for (const n of m[1].matchAll(/"([a-z_]+)"/g)) written.add(n[1]);
    }
    assert.ok(written.size >= 20, [...written].join());
    for (const a of written) assert.match(ACTIONS[a] || '', /\p{Script=Han}/u, `no Chinese name for ${a}`);
});

test('details in words', () => {
    const cases = [
        [{ action: 'manifest', detail: 'json, 4 registrations' }, '网页，4份报名'],
        [{ action: 'manifest_full', detail: 'xlsx, 12 registrations' }, 'Excel，12份报名'],
        [{ action: 'export', detail: 'csv campaign=2027-spring q= status= dest_city= date= rows=12' }, 'CSV，12行'],
        [{ action: 'export_full', detail: 'xlsx campaign=2027-spring q=韦 status=registered dest_city= date=2027-02-03 rows=3 aborted' }, 'Excel，3行（搜索“韦”，状态 registered，出发 2027年2月3日）（中断）'],
        [{ action: 'checkin', detail: '12 by code' }, '12号车，在名单上点签到'],
        [{ action: 'returns', detail: '120/100/19 as of 2027-01-10' }, '外出120、返乡100、未返乡19，截至2027年1月10日'],
        [{ action: 'funding', detail: '15000 yuan, 自治区就业补助资金' }, '1.5万元，自治区就业补助资金'],
        [{ action: 'report_file', detail: 'filing 3, until 2027-01-31' }, '存档编号3，统计截至2027年1月31日'],
        [{ action: 'match_accept', detail: 'assigned 10 registrations (14 people), 1 new vehicles, 2 skipped' }, '编入10份报名（14人），新建1辆车，2份没有编入'],
        [{ action: 'edit', detail: 'depart_date 2027-02-03 -> 2027-02-20; people[1].poverty -> alleviated; people[2]. removed' }, '出发日期 2027年2月3日 改为 2027年2月20日；同行人1脱贫 改为 脱贫人口；同行人2删除'],
        [{ action: 'edit', detail: 'no change' }, '没有改动'],
        [{ action: 'user_add', detail: 'organiser' }, '组织方'],
        [{ action: 'push', detail: 'people 312 jobs 3,7 filter {"village":"450102001201"}' }, '推送给312人，岗位编号 3、7'],
        [{ action: 'employer_create', detail: '91450100MA5KXXXX0X' }, '统一社会信用代码 91450100MA5KXXXX0X'],
        [{ action: 'notify_retry', detail: '450102001201' }, '村 450102001201'],
        [{ action: 'phone_view', detail: 'person 1 138****5678' }, '同行人1 138****5678'],
        [{ action: 'no_show', detail: 'vehicle 12' }, '12号车'],
    ];
    for (const [e, want] of cases) assert.equal(describe(e), want, JSON.stringify(e));
});

test('the command line on the server is named so', () => {
    assert.equal(who('cli:?'), '服务器命令行');
    assert.equal(who('cli:root'), '服务器命令行（root）');
    assert.equal(who('cun.gan'), 'cun.gan');
});
