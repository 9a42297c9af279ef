/**
 * WeChat Pay inside WeChat (JSAPI; the README's "In a WeChat official-account page", the
 * provider side in bff/src/providers/chaoying/transform.ts):
 * `WeixinJSBridge.invoke('getBrandWCPayRequest', {appId, timeStamp, nonceStr, package,
 * signType, paySign}, cb)`. The parameters are the provider's `pay_info`, passed on unchanged:
 * exactly those six keys, spelled as WeChat spells them (`timeStamp`, not `timestamp`; `appId`,
 * not `appid`) — `paySign` covers them, so a renamed or re-typed one makes WeChat refuse.
 * Extra fields some providers add (超赢: `status`, `callback_url`) are not the bridge's and stay out.
 */
import { bridgeReady } from './ready.js';

export const WECHAT_PAY_FIELDS = ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign'] as const;
export type WechatPayParams = Record<(typeof WECHAT_PAY_FIELDS)[number], string>;

/** What the wallet said: `ok` is not proof of payment, only the server's order status is. */
export type WalletOutcome = 'ok' | 'unknown' | 'cancel' | 'fail';

/** The six bridge fields of `jsapi`, values untouched; throws naming what is missing or misspelt. */
export function wechatPayParams(jsapi: Record<string, unknown> | undefined): WechatPayParams {
  const params = {} as WechatPayParams;
  for (const key of WECHAT_PAY_FIELDS) {
    const value = jsapi?.[key];
    if (typeof value !== 'string' || !value) {
      const lookalike = Object.keys(jsapi ?? {}).find((k) => k.toLowerCase() === key.toLowerCase());
      throw Object.assign(new Error(`WeChat pay parameters: ${key} is missing${lookalike ? ` (found ${lookalike})` : ''}`), { code: 'invalid_pay_info' });
    }
    params[key] = value;
  }
  return params;
}

/** `get_brand_wcpay_request:ok` | `:cancel` | `:fail` (anything else is a failure too) */
export function wechatOutcome(result: { err_msg?: unknown } | undefined): WalletOutcome {
  const m = /:(\w+)/.exec(String(result?.err_msg))?.[1];
  return m === 'ok' ? 'ok' : m === 'cancel' ? 'cancel' : 'fail';
}

interface WeixinJSBridge {
  invoke(method: string, params: WechatPayParams, callback: (result: { err_msg?: string }) => void): void;
}

/** Opens WeChat's payment sheet and resolves with what the payer did (and WeChat's own words). */
export async function payInWechat(win: Window, params: WechatPayParams): Promise<{ outcome: WalletOutcome; message: string }> {
  const bridge = await bridgeReady<WeixinJSBridge>(win, 'WeixinJSBridge');
  return new Promise((resolve) =>
    bridge.invoke('getBrandWCPayRequest', params, (result) =>
      resolve({ outcome: wechatOutcome(result), message: String(result?.err_msg ?? 'get_brand_wcpay_request:fail') }),
    ),
  );
}
