/**
 * What a provider simulator offers the sandbox wallet (sandbox/wallet/wallet.ts): given what
 * the page handed to a wallet bridge, find the payer session it pays. The simulator checks
 * the bridge parameters the way the real wallet would (WeChat: the `paySign` over the five
 * signed fields; Alipay: a `tradeNO` it issued) — the wallet then pays, declines or leaves
 * the session alone, as the test chose.
 */
export type WalletLookup = { ok: true; sessionId: string } | { ok: false; reason: string };

export interface WalletBackend {
  /** `WeixinJSBridge.invoke('getBrandWCPayRequest', params)`: params exactly as the page passed them */
  wechatPay?(params: Readonly<Record<string, unknown>>): WalletLookup;
  /** `AlipayJSBridge.call('tradePay', params)` */
  alipayTradePay?(params: Readonly<Record<string, unknown>>): WalletLookup;
}

export interface HasWallet {
  readonly wallet: WalletBackend;
}

export function hasWallet(simulator: unknown): simulator is HasWallet {
  return typeof simulator === 'object' && simulator !== null && typeof (simulator as Partial<HasWallet>).wallet === 'object';
}

/**
 * getBrandWCPayRequest takes exactly these (WeChat JSAPI 调起支付: appId, timeStamp, nonceStr,
 * package, signType, paySign — note the camelCase `timeStamp` and `appId`); `paySign` signs the
 * other five.
 */
export const WECHAT_BRIDGE_FIELDS = ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign'] as const;
export const WECHAT_PAY_SIGNED_FIELDS = ['appId', 'timeStamp', 'nonceStr', 'package', 'signType'] as const;
