// SPDX-License-Identifier: MIT
// Jobs (issue 17) in the staff app: #/jobs lists and searches employers (用工企业, 重点企业
// first) and jobs (岗位) and, for staff who may handle jobs, registers and edits them
// (the credit code checked by the server, GB 32100-2015) and closes jobs. The push screen,
// the messages' state and 分类汇集 live in push.js. Every text goes in as text.
import { ApiError, get, patch, post } from './api.js';
import { fill, h, shortDate } from './dom.js';

export const KINDS = { manufacturing: '制造业/普工', construction: '建筑装修', service: '餐饮服务', logistics: '物流快递', domestic: '家政保洁', agriculture: '农业种养', driving: '司机', other: '其他' };
let provinces = null;

export async function cityOptions(selected) {
    provinces = provinces || (await get('/api/destinations')).provinces;
    return provinces.flatMap((p) => p.cities.map((c) => h('option', { value: c.code, selected: c.code === selected }, `${p.name} ${c.name}`)));
}

const field = (name, label, control, help) =>
    h('label', { class: 'field', 'data-field': name }, h('span', { class: 'field-label' }, label), control, help ? h('span', { class: 'muted' }, help) : null, h('span', { class: 'error' }));

function showErrors(form, msg, e) {
    form.querySelectorAll('.field').forEach((x) => x.classList.remove('bad'));
    for (const [k, m] of Object.entries(e.fields || {})) {
        const box = form.querySelector(`[data-field="${k}"]`);
        box?.classList.add('bad');
        if (box) box.querySelector('.error').textContent = m;
    }
    msg.textContent = e.message;
}

export const subnav = (active) =>
    h('nav', { class: 'subnav' }, [['jobs', '企业和岗位'], ['push', '岗位推送'], ['messages', '短信发送情况'], ['groups', '分类汇集']].map(([k, t]) => h('a', { href: `#/${k}`, class: k === active ? 'active' : '' }, t)));

async function employerForm(e, after) {
    const msg = h('p', { class: 'error', role: 'alert' });
    const kinds = Object.entries(KINDS).map(([k, t]) => h('option', { value: k, selected: e?.industry === k }, t));
    const form = h('form', { class: 'job-form', novalidate: true },
        field('name', '企业名称', h('input', { name: 'name', value: e?.name || '', maxlength: 60, required: true })),
        field('credit_code', '统一社会信用代码', h('input', { name: 'credit_code', value: e?.credit_code || '', maxlength: 18, autocapitalize: 'characters', spellcheck: 'false' }), '18位，见营业执照'),
        field('city', '所在城市', h('select', { name: 'city' }, await cityOptions(e?.city?.code || '4419'))),
        field('park', '所在园区（可不填）', h('input', { name: 'park', value: e?.park || '', maxlength: 40 })),
        field('industry', '行业', h('select', { name: 'industry' }, kinds)),
        h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'key', checked: !!e?.key }), ' 重点企业'),
        field('contact_name', '联系人', h('input', { name: 'contact_name', value: e?.contact_name || '', maxlength: 30 })),
        field('contact_phone', '联系电话', h('input', { name: 'contact_phone', value: e?.contact_phone || '', inputmode: 'numeric', maxlength: 16 })),
        msg, h('button', { type: 'submit', class: 'primary' }, e ? '保存修改' : '登记企业'));
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const f = form.elements;
        const body = { name: f.name.value, credit_code: f.credit_code.value, city: f.city.value, park: f.park.value, industry: f.industry.value, key: f.key.checked, contact_name: f.contact_name.value, contact_phone: f.contact_phone.value };
        try {
            after(e ? await patch(`/api/employers/${e.id}`, body) : await post('/api/employers', body));
        } catch (err) {
            if (err instanceof ApiError) showErrors(form, msg, err);
            else msg.textContent = err.message;
        }
    });
    return form;
}

async function jobForm(employers, j, after) {
    const msg = h('p', { class: 'error', role: 'alert' });
    const today = new Date().toISOString().slice(0, 10);
    const kinds = Object.entries(KINDS).map(([k, t]) => h('option', { value: k, selected: j?.kind === k }, t));
    const num = (name, label, v) => field(name, label, h('input', { name, type: 'number', min: 0, step: 1, inputmode: 'numeric', value: v ?? '' }));
    const form = h('form', { class: 'job-form', novalidate: true },
        j ? null : field('employer', '企业', h('select', { name: 'employer' }, employers.map((e) => h('option', { value: e.id }, e.name)))),
        field('title', '岗位名称', h('input', { name: 'title', value: j?.title || '', maxlength: 30 })),
        field('city', '工作地点', h('select', { name: 'city' }, await cityOptions(j?.city?.code || employers[0]?.city?.code || '4419'))),
        field('kind', '工种', h('select', { name: 'kind' }, kinds)),
        num('headcount', '招聘人数', j?.headcount), num('wage_min', '月薪下限（元）', j?.wage_min || ''), num('wage_max', '月薪上限（元）', j?.wage_max || ''),
        num('age_min', '年龄下限', j?.age_min || ''), num('age_max', '年龄上限', j?.age_max || ''),
        field('sex', '性别要求', h('select', { name: 'sex' }, [['any', '不限'], ['male', '男'], ['female', '女']].map(([k, t]) => h('option', { value: k, selected: j?.sex === k }, t)))),
        field('skills', '技能要求（可不填）', h('input', { name: 'skills', value: j?.skills || '', maxlength: 100 })),
        field('starts', '到岗日期', h('input', { name: 'starts', type: 'date', value: j?.starts || '' })),
        field('closes', '报名截止', h('input', { name: 'closes', type: 'date', value: j?.closes || '', min: today })),
        msg, h('button', { type: 'submit', class: 'primary' }, j ? '保存修改' : '发布岗位'));
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const f = form.elements;
        const n = (k) => (f[k].value === '' ? 0 : Number(f[k].value));
        const body = { title: f.title.value, city: f.city.value, kind: f.kind.value, headcount: f.headcount.value === '' ? null : n('headcount'), wage_min: n('wage_min'), wage_max: n('wage_max'), age_min: n('age_min'), age_max: n('age_max'), sex: f.sex.value, skills: f.skills.value, starts: f.starts.value, closes: f.closes.value };
        if (!j) body.employer = f.employer.value;
        try {
            after(j ? await patch(`/api/jobs/${j.id}`, body) : await post('/api/jobs', body));
        } catch (err) {
            if (err instanceof ApiError) showErrors(form, msg, err);
            else msg.textContent = err.message;
        }
    });
    return form;
}

const wage = (j) => (j.wage_min && j.wage_max ? `${j.wage_min}–${j.wage_max}元` : j.wage_min ? `${j.wage_min}元起` : '面议');

function jobRow(j, mayEdit, reload) {
    const close = mayEdit && j.status === 'open' ? h('button', { type: 'button', class: 'link', onclick: async () => { await patch(`/api/jobs/${j.id}`, { status: 'closed' }); reload(); } }, '截止') : null;
    return h('tr', { class: j.status === 'closed' ? 'muted' : '' },
        h('td', {}, j.title), h('td', {}, j.employer_name), h('td', {}, `${j.city.province}${j.city.name}`), h('td', {}, j.zone === 'in' ? '区内' : '区外'),
        h('td', { class: 'n' }, String(j.headcount)), h('td', {}, wage(j)), h('td', {}, j.closes ? shortDate(j.closes) : ''),
        h('td', {}, j.status === 'open' ? '招聘中' : '已截止', ' ', close));
}

function employerRow(e, edit) {
    return h('tr', {}, h('td', {}, e.key ? h('b', {}, '★ ') : '', e.name), h('td', {}, e.credit_code), h('td', {}, `${e.city.province}${e.city.name}`), h('td', {}, e.park),
        h('td', {}, e.industry_label), h('td', {}, e.contact_name, ' ', e.contact_phone), h('td', {}, edit ? h('button', { type: 'button', class: 'link', onclick: edit }, '修改') : ''));
}

const table = (heads, rows) => h('div', { class: 'scroll' }, h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, heads.map((t) => h('th', {}, t)))), h('tbody', {}, rows)));

/** #/jobs: employers and jobs of the scope. */
export async function showJobs(view, me, q = '') {
    const may = me.permissions.includes('jobs');
    const reload = () => showJobs(view, me, q);
    const [emps, jobs] = await Promise.all([get(`/api/employers?q=${encodeURIComponent(q)}`), get(`/api/jobs?scope=${me.scope}`)]);
    const mine = emps.employers.filter((e) => e.editable);
    const formBox = h('div');
    const search = h('form', { class: 'search-row' }, h('input', { name: 'q', value: q, placeholder: '企业名称、信用代码或园区' }), h('button', { type: 'submit' }, '查找'));
    search.addEventListener('submit', (ev) => {
        ev.preventDefault();
        showJobs(view, me, search.elements.q.value.trim());
    });
    const openForm = async (make) => {
        fill(formBox, h('div', { class: 'card' }, await make()));
        formBox.scrollIntoView({ block: 'start' });
    };
    fill(view,
        h('div', { class: 'head-row' }, h('h1', {}, '用工企业和岗位'), subnav('jobs')),
        may ? h('p', {}, h('button', { type: 'button', class: 'primary', onclick: () => openForm(() => employerForm(null, reload)) }, '＋ 登记企业'), ' ',
            mine.length ? h('button', { type: 'button', class: 'primary', onclick: () => openForm(() => jobForm(mine, null, reload)) }, '＋ 发布岗位') : null) : null,
        formBox,
        h('div', { class: 'card' }, h('h2', {}, `用工企业（${emps.employers.length}）`), search,
            table(['企业', '统一社会信用代码', '城市', '园区', '行业', '联系人', ''], emps.employers.map((e) => employerRow(e, may && mine.includes(e) ? () => openForm(() => employerForm(e, reload)) : null)))),
        h('div', { class: 'card' }, h('h2', {}, `岗位（${jobs.jobs.length}）`),
            table(['岗位', '企业', '地点', '区内/区外', '人数', '月薪', '截止', '状态'], jobs.jobs.map((j) => jobRow(j, may, reload)))));
}
