// SPDX-License-Identifier: MIT
// The escort's boarding view on a phone: who is still missing (with big call buttons for
// the numbers the escort may call, a 签到 button for someone who cannot show the QR code,
// and 未到 while the vehicle is boarding) and who has boarded, refreshed every few seconds
// while open. 扫码签到 opens the scanning loop (/staff/checkin.html#scan: the camera, one
// code after another), which links back here. Without a vehicle, the escort picks it by
// plate or train number and date. Any staff of the vehicle's scope.
import { get, post } from './api.js';
import { fill, h, num } from './dom.js';
import { rememberBoarding } from './escort.js';
import { groupSeats } from './seat.js';

const EVERY_MS = 5000;
let timer = null;
let generation = 0; // a refresh of a view left meanwhile schedules nothing

export function stopBoarding() {
    clearTimeout(timer);
    timer = null;
    generation++;
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
        crew(v),
        h('div', { class: 'stats two-up' },
            h('div', { class: 'stat today' }, h('div', { class: 'stat-label' }, '已上车'), h('div', { class: 'stat-value', id: 'n-boarded' }, num(nb))),
            h('div', { class: `stat ${nm ? 'warn' : ''}` }, h('div', { class: 'stat-label' }, '还没到'), h('div', { class: 'stat-value', id: 'n-missing' }, num(nm)))),
        h('p', { class: 'hint' }, `共 ${nb + nm} 人 · ${when} 更新，每 ${EVERY_MS / 1000} 秒自动刷新`));
    fill(view.querySelector('.board-missing'), h('h2', {}, `还没上车（${nm}人）`), nm ? h('ul', { class: 'pax-list' }, r.missing.map((g) => missingCard(view, v, g))) : h('p', { class: 'ok big' }, '全部到齐 ✓'));
    fill(view.querySelector('.board-boarded'), h('h2', {}, `已上车（${nb}人）`), nb ? h('ul', { class: 'pax-list' }, r.boarded.map((g) => boardedItem(v, g))) : h('p', { class: 'muted' }, '还没有人签到。'));
}

/** Who helps the escort on board and at the ends (the plan's 车长, 副车长, 车队长, 到达交接), if set. */
function crew(v) {
    const parts = [['车长', v.captain], ['副车长', v.vice_captain], ['车队长', v.convoy_leader], ['到达交接', v.handover]].filter(([, x]) => x);
    return parts.length ? h('p', { class: 'muted crew' }, parts.map(([k, x]) => `${k}：${x}`).join(' · ')) : null;
}

const STATUS = { planned: '未发车', boarding: '正在上车', departed: '已发车', arrived: '已到达', cancelled: '已取消' };

/** "2027-02-03" in China as days from today: 今天, 明天, or the date. */
function dayName(date, today) {
    const days = Math.round((Date.parse(date) - Date.parse(today)) / 86400000);
    const [, m, d] = date.split('-').map(Number);
    return `${m}月${d}日${days === 0 ? '（今天）' : days === 1 ? '（明天）' : days === -1 ? '（昨天）' : ''}`;
}

/**
 * The vehicles the escort may board (GET /api/vehicles?boarding=1), by day from today on,
 * found by plate or train number (or destination) as it is typed; a tap opens the list.
 */
async function showVehiclePicker(view, me) {
    const today = (await get('/api/campaign').catch(() => ({}))).today || new Date().toISOString().slice(0, 10);
    const all = (await get(`/api/vehicles?boarding=1&scope=${encodeURIComponent(me.scope)}`)).vehicles.filter((v) => v.status !== 'cancelled');
    const search = h('input', { type: 'search', placeholder: '车牌号或车次，如 桂A12345、Z123', 'aria-label': '车牌号或车次', autocomplete: 'off' });
    const past = h('input', { type: 'checkbox' });
    const list = h('div', { class: 'vehicle-picks' });
    const show = () => {
        const q = search.value.trim().toUpperCase();
        const vs = all
            .filter((v) => past.checked || v.depart_date >= today)
            .filter((v) => !q || `${v.number} ${v.dest_city_name} ${v.id}`.toUpperCase().includes(q))
            .sort((a, b) => (a.depart_date + a.depart_time).localeCompare(b.depart_date + b.depart_time) || a.number.localeCompare(b.number));
        const days = [...new Set(vs.map((v) => v.depart_date))];
        fill(list, vs.length ? days.map((d) => h('section', {}, h('h2', {}, dayName(d, today)),
            h('ul', { class: 'picks vehicles-picks' }, vs.filter((v) => v.depart_date === d).map((v) => h('li', {}, h('a', { class: 'pick', href: `#/boarding/${v.id}` },
                h('b', { class: 'plate' }, `${v.type_label} ${v.number || `${v.id}号车（车牌待定）`}`),
                h('span', {}, ` ${[v.depart_time, `开往${v.dest_city_name}`].filter(Boolean).join(' ')}`),
                h('span', { class: 'muted' }, ` · ${[v.stops[0]?.name, `${v.used}人`, STATUS[v.status] || v.status].filter(Boolean).join(' · ')}`))))))) : h('p', { class: 'muted' }, q ? `没有找到“${search.value.trim()}”。请核对车牌号或车次，或问组织方。` : '今天以后没有要上车的车辆。'));
    };
    search.addEventListener('input', show);
    past.addEventListener('change', show);
    fill(view, h('h1', {}, '上车签到'), h('div', { class: 'card' },
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, '选择您带的车'), search),
        h('label', { class: 'check' }, past, ' 也显示已经过去的日子'),
        list));
    show();
}

export async function showBoarding(view, me, id) {
    stopBoarding();
    if (!id) {
        await showVehiclePicker(view, me);
        return;
    }
    fill(view,
        h('div', { class: 'board-head' }, h('p', { class: 'muted' }, '正在读取…')),
        h('p', { class: 'notice board-note', role: 'status' }),
        h('div', { class: 'actions scan-row' }, h('a', { class: 'button primary wide scan-button', href: '/staff/checkin.html#scan' }, '扫码签到（连续扫）')),
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
