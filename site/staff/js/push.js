// SPDX-License-Identifier: MIT
// Targeted job push (靶向推送), the messages' state and 分类汇集 in the staff app (issue 17):
// #/push picks open jobs and a target group (scope, 脱贫人口/监测对象, 大龄 50+, no job, the
// kind wanted, destination), shows how many people it reaches before anything is sent,
// and sends after a confirmation; #/messages shows the outbox and the dead letters of the
// scope (masked phones) with a button to send one again; #/groups groups the sign-ups by
// 区内/区外, destination or employer per division, with a CSV to report upwards.
import { ApiError, get, post } from './api.js';
import { fill, h, localTime, num } from './dom.js';
import { KINDS, subnav } from './jobs.js';

const table = (heads, rows) => h('div', { class: 'scroll' }, h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, heads.map((t) => h('th', {}, t)))), h('tbody', {}, rows)));
const field = (label, control) => h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control);

// what a refused field means on this form, where the server's words alone ("此项必须填写") do not say which
const FIELD_SAYS = { jobs: '请先在上面勾选要推送的岗位（最多5个）' };

function filterOf(f) {
    const filter = { scope: f.scope.value, poverty: f.poverty.value, no_job: f.no_job.checked, seeking: f.seeking.checked, low_income: f.low_income.checked };
    if (f.older.checked) filter.age_min = 50;
    if (f.work.value) filter.work = f.work.value;
    if (f.dest.value) filter.dest = f.dest.value;
    return filter;
}

/** #/push: pick jobs and a group, count, send. */
export async function showPush(view, me) {
    const jobs = (await get(`/api/jobs?city=`)).jobs;
    const pushes = me.permissions.includes('jobs') ? (await get(`/api/pushes?scope=${me.scope}`)).pushes : [];
    const count = h('div', { class: 'push-count', 'aria-live': 'polite' });
    const msg = h('p', { class: 'error', role: 'alert' });
    const provinces = (await get('/api/destinations')).provinces;
    const here = await get(`/api/divisions/${me.scope}?children=1`);
    const scopes = [h('option', { value: here.code }, `${here.name}（全部）`)].concat((here.children || []).map((c) => h('option', { value: c.code }, c.name)));
    const dests = [h('option', { value: '' }, '不限')].concat(provinces.map((p) => h('option', { value: p.code }, p.name)));
    const form = h('form', { class: 'push-form', novalidate: true },
        h('fieldset', {}, h('legend', {}, '推送哪些岗位（最多5个）'),
            jobs.length ? jobs.map((j) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'job', value: j.id }), ` ${j.title} · ${j.employer_name} · ${j.city.name} · 招${j.headcount}人`)) : h('p', { class: 'muted' }, '还没有在招的岗位，请先在“企业和岗位”里发布')),
        h('fieldset', {}, h('legend', {}, '推送给谁'),
            field('范围', h('select', { name: 'scope' }, scopes)),
            field('脱贫情况', h('select', { name: 'poverty' }, [['any', '不限'], ['poverty', '脱贫人口和监测对象'], ['alleviated', '脱贫人口'], ['monitored', '防返贫监测对象']].map(([k, t]) => h('option', { value: k }, t)))),
            h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'older' }), ' 大龄（50岁以上）'),
            h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'low_income' }), ' 低收入人口（村里标记的）'),
            h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'no_job', checked: true }), ' 还没有找好工作的'),
            h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'seeking' }), ' 只推给报名时勾了“想找工作”的'),
            field('想做的工作', h('select', { name: 'work' }, [h('option', { value: '' }, '不限')].concat(Object.entries(KINDS).map(([k, t]) => h('option', { value: k }, t))))),
            field('想去的省份', h('select', { name: 'dest' }, dests))),
        h('p', {}, h('button', { type: 'submit', class: 'primary', name: 'count' }, '先算一算能推送给多少人')),
        count, msg);
    let counted = null;
    const chosen = () => [...form.querySelectorAll('input[name="job"]:checked')].map((x) => x.value);
    const send = async () => {
        msg.textContent = '';
        try {
            const r = await post('/api/pushes', { jobs: chosen(), filter: filterOf(form.elements), dry_run: false });
            fill(count, h('p', { class: 'ok' }, `已排队：${num(r.people)} 人，短信会在白天陆续发出。`));
            counted = null;
        } catch (e) {
            msg.textContent = e.message;
        }
    };
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        msg.textContent = '';
        fill(count, h('p', { class: 'muted' }, '正在计算…'));
        try {
            counted = await post('/api/pushes', { jobs: chosen(), filter: filterOf(form.elements), dry_run: true });
            fill(count,
                h('p', { class: 'push-people' }, '能收到短信的人数：', h('b', { id: 'push-people' }, num(counted.people))),
                h('p', { class: 'muted' }, `符合条件 ${num(counted.matched)} 人；其中没有手机 ${num(counted.no_phone)}，未同意短信 ${num(counted.no_consent)}，已退订 ${num(counted.opted_out)}。同一个手机号只发一条。`),
                counted.people > 0 ? h('button', { type: 'button', class: 'primary', id: 'push-send', onclick: send }, `确认推送给 ${num(counted.people)} 人`) : null);
        } catch (e) {
            fill(count);
            msg.textContent = e instanceof ApiError && e.fields ? Object.entries(e.fields).map(([k, m]) => FIELD_SAYS[k] || m).join('；') || e.message : e.message;
        }
    });
    form.addEventListener('change', () => {
        if (counted) fill(count, h('p', { class: 'muted' }, '条件改了，请重新计算人数。'));
        counted = null;
    });
    fill(view,
        h('div', { class: 'head-row' }, h('h1', {}, '岗位推送'), subnav('push')),
        h('div', { class: 'card' }, form),
        pushes.length ? h('div', { class: 'card' }, h('h2', {}, '推送记录'),
            table(['时间', '推送人', '岗位', '人数', '已排队', '已发送'], pushes.map((p) => h('tr', {}, h('td', {}, localTime(p.at)), h('td', {}, p.user), h('td', {}, p.jobs), h('td', { class: 'n' }, num(p.people)), h('td', { class: 'n' }, num(p.queued)), h('td', { class: 'n' }, num(p.sent)))))) : null);
}

const TEMPLATES = { assigned: '安排车辆', changed: '车辆变动', cancelled: '车辆取消', unassigned: '车辆调整', reminder: '出发提醒', job: '岗位推送' };

/** #/messages: the outbox and the dead letters of the scope. */
export async function showMessages(view, me) {
    const [fig, dead] = await Promise.all([get(`/api/notify?scope=${me.scope}`), get(`/api/notify/dead?scope=${me.scope}`)]);
    const retry = async (d, btn) => {
        btn.disabled = true;
        try {
            await post(`/api/notify/dead/${d.id}/retry`, { scope: d.scope });
            btn.replaceWith(h('span', { class: 'ok' }, '已重新排队'));
        } catch (e) {
            btn.replaceWith(h('span', { class: 'error' }, e.message));
        }
    };
    fill(view,
        h('div', { class: 'head-row' }, h('h1', {}, '短信发送情况'), subnav('messages')),
        h('div', { class: 'stats' },
            [['待发送', fig.outbox], ['等待重试', fig.waiting], ['发送失败', fig.dead], ['已退订的手机', fig.opted_out]].map(([t, n]) => h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, t), h('div', { class: 'stat-value' }, num(n))))),
        h('p', { class: 'muted' }, '晚上（21:00–8:00）不发短信，早上再发。每个手机每天最多收到几条。'),
        h('div', { class: 'card' }, h('h2', {}, `发送失败的短信（${dead.dead.length}）`),
            dead.dead.length ? table(['时间', '报名号', '手机', '内容', '尝试', '原因', ''], dead.dead.map((d) => {
                const btn = h('button', { type: 'button', class: 'link' }, '重新发送');
                btn.addEventListener('click', () => retry(d, btn));
                return h('tr', {}, h('td', {}, localTime(d.at)), h('td', {}, h('a', { href: `#/registration/${d.code}` }, d.code)), h('td', {}, d.phone), h('td', {}, TEMPLATES[d.template] || d.template), h('td', { class: 'n' }, String(d.attempts)), h('td', {}, d.error), h('td', {}, btn));
            })) : h('p', { class: 'muted' }, '没有发送失败的短信。')));
}

/** #/groups: 分类汇集. */
export async function showGroups(view, me, by = 'category', scope = me.scope) {
    const r = await get(`/api/stats?scope=${scope}&by=${by}`);
    const pick = h('select', { name: 'by', onchange: (ev) => showGroups(view, me, ev.target.value, scope) },
        [['category', '区内就业 / 区外出行'], ['dest', '按目的地（集中地区）'], ['employer', '按企业（集中企业）']].map(([k, t]) => h('option', { value: k, selected: k === by }, t)));
    const heads = ['分类', '合计人数', '其中脱贫', '其中低收入'].concat(r.divisions.map((d) => d.name));
    const rows = r.rows.map((x) => h('tr', {}, h('td', {}, x.name), h('td', { class: 'n' }, num(x.people)), h('td', { class: 'n' }, num(x.poverty)), h('td', { class: 'n' }, num(x.low_income)),
        x.by_division_people.map((n, i) => h('td', { class: 'n' }, n ? `${num(n)}（${num(x.by_division_poverty[i])}）` : '0'))));
    fill(view,
        h('div', { class: 'head-row' }, h('h1', {}, `${r.scope_name} · 分类汇集`), subnav('groups')),
        h('div', { class: 'card' }, h('p', {}, pick, ' ', h('a', { href: `/api/stats?scope=${scope}&by=${by}&format=csv`, download: '' }, '下载表格（CSV，逐级报送）')),
            h('p', { class: 'muted' }, `共 ${num(r.people)} 人，其中脱贫人口（含监测对象）${num(r.poverty)} 人，低收入人口 ${num(r.low_income)} 人。各下级括号内为脱贫人口。`),
            table(heads, rows)));
}
