// SPDX-License-Identifier: MIT
// The escort scans a worker's check-in QR: staff/checkin.html#<token> checks the group in
// with the escort's staff session and says, big, who it is, which vehicle and seat, and
// 已签到 or why not. Without a session (WeChat's scanner opens the link in WeChat's own
// browser, which has its own cookies) it goes to the staff login, which comes back here.
// The vehicle whose boarding view this phone opened last is sent along, so that a
// passenger of another vehicle is told apart instead of checked in.
import { ApiError, get, post, setCsrf } from './js/api.js';
import { fill, h } from './js/dom.js';
import { boardingVehicle, rememberBoarding } from './js/escort.js';
import { loginUrl } from './js/next.js';
import { seatText } from './js/seat.js';

const $ = (id) => document.getElementById(id);
const SENT_TO_LOGIN = 'sg.checkin.login'; // when this tab last went to the login from here

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

function actions(...items) {
    fill($('actions'), items);
}

const boardingLink = (id, text) => h('a', { class: 'button primary', href: `/staff/#/boarding/${encodeURIComponent(id)}` }, text);

function showDone(r) {
    verdict(r.again ? 'again' : 'ok', r.again ? '✓ 已签到过' : '✓ 已签到');
    say('why', r.again ? '这一组之前已经签到，不用重复签到。' : '');
    say('vehicle', `${r.type_label} ${r.number || r.vehicle + '号车'}`);
    showPeople(r.people);
    actions(boardingLink(r.vehicle, '返回本车上车名单，继续签到'));
}

function showRefused(e, token, mine) {
    const [head, what] = WHY[e.code] || ['没有签到', e.message];
    verdict('refused', `✗ ${head}`);
    const theirs = e.error?.vehicle;
    if (e.code === 'wrong_vehicle' && theirs) {
        const label = `${theirs.type_label} ${theirs.number || theirs.id + '号车'}`;
        say('why', `您正在签到的是：${mine?.label || mine?.id}。${what}`);
        say('vehicle', `此人的车：${label}`);
        showPeople(e.error.people);
        // the phone may remember an earlier vehicle: the escort says which one they board now
        actions(mine ? boardingLink(mine.id, '返回本车上车名单') : null,
            h('button', { type: 'button', class: 'secondary', onclick: () => {
                rememberBoarding(theirs.id, label);
                run(token);
            } }, `我现在带的就是 ${label}，给此人签到`));
        return;
    }
    say('why', what);
    actions(mine ? boardingLink(mine.id, '返回本车上车名单') : h('a', { class: 'button secondary', href: '/staff/#/boarding' }, '打开工作台'));
}

async function run(token) {
    verdict('wait', '正在签到…');
    ['why', 'vehicle'].forEach((id) => say(id, ''));
    fill($('people'));
    actions();
    if (!/^[0-9A-Za-z]{8}[0-9a-f]{20}$/.test(token)) {
        showRefused({ code: 'not_found' }, token, boardingVehicle());
        return;
    }
    const mine = boardingVehicle();
    const back = backFromLogin();
    try {
        setCsrf((await get('/api/me')).csrf);
        showDone(await post(`/api/checkin/${encodeURIComponent(token)}`, mine ? { vehicle: mine.id } : {}));
    } catch (e) {
        if (e instanceof ApiError && e.status === 401 && !back) {
            verdict('wait', '请先登录，登录后自动签到…');
            toLogin();
        } else if (e instanceof ApiError && e.status === 401) {
            // back from the login and still no session: this browser keeps no cookie; no endless round trip
            verdict('refused', '✗ 登录没有保存下来');
            say('why', '这个浏览器没有保存登录状态（可能禁止了 Cookie）。请用手机自带的浏览器打开工作台登录，在上车名单里点“扫码签到”或“签到”。');
            actions(h('a', { class: 'button primary', href: loginUrl() }, '重新登录'));
        } else if (e instanceof ApiError && e.status !== 0 && e.status < 500) {
            showRefused(e, token, mine);
        } else {
            verdict('refused', '网络不好，没有签到');
            say('why', e.message);
            actions(h('button', { type: 'button', class: 'primary', onclick: () => run(token) }, '重试'));
        }
    }
}

run(location.hash.slice(1));
window.addEventListener('hashchange', () => run(location.hash.slice(1)));
