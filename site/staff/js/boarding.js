// SPDX-License-Identifier: MIT
// The escort's boarding view on a phone: who is still missing (with big call buttons for
// the numbers the escort may call, a 签到 button for someone who cannot show the QR code,
// and 未到 while the vehicle is boarding) and who has boarded, refreshed every few seconds
// while open. Scanning a worker's check-in QR opens /staff/checkin.html#token, which links
// back here. Any staff of the vehicle's scope.
import { get, post } from './api.js';
import { fill, h, num } from './dom.js';
import { rememberBoarding } from './escort.js';
import { groupSeats } from './seat.js';

const EVERY_MS = 5000;
let timer = null;
let stream = null;
let generation = 0; // a refresh of a view left meanwhile schedules nothing

export function stopBoarding() {
    clearTimeout(timer);
    timer = null;
    generation++;
    stream?.getTracks().forEach((t) => t.stop());
    stream = null;
}

const seats = (v, g) => groupSeats(v.carriage_size || 0, g.seat, g.people.length);
const names = (g) => g.people.map((p) => p.name).join('、');

/** Check a group in without its QR code (POST /api/checkin {code, vehicle}), after asking. */
async function checkInByHand(view, v, g) {
    if (!confirm(`确认 ${names(g)}（${seats(v, g)}）已经上车，签到？`)) return;
    const note = view.querySelector('.board-note');
    try {
        const r = await post('/api/checkin', { code: g.code, vehicle: v.id });
        note.className = 'notice board-note';
        note.textContent = `${r.again ? '之前已签到' : '已签到'}：${names(g)}（${seats(v, g)}）`;
    } catch (e) {
        note.className = 'notice refused board-note';
        note.textContent = `没有签到：${names(g)}。${e.message}`;
    }
    await refresh(view, v.id).catch(() => {}); // the timer's next refresh tries again
}

/** Record that a group did not turn up (POST /api/registrations/{code}/no-show), while the vehicle is boarding. */
async function markNoShow(view, v, g) {
    if (!confirm(`登记 ${names(g)}（${seats(v, g)}）没有到？到了以后仍可签到。`)) return;
    const note = view.querySelector('.board-note');
    try {
        await post(`/api/registrations/${g.code}/no-show`, {});
        note.className = 'notice board-note';
        note.textContent = `已登记未到：${names(g)}`;
    } catch (e) {
        note.className = 'notice refused board-note';
        note.textContent = `没有登记：${names(g)}。${e.message}`;
    }
    await refresh(view, v.id).catch(() => {});
}

// a full number can be called; a masked one (a passenger outside the user's scope) is only shown
const callOrShow = (p) => (p.phone.includes('*') ? h('span', { class: 'masked' }, `${p.name} ${p.phone}`) : h('a', { class: 'button call', href: `tel:${p.phone}` }, `☎ 打电话给${p.name}`));

function missingCard(view, v, g) {
    return h('li', { class: 'pax missing' },
        h('div', { class: 'pax-who' }, h('b', {}, names(g)), g.no_show ? h('span', { class: 'badge no-show-mark' }, ' 已登记未到') : null, h('span', { class: 'muted' }, ` ${seats(v, g)} · ${g.village || ''} · ${g.code}`)),
        h('div', { class: 'calls' },
            g.people.filter((p) => p.phone).map(callOrShow),
            h('button', { type: 'button', class: 'checkin-by-hand', 'aria-label': `给${names(g)}签到`, onclick: () => checkInByHand(view, v, g) }, '✓ 签到'),
            v.status === 'boarding' && !g.no_show ? h('button', { type: 'button', class: 'no-show', 'aria-label': `登记${names(g)}未到`, onclick: () => markNoShow(view, v, g) }, '未到') : null));
}

function boardedItem(v, g) {
    return h('li', { class: 'pax boarded' }, h('span', { class: 'ok' }, '✓ '), names(g), h('span', { class: 'muted' }, ` ${seats(v, g)}`));
}

/** Scan with the camera where the browser can read QR codes itself (Chrome on Android). */
async function scan(box) {
    if (!('BarcodeDetector' in window) || !navigator.mediaDevices?.getUserMedia) {
        fill(box, h('p', { class: 'notice' }, '这个浏览器不能直接扫码。请用微信“扫一扫”或手机相机扫描务工人员的签到二维码：没有登录时会先请您登录，登录后自动签到。拿不出二维码的，在下面名单里点“签到”。'));
        return;
    }
    const video = h('video', { class: 'scan', playsinline: true, muted: true });
    fill(box, video, h('p', { class: 'hint' }, '把务工人员手机上的签到二维码对准方框'));
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    video.srcObject = stream;
    await video.play();
    const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    const look = async () => {
        if (!stream) return;
        const [code] = await detector.detect(video).catch(() => []);
        let url = null;
        try {
            url = code && new URL(code.rawValue, location.href);
        } catch {
            url = null; // not a link: keep looking
        }
        if (url && url.origin === location.origin && url.pathname === '/staff/checkin.html') location.href = url.href;
        else setTimeout(look, 300);
    };
    look();
}

async function refresh(view, id) {
    const r = await get(`/api/vehicles/${encodeURIComponent(id)}/boarding`);
    const v = r.vehicle;
    rememberBoarding(v.id, `${v.type_label} ${v.number || v.id + '号车'}`); // the check-in page refuses other vehicles' passengers
    const count = (list) => list.reduce((s, g) => s + g.people.length, 0);
    const [nb, nm] = [count(r.boarded), count(r.missing)];
    const when = new Date().toLocaleTimeString('zh-CN', { hour12: false });
    fill(view.querySelector('.board-head'),
        h('h1', {}, `${v.type_label} ${v.number || v.id + '号车'}`),
        h('p', { class: 'muted' }, `${v.dest_city_name} · ${v.depart_date} ${v.depart_time} · ${v.stops[0]?.name || ''}`),
        h('div', { class: 'stats two-up' },
            h('div', { class: 'stat today' }, h('div', { class: 'stat-label' }, '已上车'), h('div', { class: 'stat-value', id: 'n-boarded' }, num(nb))),
            h('div', { class: `stat ${nm ? 'warn' : ''}` }, h('div', { class: 'stat-label' }, '还没到'), h('div', { class: 'stat-value', id: 'n-missing' }, num(nm)))),
        h('p', { class: 'hint' }, `共 ${nb + nm} 人 · ${when} 更新，每 ${EVERY_MS / 1000} 秒自动刷新`));
    fill(view.querySelector('.board-missing'), h('h2', {}, `还没上车（${nm}人）`), nm ? h('ul', { class: 'pax-list' }, r.missing.map((g) => missingCard(view, v, g))) : h('p', { class: 'ok big' }, '全部到齐 ✓'));
    fill(view.querySelector('.board-boarded'), h('h2', {}, `已上车（${nb}人）`), nb ? h('ul', { class: 'pax-list' }, r.boarded.map((g) => boardedItem(v, g))) : h('p', { class: 'muted' }, '还没有人签到。'));
}

export async function showBoarding(view, me, id) {
    stopBoarding();
    if (!id) {
        const form = h('form', { class: 'card inline', onsubmit: (ev) => {
            ev.preventDefault();
            location.hash = `#/boarding/${ev.target.elements.id.value.trim()}`;
        } }, h('label', { class: 'field' }, h('span', { class: 'field-label' }, '车辆编号（组织方告知）'), h('input', { name: 'id', inputmode: 'numeric', required: true })), h('button', { type: 'submit', class: 'primary' }, '打开上车名单'));
        fill(view, h('h1', {}, '上车签到'), form);
        return;
    }
    const scanBox = h('div', { class: 'scanbox' });
    fill(view,
        h('div', { class: 'board-head' }, h('p', { class: 'muted' }, '正在读取…')),
        h('p', { class: 'notice board-note', role: 'status' }),
        h('div', { class: 'actions scan-row' }, h('button', { type: 'button', class: 'primary wide scan-button', onclick: () => scan(scanBox).catch((e) => fill(scanBox, h('p', { class: 'error' }, `打不开相机：${e.message}`))) }, '扫码签到')),
        scanBox,
        h('div', { class: 'card board-missing' }),
        h('div', { class: 'card board-boarded' }),
        me.permissions.includes('transport') ? h('a', { href: `#/vehicle/${id}`, class: 'back' }, '← 车辆方案') : null);
    const mine = generation;
    const tick = async () => {
        try {
            await refresh(view, id);
        } catch (e) {
            if (e.status === 401 || e.status === 403 || e.status === 404) {
                fill(view.querySelector('.board-head'), h('p', { class: 'error' }, e.message));
                return;
            }
            view.querySelector('.board-head .hint')?.replaceChildren(`网络不好，稍后自动重试（${e.message}）`);
        }
        if (mine === generation) timer = setTimeout(tick, EVERY_MS);
    };
    await tick();
}
