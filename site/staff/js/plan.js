// SPDX-License-Identifier: MIT
// The plan of one vehicle (一车一方案) as a form: create (POST /api/vehicles) or edit
// (PATCH). Pickup stops and drivers are lists that can be added to, removed from and (stops)
// reordered; the place whose people board at a stop is chosen by name under the vehicle's
// scope. The server decides: its field errors ("stops[1].time") are shown in red next to
// the field they name.
import { ApiError } from './api.js';
import { fill, h } from './dom.js';
import { servesPicker } from './places.js';

export const TYPES = [['bus', '专车（大巴）'], ['train', '专列（火车）'], ['flight', '专机（飞机）']];
const CAPACITY_HINT = { bus: '大巴一般 49–52 座', train: '专列 600–2200 人', flight: '包机 60–170 座' };

function field(label, input, name, hint) {
    return h('label', { class: 'field', 'data-field': name }, h('span', { class: 'field-label' }, label), input, hint ? h('span', { class: 'hint' }, hint) : null, h('span', { class: 'error' }));
}

const input = (name, value, attrs = {}) => h('input', { name, value: value ?? '', autocomplete: 'off', ...attrs });

/** A list of rows (stops or drivers) kept in an array and drawn again after each change.
 * Returns read(), which gives the rows' values (inputs with data-key), and read.redraw(). */
function listEditor(box, items, row, max, addLabel, blank) {
    const read = () => [...box.querySelectorAll('.row')].map((r) => Object.fromEntries([...r.querySelectorAll('input')].map((i) => [i.dataset.key, i.value.trim()])));
    const draw = () => {
        const rows = items.map((it, i) => {
            const move = (d) => () => {
                items = read();
                [items[i], items[i + d]] = [items[i + d], items[i]];
                draw();
            };
            const remove = () => {
                items = read();
                items.splice(i, 1);
                draw();
            };
            return h('div', { class: 'row' }, row(it, i), h('div', { class: 'row-tools' }, blank.time !== undefined ? [h('button', { type: 'button', class: 'icon', title: '上移', 'aria-label': `第${i + 1}个上移`, disabled: i === 0, onclick: move(-1) }, '↑'), h('button', { type: 'button', class: 'icon', title: '下移', 'aria-label': `第${i + 1}个下移`, disabled: i === items.length - 1, onclick: move(1) }, '↓')] : null, h('button', { type: 'button', class: 'icon danger', title: '删除', 'aria-label': `删除第${i + 1}个`, onclick: remove }, '✕')));
        });
        const add = h('button', { type: 'button', class: 'secondary', disabled: items.length >= max, onclick: () => {
            items = [...read(), { ...blank }];
            draw();
            box.querySelector('.row:last-of-type input')?.focus();
        } }, addLabel);
        fill(box, rows, add);
    };
    draw();
    read.redraw = () => {
        items = read();
        draw();
    };
    return read;
}

/** A stop: name and time, and the place (under the vehicle's scope, root()) whose people board here. */
const stopRow = (root) => (s, i) => [
    h('span', { class: 'row-no' }, `${i + 1}`),
    h('div', { class: 'stop' },
        h('div', { class: 'stop-line' },
            field('上车点', input(`stops[${i}].name`, s.name, { 'data-key': 'name', placeholder: '如：民生街道政府门口', maxlength: 40 }), `stops[${i}].name`),
            field('时间', input(`stops[${i}].time`, s.time, { 'data-key': 'time', type: 'time' }), `stops[${i}].time`)),
        // the manifest and the workers' status pages then show each passenger this stop
        // (the longest match wins); once any stop names a place, matching and moves by hand
        // put only people of the places named on the vehicle (its pickup area)
        h('div', { class: 'field', 'data-field': `stops[${i}].serves`, role: 'group', 'aria-label': `第${i + 1}个上车点：在这里上车的乡镇、村` },
            h('span', { class: 'field-label' }, '在这里上车的乡镇、村（选了以后，这辆车只接选中地方的人）'),
            servesPicker({ root: root(), value: s.serves || '', label: `第${i + 1}个上车点` }),
            h('span', { class: 'error' }))),
];

function driverRow(d, i) {
    return [h('span', { class: 'row-no' }, `${i + 1}`), field('司机姓名', input(`drivers[${i}]`, d.name, { 'data-key': 'name', maxlength: 20 }), `drivers[${i}]`)];
}

function select(name, options, value) {
    return h('select', { name }, options.map(([v, t]) => h('option', { value: v, selected: v === value }, t)));
}

/** Mark the fields the server named; what has no field of its own goes into the message. */
export function showFieldErrors(form, e, msg) {
    form.querySelectorAll('.field.bad').forEach((f) => {
        f.classList.remove('bad');
        (f.querySelector(':scope > .error') || f.querySelector('.error')).textContent = '';
    });
    const left = [];
    for (const [k, m] of Object.entries(e instanceof ApiError ? e.fields : {})) {
        const box = form.querySelector(`[data-field="${CSS.escape(k)}"]`);
        if (box) {
            box.classList.add('bad');
            (box.querySelector(':scope > .error') || box.querySelector('.error')).textContent = m; // a list's own, not its first row's
        } else left.push(m);
    }
    const n = Object.keys(e.fields || {}).length;
    msg.textContent = n ? `有 ${n} 处需要修改，请看标红的地方。${left.join('；')}` : e.message;
    form.querySelector('.field.bad input, .field.bad select')?.focus();
}

/**
 * Render the plan form into el. v: the vehicle (edit) or {} (new). scopes: [[code, name]]
 * for a new vehicle. submit(body) sends it; done(vehicle) follows a success.
 */
export function planForm(el, { v = {}, provinces, scopes, submit, done, submitLabel }) {
    const type = select('type', TYPES, v.type || 'bus');
    const capHint = h('span', { class: 'hint' });
    const carriage = field('每节车厢座位数', input('carriage_size', v.carriage_size, { type: 'number', inputmode: 'numeric', min: 20, max: 150 }), 'carriage_size', '专列按车厢编座，如每节 100 人');
    const onType = () => {
        capHint.textContent = CAPACITY_HINT[type.value];
        carriage.hidden = type.value !== 'train';
    };
    type.addEventListener('change', onType);
    const city = v.dest_city || '';
    const province = select('dest_province', [['', '请选择省份'], ...provinces.map((p) => [p.code, p.name])], city.slice(0, 2));
    const citySel = h('select', { name: 'dest_city' });
    const fillCities = (keep) => fill(citySel, h('option', { value: '' }, '请选择城市'), (provinces.find((p) => p.code === province.value)?.cities || []).map((c) => h('option', { value: c.code, selected: c.code === keep }, c.name)));
    province.addEventListener('change', () => fillCities(''));
    fillCities(city);
    const stopsBox = h('div', { class: 'list-rows' });
    const driversBox = h('div', { class: 'list-rows' });
    const capacity = h('label', { class: 'field', 'data-field': 'capacity' }, h('span', { class: 'field-label' }, '座位数（载客人数）'), input('capacity', v.capacity, { type: 'number', inputmode: 'numeric', min: 5 }), capHint, h('span', { class: 'error' }));
    const msg = h('p', { class: 'error', role: 'alert' });
    const form = h(
        'form',
        { class: 'planform', novalidate: true },
        h('fieldset', { class: 'person' }, h('legend', {}, '车辆'),
            scopes ? field('归属区划', select('scope', scopes, scopes[0]?.[0]), 'scope', '这辆车由哪一级负责组织') : null,
            h('div', { class: 'two' }, field('类型', type, 'type'), capacity),
            carriage,
            field('车牌号 / 车次 / 航班号', input('number', v.number, { placeholder: '如：桂A12345、D3856', maxlength: 32 }), 'number')),
        h('fieldset', { class: 'person' }, h('legend', {}, '去哪里、什么时候'),
            h('div', { class: 'two' }, field('目的地省份', province, 'dest_province'), field('目的地城市', citySel, 'dest_city')),
            field('用工企业（可不填）', input('employer', v.employer, { maxlength: 60 }), 'employer'),
            h('div', { class: 'three' },
                field('出发日期', input('depart_date', v.depart_date, { type: 'date' }), 'depart_date'),
                field('发车时间', input('depart_time', v.depart_time, { type: 'time' }), 'depart_time'),
                field('预计到达', input('arrive_time', v.arrive_time, { type: 'time' }), 'arrive_time'))),
        h('fieldset', { class: 'person', 'data-field': 'stops' }, h('legend', {}, '上车点（按先后顺序）'),
            h('p', { class: 'hint' }, '每个上车点可选在这里上车的乡镇或村：选了乡镇，就是整个乡镇的人在这里上车；没有被任何上车点选中的，在第一个上车点上车。'),
            stopsBox, h('span', { class: 'error' })),
        h('fieldset', { class: 'person', 'data-field': 'drivers' }, h('legend', {}, '司机（长途专车配两名）'), driversBox, h('span', { class: 'error' })),
        h('fieldset', { class: 'person' }, h('legend', {}, '带队人与应急'),
            h('div', { class: 'two' }, field('带队人姓名', input('escort_name', v.escort_name, { maxlength: 20 }), 'escort_name'), field('带队人手机', input('escort_phone', v.escort_phone, { type: 'tel', inputmode: 'numeric', maxlength: 11 }), 'escort_phone')),
            field('应急联系人及电话', input('emergency', v.emergency, { placeholder: '如：兴宁区人社局 0771-1234567', maxlength: 60 }), 'emergency'),
            field('注意事项（可不填）', h('textarea', { name: 'notes', rows: 3, maxlength: 500 }, v.notes || ''), 'notes')),
        h('fieldset', { class: 'person' }, h('legend', {}, '车长、车队与到达交接（可不填）'),
            h('p', { class: 'hint' }, '车长、副车长从乘客中指定，协助带队人清点人数；同一目的地的几辆车可编成一个车队；到达后由用工单位对接人清点签收名单。'),
            h('div', { class: 'two' },
                field('车长（乘客）', input('captain', v.captain, { placeholder: '如：韦小宝 12座 13800001111', maxlength: 40 }), 'captain'),
                field('副车长（乘客）', input('vice_captain', v.vice_captain, { placeholder: '如：黄秀英 13座', maxlength: 40 }), 'vice_captain')),
            h('div', { class: 'two' },
                field('车队', input('convoy', v.convoy, { placeholder: '如：宾阳—东莞第1车队', maxlength: 40 }), 'convoy'),
                field('车队长及电话', input('convoy_leader', v.convoy_leader, { placeholder: '如：李国强 13900002222', maxlength: 40 }), 'convoy_leader')),
            field('到达交接：接收单位对接人及电话', input('handover', v.handover, { placeholder: '如：宏达电子人事部 王芳 0769-12345678', maxlength: 40 }), 'handover')),
        msg,
        h('button', { type: 'submit', class: 'primary wide' }, submitLabel || '保存方案'),
    );
    const scopeSel = form.elements.scope;
    const readStops = listEditor(stopsBox, (v.stops || []).map((s) => ({ ...s })), stopRow(() => scopeSel?.value || v.scope || ''), 12, '＋ 添加上车点', { name: '', time: '', serves: '' });
    scopeSel?.addEventListener('change', () => readStops.redraw()); // the places to choose from are under the scope
    const readDrivers = listEditor(driversBox, (v.drivers || []).map((name) => ({ name })), driverRow, 3, '＋ 添加司机', { name: '' });
    onType();
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const f = form.elements;
        const num = (n) => (f[n]?.value.trim() ? Number(f[n].value) : null);
        const body = {
            type: f.type.value, capacity: num('capacity'), number: f.number.value.trim(), dest_city: f.dest_city.value,
            employer: f.employer.value.trim(), depart_date: f.depart_date.value, depart_time: f.depart_time.value, arrive_time: f.arrive_time.value,
            stops: readStops(), drivers: readDrivers().map((d) => d.name),
            escort_name: f.escort_name.value.trim(), escort_phone: f.escort_phone.value.trim(), emergency: f.emergency.value.trim(), notes: f.notes.value.trim(),
            captain: f.captain.value.trim(), vice_captain: f.vice_captain.value.trim(), convoy: f.convoy.value.trim(), convoy_leader: f.convoy_leader.value.trim(), handover: f.handover.value.trim(),
        };
        if (body.type === 'train') body.carriage_size = num('carriage_size');
        if (f.scope) body.scope = f.scope.value;
        const button = form.querySelector('button[type=submit]');
        button.disabled = true;
        msg.textContent = '';
        try {
            done(await submit(body));
        } catch (e) {
            showFieldErrors(form, e, msg);
        } finally {
            button.disabled = false;
        }
    });
    fill(el, form);
    return form;
}
