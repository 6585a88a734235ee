// SPDX-License-Identifier: MIT
// The module arrows of the C code, checked on the tree and on the built objects:
// - #include arrows between folders follow the layers (cmd → http → service → print,
//   store → domain; qr apart; cmd never includes an HTTP header);
// - inside each library no two source files call each other, directly or round a
//   circle (from the symbols each object file defines and uses, read with nm).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const BUILD = process.env.SONGGONG_BUILD_DIR;

// What each folder may include from the project (besides itself).
const ALLOWED = {
    'backend/domain': [],
    'backend/store': ['domain'],
    'backend/print': ['domain'],
    'qr': ['domain', 'qr'],
    'backend/service': ['domain', 'store', 'print'],
    'backend/http': ['domain', 'store', 'print', 'service', 'qr', 'http'],
    'backend/cmd': ['domain', 'store', 'print', 'service', 'qr', 'cmd'],
};

function sources(dir) {
    const out = [];
    for (const e of fs.readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
        const rel = path.join(dir, e.name);
        if (e.isDirectory()) out.push(...sources(rel));
        else if (/\.[ch]$/.test(e.name)) out.push(rel);
    }
    return out;
}

test('#include arrows follow the layers', () => {
    const bad = [];
    for (const [dir, allowed] of Object.entries(ALLOWED)) {
        const own = dir.split('/').pop();
        for (const f of sources(dir)) {
            for (const m of fs.readFileSync(path.join(REPO, f), 'utf8').matchAll(/^#include "([^"]+)"/gm)) {
                const top = m[1].includes('/') ? m[1].split('/')[0] : own;
                if (top !== own && !allowed.includes(top)) bad.push(`${f} includes ${m[1]}`);
            }
        }
    }
    assert.deepEqual(bad, []);
});

test('the command line includes no HTTP header', () => {
    const bad = sources('backend/cmd').filter((f) => /#include "http\//.test(fs.readFileSync(path.join(REPO, f), 'utf8')));
    assert.deepEqual(bad, []);
});

function objects(dir) {
    const out = [];
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) out.push(...objects(p));
        else if (e.name.endsWith('.c.o')) out.push(p);
    }
    return out;
}

function symbols(obj) {
    const defs = new Set(), uses = new Set();
    for (const line of execFileSync('nm', [obj], { encoding: 'utf8' }).split('\n')) {
        const m = line.match(/^\s*(?:[0-9a-f]+)?\s+([A-Za-z])\s+(\S+)$/);
        if (!m) continue;
        if (m[1] === 'U') uses.add(m[2]);
        else if (/[TDBR]/.test(m[1])) defs.add(m[2]); // global definitions only
    }
    return { defs, uses };
}

// Tarjan's strongly connected components; components of more than one file are circles.
function circles(graph) {
    let index = 0;
    const idx = new Map(), low = new Map(), stack = [], on = new Set(), out = [];
    const visit = (v) => {
        idx.set(v, index), low.set(v, index++), stack.push(v), on.add(v);
        for (const w of graph.get(v)) {
            if (!idx.has(w)) visit(w), low.set(v, Math.min(low.get(v), low.get(w)));
            else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
        }
        if (low.get(v) === idx.get(v)) {
            const comp = [];
            let w;
            do (w = stack.pop()), on.delete(w), comp.push(w);
            while (w !== v);
            if (comp.length > 1) out.push(comp.sort());
        }
    };
    for (const v of graph.keys()) if (!idx.has(v)) visit(v);
    return out;
}

test('no source files call each other in a circle, in any library', () => {
    assert.ok(BUILD, 'SONGGONG_BUILD_DIR (the build tree with the object files) must be set');
    const libs = ['sg_domain', 'sg_store', 'sg_print', 'sg_service', 'sg_http', 'sg_qr'];
    const found = [];
    for (const lib of libs) {
        const dir = execFileSync('find', [BUILD, '-type', 'd', '-name', `${lib}.dir`], { encoding: 'utf8' }).trim().split('\n')[0];
        assert.ok(dir, `${lib}.dir not found under ${BUILD}`);
        const objs = objects(dir).filter((o) => !o.includes('_lua.c.o'));
        assert.ok(objs.length > 0, `${lib} has no objects`);
        const syms = new Map(objs.map((o) => [path.relative(dir, o), symbols(o)]));
        const owner = new Map();
        for (const [f, s] of syms) for (const d of s.defs) owner.set(d, f);
        const graph = new Map();
        for (const [f, s] of syms) graph.set(f, new Set([...s.uses].map((u) => owner.get(u)).filter((g) => g && g !== f)));
        for (const c of circles(graph)) found.push(`${lib}: ${c.join(' ↔ ')}`);
    }
    assert.deepEqual(found, []);
});
