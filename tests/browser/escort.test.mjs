// SPDX-License-Identifier: MIT
// The escort (上车签到) on a phone (360×740) and a laptop (1366×768): the vehicle picked by
// its plate and date (no internal number to type); 扫码签到 opens the scanning loop, where
// the camera (here a stream the test draws the workers' real check-in QR codes into, read
// by jsQR as on a phone without BarcodeDetector) checks one group after another on the
// same page: a good check-in goes on to the next scan by itself, a refusal waits for one
// tap on 扫下一个, the same code still in front of the camera is not checked twice. Inside
// WeChat, with the server's official account (a stand-in for WeChat's API, and for the
// WeixinJSBridge WeChat puts in its pages), WeChat's own scanner opens again and again.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { startStack } from '../integration/lib/harness.mjs';
import { signup } from '../integration/lib/people.mjs';
import { addUser, login } from '../integration/lib/staff.mjs';
import { busPlan } from '../integration/lib/transport.mjs';
import { SIZES, assertNoSideways, launch, openSized, shot, staffLogin } from './lib/browser.mjs';

let stack, srv, browser, vehicleId, wechatApi;
const groups = [];

// getUserMedia answers with a canvas the test paints: window.__show(url) puts a picture
// (a check-in QR code) in front of the "camera", window.__show(null) a blank wall
const FAKE_CAMERA = () => {
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 480;
    const g = canvas.getContext('2d');
    let img = null;
    const paint = () => {
        g.fillStyle = '#8a8a8a';
        g.fillRect(0, 0, 640, 480);
        if (img) {
            g.fillStyle = '#fff';
            g.fillRect(150, 70, 340, 340);
            g.drawImage(img, 170, 90, 300, 300);
        }
        requestAnimationFrame(paint);
    };
    paint();
    window.__show = (url) =>
        new Promise((resolve) => {
            if (!url) {
                img = null;
                return resolve();
            }
            const i = new Image();
            i.onload = () => {
                img = i;
                resolve();
            };
            i.src = url;
        });
    window.__cameraOpened = 0;
    navigator.mediaDevices.getUserMedia = async () => {
        window.__cameraOpened++;
        return canvas.captureStream(15);
    };
    if ('BarcodeDetector' in window) delete window.BarcodeDetector; // the jsQR path, as on most phones
};

// WeChat's API as the server calls it (token, then the jsapi ticket)
function fakeWeChatApi() {
    return new Promise((resolve) => {
        const s = http.createServer((req, res) => {
            const u = new URL(req.url, 'http://x');
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify(u.pathname === '/cgi-bin/token' ? { access_token: 'T0KEN', expires_in: 7200 } : { errcode: 0, ticket: 'TICKET', expires_in: 7200 }));
        });
        s.listen(0, '127.0.0.1', () => resolve(s));
    });
}

// WeChat's bridge as the JS-SDK calls it: config is accepted, each scanQRCode answers the
// next code the test queued (window.__wxCodes), and what was asked is kept in __wxCalls
const FAKE_WEIXIN_BRIDGE = () => {
    window.__wxCalls = [];
    window.__wxCodes = [];
    window.WeixinJSBridge = {
        invoke(name, params, cb) {
            window.__wxCalls.push({ name, params });
            const answer = () => {
                if (name !== 'scanQRCode') return cb({ err_msg: `${name}:ok` });
                if (!window.__wxCodes.length) return setTimeout(answer, 100); // the escort aims
                cb({ err_msg: 'scanQRCode:ok', resultStr: window.__wxCodes.shift() });
            };
            setTimeout(answer, 50);
        },
        on() {},
    };
};

before(async () => {
    wechatApi = await fakeWeChatApi();
    stack = await startStack('browser-escort', { env: { SONGGONG_WECHAT_APPID: 'wx0123456789abcdef', SONGGONG_WECHAT_SECRET: 'test-secret', SONGGONG_WECHAT_API: `http://127.0.0.1:${wechatApi.address().port}` } });
    srv = stack.server;
    addUser(srv, 'org', 'organiser', '4501');
    addUser(srv, 'daidui', 'county', '450102');
    const org = await login(srv, 'org');
    const bus = await org.post('/api/vehicles', busPlan({ scope: '450102', depart_date: '2027-01-10', number: '桂A12345', captain: '韦小宝 12座', handover: '宏达电子 王芳 0769-12345678' }));
    assert.equal(bus.status, 201, bus.text);
    vehicleId = bus.json.id;
    assert.equal((await org.post('/api/vehicles', busPlan({ scope: '450102', depart_date: '2027-01-11', number: '桂A67890', dest_city: '4403' }))).status, 201);
    for (let i = 0; i < 6; i++) {
        const body = signup({ village: '450102001201', depart_date: '2027-01-10', flex_days: 0, mode: 'bus' });
        const r = await srv.post('/api/registrations', body);
        assert.equal(r.status, 201, r.text);
        groups.push({ code: r.json.code, phone4: body.phone.slice(-4), name: body.name });
    }
    const m = await org.post('/api/match', { campaign: '2027-spring', scope: '450102', accept: true });
    assert.equal(m.status, 200, m.text);
    for (const g of groups) {
        const look = await srv.get(`/api/registrations/${g.code}?phone4=${g.phone4}`);
        g.token = look.json.assignment?.checkin?.token;
        assert.ok(g.token, JSON.stringify(look.json.assignment));
        assert.equal(look.json.assignment.vehicle, vehicleId);
    }
    browser = await launch();
    await browser.context.addInitScript(FAKE_CAMERA);
});
after(async () => {
    await browser?.close();
    await stack?.close();
    wechatApi?.close();
});

for (const size of SIZES) {
    test(`the escort on a ${size.name} picks the vehicle by plate and date`, async () => {
        const page = await openSized(browser.context, size);
        await staffLogin(page, srv.url, 'daidui', undefined, '#/boarding');
        await page.getByRole('heading', { name: '上车签到' }).waitFor();
        assert.equal(await page.getByText('车辆编号').count(), 0, 'no internal number to type');
        const today = page.locator('.vehicle-picks section', { hasText: '1月10日（今天）' });
        await today.getByRole('link', { name: /桂A12345/ }).waitFor();
        assert.match(await page.textContent('.vehicle-picks'), /1月11日（明天）[\s\S]*桂A67890/);
        await page.getByLabel('车牌号或车次').fill('a678');
        assert.equal(await page.locator('.vehicle-picks a').count(), 1);
        await shot(page, `escort-${size.name}-pick`);
        await page.getByLabel('车牌号或车次').fill('桂A12345');
        await page.locator('.vehicle-picks a').click();
        await page.locator('.board-head h1', { hasText: '专车 桂A12345' }).waitFor();
        await assertNoSideways(page, 'boarding');
        await shot(page, `escort-${size.name}-boarding`);
        await page.close();
    });
}

test('扫码签到 on a phone: one group after another on one page, the camera kept open', async () => {
    const page = await openSized(browser.context, SIZES[0]);
    await staffLogin(page, srv.url, 'daidui', undefined, `#/boarding/${vehicleId}`);
    await page.locator('.board-head h1', { hasText: '桂A12345' }).waitFor();
    assert.equal(await page.textContent('.board-head .crew'), '车长：韦小宝 12座 · 到达交接：宏达电子 王芳 0769-12345678', 'the escort sees who helps on board and who receives them');
    await page.getByRole('link', { name: /扫码签到/ }).click();
    await page.waitForURL(/\/staff\/checkin\.html#scan$/);
    await page.locator('#verdict', { hasText: '对准方框' }).waitFor();
    assert.match(await page.textContent('#mine'), /桂A12345/, 'the vehicle being boarded is named');
    const qr = (g) => `/qr/checkin/${g.token}.png`;

    // the first worker shows the code: checked in, then the camera goes on by itself
    await page.evaluate((u) => window.__show(u), qr(groups[0]));
    await page.locator('#verdict', { hasText: '✓ 已签到' }).waitFor();
    assert.match(await page.textContent('#people'), new RegExp(groups[0].name));
    assert.match(await page.textContent('.next-scan'), /秒后自动继续/);
    await shot(page, 'escort-phone-scan-ok', { fullPage: false });
    // still in front of the camera: not a second check-in
    await page.locator('#verdict', { hasText: '对准方框' }).waitFor({ timeout: 6000 });
    await page.waitForTimeout(1200);
    assert.match(await page.textContent('#verdict'), /对准方框/, 'the same code is not read again');

    // the next worker: no tap needed
    await page.evaluate((u) => window.__show(u), qr(groups[1]));
    await page.locator('#verdict', { hasText: '✓ 已签到' }).waitFor();
    assert.match(await page.textContent('#people'), new RegExp(groups[1].name));

    // something that is not a check-in code: refused, waits for one tap
    await page.evaluate((u) => window.__show(u), '/qr/450102001201.png');
    await page.locator('#verdict', { hasText: '✗ 这不是签到二维码' }).waitFor();
    await page.waitForTimeout(3000);
    assert.match(await page.textContent('#verdict'), /这不是签到二维码/, 'a refusal stays until the escort taps');
    await shot(page, 'escort-phone-scan-refused', { fullPage: false });
    await page.evaluate((u) => window.__show(u), qr(groups[2]));
    await page.getByRole('button', { name: /扫下一个/ }).click();
    await page.locator('#verdict', { hasText: '✓ 已签到' }).waitFor();
    assert.match(await page.textContent('#people'), new RegExp(groups[2].name));

    assert.equal(await page.evaluate(() => window.__cameraOpened), 1, 'one camera for the whole loop');
    assert.equal(new URL(page.url()).pathname, '/staff/checkin.html', 'never a new page');
    const b = await (await page.request.get(`${srv.url}/api/vehicles/${vehicleId}/boarding`)).json();
    assert.deepEqual(b.boarded.map((g) => g.code).sort(), groups.slice(0, 3).map((g) => g.code).sort());
    assert.deepEqual(page.problems, []);
    await page.close();
});

test('扫码签到 on a laptop, and a code opened by WeChat\'s scanner goes on into the loop', async () => {
    const page = await openSized(browser.context, SIZES[1]);
    await staffLogin(page, srv.url, 'daidui');
    await page.goto(`${srv.url}/staff/checkin.html#${groups[3].token}`); // as WeChat's scanner opens it
    await page.locator('#verdict', { hasText: '✓ 已签到' }).waitFor();
    await assertNoSideways(page, 'check-in');
    await shot(page, 'escort-laptop-checkin');
    await page.evaluate((u) => window.__show(u), `/qr/checkin/${groups[0].token}.png`);
    await page.getByRole('button', { name: /扫下一个/ }).click();
    await page.locator('#verdict', { hasText: '✓ 已签到过' }).waitFor();
    await shot(page, 'escort-laptop-scan-again');
    await page.close();
});

test('inside WeChat with the official account: WeChat\'s own scanner, one code after another', async () => {
    const ua = 'Mozilla/5.0 (Linux; Android 12; V2111A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0 Mobile Safari/537.36 MicroMessenger/8.0.40.2420(0x28002837) NetType/4G Language/zh_CN';
    const wx = await launch({ userAgent: ua });
    try {
        await wx.context.addInitScript(FAKE_CAMERA);
        await wx.context.addInitScript(FAKE_WEIXIN_BRIDGE);
        const page = await openSized(wx.context, SIZES[0]);
        await staffLogin(page, srv.url, 'daidui', undefined, `#/boarding/${vehicleId}`);
        await page.locator('.board-head h1', { hasText: '桂A12345' }).waitFor();
        await page.getByRole('link', { name: /扫码签到/ }).click();
        await page.waitForURL(/\/staff\/checkin\.html#scan$/);
        // the escort aims WeChat's scanner at two workers' codes in turn
        await page.evaluate((codes) => window.__wxCodes.push(...codes), [groups[4], groups[5]].map((g) => `${srv.url}/staff/checkin.html#${g.token}`));
        await page.locator('#verdict', { hasText: '✓ 已签到' }).waitFor();
        assert.match(await page.textContent('#people'), new RegExp(groups[4].name));
        // the next one without a tap: WeChat's scanner opened again by itself
        await page.waitForFunction(() => window.__wxCodes.length === 0 && document.querySelector('#verdict').textContent === '✓ 已签到' && window.__wxCalls.filter((c) => c.name === 'scanQRCode').length >= 2, null, { timeout: 10000 });
        await page.locator('#verdict', { hasText: '✓ 已签到' }).waitFor();
        await shot(page, 'escort-phone-wechat-scan', { fullPage: false });
        const calls = await page.evaluate(() => window.__wxCalls);
        const config = calls.find((c) => c.name === 'preVerifyJSAPI');
        assert.ok(config, JSON.stringify(calls));
        assert.match(JSON.stringify(config.params), /wx0123456789abcdef/, 'signed for the official account');
        assert.match(JSON.stringify(config.params), /scanQRCode/);
        assert.equal(await page.evaluate(() => window.__cameraOpened), 0, 'no camera: WeChat\'s scanner');
        const b = await (await page.request.get(`${srv.url}/api/vehicles/${vehicleId}/boarding`)).json();
        for (const g of [groups[4], groups[5]]) assert.ok(b.boarded.some((x) => x.code === g.code), `${g.code} boarded`);
        assert.deepEqual(page.problems.filter((p) => !/open\.weixin\.qq\.com|Content Security Policy/.test(p)), []);
        await page.close();
    } finally {
        await wx.close();
    }
});
