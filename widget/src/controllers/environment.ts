/**
 * Where the widget runs decides how a channel is paid (widget/README.md "Phones and wallet
 * apps"): inside the wallet's own app its bridge (`jsapi`), in a mobile browser a hand-over link
 * (`h5`) where the channel has one, on a desktop a QR code for the phone to scan.
 *
 * This half is the one decision the main bundle makes: is this a phone or a wallet app? Then
 * the in-app attempt side (`bridges/`, a lazily loaded chunk) is loaded instead of the plain QR
 * one, and resolves the scene per channel there (environment-scene.ts).
 */
export type WalletApp = 'wechat' | 'alipay' | 'unionpay';

export interface Environment {
  /** the wallet app whose web view this is (its user agent says so: `MicroMessenger`, `AlipayClient`, `UnionPay/`) */
  app: WalletApp | undefined;
  mobile: boolean;
}

/** Call it when needed, not at import: there is no `navigator` during server-side rendering. */
export function detectEnvironment(userAgent: string, maxTouchPoints = 0): Environment {
  const app: WalletApp | undefined = /MicroMessenger/i.test(userAgent)
    ? 'wechat'
    : /AlipayClient/i.test(userAgent)
      ? 'alipay'
      : /UnionPay\//i.test(userAgent)
        ? 'unionpay'
        : undefined;
  // iPadOS reports a desktop Safari UA; touch points give it away.
  const mobile = /Mobi|Android|iPhone|iPad|iPod|HarmonyOS/i.test(userAgent) || (/Macintosh/.test(userAgent) && maxTouchPoints > 1);
  return { app, mobile: mobile || app !== undefined };
}
