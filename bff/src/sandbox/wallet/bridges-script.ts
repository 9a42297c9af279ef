/**
 * `GET /sandbox/wallet/bridges.js`: fake `WeixinJSBridge` and `AlipayJSBridge` for test pages.
 * A test installs it before the page's own scripts (Playwright: `context.addInitScript({
 * content: await (await fetch(`${base}/sandbox/wallet/bridges.js`)).text() })`). Like the real
 * apps, each bridge appears only under its app's user agent (`MicroMessenger`, `AlipayClient`)
 * and a moment after the document loaded, announced by `WeixinJSBridgeReady` /
 * `AlipayJSBridgeReady` on `document`.
 *
 * What the "payer" does is the test's choice, read when the bridge is called:
 *
 *   window.__payqrWallet = {
 *     wechat: 'ok' | 'cancel' | 'fail',                               // default 'ok'
 *     alipay: '9000' | '8000' | '6004' | '6001' | '6002' | '4000',    // default '9000'
 *     settleAfterMs: 0,   // 8000/6004: the payment goes through this long after the answer
 *     readyDelayMs: 50,   // when the bridge appears after DOMContentLoaded
 *   }
 *
 * The bridge posts the exact parameters it was given to the sandbox wallet
 * (`/sandbox/wallet/{wechat,alipay}/pay`), which verifies them with the simulator that issued
 * them (WeChat: exactly the six fields, `paySign` recomputed), pays / declines / leaves the
 * payer session as chosen, and answers what the real bridge would call back with. Every call
 * is recorded in `window.__payqrWalletCalls` ({bridge, method, params, result}).
 *
 * Plain ES5 in one IIFE; no eval, nothing but `fetch` to the sandbox.
 */
export function bridgesScript(walletBaseUrl: string): string {
  return `/* PayQR sandbox wallet bridges — test pages only */
(function () {
  'use strict';
  var BASE = ${JSON.stringify(walletBaseUrl.replace(/\/+$/, ''))};
  var ua = navigator.userAgent;
  var calls = (window.__payqrWalletCalls = window.__payqrWalletCalls || []);
  function settings() { return window.__payqrWallet || {}; }
  function post(path, body, done) {
    fetch(BASE + path, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: JSON.stringify(body), credentials: 'omit' })
      .then(function (r) { return r.json(); })
      .then(done, function (e) { done({ networkError: String(e) }); });
  }
  function copy(p) { var o = {}; if (p && typeof p === 'object') for (var k in p) if (Object.prototype.hasOwnProperty.call(p, k)) o[k] = p[k]; return o; }
  function later(fn) { setTimeout(fn, 0); }

  var WeixinJSBridge = {
    invoke: function (method, params, callback) {
      var record = { bridge: 'wechat', method: method, params: copy(params) };
      calls.push(record);
      var cb = typeof callback === 'function' ? callback : function () {};
      if (method !== 'getBrandWCPayRequest') { later(function () { cb(record.result = { err_msg: method + ':fail_not_supported_in_sandbox' }); }); return; }
      post('/wechat/pay', { params: record.params, choice: settings().wechat || 'ok' }, function (answer) {
        var res = answer && typeof answer.err_msg === 'string' ? answer : { err_msg: 'get_brand_wcpay_request:fail', err_desc: (answer && answer.networkError) || 'sandbox wallet unreachable' };
        record.result = res;
        cb(res);
      });
    },
    on: function () {},
    call: function () {}
  };

  var AlipayJSBridge = {
    call: function (method, params, callback) {
      var record = { bridge: 'alipay', method: method, params: copy(params) };
      calls.push(record);
      var cb = typeof callback === 'function' ? callback : function () {};
      if (method !== 'tradePay') { later(function () { cb(record.result = { error: 1, errorMessage: method + ' is not simulated' }); }); return; }
      var s = settings();
      post('/alipay/pay', { params: record.params, choice: String(s.alipay || '9000'), settleAfterMs: Number(s.settleAfterMs) || 0 }, function (answer) {
        var res = answer && typeof answer.resultCode === 'string' ? answer : { resultCode: '6002', memo: (answer && answer.networkError) || 'sandbox wallet unreachable' };
        record.result = res;
        cb(res);
      });
    }
  };

  function install() {
    if (/MicroMessenger/i.test(ua) && !window.WeixinJSBridge) {
      window.WeixinJSBridge = WeixinJSBridge;
      document.dispatchEvent(new Event('WeixinJSBridgeReady'));
    }
    if (/AlipayClient/i.test(ua) && !window.AlipayJSBridge) {
      window.AlipayJSBridge = AlipayJSBridge;
      document.dispatchEvent(new Event('AlipayJSBridgeReady'));
    }
  }
  function soon() { setTimeout(install, Number(settings().readyDelayMs) >= 0 ? Number(settings().readyDelayMs) : 50); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', soon); else soon();
})();
`;
}
