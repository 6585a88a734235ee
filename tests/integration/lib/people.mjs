// SPDX-License-Identifier: MIT
// Made-up people for the tests: valid GB 11643-1999 ID numbers, mobile numbers, and
// sign-up bodies that the API accepts as they are.
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './harness.mjs';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The check character for the first 17 digits of an ID number. */
export function checkChar(first17) {
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
    return CHECK[sum % 11];
}

/** A full ID number from a 6-digit region, a YYYYMMDD birth date and a 3-digit sequence. */
export function idNumber(region, birth, seq) {
    const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`;
    return first17 + checkChar(first17);
}

// Unique within one test process: every ID gets its own birth day (1975 onward), every
// phone its own number. The random start keeps two runs against one Redis apart.
let counter = Math.floor(Math.random() * 4000);
const BASE = Date.UTC(1975, 0, 1);

function birthFor(n) {
    const d = new Date(BASE + (n % 10000) * 86400000);
    return d.toISOString().slice(0, 10).replaceAll('-', '');
}

/** A fresh valid ID number; {x: true} gives one that ends in X. */
export function newId({ x = false, region = '450102' } = {}) {
    const n = counter++;
    const birth = birthFor(n);
    for (let seq = 100 + (n % 800); ; seq++) {
        const id = idNumber(region, birth, seq % 1000);
        if (!x || id.endsWith('X')) return id;
    }
}

/** A fresh 11-digit mobile number. */
export function newPhone() {
    const n = counter++;
    return `139${String(10000000 + ((n * 7919) % 90000000)).slice(-8)}`;
}

/** The same ID with the check digit wrong. */
export function badCheck(id) {
    const c = id[17] === '0' ? '1' : '0';
    return id.slice(0, 17) + (checkChar(id.slice(0, 17)) === c ? '2' : c);
}

let villageCache;
/** A real village code: 450102001001 if the data has it, else the first 12-digit code. */
export function village() {
    if (villageCache) return villageCache;
    const f = path.join(REPO, 'data', 'divisions-45.tsv');
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: the division data is needed`);
    const text = fs.readFileSync(f, 'utf8');
    if (/(^|[^0-9])450102001001([^0-9]|$)/.test(text)) villageCache = '450102001001';
    else {
        const m = text.match(/(?:^|[^0-9])([0-9]{12})(?![0-9])/);
        if (!m) throw new Error(`no 12-digit village code in ${f}`);
        villageCache = m[1];
    }
    return villageCache;
}

export const NAMES = ['韦小宝', '黄秀英', '李志强', '覃丽华', '陆建国', '蒙海燕', '潘文军', '莫春兰'];

/** A companion who passes validation. */
export function companion(over = {}) {
    return { name: NAMES[1 + (counter % 7)], id_number: newId(), phone: '', poverty: 'none', ...over };
}

/** A sign-up body the API accepts (201), with fields overridden by `over`. */
export function signup(over = {}) {
    return {
        village: village(),
        name: '韦小宝',
        id_number: newId(),
        phone: newPhone(),
        dest_city: '4419',
        employer: '东莞市某电子有限公司',
        job_confirmed: true,
        depart_date: '2027-02-03',
        flex_days: 1,
        mode: 'any',
        poverty: 'none',
        companions: [],
        consent: true,
        ...over,
    };
}

/** Every ID and phone number in a body (worker and companions). */
export function secretsOf(body) {
    const out = [body.id_number, body.phone];
    for (const c of body.companions || []) {
        out.push(c.id_number);
        if (c.phone) out.push(c.phone);
    }
    return out.filter(Boolean);
}
