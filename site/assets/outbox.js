// SPDX-License-Identifier: MIT
// SG.outbox: a sign-up that must reach the server. It is kept in localStorage with its
// Idempotency-Key (made once per filled form) and sent again by itself, with growing
// pauses, when the network fails or the server answers 5xx or 429: no reload, no lost
// input. The key makes a repeat harmless: if an earlier try was stored but its answer
// was lost, the server answers the first result again (same code), never a second
// sign-up. Any other answer (201, 4xx) ends the outbox and goes to onAnswer.
(function (SG) {
    'use strict';

    var KEY = 'sg.outbox';
    var DELAYS = [2, 4, 8, 15, 30, 60]; // seconds, then 60 s again and again
    var item = null, timer = null, ticker = null, hooks = null, sending = false;

    function retryable(status) {
        return status === 0 || status === 429 || status >= 500;
    }

    function stopTimers() {
        clearTimeout(timer);
        clearInterval(ticker);
        timer = ticker = null;
    }

    function schedule(status) {
        var base = DELAYS[Math.min(item.tries - 1, DELAYS.length - 1)];
        var wait = Math.round(base * (0.8 + Math.random() * 0.4)); // spread phones of one village apart
        item.nextAt = Date.now() + wait * 1000;
        SG.store.set(KEY, item);
        stopTimers();
        timer = setTimeout(attempt, wait * 1000);
        var tick = function () {
            hooks.onWaiting({ tries: item.tries, seconds: Math.max(0, Math.round((item.nextAt - Date.now()) / 1000)), status: status });
        };
        tick();
        ticker = setInterval(tick, 1000);
    }

    function attempt() {
        if (!item || sending) return;
        stopTimers();
        sending = true;
        hooks.onSending(item.tries);
        SG.api('POST', '/api/registrations', item.body, { 'Idempotency-Key': item.key }, 20000).then(function (res) {
            sending = false;
            if (!item) return;
            if (retryable(res.status)) {
                item.tries++;
                schedule(res.status);
                return;
            }
            var done = item;
            SG.outbox.clear();
            hooks.onAnswer(res, done);
        });
    }

    function wake() {
        if (item && !sending && document.visibilityState !== 'hidden') attempt();
    }

    SG.outbox = {
        // The waiting sign-up (from an earlier visit too), or null.
        pending: function () {
            return SG.store.get(KEY);
        },
        // Send body with key until the server answers. hooks: onSending(tries),
        // onWaiting({tries, seconds, status}), onAnswer(res, item).
        send: function (body, key, h) {
            hooks = h;
            item = { key: key, body: body, tries: 0, nextAt: 0 };
            SG.store.set(KEY, item);
            attempt();
        },
        // Go on with a sign-up kept from an earlier visit.
        resume: function (saved, h) {
            hooks = h;
            item = saved;
            attempt();
        },
        now: function () {
            attempt();
        },
        // Stop trying and forget it (the form keeps the same key for the next try).
        clear: function () {
            stopTimers();
            item = null;
            SG.store.remove(KEY);
        }
    };

    window.addEventListener('online', wake);
    document.addEventListener('visibilitychange', wake);
})(window.SG = window.SG || {});
