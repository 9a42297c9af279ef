/**
 * The sandbox wallet: what stands in for the WeChat and Alipay apps when a test page calls
 * their JS bridges (`/sandbox/wallet/bridges.js`, see bridges-script.ts). The payer page
 * (`/sandbox/pay/{id}`) is the other half: an h5 hand-over link or a scanned code lands there.
 *
 *   GET  /sandbox/wallet/bridges.js
 *   POST /sandbox/wallet/wechat/pay   {params, choice: ok|cancel|fail}  → {err_msg, err_desc?}
 *   POST /sandbox/wallet/alipay/pay   {params, choice: "9000"|…, settleAfterMs?} → {resultCode, memo}
 *
 * The parameters are checked by the simulator that issued them (sandbox/wallet/types.ts
 * WalletBackend) before anything is paid: a page that changed, added or dropped a field gets
 * the wallet's failure, as it would in the real app. What each choice does to the order:
 *
 * | WeChat `choice` | payer session | bridge answer |
 * |---|---|---|
 * | ok | paid (the simulator notifies) | `get_brand_wcpay_request:ok` |
 * | cancel | untouched | `get_brand_wcpay_request:cancel` |
 * | fail | declined | `get_brand_wcpay_request:fail` |
 *
 * | Alipay `choice` | payer session | `resultCode` |
 * |---|---|---|
 * | 9000 | paid | 9000 |
 * | 8000, 6004 | paid `settleAfterMs` later (the result is unknown to the app; the server learns it) | 8000 / 6004 |
 * | 6001 (cancel), 6002 (network) | untouched | 6001 / 6002 |
 * | 4000 and anything else | declined (4000) / untouched | that code |
 *
 * Sandbox only (the router mounts it with the hub); answers CORS `*` so test pages on any
 * origin can use it; requests are `text/plain` JSON, so no preflight is needed.
 */
import type { Logger } from '../../core/log';
import { isJsonObject, parseJson } from '../../core/strict-json';
import type { SandboxHub } from '../hub';
import { bridgesScript } from './bridges-script';
import { hasWallet, type WalletBackend, type WalletLookup } from './types';

export const WECHAT_CHOICES = ['ok', 'cancel', 'fail'] as const;
const ALIPAY_MEMO: Record<string, string> = {
  '9000': '订单支付成功',
  '8000': '正在处理中，支付结果未知（有可能已经支付成功），请查询商户订单列表中订单的支付状态',
  '6004': '支付结果未知（有可能已经支付成功），请查询商户订单列表中订单的支付状态',
  '6001': '用户中途取消',
  '6002': '网络连接出错',
  '4000': '订单支付失败',
};
const MAX_BODY = 16 * 1024;

export interface SandboxWallet {
  /** `path` is what follows `/sandbox/wallet` */
  handle(req: Request, path: string): Promise<Response>;
}

export function createSandboxWallet(opts: { hub: SandboxHub; log: Logger; setTimer?: (fn: () => void, ms: number) => void }): SandboxWallet {
  const { hub } = opts;
  const log = opts.log.child('sandbox').child('wallet');
  const setTimer = opts.setTimer ?? ((fn, ms) => void setTimeout(fn, ms));
  const cors = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...cors } });

  const backends = (): WalletBackend[] => hub.simulators().flatMap((s) => (hasWallet(s) ? [s.wallet] : []));

  function lookup(kind: 'wechatPay' | 'alipayTradePay', params: Record<string, unknown>): WalletLookup {
    const reasons: string[] = [];
    for (const b of backends()) {
      const r = b[kind]?.(params);
      if (!r) continue;
      if (r.ok) return r;
      reasons.push(r.reason);
    }
    return { ok: false, reason: reasons.join('; ') || 'no simulator issued these parameters' };
  }

  async function readBody(req: Request): Promise<{ params: Record<string, unknown>; choice: string; settleAfterMs: number } | undefined> {
    const text = await req.text();
    if (text.length > MAX_BODY) return undefined;
    try {
      const b = parseJson(text);
      if (!isJsonObject(b) || !isJsonObject(b.params)) return undefined;
      const settle = Number(b.settleAfterMs);
      return { params: b.params, choice: typeof b.choice === 'string' ? b.choice : '', settleAfterMs: Number.isFinite(settle) && settle > 0 ? Math.min(settle, 60_000) : 0 };
    } catch {
      return undefined;
    }
  }

  async function wechatPay(req: Request): Promise<Response> {
    const body = await readBody(req);
    if (!body || !(WECHAT_CHOICES as readonly string[]).includes(body.choice)) {
      return json({ error: { code: 'invalid_request', message: `{"params": {...}, "choice": ${WECHAT_CHOICES.map((c) => `"${c}"`).join(' | ')}}` } }, 400);
    }
    const found = lookup('wechatPay', body.params);
    if (!found.ok) {
      log.info('getBrandWCPayRequest refused', { reason: found.reason });
      return json({ err_msg: 'get_brand_wcpay_request:fail', err_desc: found.reason });
    }
    if (body.choice === 'cancel') return json({ err_msg: 'get_brand_wcpay_request:cancel' });
    const acted = await hub.actOnPayerSession(found.sessionId, body.choice === 'ok' ? 'pay' : 'decline');
    if (body.choice === 'ok' && acted.ok) return json({ err_msg: 'get_brand_wcpay_request:ok' });
    return json({ err_msg: 'get_brand_wcpay_request:fail', err_desc: acted.ok ? '支付失败 (the sandbox payer declined)' : acted.message });
  }

  async function alipayPay(req: Request): Promise<Response> {
    const body = await readBody(req);
    if (!body || !/^\d{4}$/.test(body.choice)) {
      return json({ error: { code: 'invalid_request', message: '{"params": {"tradeNO": "…"}, "choice": "9000" | "8000" | "6004" | "6001" | "6002" | "4000", "settleAfterMs"?: n}' } }, 400);
    }
    const found = lookup('alipayTradePay', body.params);
    if (!found.ok) {
      log.info('tradePay refused', { reason: found.reason });
      return json({ resultCode: '4000', memo: `订单支付失败: ${found.reason}` });
    }
    const code = body.choice;
    const answer = { resultCode: code, memo: ALIPAY_MEMO[code] ?? 'sandbox' };
    if (code === '9000') {
      const acted = await hub.actOnPayerSession(found.sessionId, 'pay');
      return json(acted.ok ? answer : { resultCode: '4000', memo: acted.message });
    }
    if (code === '8000' || code === '6004') {
      // The money moved but the app could not tell: only the server will know.
      const settle = () => void hub.actOnPayerSession(found.sessionId, 'pay');
      if (body.settleAfterMs > 0) setTimer(settle, body.settleAfterMs);
      else await hub.actOnPayerSession(found.sessionId, 'pay');
      return json(answer);
    }
    if (code === '4000') await hub.actOnPayerSession(found.sessionId, 'decline');
    return json(answer);
  }

  return {
    async handle(req, path) {
      if (req.method === 'OPTIONS') {
        return new Response(null, { status: 204, headers: { ...cors, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type', 'access-control-max-age': '600' } });
      }
      if (path === '/bridges.js' && (req.method === 'GET' || req.method === 'HEAD')) {
        return new Response(bridgesScript(`${hub.publicUrl}/sandbox/wallet`), { headers: { 'content-type': 'text/javascript; charset=utf-8', ...cors } });
      }
      if (req.method === 'POST' && path === '/wechat/pay') return wechatPay(req);
      if (req.method === 'POST' && path === '/alipay/pay') return alipayPay(req);
      return json({ error: { code: 'not_found', message: 'the sandbox wallet serves GET /bridges.js, POST /wechat/pay, POST /alipay/pay' } }, 404);
    },
  };
}
