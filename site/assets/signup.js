// SPDX-License-Identifier: MIT
// The sign-up page /s/{village}: village name, campaign dates and destinations from the
// API; the form kept on the phone while typing (localStorage, with its Idempotency-Key);
// checks next to each field before sending; the server's answers (422 field errors, 409
// already registered) shown the same way; sending through SG.outbox, which waits and
// retries by itself; the success screen with the confirmation code.
(function (SG) {
    'use strict';

    var $ = SG.$, $$ = SG.$$, el = SG.el, check = SG.check;
    var village = (/^\/s\/(\d{12})\/?$/.exec(location.pathname) || [])[1] || '';
    var DRAFT = 'sg.draft.' + village, DONE = 'sg.done';
    var PREFERRED = ['44', '45', '33', '32', '35']; // Guangdong first, then Guangxi, Zhejiang, Jiangsu, Fujian
    var form, key, touched = {}, held = {}, saveTimer = null, provinces = null, wantDest = null, villageName = '', jobsAsked = false;
    var ctx = { today: check.localToday(), starts: '', ends: '' };

    function retryLater(fn, tries) {
        setTimeout(function () {
            fn(tries + 1);
        }, Math.min(30000, 1000 * Math.pow(2, tries)));
    }

    function loadVillage(tries) {
        SG.api('GET', '/api/divisions/' + village).then(function (r) {
            if (r.status !== 200 || !r.json) return r.status === 404 ? null : retryLater(loadVillage, tries);
            var path = r.json.path || [];
            villageName = path.map(function (p) {
                return p.name;
            }).join(' ');
            $('#village-upper').textContent = path.slice(0, -1).map(function (p) {
                return p.name;
            }).join(' ');
            $('#village-name').textContent = r.json.name;
        });
    }

    function addMonths(s, n) {
        var d = check.parseDate(s);
        if (!d) return '';
        var m = d.m - 1 + n, y = d.y + Math.floor(m / 12);
        m = (m % 12) + 1;
        var last = new Date(Date.UTC(y, m, 0)).getUTCDate();
        return y + '-' + (m < 10 ? '0' : '') + m + '-' + (Math.min(d.d, last) < 10 ? '0' : '') + Math.min(d.d, last);
    }

    function loadCampaign(tries) {
        SG.api('GET', '/api/campaign').then(function (r) {
            if (r.status === 404) {
                SG.show($('#closed'), true);
                SG.show(form, false);
                return;
            }
            if (r.status !== 200 || !r.json) return retryLater(loadCampaign, tries);
            var c = r.json;
            ctx = { today: c.today || ctx.today, starts: c.starts, ends: c.ends };
            var date = $('#f-date');
            date.min = ctx.today > c.starts ? ctx.today : c.starts;
            date.max = c.ends;
            $('#f-date-help').textContent = '可以选 ' + (date.min === ctx.today ? '今天（' + SG.dateText(date.min) + '）' : SG.dateText(date.min)) +
                ' 到 ' + SG.dateText(c.ends) + '（本次活动到这天结束）';
            $('#consent-until').textContent = '（本次活动' + SG.dateText(c.ends) + '结束，最晚' +
                SG.dateText(addMonths(c.ends, 6)) + '删除）';
        });
    }

    function loadDestinations(tries) {
        SG.api('GET', '/api/destinations').then(function (r) {
            if (r.status !== 200 || !r.json) return retryLater(loadDestinations, tries);
            provinces = r.json.provinces.slice().sort(function (a, b) {
                var ia = PREFERRED.indexOf(a.code), ib = PREFERRED.indexOf(b.code);
                return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || (a.code < b.code ? -1 : 1);
            });
            var sel = $('#f-province');
            provinces.forEach(function (p) {
                sel.appendChild(el('option', { value: p.code, text: p.name }));
            });
            if (wantDest) setDestination(wantDest);
        });
    }

    function fillCities(code) {
        var sel = $('#f-city'), p = (provinces || []).filter(function (x) {
            return x.code === code;
        })[0];
        sel.textContent = '';
        sel.appendChild(el('option', { value: '', text: p ? '请选择城市' : '先选省份' }));
        (p ? p.cities : []).forEach(function (c) {
            sel.appendChild(el('option', { value: c.code, text: c.name }));
        });
        sel.disabled = !p;
        if (p && p.cities.length === 1) sel.value = p.cities[0].code;
    }

    // d: {province, city}; waits for the destination list when it is not there yet.
    function setDestination(d) {
        wantDest = d;
        if (!provinces) return;
        $('#f-province').value = d.province || '';
        fillCities(d.province);
        if (d.city) $('#f-city').value = d.city;
        wantDest = null;
    }

    function input(attrs) {
        return el('input', attrs);
    }

    function field(name, label, control, help, ok) {
        return el('div', { class: 'field', 'data-field': name }, [
            el('label', { for: control.id, text: label }),
            control,
            help ? el('p', { class: 'help', text: help }) : null,
            ok ? el('p', { class: 'ok' }) : null,
            el('p', { class: 'err', role: 'alert' })
        ]);
    }

    function chips(name, values, labels) {
        return el('div', { class: 'chips' }, values.map(function (v, i) {
            return el('label', { class: 'chip' }, [el('input', { type: 'radio', name: name, value: v }), el('span', { text: labels[i] })]);
        }));
    }

    function companionBlock(i) {
        var pre = 'companions[' + i + '].', id = 'c' + i + '-';
        return el('fieldset', { class: 'companion' }, [
            el('legend', { text: '一起走的第' + (i + 1) + '位' }),
            field(pre + 'name', '姓名', input({ id: id + 'name', name: pre + 'name', type: 'text', placeholder: '例如：黄秀英', maxlength: 40 })),
            field(pre + 'id_number', '身份证号', input({ id: id + 'id', name: pre + 'id_number', type: 'text', placeholder: '18位，最后一位可能是X',
                maxlength: 22, autocapitalize: 'characters', spellcheck: 'false' }), null, true),
            field(pre + 'phone', '手机号（没有可以不填）', input({ id: id + 'phone', name: pre + 'phone', type: 'tel', inputmode: 'numeric',
                placeholder: '11位', maxlength: 16 })),
            el('div', { class: 'field', 'data-field': pre + 'poverty' }, [
                el('p', { class: 'label', text: '是不是脱贫人口？' }),
                chips(pre + 'poverty', ['none', 'alleviated', 'monitored'], ['不是', '是脱贫人口', '是防返贫监测对象']),
                el('p', { class: 'err', role: 'alert' })
            ]),
            el('button', { type: 'button', class: 'btn link', 'data-remove': i, text: '删除这个人' }),
            el('div', { class: 'confirm-remove', hidden: true }, [
                el('p', { class: 'q' }),
                el('button', { type: 'button', class: 'btn danger', 'data-remove-yes': i, text: '确定删除' }),
                el('button', { type: 'button', class: 'btn secondary', 'data-remove-no': i, text: '不删' })
            ])
        ]);
    }

    // Everything in the form as typed: {name, ..., companions: [{...}]}.
    function readForm() {
        var v = { companions: [] };
        Array.prototype.forEach.call(form.elements, function (e) {
            if (!e.name || (e.type === 'radio' && !e.checked)) return;
            var val = e.type === 'checkbox' ? e.checked : e.value, m = /^companions\[(\d+)\]\.(\w+)$/.exec(e.name);
            if (m) (v.companions[+m[1]] = v.companions[+m[1]] || {})[m[2]] = val;
            else v[e.name] = val;
        });
        return v;
    }

    function renderCompanions(n) {
        var box = $('#companions');
        box.textContent = '';
        for (var i = 0; i < n; i++) box.appendChild(companionBlock(i));
        SG.show($('#add-companion'), n < check.maxCompanions);
    }

    function writeForm(v) {
        renderCompanions((v.companions || []).length);
        Array.prototype.forEach.call(form.elements, function (e) {
            if (!e.name || e.name === 'province' || e.name === 'dest_city') return;
            var m = /^companions\[(\d+)\]\.(\w+)$/.exec(e.name);
            var val = m ? (v.companions[+m[1]] || {})[m[2]] : v[e.name];
            if (e.type === 'radio') e.checked = val !== undefined && e.value === val;
            else if (e.type === 'checkbox') e.checked = !!val;
            else e.value = val || '';
        });
        setDestination({ province: v.province || (v.dest_city || '').slice(0, 2), city: v.dest_city });
        showIdHints();
    }

    // What the API takes, from what was typed.
    function body(v) {
        var choice = { yes: true, no: false };
        var b = {
            village: village,
            name: (v.name || '').trim(),
            id_number: check.idnoClean(v.id_number),
            phone: (v.phone || '').replace(/[ \-]/g, ''),
            poverty: v.poverty || '',
            dest_city: v.dest_city || '',
            employer: (v.employer || '').trim(),
            job_confirmed: v.job_confirmed in choice ? choice[v.job_confirmed] : null,
            depart_date: v.depart_date || '',
            flex_days: v.flex_days === undefined ? null : +v.flex_days,
            mode: v.mode || '',
            companions: v.companions.map(function (c) {
                return { name: (c.name || '').trim(), id_number: check.idnoClean(c.id_number),
                    phone: (c.phone || '').replace(/[ \-]/g, ''), poverty: c.poverty || '' };
            }),
            consent: !!v.consent
        };
        return SG.jobsBody ? SG.jobsBody(b, v) : b; // jobs.js (withJobs): employer_id, seek_job, work
    }

    function saveDraft() {
        clearTimeout(saveTimer);
        SG.store.set(DRAFT, { key: key, values: readForm() });
    }

    // The chosen date in words under the date field: phones may show it as mm/dd/yyyy.
    function showDate() {
        var v = $('#f-date').value, d = check.parseDate(v);
        $('#f-date-show').textContent = d ? '您选的是：' + SG.dateText(v) + ' 星期' +
            '日一二三四五六'.charAt(new Date(Date.UTC(d.y, d.m - 1, d.d)).getUTCDay()) : '';
    }

    // Under each valid ID number: the birth date and sex it holds, so a typo shows.
    function showIdHints() {
        showDate();
        $$('[data-field$="id_number"]', form).forEach(function (box) {
            var r = check.idno($('input', box).value, ctx.today), ok = $('.ok', box);
            if (ok) ok.textContent = r.code ? '' : '✔ 出生 ' + SG.dateText(r.birth) + '，' + (r.sex === 1 ? '男' : '女');
        });
    }

    function valueIn(box) {
        var i = $('input, select', box);
        return i ? i.value : '';
    }

    // Messages for the fields the worker has left (or tried to send) only. A message of
    // the server's that the page cannot check (already registered, with its link) stays
    // until its field is changed.
    function refresh() {
        var errs = check.registration(body(readForm()), ctx);
        $$('[data-field]', form).forEach(function (box) {
            var f = box.getAttribute('data-field');
            if (held[f] !== undefined && held[f] === valueIn(box) && !errs[f]) return;
            delete held[f];
            if (touched[f]) SG.fieldError(box, errs[f]);
        });
        showIdHints();
        return errs;
    }

    function fieldOf(e) {
        var box = e.closest ? e.closest('[data-field]') : null;
        return box ? box.getAttribute('data-field') : null;
    }

    function formError(msg, link) {
        var box = $('#form-error');
        box.textContent = msg || '';
        if (link) box.appendChild(link);
        SG.show(box, !!msg);
    }

    function focusFirstError() {
        var bad = $('.field.bad', form);
        if (!bad) return;
        bad.scrollIntoView({ block: 'center' });
        var i = $('input, select', bad);
        if (i && i.type !== 'radio') i.focus({ preventScroll: true });
    }

    function showServerErrors(fields) {
        Object.keys(fields).forEach(function (f) {
            var box = $('[data-field="' + f + '"]', form);
            touched[f] = true;
            if (box) held[f] = valueIn(box);
        });
        var left = SG.showErrors(form, fields);
        formError(left.length ? left.join('；') : '有几处需要修改，请看红字。');
        focusFirstError();
    }

    // the lookup by ID number (a worker who signed up before rarely has the code at hand);
    // the number goes along in this tab's sessionStorage, never in the URL
    function statusLink(idNumber) {
        return el('a', { href: '/status?lost=1', text: ' 用身份证号查询 →', 'data-id': idNumber || '' });
    }

    function showScreen(which) {
        SG.show(form, which === 'form');
        SG.show($('#waiting'), which === 'waiting');
        SG.show($('#done'), which === 'done');
        SG.show($('#village'), which !== 'done');
        window.scrollTo(0, 0);
    }

    var hooks = {
        onSending: function (tries) {
            showScreen('waiting');
            $('#waiting').className = 'card waiting';
            $('#waiting-title').textContent = tries ? '正在重新提交…' : '正在提交…';
            $('#waiting-text').textContent = '请稍等，不要关闭这个页面。';
            $('#waiting-next').textContent = '';
            SG.show($('#retry-now'), false);
            SG.show($('#back-edit'), false);
        },
        onWaiting: function (w) {
            showScreen('waiting');
            $('#waiting').className = 'card waiting slow';
            $('#waiting-title').textContent = w.status === 0 ? '网络不好，报名还没有送到' : '系统太忙，报名还没有送到';
            $('#waiting-text').textContent = '您填的内容已经保存在手机里。手机会自动重新提交，请不要关闭这个页面。';
            $('#waiting-next').textContent = w.seconds > 0 ? w.seconds + ' 秒后自动重试（已试 ' + w.tries + ' 次）' : '正在重试…';
            SG.show($('#retry-now'), true);
            SG.show($('#back-edit'), true);
        },
        onAnswer: function (res, item) {
            var e = (res.json && res.json.error) || {};
            if (res.status === 201 && res.json) return done(res.json, item.body);
            showScreen('form');
            if (res.status === 422 && e.fields) return showServerErrors(e.fields);
            if (res.status === 409) {
                var f = e.field || 'id_number', fields = {};
                var taken = $('[data-field="' + f + '"] input', form);
                fields[f] = '这个身份证号已经报过名了，不用再报。';
                showServerErrors(fields);
                var box = $('[data-field="' + f + '"] .err', form);
                if (box) box.appendChild(statusLink(taken && check.idnoClean(taken.value)));
                formError('有人已经用这个身份证号报过名了。', statusLink(taken && check.idnoClean(taken.value)));
                return;
            }
            formError((e.message || '提交没有成功') + '（' + res.status + '）');
        }
    };

    // "广东省 东莞市" for "4419" (the code when the list has not loaded: a resumed send).
    function destName(code) {
        var p = (provinces || []).filter(function (x) {
            return x.code === code.slice(0, 2);
        })[0];
        var c = p && p.cities.filter(function (x) {
            return x.code === code;
        })[0];
        return c ? p.name + ' ' + c.name : code;
    }

    // card.js is loaded on the first tap only: most workers never need it.
    function withCard(fn) {
        if (SG.card) return fn();
        var s = el('script', { src: '/assets/card.js?v=1' });
        SG.show($('#image-error'), false);
        s.onload = fn;
        s.onerror = function () {
            document.head.removeChild(s);
            SG.show($('#image-error'), true);
        };
        document.head.appendChild(s);
    }

    // jobs.js (employers offered by name, 想找工作) comes with the worker's first touch of the
    // form, or at once for a draft that holds its fields: the page's first load stays light.
    // Without it (a lost request) the form works the same, the employer typed freely.
    function withJobs() {
        if (jobsAsked) return;
        jobsAsked = true;
        var s = el('script', { src: '/assets/jobs.js?v=2' });
        s.onerror = function () {
            document.head.removeChild(s);
            jobsAsked = false;
        };
        document.head.appendChild(s);
    }

    function done(res, b) {
        var cityName = destName(b.dest_city);
        var names = [b.name].concat(b.companions.map(function (c) {
            return c.name;
        }));
        var info = { code: res.code, names: names, dest: cityName, date: b.depart_date, flex: b.flex_days, village: villageName };
        SG.store.set(DONE, { code: res.code, village: villageName, date: b.depart_date, dest: cityName });
        SG.store.remove(DRAFT);
        $('#done-code').textContent = SG.codeText(res.code);
        var dl = $('#done-summary');
        dl.textContent = '';
        [['报名的人', names.join('、') + '（共' + res.people + '人）'], ['去哪里', cityName],
            ['出发日期', SG.dateText(b.depart_date) + (b.flex_days ? '（前后' + b.flex_days + '天都可以）' : '')],
            ['村', villageName]].forEach(function (row) {
            dl.appendChild(el('dt', { text: row[0] }));
            dl.appendChild(el('dd', { text: row[1] }));
        });
        $('#done-status').href = '/status?code=' + res.code;
        SG.show($('#image-box'), false);
        $('#save-image').onclick = function () {
            withCard(function () {
                $('#done-image').src = SG.card(info);
                SG.show($('#image-box'), true);
                $('#image-box').scrollIntoView({ block: 'start' });
            });
        };
        showScreen('done');
    }

    function submit(ev) {
        ev.preventDefault();
        formError('');
        var b = body(readForm()), errs = check.registration(b, ctx);
        Object.keys(errs).forEach(function (f) {
            touched[f] = true;
        });
        refresh();
        if (Object.keys(errs).length) {
            var left = SG.showErrors(form, errs);
            formError((left.length ? left.join('；') + '。' : '') + '有 ' + Object.keys(errs).length + ' 处需要修改，请看红字。');
            return focusFirstError();
        }
        saveDraft();
        held = {};
        SG.outbox.send(b, key, hooks);
    }

    function changeCompanions(fn) {
        var v = readForm();
        fn(v.companions);
        touched = {};
        writeForm(v);
        saveDraft();
    }

    function startOver() {
        key = SG.randomKey();
        touched = {};
        form.reset();
        writeForm({ companions: [], mode: 'any' });
        SG.showErrors(form, {});
        formError('');
        saveDraft();
        showLast();
        showScreen('form');
    }

    function showLast() {
        var last = SG.store.get(DONE), box = $('#last');
        if (!last || !last.code) return;
        box.textContent = '这台手机上次报名的报名号：' + SG.codeText(last.code) + '。';
        box.appendChild(el('a', { href: '/status?code=' + last.code, text: '查看 →' }));
        SG.show(box, true);
    }

    // 删除这个人: at once for an empty block, after asking for one with something typed in it
    function onCompanionClick(ev) {
        var t = ev.target, block = t.closest ? t.closest('.companion') : null;
        var i = t.getAttribute('data-remove'), yes = t.getAttribute('data-remove-yes'), no = t.getAttribute('data-remove-no');
        if (!block) return;
        var ask = $('.confirm-remove', block);
        if (i !== null) {
            var c = readForm().companions[+i] || {};
            var filled = ['name', 'id_number', 'phone', 'poverty'].some(function (k) {
                return (c[k] || '').trim() !== '';
            });
            if (!filled) return remove(+i);
            $('.q', ask).textContent = '确定删除' + ((c.name || '').trim() || '这个人') + '吗？填的内容会清掉。';
            SG.show(t, false);
            SG.show(ask, true);
        } else if (yes !== null) {
            remove(+yes);
        } else if (no !== null) {
            SG.show(ask, false);
            SG.show($('[data-remove]', block), true);
        }
    }

    function remove(i) {
        changeCompanions(function (list) {
            list.splice(i, 1);
        });
    }

    function wire() {
        form.addEventListener('submit', submit);
        form.addEventListener('focusin', withJobs);
        form.addEventListener('pointerdown', withJobs);
        form.addEventListener('input', function (ev) {
            if (ev.target.name === 'id_number' || /id_number$/.test(ev.target.name)) showIdHints();
            if (Object.keys(touched).length) refresh();
            clearTimeout(saveTimer);
            saveTimer = setTimeout(saveDraft, 300);
        });
        form.addEventListener('change', function (ev) {
            var f = fieldOf(ev.target);
            withJobs();
            if (ev.target.name === 'province') fillCities(ev.target.value);
            if (f && ev.target.type !== 'text' && ev.target.type !== 'tel') touched[f] = true;
            refresh();
            saveDraft();
        });
        form.addEventListener('focusout', function (ev) {
            var f = fieldOf(ev.target);
            if (f && ev.target.value !== '' && ev.target.type !== 'radio') {
                touched[f] = true;
                refresh();
            }
        });
        $('#add-companion').addEventListener('click', function () {
            changeCompanions(function (list) {
                list.push({});
            });
            var inputs = $$('.companion input[type=text]', form);
            if (inputs.length) inputs[inputs.length - 2].focus();
        });
        $('#companions').addEventListener('click', onCompanionClick);
        form.addEventListener('click', function (ev) {
            var id = ev.target.getAttribute && ev.target.getAttribute('data-id');
            if (id === null || id === undefined) return;
            try {
                window.sessionStorage.setItem('sg.lost.id', id);
            } catch (e) {
                /* the number is then typed again on the status page */
            }
        });
        $('#retry-now').addEventListener('click', SG.outbox.now);
        $('#back-edit').addEventListener('click', function () {
            SG.outbox.clear();
            showScreen('form');
        });
        $('#another').addEventListener('click', startOver);
    }

    function start() {
        form = $('#form');
        wire();
        loadVillage(0);
        loadCampaign(0);
        loadDestinations(0);
        var draft = SG.store.get(DRAFT);
        key = draft && draft.key ? draft.key : SG.randomKey();
        writeForm(draft && draft.values ? draft.values : { companions: [], mode: 'any' });
        if (draft && draft.values && (draft.values.employer || draft.values.job_confirmed || draft.values.seek_job)) withJobs();
        showLast();
        var pending = SG.outbox.pending();
        if (pending && pending.body && pending.body.village === village) {
            key = pending.key;
            SG.outbox.resume(pending, hooks);
        }
    }

    if (village) start();
})(window.SG = window.SG || {});
