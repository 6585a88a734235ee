// SPDX-License-Identifier: MIT
// A tiny RESP2 client for the tests (no npm dependencies): one connection, commands are
// queued and answered in order. Bulk strings come back as Buffers, errors reject.
import net from 'node:net';

export class RedisClient {
    static connect(port, host = '127.0.0.1') {
        return new Promise((resolve, reject) => {
            const sock = net.connect(port, host);
            sock.once('connect', () => {
                sock.removeListener('error', reject);
                resolve(new RedisClient(sock));
            });
            sock.once('error', reject);
        });
    }

    constructor(sock) {
        this.sock = sock;
        this.buf = Buffer.alloc(0);
        this.pending = [];
        sock.on('data', (d) => this.onData(d));
        sock.on('error', (e) => this.failAll(e));
        sock.on('close', () => this.failAll(new Error('redis connection closed')));
    }

    failAll(err) {
        const p = this.pending;
        this.pending = [];
        for (const { reject } of p) reject(err);
    }

    /** Send one command; resolves with the parsed reply. */
    call(...args) {
        const parts = [`*${args.length}\r\n`];
        for (const a of args) {
            const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a));
            parts.push(`$${b.length}\r\n`, b, '\r\n');
        }
        return new Promise((resolve, reject) => {
            this.pending.push({ resolve, reject });
            this.sock.write(Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p)))));
        });
    }

    onData(d) {
        this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
        for (;;) {
            const r = parse(this.buf, 0);
            if (!r) return;
            this.buf = this.buf.subarray(r.end);
            const p = this.pending.shift();
            if (!p) {
                this.onUnsolicited?.(r.value); // MONITOR lines
                continue;
            }
            if (r.value instanceof RedisError) p.reject(r.value);
            else p.resolve(r.value);
        }
    }

    close() {
        this.sock.destroy();
    }
}

export class RedisError extends Error {}

// Parse one reply at off; null when incomplete.
function parse(buf, off) {
    const eol = buf.indexOf('\r\n', off);
    if (eol < 0) return null;
    const type = String.fromCharCode(buf[off]);
    const line = buf.toString('utf8', off + 1, eol);
    const next = eol + 2;
    switch (type) {
        case '+':
            return { value: line, end: next };
        case '-':
            return { value: new RedisError(line), end: next };
        case ':':
            return { value: Number(line), end: next };
        case '$': {
            const n = Number(line);
            if (n < 0) return { value: null, end: next };
            if (buf.length < next + n + 2) return null;
            return { value: buf.subarray(next, next + n), end: next + n + 2 };
        }
        case '*': {
            const n = Number(line);
            if (n < 0) return { value: null, end: next };
            const arr = [];
            let at = next;
            for (let i = 0; i < n; i++) {
                const r = parse(buf, at);
                if (!r) return null;
                arr.push(r.value);
                at = r.end;
            }
            return { value: arr, end: at };
        }
        default:
            throw new Error(`bad RESP type byte ${JSON.stringify(type)}`);
    }
}

/** Every key with its type and value(s) as Buffers: [{key, type, parts: Buffer[]}]. */
export async function dumpAll(client) {
    const out = [];
    let cursor = '0';
    do {
        const [next, keys] = await client.call('SCAN', cursor, 'COUNT', 1000);
        cursor = next.toString();
        for (const k of keys) {
            const type = await client.call('TYPE', k);
            let v;
            switch (type) {
                case 'string':
                    v = [await client.call('GET', k)];
                    break;
                case 'hash':
                    v = await client.call('HGETALL', k);
                    break;
                case 'set':
                    v = await client.call('SMEMBERS', k);
                    break;
                case 'zset':
                    v = await client.call('ZRANGE', k, 0, -1, 'WITHSCORES');
                    break;
                case 'list':
                    v = await client.call('LRANGE', k, 0, -1);
                    break;
                case 'stream':
                    v = (await client.call('XRANGE', k, '-', '+')).flat(3);
                    break;
                default:
                    throw new Error(`key ${k} has unexpected type ${type}`);
            }
            out.push({ key: k, type, parts: v.filter((x) => x !== null).map((x) => (Buffer.isBuffer(x) ? x : Buffer.from(String(x)))) });
        }
    } while (cursor !== '0');
    return out;
}
