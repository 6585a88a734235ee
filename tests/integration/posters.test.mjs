// SPDX-License-Identifier: MIT
// `songgong posters` on the real Guangxi data (no Redis needed): one page per village in
// code order (pdfinfo), each village's names on its page (pdftotext), every page of a
// township decoding to its sign-up URL at 150 dpi (pdftoppm + zbarimg), fonts embedded
// (pdffonts), label sheets whose every label decodes, a single PNG poster, the contacts
// file, and the refusals. One poster page and one label page are kept as PNG in
// $SONGGONG_TEST_OUT/posters/ for a person to look at.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OUT_DIR, REPO, binary } from './lib/harness.mjs';

const PUBLIC_URL = 'https://sg.example.cn';
const TOWNSHIP = '450225101'; // 融水苗族自治县 和睦镇, 10 villages
const COUNTY = '450225'; // 融水苗族自治县, 209 villages
const DPI = 150;
const KEEP = path.join(OUT_DIR, 'posters');

const divisions = new Map(
    fs
        .readFileSync(path.join(REPO, 'data', 'divisions-45.tsv'), 'utf8')
        .split('\n')
        .filter((l) => /^\d+\t/.test(l))
        .map((l) => l.split('\t')),
);
const villagesUnder = (scope) => [...divisions.keys()].filter((c) => c.length === 12 && c.startsWith(scope)).sort();

let tmp;
before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-posters-'));
    fs.mkdirSync(KEEP, { recursive: true });
});
after(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

function posters(args, env = {}) {
    const r = spawnSync(binary(), ['posters', ...args], {
        cwd: REPO,
        encoding: 'utf8',
        env: { ...process.env, SONGGONG_PUBLIC_URL: PUBLIC_URL, SONGGONG_DATA_DIR: 'data', ...env },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function render(args, file) {
    const r = posters([...args, '-o', file]);
    assert.equal(r.status, 0, r.stderr);
    return file;
}

const run = (cmd, args) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
const pages = (pdf) => Number(/^Pages:\s+(\d+)/m.exec(run('pdfinfo', [pdf]))[1]);
const zbar = (png) => run('zbarimg', ['--raw', '--nodbus', '-q', png]).replace(/\n$/, '');
const url = (village) => `${PUBLIC_URL}/s/${village}`;
// pdftotext keeps the glyph order; CJK runs may be split by spaces or line breaks.
const text = (pdf, page) =>
    run('pdftotext', ['-enc', 'UTF-8', ...(page ? ['-f', `${page}`, '-l', `${page}`] : []), pdf, '-']).replace(/\s+/g, '');

// Each page of pdf as PNG at DPI; returns the file names in page order.
function rasterize(pdf, prefix, extra = []) {
    run('pdftoppm', ['-r', `${DPI}`, '-png', ...extra, pdf, path.join(tmp, prefix)]);
    return fs
        .readdirSync(tmp)
        .filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.png'))
        .sort()
        .map((f) => path.join(tmp, f));
}

describe('posters of a township', () => {
    const villages = villagesUnder(TOWNSHIP);
    let pdf;
    before(() => {
        pdf = render(['--scope', TOWNSHIP], path.join(tmp, 'township.pdf'));
    });

    test('one page per village', () => {
        assert.equal(villages.length, 10);
        assert.equal(pages(pdf), villages.length);
    });

    test('each page names its county, township and village, the link and the campaign', () => {
        villages.forEach((v, i) => {
            const t = text(pdf, i + 1);
            for (const name of [divisions.get(COUNTY), divisions.get(TOWNSHIP), divisions.get(v)])
                assert.ok(t.includes(name.replace(/\s+/g, '')), `page ${i + 1}: ${name} not in ${t}`);
            assert.ok(t.includes(`sg.example.cn/s/${v}`), `page ${i + 1}: link`);
            assert.ok(t.includes('扫码报名') && t.includes('记下报名号') && t.includes('等通知'), `page ${i + 1}: steps`);
            assert.ok(t.includes('2027年春节后'), `page ${i + 1}: campaign name`);
            assert.ok(t.includes('2027年1月1日至3月31日'), `page ${i + 1}: campaign dates`);
        });
    });

    test(`every page decodes at ${DPI} dpi to its village's sign-up URL`, () => {
        const pngs = rasterize(pdf, 'township');
        assert.equal(pngs.length, villages.length);
        pngs.forEach((png, i) => assert.equal(zbar(png), url(villages[i]), `page ${i + 1}`));
        fs.copyFileSync(pngs[0], path.join(KEEP, `poster-${villages[0]}.png`));
    });

    test('fonts are embedded', () => {
        const rows = run('pdffonts', [pdf]).split('\n').slice(2).filter(Boolean);
        assert.ok(rows.length >= 1, 'no fonts');
        for (const row of rows) {
            // name type... encoding emb sub uni object ID: emb is the 5th field from the end
            const f = row.trim().split(/\s+/);
            assert.equal(f[f.length - 5], 'yes', `not embedded: ${row}`);
        }
        assert.ok(rows.some((r) => /NotoSansCJK/.test(r)), 'Noto Sans CJK not used');
    });
});

describe('posters of a county', () => {
    const villages = villagesUnder(COUNTY);
    let pdf;
    before(() => {
        pdf = render(['--scope', COUNTY], path.join(tmp, 'county.pdf'));
    });

    test('one page per village, in code order, each with its name', () => {
        assert.ok(villages.length > 200, `${villages.length}`);
        assert.equal(pages(pdf), villages.length);
        const all = run('pdftotext', ['-enc', 'UTF-8', pdf, '-']).split('\f');
        villages.forEach((v, i) => {
            const t = all[i].replace(/\s+/g, '');
            assert.ok(t.includes(divisions.get(v)), `page ${i + 1}: ${divisions.get(v)}`);
            assert.ok(t.includes(`/s/${v}`), `page ${i + 1}: ${v}`);
        });
    });

    test('first, middle and last pages decode', () => {
        for (const i of [0, villages.length >> 1, villages.length - 1]) {
            const [png] = rasterize(pdf, `county-${i + 1}`, ['-f', `${i + 1}`, '-l', `${i + 1}`]);
            assert.equal(zbar(png), url(villages[i]), `page ${i + 1}`);
        }
    });
});

describe('label sheets', () => {
    test('3 x 8 labels a page; every label of a township decodes to its village', () => {
        const villages = villagesUnder(TOWNSHIP);
        const pdf = render(['--scope', TOWNSHIP, '--labels'], path.join(tmp, 'labels.pdf'));
        assert.equal(pages(pdf), 1);
        const [sheet] = rasterize(pdf, 'labels');
        fs.copyFileSync(sheet, path.join(KEEP, `labels-${TOWNSHIP}.png`));
        const t = text(pdf);
        // A4 at 150 dpi is 1240 x 1754 pixels: decode each label on its own, as a phone would.
        const w = Math.floor(1240 / 3), h = Math.floor(1754 / 8);
        villages.forEach((v, i) => {
            assert.ok(t.includes(divisions.get(v)), divisions.get(v));
            const x = (i % 3) * (1240 / 3), y = Math.floor(i / 3) * (1754 / 8);
            const [cell] = rasterize(pdf, `label-${i}`, ['-x', `${Math.floor(x)}`, '-y', `${Math.floor(y)}`, '-W', `${w}`, '-H', `${h}`]);
            assert.equal(zbar(cell), url(v), `label ${i + 1}`);
        });
    });

    test('a county fills ceil(villages / 24) pages', () => {
        const pdf = render(['--scope', COUNTY, '--labels'], path.join(tmp, 'county-labels.pdf'));
        assert.equal(pages(pdf), Math.ceil(villagesUnder(COUNTY).length / 24));
    });
});

test('a single village as PNG decodes; PNG refuses a scope of several villages', () => {
    const v = villagesUnder(TOWNSHIP)[1];
    const png = render(['--scope', v, '--format', 'png'], path.join(tmp, 'one.png'));
    assert.equal(zbar(png), url(v));
    const r = posters(['--scope', TOWNSHIP, '--format', 'png', '-o', path.join(tmp, 'no.png')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /village/);
    assert.ok(!fs.existsSync(path.join(tmp, 'no.png')));
});

test('contacts file: the village line wins over the township line', () => {
    const [a, b] = villagesUnder(TOWNSHIP);
    const file = path.join(tmp, 'contacts.tsv');
    fs.writeFileSync(file, `# staff contacts\n${a}\t村委 韦主任 13800000001\n${TOWNSHIP}\t和睦镇政府 0772-5100000\n`);
    const pdf = render(['--scope', TOWNSHIP, '--contacts', file], path.join(tmp, 'contacts.pdf'));
    assert.ok(text(pdf, 1).includes('本村联系人：村委韦主任13800000001'), text(pdf, 1));
    assert.ok(text(pdf, 2).includes('本村联系人：和睦镇政府0772-5100000'), text(pdf, 2));
    fs.writeFileSync(file, `${a} no tab here\n`);
    const r = posters(['--scope', TOWNSHIP, '--contacts', file, '-o', path.join(tmp, 'x.pdf')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /contacts\.tsv:1/);
});

test('refusals and --help', () => {
    for (const args of [
        ['--scope', '459999', '-o', path.join(tmp, 'x.pdf')], // unknown scope
        ['--scope', TOWNSHIP], // no -o
        ['-o', path.join(tmp, 'x.pdf')], // no scope
        ['--scope', TOWNSHIP, '--format', 'svg', '-o', path.join(tmp, 'x.pdf')],
        ['--scope', TOWNSHIP, '--labels', '--format', 'png', '-o', path.join(tmp, 'x.png')],
        ['--scope', TOWNSHIP, '--campaign', 'nope', '-o', path.join(tmp, 'x.pdf')],
    ]) {
        const r = posters(args);
        assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    }
    assert.ok(!fs.existsSync(path.join(tmp, 'x.pdf')));
    const help = posters(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--scope CODE/);
    assert.match(help.stdout, /--contacts FILE/);
    const top = spawnSync(binary(), ['--help'], { encoding: 'utf8' });
    assert.match(top.stdout, /posters/);
});
