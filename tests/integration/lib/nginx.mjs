// SPDX-License-Identifier: MIT
// Debian's real nginx in front of test servers, configured by the repository's nginx.conf
// itself. siteConfig() makes the test's copy of the site file with these substitutions
// only (everything else is the file as it is; the test counts the changed lines):
//   the upstream's `server 127.0.0.1:PORT;` lines  -> one line per test server port
//   `listen 80;` / `listen 443 ssl http2;`          -> 127.0.0.1 and free test ports
//   root /usr/share/songgong/site                   -> the repository's site/
//   /etc/ssl/songgong/                              -> a self-signed certificate made here
//   /var/log/nginx/                                 -> the test's log directory
// mainConfig() wraps it as Debian's /etc/nginx/nginx.conf does (the site file is included
// inside http { } after the same http-level settings), with a pid file and temp
// directories of its own. nginx runs as a non-daemon master with its own prefix.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { OUT_DIR, REPO, freePort, sleep, tail } from './harness.mjs';

export const SITE_FILE = path.join(REPO, 'nginx.conf');
const NGINX = fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

const groups = new Set(); // nginx process groups to kill on exit (master and workers)
process.on('exit', () => {
    for (const pid of groups) {
        try {
            process.kill(-pid, 'SIGKILL');
        } catch {
            /* gone */
        }
    }
});

/**
 * The site file with the test's ports and paths: {text, changed} where changed counts the
 * lines that differ from nginx.conf. Throws when a line to substitute is missing.
 */
export function siteConfig(original, { upstreamPorts, httpPort, httpsPort, siteDir, sslDir, logDir }) {
    let changed = 0;
    const out = [];
    let inUpstream = false;
    let upstreamDone = false;
    const seen = { listen80: 0, listen443: 0, root: 0, ssl: 0, log: 0 };
    for (const line of original.split('\n')) {
        if (/^upstream songgong \{/.test(line)) inUpstream = true;
        else if (inUpstream && /^\}/.test(line)) inUpstream = false;
        let next = line;
        if (inUpstream && /^\s*server 127\.0\.0\.1:\d+;/.test(line)) {
            if (upstreamDone) {
                changed++;
                continue; // the other original lines: replaced by the test's list
            }
            upstreamDone = true;
            next = upstreamPorts.map((p) => `    server 127.0.0.1:${p};`).join('\n');
        } else if (/^\s*listen 80;/.test(line)) {
            next = line.replace('listen 80;', `listen 127.0.0.1:${httpPort};`);
            seen.listen80++;
        } else if (/^\s*listen 443 ssl http2;/.test(line)) {
            next = line.replace('listen 443 ', `listen 127.0.0.1:${httpsPort} `);
            seen.listen443++;
        } else if (/^\s*root \/usr\/share\/songgong\/site;/.test(line)) {
            next = line.replace('/usr/share/songgong/site', siteDir);
            seen.root++;
        } else if (/^[^#]*\/etc\/ssl\/songgong\//.test(line)) {
            next = line.replace('/etc/ssl/songgong/', `${sslDir}/`);
            seen.ssl++;
        } else if (/^[^#]*\/var\/log\/nginx\//.test(line)) {
            next = line.replace('/var/log/nginx/', `${logDir}/`);
            seen.log++;
        }
        if (next !== line) changed++;
        out.push(next);
    }
    if (!upstreamDone || !seen.listen80 || !seen.listen443 || !seen.root || seen.ssl !== 2 || !seen.log) {
        throw new Error(`nginx.conf no longer has the lines the test substitutes: ${JSON.stringify({ upstreamDone, ...seen })}`);
    }
    return { text: out.join('\n'), changed };
}

/** The main file around the site file, as Debian's nginx.conf has it. */
export function mainConfig(dir, siteFile) {
    const user = process.getuid() === 0 ? 'user root root;' : '';
    const t = (n) => path.join(dir, 'tmp', n);
    return `# made by tests/integration/lib/nginx.mjs
${user}
worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'logs', 'error.log')} info;
events {
    worker_connections 256;
}
http {
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    access_log ${path.join(dir, 'logs', 'access.log')};
    gzip on;
    client_body_temp_path ${t('body')};
    proxy_temp_path ${t('proxy')};
    fastcgi_temp_path ${t('fastcgi')};
    uwsgi_temp_path ${t('uwsgi')};
    scgi_temp_path ${t('scgi')};
    include ${siteFile};
}
`;
}

/** A self-signed certificate for songgong.example.cn and 127.0.0.1 in dir. */
export function selfSigned(dir) {
    fs.mkdirSync(dir, { recursive: true });
    const cert = path.join(dir, 'fullchain.pem');
    const key = path.join(dir, 'privkey.pem');
    const r = spawnSync(
        'openssl',
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=songgong.example.cn',
            '-addext', 'subjectAltName=DNS:songgong.example.cn,IP:127.0.0.1', '-keyout', key, '-out', cert],
        { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`openssl req failed: ${r.stderr}`);
    return { cert, key, ca: fs.readFileSync(cert) };
}

function canConnect(port) {
    return new Promise((resolve) => {
        const s = net.connect(port, '127.0.0.1');
        s.once('connect', () => {
            s.destroy();
            resolve(true);
        });
        s.once('error', () => resolve(false));
    });
}

/** nginx with the repository's site file in front of the given upstream ports. */
export class NginxProc {
    constructor(name, upstreamPorts) {
        this.name = name;
        this.upstreamPorts = upstreamPorts;
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-nginx-'));
        this.logDir = path.join(this.dir, 'logs');
        this.accessLog = path.join(this.logDir, 'songgong.access.log');
        this.errorLog = path.join(this.logDir, 'songgong.error.log');
        this.child = null;
    }

    /** Write the configuration and run `nginx -t` on it: {status, output}. */
    async configure() {
        for (const d of ['logs', 'tmp']) fs.mkdirSync(path.join(this.dir, d), { recursive: true });
        this.httpPort = await freePort();
        do this.httpsPort = await freePort();
        while (this.httpsPort === this.httpPort);
        this.tls = selfSigned(path.join(this.dir, 'ssl'));
        const site = siteConfig(fs.readFileSync(SITE_FILE, 'utf8'), {
            upstreamPorts: this.upstreamPorts,
            httpPort: this.httpPort,
            httpsPort: this.httpsPort,
            siteDir: path.join(REPO, 'site'),
            sslDir: path.join(this.dir, 'ssl'),
            logDir: this.logDir,
        });
        this.changedLines = site.changed;
        this.siteFile = path.join(this.dir, 'songgong.conf');
        fs.writeFileSync(this.siteFile, site.text);
        this.confFile = path.join(this.dir, 'nginx.conf');
        fs.writeFileSync(this.confFile, mainConfig(this.dir, this.siteFile));
        const r = spawnSync(NGINX, ['-t', '-p', this.dir, '-c', this.confFile, '-g', 'daemon off;'], { encoding: 'utf8' });
        return { status: r.status, output: `${r.stdout}${r.stderr}` };
    }

    /** configure() (throws unless nginx -t passes), then start the master in the foreground. */
    async start() {
        const t = await this.configure();
        if (t.status !== 0) throw new Error(`nginx -t failed:\n${t.output}`);
        this.test = t;
        this.logFile = path.join(OUT_DIR, `${this.name}-nginx-${this.httpsPort}.log`);
        fs.mkdirSync(OUT_DIR, { recursive: true });
        const fd = fs.openSync(this.logFile, 'a');
        this.child = spawn(NGINX, ['-p', this.dir, '-c', this.confFile, '-g', 'daemon off;'], { stdio: ['ignore', fd, fd], detached: true });
        fs.closeSync(fd);
        groups.add(this.child.pid);
        this.child.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve((this.child.exitInfo = { code, signal }))));
        for (let i = 0; i < 100; i++) {
            if (this.child.exitInfo) break;
            if ((await canConnect(this.httpsPort)) && (await canConnect(this.httpPort))) return this;
            await sleep(50);
        }
        throw new Error(`nginx did not start:\n${tail(this.logFile)}\n${tail(path.join(this.logDir, 'error.log'))}`);
    }

    /** Graceful stop (SIGQUIT), then the whole process group. */
    async dispose() {
        if (this.child && !this.child.exitInfo) {
            this.child.kill('SIGQUIT');
            const done = await Promise.race([this.child.exited, sleep(5000).then(() => null)]);
            if (!done) process.kill(-this.child.pid, 'SIGKILL');
        }
        if (this.child) {
            try {
                process.kill(-this.child.pid, 'SIGKILL'); // any worker left behind
            } catch {
                /* gone */
            }
            groups.delete(this.child.pid);
        }
        fs.rmSync(this.dir, { recursive: true, force: true });
    }

    /**
     * One request through nginx, over TLS unless {tls: false}. opts: {json, body, headers}.
     * Resolves {status, headers (lower-case names), rawHeaders, buf, text, json}; the body
     * is as sent (gzip is not undone).
     */
    request(method, urlPath, opts = {}) {
        const tls = opts.tls !== false;
        const headers = { ...(opts.headers || {}) };
        let body = opts.body;
        if (opts.json !== undefined) {
            body = JSON.stringify(opts.json);
            headers['Content-Type'] = 'application/json';
        }
        if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
        const mod = tls ? https : http;
        const options = {
            host: '127.0.0.1',
            port: tls ? this.httpsPort : this.httpPort,
            method,
            path: urlPath,
            headers,
            agent: false,
            ...(tls ? { ca: this.tls.ca } : {}),
            timeout: 15000,
        };
        return new Promise((resolve, reject) => {
            const req = mod.request(options, (res) => {
                const chunks = [];
                res.on('data', (c) => chunks.push(c));
                res.on('end', () => {
                    const buf = Buffer.concat(chunks);
                    const text = buf.toString('utf8');
                    let json;
                    try {
                        json = JSON.parse(text);
                    } catch {
                        json = undefined;
                    }
                    resolve({ status: res.statusCode, headers: res.headers, rawHeaders: res.rawHeaders, buf, text, json });
                });
                res.on('error', reject);
            });
            req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: timed out`)));
            req.on('error', reject);
            if (body !== undefined) req.write(body);
            req.end();
        });
    }

    get(urlPath, opts) {
        return this.request('GET', urlPath, opts);
    }

    post(urlPath, json, opts = {}) {
        return this.request('POST', urlPath, { ...opts, json });
    }

    accessLogText() {
        return fs.existsSync(this.accessLog) ? fs.readFileSync(this.accessLog, 'utf8') : '';
    }

    errorLogText() {
        return fs.existsSync(this.errorLog) ? fs.readFileSync(this.errorLog, 'utf8') : '';
    }
}

/** How many times a header name appears in a response (duplicates are folded in .headers). */
export function headerCount(res, name) {
    let n = 0;
    for (let i = 0; i < res.rawHeaders.length; i += 2) if (res.rawHeaders[i].toLowerCase() === name) n++;
    return n;
}
