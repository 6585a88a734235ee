// SPDX-License-Identifier: MIT
// The print view of one vehicle's passenger list: staff/manifest.html?id=12 reads
// GET /api/vehicles/12/manifest with the staff session and fills the page.
'use strict';
window.SGManifest = (() => {
    const $ = (id) => document.getElementById(id);

    function cell(tr, text, cls) {
        const td = document.createElement('td');
        td.textContent = text;
        if (cls) td.className = cls;
        tr.appendChild(td);
    }

    function line(parent, text) {
        const p = document.createElement('p');
        p.textContent = text;
        parent.appendChild(p);
    }

    function plan(v) {
        const box = $('plan');
        box.textContent = '';
        line(box, `${v.type_label} ${v.number || '（待定）'}　车辆编号 ${v.id}　目的地 ${v.dest_city_name}` +
            `${v.employer ? '　用工企业 ' + v.employer : ''}　出发 ${v.depart_date} ${v.depart_time}` +
            `${v.arrive_time ? '　预计到达 ' + v.arrive_time : ''}　座位 ${v.capacity}`);
        line(box, '上车点：' + (v.stops.map((s) => `${s.name} ${s.time}`).join(' → ') || '（待定）'));
        line(box, `带队人：${v.escort_name} ${v.escort_phone}　司机：${v.drivers.join('、')}　应急联系人：${v.emergency}`);
        if (v.notes) line(box, '注意事项：' + v.notes);
    }

    function rows(list) {
        const body = document.querySelector('#list tbody');
        body.textContent = '';
        for (const p of list) {
            const tr = document.createElement('tr');
            cell(tr, String(p.no), 'c');
            cell(tr, p.name);
            cell(tr, p.sex, 'c');
            cell(tr, p.id_number);
            cell(tr, p.phone);
            cell(tr, p.place);
            cell(tr, p.stop);
            cell(tr, p.dest);
            cell(tr, p.seat, 'c');
            cell(tr, p.poverty ? '是' : '否', 'c');
            cell(tr, '', 'c box');
            body.appendChild(tr);
        }
    }

    async function load() {
        const id = new URLSearchParams(location.search).get('id') || '';
        if (!/^\d+$/.test(id)) throw new Error('缺少车辆编号');
        const base = `/api/vehicles/${id}/manifest`;
        $('pdf').href = base + '.pdf';
        $('xlsx').href = base + '.xlsx';
        $('csv').href = base + '.csv';
        const r = await fetch(base, { credentials: 'same-origin' });
        const body = await r.json();
        if (!r.ok) throw new Error(body.error?.message || `错误 ${r.status}`);
        plan(body.vehicle);
        rows(body.passengers);
        $('totals').textContent = `合计：${body.people} 人，其中脱贫人口（含防止返贫监测对象）${body.poverty} 人`;
        document.title = `乘车人员名单 ${body.vehicle.number || body.vehicle.id}`;
    }

    function start() {
        $('print').addEventListener('click', () => window.print());
        load().catch((e) => {
            $('status').textContent = e.message;
            $('status').className = 'error';
        });
    }

    document.addEventListener('DOMContentLoaded', start);
    return { load };
})();
