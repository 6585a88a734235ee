// SPDX-License-Identifier: MIT
// The print view of one vehicle's passenger list: staff/manifest.html?id=12 reads
// GET /api/vehicles/12/manifest with the staff session and fills the page.
// A module on js/api.js and js/dom.js, like the staff app.
import { get } from './js/api.js';
import { fill, h } from './js/dom.js';

const $ = (id) => document.getElementById(id);

/** The plan above the list: the first line here, the pickup and crew lines as the PDF prints
 * them (the server's print.stops and print.crew). */
function plan(v, print) {
    const lines = [
        `${v.type_label} ${v.number || '（待定）'}　车辆编号 ${v.id}　目的地 ${v.dest_city_name}` +
            `${v.employer ? '　用工企业 ' + v.employer : ''}　出发 ${v.depart_date} ${v.depart_time || '（时间待定）'}` +
            `${v.arrive_time ? '　预计到达 ' + v.arrive_time : ''}　座位 ${v.capacity}`,
        print.stops,
        `带队人：${v.escort_name} ${v.escort_phone}　司机：${v.drivers.join('、')}　应急联系人：${v.emergency}`,
        print.crew || null,
        v.notes ? '注意事项：' + v.notes : null,
    ];
    fill($('plan'), lines.filter((t) => t !== null).map((t) => h('p', {}, t)));
    // as the PDF and the .xlsx (sg_manifest_handover_line): signed on paper at arrival
    $('handover').textContent = v.handover || '';
}

function rows(list) {
    const cell = (text, cls) => h('td', { class: cls || null }, text);
    fill(
        document.querySelector('#list tbody'),
        list.map((p) =>
            h('tr', {}, cell(String(p.no), 'c'), cell(p.name), cell(p.sex, 'c'), cell(p.id_number), cell(p.phone), cell(p.place), cell(p.stop), cell(p.dest), cell(p.seat, 'c'), cell(p.poverty ? '是' : '否', 'c'), cell('', 'c box')),
        ),
    );
}

async function load() {
    const id = new URLSearchParams(location.search).get('id') || '';
    if (!/^\d+$/.test(id)) throw new Error('缺少车辆编号');
    const base = `/api/vehicles/${id}/manifest`;
    $('pdf').href = base + '.pdf';
    $('xlsx').href = base + '.xlsx';
    $('csv').href = base + '.csv';
    const body = await get(base);
    plan(body.vehicle, body.print);
    rows(body.passengers);
    // as the PDF (backend/print/manifest_pdf.c): the count the escort writes in at the door
    $('totals').textContent = `合计：${body.people} 人，其中脱贫人口（含防止返贫监测对象）${body.poverty} 人；已签到 ______ 人`;
    document.title = `乘车人员名单 ${body.vehicle.number || body.vehicle.id}`;
}

$('print').addEventListener('click', () => window.print());
load().catch((e) => {
    $('status').textContent = e.message;
    $('status').className = 'error';
});
