// SPDX-License-Identifier: MIT
// The sign-up page's budget, measured from the browser's own network log (Chrome
// DevTools Protocol, encodedDataLength = bytes on the wire, headers included): page, CSS,
// JS and the API data it loads together at most 30 KB, every request to the page's own
// origin, compressed; the strict CSP is sent and nothing on the page violates it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../integration/lib/harness.mjs';
import { VILLAGE, launch, openPage, shot } from './lib/browser.mjs';

const BUDGET = 30 * 1024;

let stack, browser;
before(async () => {
    stack = await startStack('browser-weight');
    browser = await launch();
});
after(async () => {
    await browser?.close();
    await stack?.close();
});

async function measure(urlPath, ready) {
    const page = await openPage(browser.context);
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const reqs = new Map();
    cdp.on('Network.requestWillBeSent', (e) => reqs.set(e.requestId, { url: e.request.url, bytes: 0 }));
    cdp.on('Network.responseReceived', (e) => {
        const r = reqs.get(e.requestId);
        if (r) r.headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    });
    cdp.on('Network.loadingFinished', (e) => {
        const r = reqs.get(e.requestId);
        if (r) r.bytes = e.encodedDataLength;
    });
    await page.goto(stack.server.url + urlPath);
    await page.waitForFunction(ready);
    await page.waitForLoadState('networkidle');
    // data: URLs (the empty icon) never touch the network
    const net = [...reqs.values()].filter((r) => !r.url.startsWith('data:'));
    return { page, net, total: net.reduce((s, r) => s + r.bytes, 0) };
}

function report(net, total) {
    return `${total} bytes:\n${net.map((r) => `  ${r.bytes}\t${r.url}`).join('\n')}`;
}

test(`/s/{village}: at most ${BUDGET} bytes on the wire, one origin, gzip, CSP`, async () => {
    const { page, net, total } = await measure(`/s/${VILLAGE}`, () => document.querySelector('#f-province').options.length > 30 && document.querySelector('#village-name').textContent !== '');
    console.log(`page weight of /s/${VILLAGE}: ${report(net, total)}`);
    assert.ok(total <= BUDGET, `over budget: ${report(net, total)}`);
    assert.ok(net.length >= 5, report(net, total));
    const origin = new URL(stack.server.url).origin;
    for (const r of net) assert.equal(new URL(r.url).origin, origin, `third-party request: ${r.url}`);
    const doc = net.find((r) => new URL(r.url).pathname === `/s/${VILLAGE}`);
    assert.match(doc.headers['content-security-policy'], /default-src 'self'/);
    assert.doesNotMatch(doc.headers['content-security-policy'], /unsafe-inline|unsafe-eval/);
    for (const r of net.filter((x) => /\.(css|js)$|\/s\/|\/api\/destinations/.test(new URL(x.url).pathname))) {
        assert.equal(r.headers['content-encoding'], 'gzip', `not compressed: ${r.url}`);
    }
    assert.deepEqual(page.problems, [], 'no console errors (CSP violations show there)');
    const html = await page.content();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    await page.close();
});

test(`/status: within the budget and one origin too`, async () => {
    const { page, net, total } = await measure('/status', () => !!document.querySelector('#f-code'));
    console.log(`page weight of /status: ${report(net, total)}`);
    assert.ok(total <= BUDGET, report(net, total));
    for (const r of net) assert.equal(new URL(r.url).origin, new URL(stack.server.url).origin, r.url);
    assert.deepEqual(page.problems, []);
    await shot(page, '0-status-empty');
    await page.close();
});

test('the landing page / points to the QR poster and the status page', async () => {
    const page = await openPage(browser.context);
    await page.goto(stack.server.url + '/');
    assert.ok((await page.textContent('body')).includes('二维码'));
    assert.equal(await page.getAttribute('a[href="/status"]', 'href'), '/status');
    await shot(page, '0-landing');
    await page.close();
});
