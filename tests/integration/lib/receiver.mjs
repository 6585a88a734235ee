// SPDX-License-Identifier: MIT
// A webhook receiver on loopback for the notification tests: checks the HMAC-SHA256
// signature over timestamp "." body, can fail the first attempts of every message id,
// and keeps what it accepted (idempotent by message id, as a real receiver is).
import crypto from 'node:crypto';
import http from 'node:http';

export class Receiver {
    /** failFirst: how many attempts of each id get a 500 before one is accepted. */
    constructor(secret, { failFirst = 0 } = {}) {
        this.secret = secret;
        this.failFirst = failFirst;
        this.refuse = new Set(); // phones answered 500 every time
        this.attempts = new Map(); // id -> attempts seen
        this.accepted = new Map(); // id -> body
        this.afterAccept = []; // ids that came again after being accepted
        this.badSignatures = 0;
    }

    async start() {
        this.server = http.createServer((req, res) => {
            const chunks = [];
            req.on('data', (c) => chunks.push(c));
            req.on('end', () => this.handle(req, res, Buffer.concat(chunks)));
        });
        await new Promise((r) => this.server.listen(0, '127.0.0.1', r));
        this.url = `http://127.0.0.1:${this.server.address().port}/sms`;
        return this;
    }

    handle(req, res, raw) {
        const ts = req.headers['x-songgong-timestamp'] || '';
        const want = 'sha256=' + crypto.createHmac('sha256', this.secret).update(`${ts}.`).update(raw).digest('hex');
        if (req.headers['x-songgong-signature'] !== want || Math.abs(Date.now() / 1000 - Number(ts)) > 300) {
            this.badSignatures++;
            res.writeHead(401).end();
            return;
        }
        const body = JSON.parse(raw.toString('utf8'));
        const n = (this.attempts.get(body.id) || 0) + 1;
        this.attempts.set(body.id, n);
        if (this.accepted.has(body.id)) {
            this.afterAccept.push(body.id); // a repeat: answered 200, not taken twice
            res.writeHead(200).end('{}');
            return;
        }
        if (n <= this.failFirst || this.refuse.has(body.phone)) {
            res.writeHead(500).end('try later');
            return;
        }
        this.accepted.set(body.id, body);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    }

    /** Accepted messages, optionally of one template. */
    messages(template) {
        return [...this.accepted.values()].filter((m) => !template || m.template === template);
    }

    close() {
        return new Promise((r) => this.server.close(r));
    }
}
