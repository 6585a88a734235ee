// SPDX-License-Identifier: MIT
// The escort's boarding view on a phone: who is still missing (with big call buttons) and
// who has boarded, refreshed every few seconds while open. Scanning a worker's check-in QR
// opens /staff/checkin.html#token, which links back here. Any staff of the vehicle's scope.
import { get } from './api.js';
import { fill, h, num } from './dom.js';

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

/** Seats of a group as on the manifest: 5–6座, or for trains 3车41–42座. */
function seats(v, g) {
    if (!g.seat) return '';
    const size = v.carriage_size || 0;
    const one = (s) => (size ? [Math.floor((s - 1) / size) + 1, ((s - 1) % size) + 1] : [0, s]);
    const [c1, s1] = one(g.seat);
    const [c2, s2] = one(g.seat + g.people.length - 1);
    const head = c1 ? `${c1}车` : '';
    if (g.people.length === 1) return `${head}${s1}座`;
    return c1 === c2 ? `${head}${s1}–${s2}座` : `${head}${s1}座–${c2}车${s2}座`;
}

function missingCard(v, g) {
    return h('li', { class: 'pax missing' },
        h('div', { class: 'pax-who' }, h('b', {}, g.people.map((p) => p.name).join('、')), h('span', { class: 'muted' }, ` ${seats(v, g)} · ${g.code}`)),
        h('div', { class: 'calls' }, g.people.filter((p) => p.phone).map((p) => h('a', { class: 'button call', href: `tel:${p.phone}` }, `☎ 打电话给${p.name}`))));
}

function boardedItem(v, g) {
    return h('li', { class: 'pax boarded' }, h('span', { class: 'ok' }, '✓ '), g.people.map((p) => p.name).join('、'), h('span', { class: 'muted' }, ` ${seats(v, g)}`));
}

/** Scan with the camera where the browser can read QR codes itself (Chrome on Android). */
async function scan(box) {
    if (!('BarcodeDetector' in window) || !navigator.mediaDevices?.getUserMedia) {
        fill(box, h('p', { class: 'notice' }, '这个浏览器不能直接扫码。请用手机相机扫描务工人员的签到二维码，在本浏览器中打开（需已登录本账号）。'));
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
    fill(view.querySelector('.board-missing'), h('h2', {}, `还没上车（${nm}人）`), nm ? h('ul', { class: 'pax-list' }, r.missing.map((g) => missingCard(v, g))) : h('p', { class: 'ok big' }, '全部到齐 ✓'));
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
