// SPDX-License-Identifier: MIT
// The staff app: login, then one view at a time chosen by the URL hash
// (#/dashboard[/scope], #/registrations?…, #/registration/CODE, #/entry, #/returns, #/audit,
// #/vehicles, #/vehicle/ID|new, #/matching, #/boarding[/ID], #/report?scope=&until=). /staff/?next=PATH goes on to
// PATH once logged in (a scanned check-in link opened without a session comes back to itself).
import { ApiError, get, post, setCsrf } from './api.js';
import { showAudit } from './audit.js';
import { showBoarding, stopBoarding } from './boarding.js';
import { showDashboard, stopDashboard } from './dashboard.js';
import { fill, h } from './dom.js';
import { showDetail, showEntry, showList } from './registrations.js';
import { showMatching } from './matching.js';
import { nextFromHere } from './next.js';
import { showJobs } from './jobs.js';
import { showGroups, showMessages, showPush } from './push.js';
import { mayReport, showReport } from './report.js';
import { showReturns } from './returns.js';
import { showNewVehicle, showVehicle, showVehicles } from './vehicles.js';

const $ = (id) => document.getElementById(id);
let me = null;
let today = '';

function showLoggedIn(yes) {
    $('login').hidden = yes;
    $('view').hidden = !yes;
    $('tabs').hidden = !yes;
    $('who').hidden = !yes;
}

async function loadMe() {
    try {
        me = await get('/api/me');
    } catch (e) {
        if (e instanceof ApiError && e.status === 401) me = null;
        else throw e;
    }
    if (me) {
        setCsrf(me.csrf);
        $('who-name').textContent = `${me.division?.name || me.scope} · ${me.role_label} · ${me.user}`;
        $('tab-audit').hidden = !me.permissions.includes('audit');
        for (const id of ['tab-vehicles', 'tab-matching']) $(id).hidden = !me.permissions.includes('transport');
        $('tab-report').hidden = !mayReport(me);
        $('tab-jobs').hidden = !me.permissions.includes('jobs');
        today = today || (await get('/api/stats?scope=' + me.scope).catch(() => ({}))).today || new Date().toISOString().slice(0, 10);
    }
    return me;
}

function params(qs) {
    return Object.fromEntries(new URLSearchParams(qs || ''));
}

/** Leave for ?next= when there is a valid one; true when leaving. */
function goNext() {
    const next = nextFromHere();
    if (next) location.replace(next);
    return !!next;
}

async function route() {
    if (!me && !(await loadMe())) {
        stopDashboard();
        showLoggedIn(false);
        const next = nextFromHere();
        $('login-next').textContent = !next ? '' : next.startsWith('/staff/checkin.html') ? '登录后会自动回到刚才扫码的签到，并完成签到。' : '登录后会回到刚才的页面。';
        $('login-form').elements.username.focus();
        return;
    }
    if (goNext()) return;
    showLoggedIn(true);
    const [path, qs] = (location.hash.slice(1) || '/dashboard').split('?');
    const parts = path.split('/').filter(Boolean);
    const tab = { registration: 'registrations', vehicle: 'vehicles', push: 'jobs', messages: 'jobs', groups: 'jobs' }[parts[0]] || parts[0];
    document.querySelectorAll('#tabs a').forEach((a) => a.classList.toggle('active', a.dataset.tab === tab));
    const active = document.querySelector('#tabs a.active');
    if (active) $('tabs').scrollLeft = active.offsetLeft - 8; // on a phone the bar scrolls sideways
    if (parts[0] !== 'dashboard') stopDashboard();
    stopBoarding();
    const view = $('view');
    try {
        if (parts[0] === 'registrations') await showList(view, me, params(qs));
        else if (parts[0] === 'registration') await showDetail(view, me, parts[1], today);
        else if (parts[0] === 'entry') await showEntry(view, me, today);
        else if (parts[0] === 'returns') await showReturns(view, me, today);
        else if (parts[0] === 'audit') await showAudit(view, parts[1]);
        else if (parts[0] === 'vehicles') await showVehicles(view, me, params(qs));
        else if (parts[0] === 'vehicle' && parts[1] === 'new') await showNewVehicle(view, me);
        else if (parts[0] === 'vehicle') await showVehicle(view, me, parts[1]);
        else if (parts[0] === 'matching') await showMatching(view, me);
        else if (parts[0] === 'boarding') await showBoarding(view, me, parts[1]);
        else if (parts[0] === 'jobs') await showJobs(view, me); // jobs (issue 17)
        else if (parts[0] === 'push') await showPush(view, me);
        else if (parts[0] === 'messages') await showMessages(view, me);
        else if (parts[0] === 'groups') await showGroups(view, me);
        else if (parts[0] === 'report') await showReport(view, me, params(qs), today);
        else showDashboard(view, me, parts[1] || me.scope, () => {});
    } catch (e) {
        if (e instanceof ApiError && e.status === 401) {
            me = null;
            return route();
        }
        fill(view, h('p', { class: 'error' }, e.message));
    }
}

$('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = ev.target.elements;
    $('login-error').textContent = '';
    try {
        me = await post('/api/login', { username: f.username.value.trim(), password: f.password.value });
        f.password.value = '';
        if (goNext()) return;
        await loadMe();
        if (!location.hash || location.hash === '#/login') location.hash = '#/dashboard';
        else route();
    } catch (e) {
        $('login-error').textContent = e.message;
    }
});

$('logout').addEventListener('click', async () => {
    stopDashboard();
    stopBoarding();
    await post('/api/logout').catch(() => {});
    me = null;
    setCsrf('');
    history.replaceState(null, '', location.pathname); // no ?next= left for the next login
    location.hash = '#/login';
    route();
});

window.addEventListener('hashchange', route);
route();
