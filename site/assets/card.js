// SPDX-License-Identifier: MIT
// SG.card: the confirmation as a picture (PNG data URL) a worker can keep in the phone's
// gallery, where it is found again without network: the code large, who, where, when.
// Drawn on a canvas with the phone's own fonts; nothing is sent anywhere.
(function (SG) {
    'use strict';

    var W = 720, H = 960, FONT = '"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif';

    // Break text into lines no wider than max (Chinese has no spaces: break anywhere).
    function lines(ctx, text, max) {
        var out = [], line = '';
        Array.from(text).forEach(function (ch) {
            if (ctx.measureText(line + ch).width > max && line) {
                out.push(line);
                line = '';
            }
            line += ch;
        });
        if (line) out.push(line);
        return out;
    }

    // info: {code, names[], dest, date, flex, village}. Returns a data: URL.
    SG.card = function (info) {
        var c = document.createElement('canvas');
        c.width = W;
        c.height = H;
        var g = c.getContext('2d');
        g.fillStyle = '#ffffff';
        g.fillRect(0, 0, W, H);
        g.fillStyle = '#0b5cad';
        g.fillRect(0, 0, W, 130);
        g.fillStyle = '#ffffff';
        g.textAlign = 'center';
        g.font = 'bold 44px ' + FONT;
        g.fillText('免费返岗车 报名凭证', W / 2, 82);

        g.fillStyle = '#333333';
        g.font = '32px ' + FONT;
        g.fillText('报名号', W / 2, 210);
        g.fillStyle = '#000000';
        g.font = 'bold 96px "DejaVu Sans Mono",monospace';
        g.fillText(SG.codeText(info.code), W / 2, 345);
        g.strokeStyle = '#0b5cad';
        g.lineWidth = 4;
        g.strokeRect(40, 240, W - 80, 140);

        g.textAlign = 'left';
        var y = 450;
        [['报名的人', info.names.join('、')], ['去哪里', info.dest],
            ['出发日期', SG.dateText(info.date) + (info.flex ? '（前后' + info.flex + '天）' : '')], ['村', info.village]]
            .forEach(function (row) {
                g.fillStyle = '#666666';
                g.font = '28px ' + FONT;
                g.fillText(row[0], 60, y);
                g.fillStyle = '#000000';
                g.font = '34px ' + FONT;
                lines(g, row[1] || '', W - 120).slice(0, 3).forEach(function (l) {
                    y += 46;
                    g.fillText(l, 60, y);
                });
                y += 58;
            });
        g.fillStyle = '#0b5cad';
        g.font = '28px ' + FONT;
        g.fillText('查询进度：' + location.host + '/status', 60, H - 60);
        return c.toDataURL('image/png');
    };
})(window.SG = window.SG || {});
