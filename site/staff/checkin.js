// SPDX-License-Identifier: MIT
// The escort scans a worker's QR code: staff/checkin.html#<token> posts the check-in with
// the escort's staff session (CSRF token from /api/me) and shows who boarded.
'use strict';
window.SGCheckin = (() => {
    const $ = (id) => document.getElementById(id);

    async function checkIn(token) {
        const me = await fetch('/api/me', { credentials: 'same-origin' });
        if (me.status === 401) throw new Error('请先登录工作人员账号，再扫码签到');
        const { csrf } = await me.json();
        const r = await fetch(`/api/checkin/${encodeURIComponent(token)}`, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
            body: '{}',
        });
        const body = await r.json();
        if (!r.ok) throw new Error(body.error?.message || `错误 ${r.status}`);
        return body;
    }

    function link(href, text) {
        const a = document.getElementById('next');
        a.href = href;
        a.textContent = text;
        a.hidden = false;
    }

    function show(body) {
        $('result').textContent = body.again ? '已签到过（无需重复）' : '签到成功';
        $('result').className = 'ok';
        for (const p of body.people) {
            const li = document.createElement('li');
            li.textContent = `${p.name}　座位 ${p.seat}`;
            $('people').appendChild(li);
        }
        link(`/staff/#/boarding/${encodeURIComponent(body.vehicle)}`, '返回本车上车名单，继续扫码');
    }

    function start() {
        const token = location.hash.slice(1);
        checkIn(token).then(show, (e) => {
            $('result').textContent = e.message;
            $('result').className = 'error';
            link('/staff/#/boarding', '打开工作台（登录、上车名单）');
        });
    }

    document.addEventListener('DOMContentLoaded', start);
    return { checkIn };
})();
