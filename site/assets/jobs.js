// SPDX-License-Identifier: MIT
// Jobs on the sign-up form (issue 17), a module of its own that signup.js loads once the
// worker first touches the form (withJobs): the registered employers of the chosen city
// offered by name (free text still allowed; a name picked from the list sends its id) and,
// for a worker without a confirmed job, "想找工作" with the kind of work wanted. (The jobs
// that fit, on the status page, are in status.js.) Every text from the server goes in as text.
(function (SG) {
    'use strict';

    var $ = SG.$, el = SG.el;
    var KINDS = [['manufacturing', '工厂普工'], ['construction', '建筑装修'], ['service', '餐饮服务'], ['logistics', '物流快递'],
        ['domestic', '家政保洁'], ['agriculture', '农业种养'], ['driving', '司机'], ['other', '其他']];
    var names = {}, loadedCity = ''; // name -> employer id, for the chosen city

    // ---- sign-up form -------------------------------------------------------------------

    function matchEmployer() {
        var input = $('#f-employer'), id = $('#f-employer-id'), city = $('#f-city');
        if (city && city.value !== loadedCity) return loadNames(city.value); // set by a restored draft
        if (input && id) id.value = names[input.value.trim()] || '';
    }

    function loadNames(city) {
        names = {};
        loadedCity = city || '';
        var list = $('#f-employers');
        if (!list) return;
        list.textContent = '';
        if (!/^\d{4}$/.test(city || '')) return matchEmployer();
        SG.api('GET', '/api/employers/names?city=' + city).then(function (r) {
            if (r.status !== 200 || !r.json || $('#f-city').value !== city) return;
            r.json.employers.forEach(function (e) {
                names[e.name] = e.id;
                list.appendChild(el('option', { value: e.name }));
            });
            matchEmployer();
        });
    }

    function showSeek() {
        var no = $('input[name="job_confirmed"][value="no"]'), box = $('#f-seek-box'), seek = $('#f-seek');
        var show = !!(no && no.checked);
        SG.show(box, show);
        SG.show($('#f-work-field'), show && seek.checked);
    }

    function signupForm(form) {
        var employer = $('#f-employer'), job = $('[data-field="job_confirmed"]', form);
        employer.setAttribute('list', 'f-employers');
        employer.parentNode.appendChild(el('datalist', { id: 'f-employers' }));
        employer.parentNode.appendChild(el('input', { type: 'hidden', name: 'employer_id', id: 'f-employer-id' }));
        employer.parentNode.insertBefore(el('p', { class: 'help', text: '可以从列表里选已登记的企业，也可以直接填写' }), employer.nextSibling);
        var work = el('select', { id: 'f-work', name: 'work' }, [el('option', { value: '', text: '什么工作都可以' })].concat(
            KINDS.map(function (k) {
                return el('option', { value: k[0], text: k[1] });
            })));
        var box = el('div', { class: 'field', id: 'f-seek-box', 'data-field': 'seek_job', hidden: 'hidden' }, [
            el('label', { class: 'check' }, [el('input', { type: 'checkbox', name: 'seek_job', id: 'f-seek' }),
                el('span', { text: '想找工作：有合适的岗位时告诉我' })]),
            el('div', { class: 'field', id: 'f-work-field', 'data-field': 'work', hidden: 'hidden' }, [
                el('label', { for: 'f-work', text: '想做什么工作' }), work, el('p', { class: 'err', role: 'alert' })])
        ]);
        job.parentNode.insertBefore(box, job.nextSibling);
        form.addEventListener('change', function (ev) {
            if (ev.target.id === 'f-city') loadNames(ev.target.value);
            if (ev.target.name === 'job_confirmed' || ev.target.id === 'f-seek') showSeek();
        });
        employer.addEventListener('input', matchEmployer);
        employer.addEventListener('focus', matchEmployer);
        // signup.js wrote its draft back before these fields existed: theirs too, then show it
        var village = (/^\/s\/(\d{12})/.exec(location.pathname) || [])[1] || '';
        var draft = SG.store.get('sg.draft.' + village);
        if (draft && draft.values) {
            $('#f-seek').checked = !!draft.values.seek_job;
            work.value = draft.values.work || '';
        }
        setTimeout(function () {
            showSeek();
            loadNames($('#f-city').value);
        }, 0);
    }

    /** What the API takes for these fields (signup.js calls it from body()). */
    SG.jobsBody = function (b, v) {
        b.employer_id = b.employer && names[b.employer] === v.employer_id ? v.employer_id || '' : '';
        b.seek_job = b.job_confirmed === false && !!v.seek_job;
        b.work = b.seek_job ? v.work || '' : '';
        return b;
    };

    var form = $('#form');
    if (form && $('#f-employer')) signupForm(form);
})(window.SG = window.SG || {});
