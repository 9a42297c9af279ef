/**
 * The scene for one channel, given where the widget runs (environment.ts) and what the order
 * offers (`channelsByScene` from `GET /api/orders/{id}`). Part of the lazily loaded attempt
 * side: the main bundle only decides whether to load the in-app half at all.
 *
 * - inside the channel's own app: its bridge (`jsapi`) when the order offers it and the page
 *   has what the bridge needs (WeChat: the payer's openid comes from the OAuth helper, so
 *   always; Alipay: the payer's `buyer-id`), else the hand-over link inside the app (`h5`);
 * - in a mobile browser: the hand-over link (`h5`) where the channel has one;
 * - inside another wallet's app: a QR code — those apps do not open each other's links
 *   (the widget tells the payer to open the page in a browser);
 * - desktop, or nothing else fits: a QR code, which another phone can always scan.
 */
import type { Channel, Scene } from '../api/types.js';
import type { Environment } from './environment.js';

export interface SceneRequest {
  environment: Environment;
  channel: Channel;
  /** the `scene` attribute: the integrator knows better than any user-agent sniffing */
  override?: Scene | undefined;
  /** scenes this build can carry out */
  implemented: ReadonlySet<Scene>;
  /** channels the order can pay by hand-over link (`channelsByScene.h5`); none when unknown */
  h5Channels?: ReadonlySet<Channel>;
  /** channels the order can pay through the in-app bridge (`channelsByScene.jsapi`); undefined: unknown, assume yes */
  jsapiChannels?: ReadonlySet<Channel> | undefined;
  /** Alipay's bridge needs the payer's Alipay user id (the `buyer-id` attribute) */
  hasBuyerId?: boolean;
}

export function resolveScene({ environment, channel, override, implemented, h5Channels, jsapiChannels, hasBuyerId }: SceneRequest): Scene {
  const { app, mobile } = environment;
  const bridge = app === channel && (jsapiChannels?.has(channel) ?? true) && (channel !== 'alipay' || !!hasBuyerId);
  const wanted: Scene =
    override ?? (bridge ? 'jsapi' : mobile && (!app || app === channel) && h5Channels?.has(channel) ? 'h5' : 'qr');
  // A QR works everywhere: another phone (or a screenshot) can always scan it.
  return implemented.has(wanted) ? wanted : 'qr';
}
