// SPDX-License-Identifier: MIT
// The page of a wrong or old QR code (/s/{code} that is no village): from the code's
// township or county, when they exist, the villages by name, each a link to its sign-up
// page, so that the worker finds the right one; else only whom to ask.
(function (SG) {
    'use strict';

    var $ = SG.$, el = SG.el;
    var code = (/^\/s\/(\d+)/.exec(location.pathname) || [])[1] || '';

    function division(c) {
        return SG.api('GET', '/api/divisions/' + c + '?children=1').then(function (r) {
            return r.status === 200 && r.json ? r.json : null;
        });
    }

    function showVillages(township) {
        var list = $('#villages');
        list.textContent = '';
        (township.children || []).forEach(function (v) {
            list.appendChild(el('li', {}, [el('a', { class: 'btn secondary', href: '/s/' + v.code, text: v.name })]));
        });
    }

    function showCounty(county) {
        var sel = $('#f-township');
        county.children.forEach(function (t) {
            sel.appendChild(el('option', { value: t.code, text: t.name }));
        });
        SG.show($('#township-box'), true);
        sel.addEventListener('change', function () {
            $('#villages').textContent = '';
            if (sel.value) division(sel.value).then(function (t) {
                if (t) showVillages(t);
            });
        });
    }

    // The nearest existing township, else county, of the code: its places by name.
    function start() {
        var tries = [9, 6].filter(function (n) {
            return code.length >= n;
        });
        (function next(i) {
            if (i >= tries.length) return;
            division(code.slice(0, tries[i])).then(function (d) {
                if (!d) return next(i + 1);
                $('#places-title').textContent = d.path.map(function (p) {
                    return p.name;
                }).join(' ') + '：找到您的村，点它报名';
                if (d.level === 'township') showVillages(d);
                else showCounty(d);
                SG.show($('#places'), true);
            });
        })(0);
    }

    start();
})(window.SG = window.SG || {});
