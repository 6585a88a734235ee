// SPDX-License-Identifier: MIT
// The escort's scanner. Inside WeChat, when the server has an official account
// (GET /api/wechat/jssdk signs this page), WeChat's own scanner through its JS-SDK
// (wx.scanQRCode, site/vendor/weixin). Elsewhere, or when that fails, the phone's back
// camera, read with the browser's own BarcodeDetector where it reads QR codes (Chrome on
// Android), else with jsQR (site/vendor/jsqr, fetched only then) on a small copy of each
// frame. One code at a time: after a code the camera pauses until resume(); the same code
// seen again within a few seconds (it is still in front of the camera) is not a new scan.
import { get } from './api.js';

const JSQR = '/vendor/jsqr/jsQR.min.js';
const EVERY_MS = 150;
const SAME_CODE_MS = 8000;
let jsqr = null;

/** The token of a check-in QR code of this server (/staff/checkin.html#TOKEN, or the token alone), or null. */
export function tokenOf(text, origin = location.origin) {
    let t = String(text || '').trim();
    try {
        const u = new URL(t, origin);
        if (u.origin === origin && u.pathname === '/staff/checkin.html') t = u.hash.slice(1);
    } catch {
        // not a URL: maybe the token itself
    }
    return /^[0-9A-Za-z]{8}[0-9a-f]{20}$/.test(t) ? t : null;
}

function loadJsQR() {
    jsqr ??= new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = JSQR;
        s.onload = () => (window.jsQR ? resolve(window.jsQR) : reject(new Error('jsQR')));
        s.onerror = () => {
            jsqr = null;
            reject(new Error('扫码程序没有加载（网络不好）'));
        };
        document.head.append(s);
    });
    return jsqr;
}

async function detectorOrNull() {
    try {
        if (!('BarcodeDetector' in window)) return null;
        const formats = await window.BarcodeDetector.getSupportedFormats();
        return formats.includes('qr_code') ? new window.BarcodeDetector({ formats: ['qr_code'] }) : null;
    } catch {
        return null;
    }
}

/** A reader of one frame of video: resolves the text of a QR code in it, or null. */
async function reader(video) {
    const detector = await detectorOrNull();
    if (detector) return async () => (await detector.detect(video).catch(() => []))[0]?.rawValue || null;
    const decode = await loadJsQR();
    const canvas = document.createElement('canvas');
    const g = canvas.getContext('2d', { willReadFrequently: true });
    return async () => {
        const w = video.videoWidth, hh = video.videoHeight;
        if (!w || !hh) return null;
        const scale = Math.min(1, 640 / Math.max(w, hh)); // a small copy: a cheap phone keeps up
        canvas.width = Math.round(w * scale);
        canvas.height = Math.round(hh * scale);
        g.drawImage(video, 0, 0, canvas.width, canvas.height);
        const img = g.getImageData(0, 0, canvas.width, canvas.height);
        return decode(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' })?.data || null;
    };
}

/** Why the camera did not open, in words for the escort. */
export function cameraProblem(e) {
    if (!navigator.mediaDevices?.getUserMedia) return '这个浏览器不能打开相机。请用微信“扫一扫”或手机相机扫签到二维码（登录一次后会自动签到），拿不出二维码的，在上车名单里点“签到”。';
    if (e?.name === 'NotAllowedError' || e?.name === 'SecurityError') return '没有允许使用相机。请在浏览器或微信的设置里允许本页面使用相机，然后点“打开相机”。';
    if (e?.name === 'NotFoundError' || e?.name === 'OverconstrainedError') return '这台手机找不到可用的相机。';
    return `打不开相机：${e?.message || e}`;
}

/**
 * Scan with the camera into video. onCode(text) is called for each new code, the scanner
 * then paused until resume(). Resolves {resume, stop}; rejects when the camera cannot open
 * (cameraProblem says why).
 */
export async function startScanner(video, onCode) {
    if (!navigator.mediaDevices?.getUserMedia) throw new Error('no camera API');
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment', width: { ideal: 1280 } }, audio: false });
    video.srcObject = stream;
    video.setAttribute('playsinline', '');
    video.muted = true;
    await video.play().catch(() => {});
    let read;
    try {
        read = await reader(video);
    } catch (e) {
        stream.getTracks().forEach((t) => t.stop());
        throw e;
    }
    let paused = false, stopped = false, last = { text: '', at: 0 }, timer = null;
    const tick = async () => {
        if (stopped) return;
        if (!paused) {
            const text = await read().catch(() => null);
            const now = Date.now();
            if (text && !stopped && !paused && !(text === last.text && now - last.at < SAME_CODE_MS)) {
                last = { text, at: now };
                paused = true;
                onCode(text);
            } else if (text === last.text) {
                last.at = now; // still in front of the camera: the wait starts again
            }
        }
        timer = setTimeout(tick, EVERY_MS);
    };
    tick();
    return {
        resume() {
            paused = false;
        },
        stop() {
            stopped = true;
            clearTimeout(timer);
            stream.getTracks().forEach((t) => t.stop());
            video.srcObject = null;
        },
    };
}

/**
 * WeChat's scanner, when this page is inside WeChat and the server signs it for its
 * official account: {scan()} resolving the text read, null when the escort closed the
 * scanner, undefined when WeChat refused; null (no WeChat scanner) otherwise.
 */
export async function wechatScanner() {
    if (!/MicroMessenger/i.test(navigator.userAgent)) return null;
    let sig;
    try {
        sig = await get(`/api/wechat/jssdk?url=${encodeURIComponent(location.href.split('#')[0])}`);
    } catch {
        return null; // no official account (404), or WeChat unreachable (502): the camera
    }
    const { default: wx } = await import('/vendor/weixin/jweixin.min.js');
    await new Promise((resolve, reject) => {
        setTimeout(() => reject(new Error('WeChat JS-SDK did not answer')), 8000);
        wx.ready(resolve);
        wx.error(reject);
        wx.config({ debug: false, appId: sig.appId, timestamp: sig.timestamp, nonceStr: sig.nonceStr, signature: sig.signature, jsApiList: ['scanQRCode'] });
    });
    return {
        scan: () =>
            new Promise((resolve) =>
                wx.scanQRCode({ needResult: 1, scanType: ['qrCode'], success: (r) => resolve(r.resultStr || ''), cancel: () => resolve(null), fail: () => resolve(undefined) }),
            ),
    };
}
