// SPDX-License-Identifier: MIT
// Browser-test helpers: Debian's /usr/bin/chromium driven by playwright-core, headless,
// with a fresh profile, a 360×740 phone viewport and a Chinese locale; the server and
// Redis come from the integration harness. Screenshots go to $SONGGONG_TEST_OUT/screens.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { OUT_DIR, REPO } from '../../integration/lib/harness.mjs';

export const CHROMIUM = process.env.SONGGONG_CHROMIUM || '/usr/bin/chromium';
export const SCREEN_DIR = path.join(OUT_DIR, 'screens');
export const VILLAGE = '450102001201'; // 官桥村委会, a rural village (deploy/up.sh's sample)
export const CAMPAIGN = '2027-spring';

const ARGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
];

/** A phone-sized browser (opts: userAgent); close() removes its profile. */
export async function launch({ userAgent } = {}) {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: tests/run.sh installs Debian's chromium`);
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: ARGS,
        viewport: { width: 360, height: 740 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        ...(userAgent ? { userAgent } : {}),
    });
    context.setDefaultTimeout(15000);
    return {
        context,
        async close() {
            await context.close();
            fs.rmSync(profile, { recursive: true, force: true });
        },
    };
}

/** A new page that records what it sends and every console error or page error. */
export async function openPage(context) {
    const page = await context.newPage();
    page.sent = [];
    page.problems = [];
    page.on('request', (r) => page.sent.push({ method: r.method(), url: r.url() }));
    page.on('console', (m) => {
        if (m.type() === 'error') page.problems.push(m.text());
    });
    page.on('pageerror', (e) => page.problems.push(String(e)));
    return page;
}

/**
 * Open the sign-up page of village with nothing kept from earlier tests (drafts, queue:
 * the pages of one browser share localStorage) and wait until its data has loaded.
 */
export async function openSignup(context, baseUrl, village = VILLAGE) {
    const page = await openPage(context);
    await page.goto(`${baseUrl}/s/${village}`);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.waitForFunction(() => document.querySelector('#f-province').options.length > 30);
    await page.waitForFunction(() => document.querySelector('#village-name').textContent !== '');
    page.sent.length = 0;
    return page;
}

/** POSTs the page sent to path. */
export function posts(page, urlPath) {
    return page.sent.filter((r) => r.method === 'POST' && new URL(r.url).pathname === urlPath);
}

export async function shot(page, name, { fullPage = true } = {}) {
    fs.mkdirSync(SCREEN_DIR, { recursive: true });
    const file = path.join(SCREEN_DIR, `${name}.png`);
    await page.screenshot({ path: file, fullPage });
    return file;
}

/** The village's names from province down, from the division data the server loads. */
export function villagePath(code = VILLAGE) {
    const names = new Map();
    for (const line of fs.readFileSync(path.join(REPO, 'data', 'divisions-45.tsv'), 'utf8').split('\n')) {
        const [c, n] = line.split('\t');
        if (n) names.set(c, n);
    }
    return [2, 4, 6, 9, 12].map((len) => names.get(code.slice(0, len)));
}

/** Pick a chip (radio shown as a button) by its label inside a field. */
export async function chip(scope, field, label) {
    await scope.locator(`[data-field="${field}"] .chip`, { hasText: label }).first().click();
}

/** Fill the whole sign-up form for person p ({name, id_number, phone}); companions too. */
export async function fillForm(page, p, companions = []) {
    await page.fill('#f-name', p.name);
    await page.fill('#f-id', p.id_number);
    await page.fill('#f-phone', p.phone);
    await chip(page, 'poverty', p.poverty || '不是');
    await page.selectOption('#f-province', '44');
    await page.selectOption('#f-city', '4419');
    await page.fill('#f-employer', '东莞市某电子有限公司');
    await chip(page, 'job_confirmed', '已经找好');
    await page.fill('#f-date', '2027-02-03');
    await chip(page, 'flex_days', '1天');
    await chip(page, 'mode', '汽车');
    for (const [i, c] of companions.entries()) {
        await page.click('#add-companion');
        await page.fill(`[name="companions[${i}].name"]`, c.name);
        await page.fill(`[name="companions[${i}].id_number"]`, c.id_number);
        if (c.phone) await page.fill(`[name="companions[${i}].phone"]`, c.phone);
        await chip(page, `companions[${i}].poverty`, c.poverty || '不是');
    }
    await page.check('#f-consent');
}

/** The registrations stored in this Redis: their codes. */
export async function storedCodes(redis) {
    const c = await redis.client();
    try {
        const keys = await c.call('KEYS', 'sg:{45}:reg:*');
        return keys.map((k) => String(k).slice('sg:{45}:reg:'.length)).sort();
    } finally {
        c.close();
    }
}

/** The two screens every changed page is looked at on: a cheap phone and a staff laptop. */
export const SIZES = [
    { name: 'phone', width: 360, height: 740 },
    { name: 'laptop', width: 1366, height: 768 },
];

/** A page of its own at size ({width, height}): the phone one touch-enabled like the others. */
export async function openSized(context, size) {
    const page = await openPage(context);
    await page.setViewportSize({ width: size.width, height: size.height });
    return page;
}

/** Log into the staff app as user (password: the test accounts' one) and wait for the tabs. */
export async function staffLogin(page, baseUrl, user, password = 'correct-horse-9', hash = '') {
    await page.context().clearCookies(); // the pages of one browser share cookies: log in afresh
    await page.goto(`${baseUrl}/staff/${hash}`);
    await page.getByLabel('用户名').fill(user);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('nav#tabs').waitFor();
    page.problems.length = 0; // the login page's own "not logged in yet" (401) is expected
}

/** The page is no wider than the viewport: nothing to scroll sideways (inner scroll boxes aside). */
export async function assertNoSideways(page, what) {
    const w = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, view: window.innerWidth }));
    if (Math.max(w.doc, w.body) > w.view) throw new Error(`${what}: the page is ${Math.max(w.doc, w.body)} px wide in a ${w.view} px viewport`);
}

/** True when the element is wholly inside the viewport now. */
export async function inViewport(locator) {
    return locator.evaluate((e) => {
        const r = e.getBoundingClientRect();
        return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth && r.height > 0;
    });
}

/** Pairs of the given elements whose boxes overlap (by more than 1 px each way). */
export async function overlaps(locator) {
    const boxes = await locator.evaluateAll((els) =>
        els.map((e) => {
            const r = e.getBoundingClientRect();
            return { text: e.textContent, l: r.left, r: r.right, t: r.top, b: r.bottom, w: r.width };
        }).filter((b) => b.w > 0),
    );
    const out = [];
    for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i], b = boxes[j];
            if (Math.min(a.r, b.r) - Math.max(a.l, b.l) > 1 && Math.min(a.b, b.b) - Math.max(a.t, b.t) > 1) out.push(`${a.text} × ${b.text}`);
        }
    return out;
}
