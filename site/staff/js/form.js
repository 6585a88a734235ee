// SPDX-License-Identifier: MIT
// The registration form staff fill: face to face (POST /api/registrations with the
// session, so it records who entered it) and to edit one (PATCH). Same fields as the
// worker's form and the worker page's own rules (site/assets/check.js), with what the
// server allows staff as its options; the server's answer marks fields in red the same way.
import { ApiError } from './api.js';
import { fill, h } from './dom.js';

const check = window.SG.check; // site/assets/check.js: index.html loads it before the modules
let destinations = null;

async function loadDestinations(get) {
    if (!destinations) destinations = (await get('/api/destinations')).provinces;
    return destinations;
}

function field(label, input, name, hint) {
    return h('label', { class: 'field', 'data-field': name }, h('span', { class: 'field-label' }, label), input, hint ? h('span', { class: 'hint' }, hint) : null, h('span', { class: 'error' }));
}

function select(name, options, value) {
    return h('select', { name }, options.map(([v, t]) => h('option', { value: v, selected: v === value }, t)));
}

const POVERTY = [['', '请选择'], ['none', '否'], ['alleviated', '是（脱贫人口）'], ['monitored', '是（防止返贫监测对象）']];
const MODES = [['any', '都可以'], ['bus', '专车（大巴）'], ['train', '专列（火车）'], ['flight', '专机（飞机）']];

function personFields(prefix, p, isWorker) {
    return [
        field('姓名', h('input', { name: `${prefix}name`, value: p.name || '', autocomplete: 'off' }), `${prefix}name`),
        field('身份证号', h('input', { name: `${prefix}id_number`, value: p.id_number || '', inputmode: 'text', maxlength: 18, autocomplete: 'off' }), `${prefix}id_number`, p.id_masked ? '不改就保留原号码；要改请对照身份证填写完整号码' : ''),
        field(isWorker ? '手机号（没有手机可不填，以后无法自己查询）' : '手机号（可不填）', h('input', { name: `${prefix}phone`, value: p.phone || '', inputmode: 'numeric', maxlength: 11, autocomplete: 'off' }), `${prefix}phone`, p.phone_masked ? '不改就保留原号码；要改请填写完整号码' : ''),
        // no default: a guessed 否 undercounts the report's column 6; ask for everyone
        field('是否脱贫人口', select(`${prefix}poverty`, POVERTY, p.poverty || ''), `${prefix}poverty`),
        // known to the village (低保, 特困, 低保边缘…), not asked of workers on the public form
        h('label', { class: 'check', 'data-field': `${prefix}low_income` }, h('input', { type: 'checkbox', name: `${prefix}low_income`, checked: !!p.low_income }), ' 低收入人口（低保、特困、低保边缘等）', h('span', { class: 'error' })),
    ];
}

/**
 * The context of check.registration: the server's today and, when the form is for the
 * active campaign, its dates; staff may enter a worker without a phone, and an edit sends
 * the masked numbers back to keep the stored ones (backend/http/registrations/staff_edit.c).
 */
function rules(campaign, initial, today) {
    const dates = campaign && (!initial || initial.campaign === campaign.id) ? campaign : {};
    return { today: campaign?.today || today, starts: dates.starts, ends: dates.ends, workerPhoneOptional: true, keepMasked: !!initial };
}

/**
 * Render the form into el. initial: a registration item (edit) or null (new entry).
 * submit(body) sends it and resolves with the server's answer; done(answer) follows.
 */
export async function registrationForm(el, { village, initial, today, get, submit, done, submitLabel, before = () => true, staffError = () => false, lead = null }) {
    const [provinces, campaign] = await Promise.all([loadDestinations(get), get('/api/campaign').catch(() => null)]);
    const item = initial || {};
    const ctx = rules(campaign, initial, today);
    const cityCode = item.dest_city?.code || '';
    const provinceSel = select('dest_province', [['', '请选择省份'], ...provinces.map((p) => [p.code, p.name])], cityCode.slice(0, 2));
    const citySel = h('select', { name: 'dest_city' });
    const fillCities = (keep) => {
        const p = provinces.find((x) => x.code === provinceSel.value);
        fill(citySel, h('option', { value: '' }, '请选择城市'), (p?.cities || []).map((c) => h('option', { value: c.code, selected: c.code === keep }, c.name)));
    };
    provinceSel.addEventListener('change', () => fillCities(''));
    fillCities(cityCode);
    const people = item.people || [{}];
    const companionsBox = h('div', { class: 'companions' });
    let nCompanions = 0;
    const addCompanion = (p = {}) => {
        const i = nCompanions++;
        const box = h('fieldset', { class: 'person' }, h('legend', {}, `同行人 ${i + 1}`), personFields(`companions[${i}].`, { ...p, id_masked: p.id_number, phone_masked: p.phone }, false));
        companionsBox.append(box);
    };
    people.slice(1).forEach((p) => addCompanion(p));
    const worker = { ...people[0], id_masked: people[0].id_number, phone_masked: people[0].phone };
    const msg = h('p', { class: 'error', role: 'alert' });
    const form = h(
        'form',
        { class: 'regform', novalidate: true },
        h('div', { class: 'col' },
            lead,
            h('fieldset', { class: 'person' }, h('legend', {}, '务工人员'), personFields('', initial ? worker : {}, true)),
            companionsBox,
            h('button', { type: 'button', class: 'secondary', onclick: () => (nCompanions < 9 ? addCompanion() : null) }, '＋ 添加同行人')),
        h('div', { class: 'col' }, h(
            'fieldset',
            { class: 'person trip' },
            h('legend', {}, '去哪里、哪天走'),
            field('目的地省份', provinceSel, 'dest_province'),
            field('目的地城市', citySel, 'dest_city'),
            field('用工单位（可不填）', h('input', { name: 'employer', value: item.employer || '', maxlength: 60 }), 'employer'),
            h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'job_confirmed', checked: !!item.job_confirmed }), ' 已落实工作岗位'),
            field('出发日期', h('input', { type: 'date', name: 'depart_date', value: item.depart_date || '', min: ctx.today, max: ctx.ends || null }), 'depart_date'),
            field('可提前或推后几天', select('flex_days', [0, 1, 2, 3].map((d) => [String(d), `${d}天`]), String(item.flex_days ?? 1)), 'flex_days'),
            field('出行方式', select('mode', MODES, item.mode || 'any'), 'mode'),
        ),
        initial ? null : h('label', { class: 'check', 'data-field': 'consent' }, h('input', { type: 'checkbox', name: 'consent' }), ' 已当面告知本人：个人信息只用于本次送工服务', h('span', { class: 'error' })),
        msg,
        h('button', { type: 'submit', class: 'primary wide' }, submitLabel || '提交')),
    );
    // a mark goes as soon as its field is changed (a ticked consent box is no longer red)
    const unmark = (ev) => {
        const box = ev.target.closest('[data-field].bad');
        if (box) mark(form, box.dataset.field, '');
    };
    form.addEventListener('change', unmark);
    form.addEventListener('input', unmark);
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const body = collect(form, village, nCompanions, !!initial);
        const unplaced = checkForm(form, body, ctx);
        const placeOk = before();
        if (unplaced || !placeOk) {
            msg.textContent = ['有些内容需要修改，请看标红的地方', ...(unplaced || [])].join('；');
            if (placeOk) form.querySelector('.bad')?.scrollIntoView({ block: 'center' });
            return;
        }
        msg.textContent = '';
        form.querySelector('button[type=submit]').disabled = true;
        try {
            done(await submit(body), body);
        } catch (e) {
            if (staffError(e)) {
                msg.textContent = '有些内容需要修改，请看标红的地方';
                return;
            }
            showErrors(form, e);
            msg.textContent = e.message;
            form.querySelector('.bad')?.scrollIntoView({ block: 'center' });
        } finally {
            form.querySelector('button[type=submit]').disabled = false;
        }
    });
    fill(el, form);
}

function collect(form, village, nCompanions, editing) {
    // editing: the consent was given at sign-up
    const v = (n) => form.elements[n]?.value.trim() ?? '';
    const person = (p) => {
        const o = { name: v(`${p}name`), poverty: v(`${p}poverty`), low_income: !!form.elements[`${p}low_income`]?.checked };
        // an edit shows the numbers masked; sent back unchanged, the server keeps the stored ones
        o.id_number = check.idnoClean(v(`${p}id_number`));
        o.phone = v(`${p}phone`);
        return o;
    };
    const companions = [];
    for (let i = 0; i < nCompanions; i++) companions.push(person(`companions[${i}].`));
    return {
        village,
        ...person(''),
        dest_city: v('dest_city'),
        employer: v('employer'),
        job_confirmed: form.elements.job_confirmed.checked,
        depart_date: v('depart_date'),
        flex_days: Number(v('flex_days')),
        mode: v('mode'),
        companions,
        consent: editing ? true : form.elements.consent.checked,
    };
}

function mark(form, name, message) {
    const box = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (!box) return false;
    box.classList.toggle('bad', !!message);
    box.querySelector('.error').textContent = message || '';
    return true;
}

/** null when the form may be sent, else the messages no field of the form can show. */
function checkForm(form, b, ctx) {
    form.querySelectorAll('[data-field].bad').forEach((f) => mark(form, f.dataset.field, ''));
    const errs = Object.entries(check.registration(b, ctx));
    const unplaced = errs.filter(([k, m]) => !mark(form, k, m)).map(([, m]) => m);
    return errs.length ? unplaced : null;
}

function showErrors(form, e) {
    if (!(e instanceof ApiError)) return;
    for (const [k, m] of Object.entries(e.fields)) mark(form, k, m);
    if (e.field) mark(form, e.field, e.message);
}
