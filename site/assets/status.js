// SPDX-License-Identifier: MIT
// The status page /status: look a sign-up up with its code and the last 4 digits of the
// phone (GET /api/registrations/{code}?phone4=), see it masked and, once matched, the
// trip card at the top (vehicle, when, where to board, seats, escort, the check-in QR,
// and the trip's states 已安排 → 已上车 → 已发车 → 已到达), and the open jobs that fit
// (GET /api/jobs?for=CODE&phone4=); cancel it with the same proof (POST .../cancel) until
// the group is on board. phone4 stays in memory only.
(function (SG) {
    'use strict';

    var $ = SG.$, el = SG.el;
    var ALPHABET = /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{8}$/;
    var STATUS = { registered: '已报名，等待安排车辆', assigned: '已安排车辆', cancelled: '已取消' };
    var TRIP = { boarded: '已上车', departed: '已发车', arrived: '已到达', no_show: '没有上车' };
    // the assignment as GET /api/registrations/{code} gives it once matched (docs/api.md)
    var current = null; // {code, phone4}

    function cleanCode(s) {
        return String(s || '').replace(/[\s\-]+/g, '').toUpperCase();
    }

    function row(dl, label, value) {
        dl.appendChild(el('dt', { text: label }));
        dl.appendChild(el('dd', {}, [value]));
    }

    function timeText(iso) {
        var t = new Date(iso);
        if (isNaN(t.getTime())) return iso || '';
        function p(n) {
            return (n < 10 ? '0' : '') + n;
        }
        return t.getFullYear() + '年' + (t.getMonth() + 1) + '月' + t.getDate() + '日 ' + p(t.getHours()) + ':' + p(t.getMinutes());
    }

    function seatText(x) {
        return (x.carriage ? x.carriage + '车厢 ' : '') + x.seat + '号';
    }

    function dateText(d) {
        var m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(d || '');
        return m ? Number(m[2]) + '月' + Number(m[3]) + '日' : (d || '');
    }

    // the trip's states, in order, and what the worker reads for each (GET …/registrations/{code}: assignment.trip)
    var STEPS = [['assigned', '已安排'], ['boarded', '已上车'], ['departed', '已发车'], ['arrived', '已到达']];

    function stepOf(trip) {
        for (var i = 0; i < STEPS.length; i++) if (STEPS[i][0] === trip) return i;
        return -1;
    }

    /** Nothing to cancel once the group is on board or its vehicle has left: the trip happened. */
    function locked(a) {
        return !!a && (stepOf(a.trip) >= 1 || a.status === 'departed' || a.status === 'arrived');
    }

    function progress(a) {
        if (a.trip === 'no_show')
            return el('p', { class: 'trip-missed', text: a.status === 'departed' || a.status === 'arrived'
                ? '车已经开走，您没有上车签到。请联系带队人或村里。' : '带队人登记您还没到，请尽快到上车点，或打电话给带队人。' });
        var at = stepOf(a.trip);
        return el('ol', { class: 'trip-steps', 'aria-label': '行程' }, STEPS.map(function (s, i) {
            return el('li', { class: i < at ? 'done' : i === at ? 'now' : '', text: s[1] });
        }));
    }

    function tripRow(dl, label, value) {
        dl.appendChild(el('dt', { text: label }));
        dl.appendChild(el('dd', {}, [value]));
    }

    /** The trip card at the top of the first screen: vehicle, when, where to board, seats, escort, QR. */
    function renderTrip(a, people) {
        var card = $('#r-trip');
        card.textContent = '';
        card.appendChild(el('h2', { class: 'trip-head' }, [el('span', { text: (a.type_label || '') + ' ' + (a.number || '（车牌待定）') })]));
        card.appendChild(progress(a));
        var dl = el('dl', { class: 'trip-facts' });
        tripRow(dl, '发车', dateText(a.depart_date) + ' ' + (a.depart_time || '（时间待定）'));
        if (a.pickup) tripRow(dl, '上车', a.pickup + (a.pickup_time ? ' ' + a.pickup_time : ''));
        tripRow(dl, '座位', (a.seats || []).map(function (x, i) {
            var who = people && people[i] ? people[i].name + ' ' : '';
            return who + seatText(x);
        }).join('，'));
        if (a.escort_name || a.escort_phone)
            tripRow(dl, '带队人', el('span', {}, [String(a.escort_name || '') + ' ',
                a.escort_phone ? el('a', { class: 'call', href: 'tel:' + a.escort_phone, text: '☎ ' + a.escort_phone }) : '']));
        card.appendChild(dl);
        var open = a.status === 'planned' || a.status === 'boarding';
        if (a.checkin && a.checkin.token && open && stepOf(a.trip) < 1) {
            // the escort scans this at boarding (it opens the check-in page on a staff phone)
            card.appendChild(el('div', { class: 'trip-qr' }, [
                el('img', { class: 'checkin-qr', alt: '上车签到二维码', src: '/qr/checkin/' + encodeURIComponent(a.checkin.token) + '.svg' }),
                el('p', { class: 'hint', text: '上车时出示这个二维码，带队人扫码签到' })]));
        } else if (stepOf(a.trip) >= 1) {
            card.appendChild(el('p', { class: 'trip-ok', text: '✓ 已签到上车' }));
        }
        SG.show(card, true);
    }

    function renderAssignment(a, people) {
        var box = $('#r-assignment');
        box.textContent = '';
        SG.show($('#r-trip'), false);
        SG.show($('#r-wait'), !a);
        if (!a || typeof a !== 'object') {
            box.appendChild(el('p', { class: 'hint', text: '还没有安排。安排好后，这里会显示车次、座位、上车地点和时间、带队人电话，也会打电话通知您。' }));
            return;
        }
        renderTrip(a, people);
    }

    function render(r) {
        $('#r-code').textContent = SG.codeText(r.code);
        var badge = $('#r-status');
        badge.textContent = (r.assignment && TRIP[r.assignment.trip]) || STATUS[r.status] || r.status;
        badge.className = 'badge ' + r.status;
        var dl = $('#r-summary');
        dl.textContent = '';
        var v = r.village || {}, path = (v.path || []).map(function (p) {
            return p.name;
        });
        row(dl, '村', path.join(' '));
        row(dl, '去哪里', (r.dest_city.province || '') + ' ' + (r.dest_city.name || ''));
        row(dl, '出发日期', SG.dateText(r.depart_date) + (r.flex_days ? '（前后' + r.flex_days + '天都可以）' : ''));
        row(dl, '想坐', SG.MODES[r.mode] || r.mode);
        row(dl, '工作单位', (r.employer || '没有填') + (r.job_confirmed ? '（工作已找好）' : '（工作还没有找好）'));
        row(dl, '报名时间', timeText(r.created_at));
        if (r.cancelled_at) row(dl, '取消时间', timeText(r.cancelled_at));
        renderAssignment(r.assignment, r.people);
        showJobs(r, current);
        var people = $('#r-people');
        people.textContent = '';
        r.people.forEach(function (p, i) {
            people.appendChild(el('div', { class: 'person' }, [
                el('b', { text: p.name + (i === 0 ? '（本人）' : '') }),
                el('div', { class: 'nums' }, [el('span', { text: '身份证 ' + p.id_number }), p.phone ? el('span', { text: '手机 ' + p.phone }) : null]),
                p.poverty !== 'none' ? el('div', { text: SG.POVERTY[p.poverty] || p.poverty }) : null
            ]));
        });
        var cancelled = r.status === 'cancelled';
        SG.show($('#cancel-box'), !cancelled && !locked(r.assignment));
        SG.show($('#cancel-confirm'), false);
        SG.show($('#cancel-error'), false);
        var again = $('#signup-again');
        again.href = '/s/' + v.code;
        SG.show(again, cancelled && !!v.code);
        SG.show($('#lookup'), false);
        SG.show($('#lost'), false);
        SG.show($('#result'), true);
        window.scrollTo(0, 0);
    }

    function problem(id, msg) {
        var box = $(id);
        box.textContent = msg;
        SG.show(box, !!msg);
    }

    function lookup(code, phone4) {
        var go = $('#lookup-go');
        go.disabled = true;
        go.textContent = '正在查询…';
        return SG.api('GET', '/api/registrations/' + encodeURIComponent(code) + '?phone4=' + phone4).then(function (r) {
            go.disabled = false;
            go.textContent = '查询';
            if (r.status === 200 && r.json) {
                current = { code: code, phone4: phone4 };
                return render(r.json);
            }
            SG.show($('#result'), false);
            SG.show($('#lookup'), true);
            problem('#lookup-error', r.status === 404 ? '没有找到。请核对报名号和手机号后4位是否填对。'
                : r.status === 0 ? '网络不好，没有查到。请稍后再点“查询”。' : '系统忙，请稍后再试。');
        });
    }

    function onLookup(ev) {
        ev.preventDefault();
        problem('#lookup-error', '');
        var code = cleanCode($('#f-code').value), phone4 = $('#f-phone4').value.replace(/\s+/g, ''), errs = {};
        if (!code) errs.code = '请填写报名号';
        else if (!ALPHABET.test(code)) errs.code = '报名号是8位，由数字2-9和大写字母组成（没有0、1、I、O）';
        if (!/^\d{4}$/.test(phone4)) errs.phone4 = '请填写手机号的最后4位数字';
        SG.showErrors($('#lookup'), errs);
        if (Object.keys(errs).length === 0) lookup(code, phone4);
    }

    // A lost code: the ID number and phone4 (POST /api/registrations/lookup); the same page
    // as a lookup by code once found, with the code pointed out to keep this time.
    function lookupLost(idNumber, phone4) {
        var go = $('#lost-go');
        go.disabled = true;
        go.textContent = '正在查询…';
        return SG.api('POST', '/api/registrations/lookup', { id_number: idNumber, phone4: phone4 }).then(function (r) {
            go.disabled = false;
            go.textContent = '查询';
            var e = (r.json && r.json.error) || {};
            if (r.status === 200 && r.json) {
                current = { code: r.json.code, phone4: phone4 };
                SG.store.set('sg.done', { code: r.json.code });
                render(r.json);
                SG.show($('#r-found'), true);
                return;
            }
            if (r.status === 422 && e.fields) return SG.showErrors($('#lost'), e.fields);
            problem('#lost-error', r.status === 404 ? '没有找到有效的报名。请核对身份证号和手机号后4位；报名取消后也查不到。'
                : r.status === 429 ? e.message || '试的次数太多了，请过一段时间再试。'
                : r.status === 0 ? '网络不好，没有查到。请稍后再点“查询”。' : '系统忙，请稍后再试。');
        });
    }

    function onLost(ev) {
        ev.preventDefault();
        problem('#lost-error', '');
        var idNumber = SG.check.idnoClean($('#f-lost-id').value), phone4 = $('#f-lost-phone4').value.replace(/\s+/g, ''), errs = {};
        var r = SG.check.idno(idNumber);
        if (r.code) errs.id_number = r.code === 'required' ? '请填写身份证号' : SG.check.messages[r.code];
        if (!/^\d{4}$/.test(phone4)) errs.phone4 = '请填写手机号的最后4位数字';
        SG.showErrors($('#lost'), errs);
        if (Object.keys(errs).length === 0) lookupLost(idNumber, phone4);
    }

    function showLost(on) {
        SG.show($('#lookup'), !on);
        SG.show($('#lost'), on);
        SG.show($('#result'), false);
        SG.show($('#r-found'), false);
        (on ? $('#f-lost-id') : $('#f-code')).focus();
    }

    function onCancel() {
        var yes = $('#cancel-yes');
        yes.disabled = true;
        yes.textContent = '正在取消…';
        SG.api('POST', '/api/registrations/' + encodeURIComponent(current.code) + '/cancel', { phone4: current.phone4 })
            .then(function (r) {
                yes.disabled = false;
                yes.textContent = '确定取消';
                if (r.status === 200) return lookup(current.code, current.phone4);
                problem('#cancel-error', r.status === 0 ? '网络不好，还没有取消。请再点一次“确定取消”。'
                    : r.status === 404 ? '没有找到这个报名。'
                        : r.status === 409 && r.json && r.json.error ? r.json.error.message : '系统忙，还没有取消，请稍后再试。');
            });
    }

    function start() {
        var m = /[?&]code=([^&]+)/.exec(location.search);
        var last = SG.store.get('sg.done');
        $('#f-code').value = m ? cleanCode(decodeURIComponent(m[1])) : last && last.code ? last.code : '';
        $('#lookup').addEventListener('submit', onLookup);
        $('#lost').addEventListener('submit', onLost);
        $('#to-lost').addEventListener('click', function (ev) {
            ev.preventDefault();
            showLost(true);
        });
        $('#to-code').addEventListener('click', function (ev) {
            ev.preventDefault();
            showLost(false);
        });
        if (/[?&]lost=1/.test(location.search) || location.hash === '#lost') {
            try {
                $('#f-lost-id').value = window.sessionStorage.getItem('sg.lost.id') || '';
                window.sessionStorage.removeItem('sg.lost.id');
            } catch (e) {
                /* typed again */
            }
            showLost(true);
        }
        $('#cancel').addEventListener('click', function () {
            SG.show($('#cancel-confirm'), true);
            $('#cancel-confirm').scrollIntoView({ block: 'center' });
        });
        $('#cancel-no').addEventListener('click', function () {
            SG.show($('#cancel-confirm'), false);
        });
        $('#cancel-yes').addEventListener('click', onCancel);
        $('#other').addEventListener('click', function () {
            current = null;
            $('#f-code').value = '';
            $('#f-phone4').value = '';
            SG.show($('#result'), false);
            SG.show($('#r-found'), false);
            SG.show($('#lookup'), true);
        });
    }

    // ---- the open jobs that fit (issue 17) ------------------------------------------------

    function wage(j) {
        if (j.wage_min && j.wage_max) return '月薪 ' + j.wage_min + '–' + j.wage_max + ' 元';
        return j.wage_min ? '月薪 ' + j.wage_min + ' 元起' : '工资面议';
    }

    function age(j) {
        if (j.age_min && j.age_max) return j.age_min + '–' + j.age_max + '岁';
        if (j.age_max) return j.age_max + '岁以下';
        return j.age_min ? j.age_min + '岁以上' : '年龄不限';
    }

    function jobCard(j) {
        var where = (j.city.province || '') + (j.city.name || '') + (j.zone === 'in' ? '（区内）' : '');
        return el('li', { class: 'job' }, [
            el('b', { text: j.title + ' · 招' + j.headcount + '人' }),
            el('div', { class: 'job-employer', text: j.employer_name }),
            el('div', { text: where + '　' + wage(j) }),
            el('div', { class: 'hint', text: age(j) + (j.skills ? '　' + j.skills : '') + '　' + SG.dateText(j.closes) + '截止' })
        ]);
    }

    // After a lookup: the open jobs that fit (GET /api/jobs?for=CODE&phone4=), under the assignment.
    function showJobs(r, proof) {
        var old = $('#r-jobs');
        if (old) old.parentNode.removeChild(old);
        if (!proof || r.status === 'cancelled') return;
        var card = el('div', { class: 'card', id: 'r-jobs' }, [el('h2', { text: '适合您的工作' }),
            el('p', { class: 'hint', text: '正在查找…' })]);
        var after = $('#r-assignment').parentNode;
        after.parentNode.insertBefore(card, after.nextSibling);
        SG.api('GET', '/api/jobs?for=' + encodeURIComponent(proof.code) + '&phone4=' + proof.phone4).then(function (res) {
            var hint = $('.hint', card);
            if (res.status !== 200 || !res.json) {
                hint.textContent = '暂时查不到岗位信息，请稍后再看。';
                return;
            }
            if (!res.json.jobs.length) {
                hint.textContent = '现在还没有适合您的岗位。有新岗位时，我们会发短信告诉您。';
                return;
            }
            hint.textContent = '按您要去的地方和年龄找的在招岗位。想去的话，请找村干部或县人社部门报名。';
            card.appendChild(el('ul', { class: 'jobs' }, res.json.jobs.map(jobCard)));
        });
    }

    start();
})(window.SG = window.SG || {});
