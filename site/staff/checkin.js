// SPDX-License-Identifier: MIT
// The escort's check-in, as a loop: staff/checkin.html#<token> checks the group in with
// the escort's staff session and says, big, who it is, which vehicle and seat, and 已签到
// or why not; then one tap on 扫下一个 (none after a good check-in: scanning goes on by
// itself after a moment) opens the camera on this same page, and each code read is
// checked in here, without a new page (#scan opens the camera at once). The camera reads
// codes with the browser's BarcodeDetector or jsQR (js/scan.js); inside WeChat, when the
// server has an official account, WeChat's own scanner (wx.scanQRCode) opens instead,
// again and again; where neither can be used, WeChat's "扫一扫" or the phone's camera app
// open this page for each code.
// Without a session (WeChat's browser keeps its own cookies) it goes to the staff login,
// which comes back here. The vehicle whose boarding view this phone opened last is sent
// along, so that a passenger of another vehicle is told apart instead of checked in.
import { ApiError, get, post, setCsrf } from './js/api.js';
import { fill, h } from './js/dom.js';
import { boardingVehicle, rememberBoarding } from './js/escort.js';
import { loginUrl } from './js/next.js';
import { cameraProblem, startScanner, tokenOf, wechatScanner } from './js/scan.js';
import { seatText } from './js/seat.js';

const $ = (id) => document.getElementById(id);
const SENT_TO_LOGIN = 'sg.checkin.login'; // when this tab last went to the login from here
const GO_ON_MS = 3000; // after a good check-in, the camera reads the next code by itself after this
let scanner = null; // the open camera, or null
let wechat; // WeChat's scanner (wx.scanQRCode), null when there is none; undefined until asked
let goOn = null; // the timer that resumes scanning after a good check-in
let csrfReady = false;

/** True when this tab was sent to the login from here in the last 5 minutes (and forget it). */
function backFromLogin() {
    try {
        const at = Number(sessionStorage.getItem(SENT_TO_LOGIN) || 0);
        sessionStorage.removeItem(SENT_TO_LOGIN);
        return Date.now() - at < 5 * 60000;
    } catch {
        return false; // no storage: a browser without cookies loops through the login by hand, never by itself
    }
}

function toLogin() {
    try {
        sessionStorage.setItem(SENT_TO_LOGIN, String(Date.now()));
    } catch {
        // as above
    }
    location.replace(loginUrl());
}

// why a check-in was refused, in words for the escort: [headline, what to do]
const WHY = {
    wrong_vehicle: ['不是本车乘客', '请让乘客去自己的车上车。'],
    forbidden: ['不在您的管辖范围', '这位乘客的车不归您的账号管理，不能在这里签到。请找这辆车的带队人。'],
    vehicle_closed: ['车辆已发车或已取消', '这辆车不能再签到。请联系组织方。'],
    not_assigned: ['还没有安排车辆', '这个报名还没有编进任何车辆，请联系组织方。'],
    not_found: ['二维码无效', '请让务工人员在“查询报名”页面重新打开签到二维码。'],
    not_checkin: ['这不是签到二维码', '请扫务工人员在“查询报名”页面打开的上车签到二维码。'],
};

function verdict(kind, text) {
    $('verdict').className = `verdict ${kind}`;
    $('verdict').textContent = text;
}

function say(id, text) {
    $(id).textContent = text || '';
    $(id).hidden = !text;
}

function showPeople(people) {
    fill($('people'), (people || []).map((p) => h('li', {}, h('span', { class: 'name' }, p.name), h('span', { class: 'seat' }, seatText(p)))));
}

/** The actions under a verdict: the way to the next scan first. */
function actions(...items) {
    fill($('actions'), items);
}

const boardingLink = (id, text) => h('a', { class: 'button secondary', href: `/staff/#/boarding/${encodeURIComponent(id)}` }, text);

function showMine() {
    const mine = boardingVehicle();
    $('mine').textContent = mine ? `· ${mine.label}` : '';
}

function buzz(ok) {
    try {
        // a page opened by a scan has had no tap yet: the browser would refuse (and complain)
        if (navigator.userActivation?.hasBeenActive) navigator.vibrate?.(ok ? 120 : [80, 60, 80]);
    } catch {
        // no vibration: the colour says it
    }
}

/** The button that reads the next code; after a good check-in it presses itself. */
function nextButton(auto) {
    const b = h('button', { type: 'button', class: 'primary next-scan', onclick: () => scanNext() }, '扫下一个');
    clearTimeout(goOn);
    if (auto && (scanner || wechat)) {
        let left = Math.round(GO_ON_MS / 1000);
        b.textContent = `扫下一个（${left}秒后自动继续）`;
        const step = () => {
            left -= 1;
            if (left <= 0) return scanNext();
            b.textContent = `扫下一个（${left}秒后自动继续）`;
            goOn = setTimeout(step, 1000);
        };
        goOn = setTimeout(step, 1000);
    }
    return b;
}

function showDone(r) {
    buzz(true);
    verdict(r.again ? 'again' : 'ok', r.again ? '✓ 已签到过' : '✓ 已签到');
    say('why', r.again ? '这一组之前已经签到，不用重复签到。' : '');
    say('vehicle', `${r.type_label} ${r.number || r.vehicle + '号车'}`);
    showPeople(r.people);
    actions(nextButton(true), boardingLink(r.vehicle, '本车上车名单'));
}

function showRefused(e, token, mine) {
    buzz(false);
    const [head, what] = WHY[e.code] || ['没有签到', e.message];
    verdict('refused', `✗ ${head}`);
    const theirs = e.error?.vehicle;
    if (e.code === 'wrong_vehicle' && theirs) {
        const label = `${theirs.type_label} ${theirs.number || theirs.id + '号车'}`;
        say('why', `您正在签到的是：${mine?.label || mine?.id}。${what}`);
        say('vehicle', `此人的车：${label}`);
        showPeople(e.error.people);
        // the phone may remember an earlier vehicle: the escort says which one they board now
        actions(nextButton(false),
            h('button', { type: 'button', class: 'secondary', onclick: () => {
                rememberBoarding(theirs.id, label);
                showMine();
                run(token);
            } }, `我现在带的就是 ${label}，给此人签到`),
            mine ? boardingLink(mine.id, '本车上车名单') : null);
        return;
    }
    say('why', what);
    actions(nextButton(false), mine ? boardingLink(mine.id, '本车上车名单') : h('a', { class: 'button secondary', href: '/staff/#/boarding' }, '打开工作台'));
}

async function session() {
    if (!csrfReady) {
        setCsrf((await get('/api/me')).csrf);
        csrfReady = true;
    }
}

async function run(token) {
    verdict('wait', '正在签到…');
    ['why', 'vehicle'].forEach((id) => say(id, ''));
    fill($('people'));
    actions();
    const mine = boardingVehicle();
    if (!/^[0-9A-Za-z]{8}[0-9a-f]{20}$/.test(token)) {
        showRefused({ code: 'not_found' }, token, mine);
        return;
    }
    const back = backFromLogin();
    try {
        await session();
        showDone(await post(`/api/checkin/${encodeURIComponent(token)}`, mine ? { vehicle: mine.id } : {}));
    } catch (e) {
        if (e instanceof ApiError && e.status === 401 && !back) {
            verdict('wait', '请先登录，登录后自动签到…');
            stopCamera();
            toLogin();
        } else if (e instanceof ApiError && e.status === 401) {
            // back from the login and still no session: this browser keeps no cookie; no endless round trip
            verdict('refused', '✗ 登录没有保存下来');
            say('why', '这个浏览器没有保存登录状态（可能禁止了 Cookie）。请用手机自带的浏览器打开工作台登录，在上车名单里点“扫码签到”或“签到”。');
            actions(h('a', { class: 'button primary', href: loginUrl() }, '重新登录'));
        } else if (e instanceof ApiError && e.status !== 0 && e.status < 500) {
            showRefused(e, token, mine);
        } else {
            buzz(false);
            verdict('refused', '网络不好，没有签到');
            say('why', e.message);
            actions(h('button', { type: 'button', class: 'primary', onclick: () => run(token) }, '重试'), nextButton(false));
        }
    }
}

function stopCamera() {
    clearTimeout(goOn);
    scanner?.stop();
    scanner = null;
    $('camera').hidden = true;
}

/** A code the camera read: checked in here, the camera waiting for the next tap. */
function onCode(text) {
    const token = tokenOf(text);
    history.replaceState(null, '', `#${token || 'scan'}`);
    if (token) run(token);
    else showRefused({ code: 'not_checkin' }, '', boardingVehicle());
}

/** Back to the camera for the next code (opened the first time). */
async function scanNext() {
    clearTimeout(goOn);
    verdict('wait', '请把务工人员手机上的签到二维码对准方框');
    ['why', 'vehicle'].forEach((id) => say(id, ''));
    fill($('people'));
    history.replaceState(null, '', '#scan');
    const mine = boardingVehicle();
    actions(mine ? boardingLink(mine.id, '本车上车名单') : null);
    if (scanner) {
        scanner.resume();
        return;
    }
    if (wechat === undefined) wechat = await wechatScanner().catch(() => null);
    if (wechat) {
        verdict('wait', '正在打开微信扫一扫…');
        const text = await wechat.scan();
        if (text) return onCode(text);
        if (text === null) {
            verdict('wait', '扫码已关闭');
            actions(nextButton(false), mine ? boardingLink(mine.id, '本车上车名单') : null);
            return;
        }
        wechat = null; // WeChat refused: the camera from now on
    }
    $('camera').hidden = false;
    try {
        scanner = await startScanner($('video'), onCode);
    } catch (e) {
        stopCamera();
        verdict('refused', '打不开相机');
        say('why', cameraProblem(e));
        actions(h('button', { type: 'button', class: 'primary', onclick: () => scanNext() }, '打开相机'), mine ? boardingLink(mine.id, '本车上车名单') : null);
    }
}

function route() {
    const hash = location.hash.slice(1);
    showMine();
    if (hash === '' || hash === 'scan') scanNext();
    else run(hash);
}

window.addEventListener('hashchange', () => {
    // a code opened from outside (WeChat's scanner, the camera app) while this page is open
    const hash = location.hash.slice(1);
    if (hash !== 'scan' && hash !== '') run(hash);
});
window.addEventListener('pagehide', stopCamera);
route();
