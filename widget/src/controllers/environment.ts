/**
 * Where the widget runs decides how a channel is paid (contract.md "Widget"): inside the
 * wallet's own app its bridge (`jsapi`), in a mobile browser a hand-over link (`h5`) where the
 * channel has one, on a desktop a QR code for the phone to scan.
 *
 * The widget draws only `qr` today. The bridges (WeChat `getBrandWCPayRequest`, Alipay
 * `tradePay`, UnionPay) and the h5 hand-over will live in `bridges/`, lazily loaded like
 * `qr/`; each one adds its scene to `implemented` and the resolution below starts choosing
 * it, with no other change.
 */
import type { Channel, Scene } from '../api/types.js';

export type WalletApp = 'wechat' | 'alipay' | 'unionpay';

export interface Environment {
  /** the wallet app whose web view this is (providers.md "In-app invocation") */
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

export interface SceneRequest {
  environment: Environment;
  channel: Channel;
  /** the `scene` attribute: the integrator knows better than any user-agent sniffing */
  override?: Scene | undefined;
  /** scenes this build can carry out */
  implemented: ReadonlySet<Scene>;
  /** channels whose providers offer a mobile-browser hand-over; none of ours do yet (providers.md) */
  h5Channels?: ReadonlySet<Channel>;
}

export function resolveScene({ environment, channel, override, implemented, h5Channels }: SceneRequest): Scene {
  const wanted: Scene =
    override ??
    (environment.app === channel
      ? 'jsapi'
      : environment.mobile && h5Channels?.has(channel)
        ? 'h5'
        : 'qr');
  // A QR works everywhere: another phone (or a screenshot) can always scan it.
  return implemented.has(wanted) ? wanted : 'qr';
}
