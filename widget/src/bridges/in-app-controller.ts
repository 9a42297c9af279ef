/**
 * The attempt side on phones and inside wallet apps — the lazily loaded chunk the main bundle
 * picks there instead of the plain QR side, which it extends (and loads with it, for the
 * channels that still need a code):
 *
 * - WeChat app, WeChat Pay (`jsapi`): the payer's openid first — the page goes to the BFF's
 *   OAuth helper in the same tab (`redirecting`) and comes back with `#payqr_openid` (oauth.ts),
 *   then the attempt with it, then `getBrandWCPayRequest` (`paying`).
 * - Alipay app, Alipay (`jsapi`, needs the host's `buyerId`, attribute `buyer-id`): `tradePay` (`paying`).
 * - The bridge said ok, or "unknown" (8000/6004): `confirming` until the server's order status
 *   says paid (or the attempt failed) — a wallet's word is never taken as payment. Cancelled:
 *   back to choosing. Failed: `failed`, with a retry.
 * - Mobile browsers, and the UnionPay app (`h5`, or `jsapi` answered with a link): a real
 *   `<a href>` the payer taps (`handoff`); the status is checked again the moment the page is
 *   visible again (the status controller listens for that).
 * - Otherwise a QR code, as on a desktop, with what to do on a phone: save it and scan it in
 *   the wallet, or (inside another wallet's app) open the page in a browser. On a phone the code
 *   is also an image, so a long press can save it (needs `img-src data:` under a CSP; without
 *   it the vector code stays).
 */
import type { ReactiveControllerHost, TemplateResult, html as litHtml } from 'lit';
import type { Attempt, Channel, Scene } from '../api/types.js';
import { QrAttemptController, type AttemptStatus, type PayerFields, type QrAttemptOptions } from '../qr/qr-attempt-controller.js';
import type { QrSymbol } from '../qr/encoder.js';
import { inAppTranslations, type InAppTranslation } from '../translations/in-app.js';
import type { Translation } from '../translations/index.js';
import { alipayTradeNo, payInAlipay } from './alipay.js';
import { oauthUrl, takeOAuthResult, type OAuthResult } from './oauth.js';
import { payInWechat, wechatPayParams, type WalletOutcome } from './wechat.js';

const ALL_SCENES: ReadonlySet<Scene> = new Set(['qr', 'jsapi', 'h5']);

type Phase = 'redirecting' | 'paying' | 'confirming' | 'handoff';

export class InAppAttemptController extends QrAttemptController {
  #phase: Phase | undefined;
  #openid: string | undefined;
  /** the code drawn as a PNG (long press saves it); '' once it failed to load */
  #image: string | undefined;

  constructor(host: ReactiveControllerHost, options: QrAttemptOptions) {
    super(host, options);
    // Back from WeChat's OAuth: the payer had chosen WeChat Pay, so carry on with it.
    const back: OAuthResult = takeOAuthResult(window);
    if (back && 'openid' in back) {
      this.#openid = back.openid;
      void this.create('wechat');
    } else if (back) {
      this.channel = 'wechat';
      this.error = Object.assign(new Error(`WeChat sign-in failed (${back.error})`), { code: `wechat_oauth_${back.error}` });
    }
  }

  protected override get phase(): AttemptStatus | undefined {
    const a = this.attempt;
    if (this.#phase === 'redirecting') return this.#phase;
    return a && a.scene !== 'qr' && a.status === 'pending' && this.options.now() < Date.parse(a.expiresAt) ? this.#phase : undefined;
  }

  override async create(channel: Channel): Promise<void> {
    this.#phase = this.#image = undefined;
    return super.create(channel);
  }

  override reset(): void {
    this.#phase = undefined;
    super.reset();
  }

  protected override get scenes(): ReadonlySet<Scene> {
    return ALL_SCENES;
  }

  /** What the order offers (`channelsByScene`) and what the page has (`buyerId`) narrow the scene. */
  protected override sceneFor(channel: Channel): Scene {
    const byScene = this.options.order?.()?.channelsByScene;
    const set = (list: readonly string[] | undefined) => (list ? new Set(list as Channel[]) : undefined);
    return super.sceneFor(channel, { h5Channels: set(byScene?.h5), jsapiChannels: set(byScene?.jsapi), hasBuyerId: !!this.options.buyerId?.() });
  }

  protected override payerFor(channel: Channel, scene: Scene): PayerFields {
    if (scene !== 'jsapi') return {};
    if (channel === 'alipay') return { buyerId: this.options.buyerId?.() ?? '' };
    if (channel !== 'wechat') return {};
    if (this.#openid) return { openid: this.#openid };
    // No openid yet: WeChat's OAuth, in this tab; the page comes back to create the attempt.
    this.#phase = 'redirecting';
    window.location.assign(oauthUrl(this.options.client().endpoint, window.location.href));
    return false;
  }

  /** A pending hand-over link comes back after a reload too (the payer returns from the app). */
  protected override resumable(attempt: Attempt): boolean {
    return super.resumable(attempt) || !!attempt.h5;
  }

  protected override show(attempt: Attempt): void {
    if (attempt.qr) return super.show(attempt);
    this.attempt = attempt;
    if (attempt.h5) {
      this.#phase = 'handoff';
      return;
    }
    try {
      const jsapi = attempt.jsapi;
      const paying =
        attempt.channel === 'wechat' ? payInWechat(window, wechatPayParams(jsapi)) : attempt.channel === 'alipay' ? payInAlipay(window, alipayTradeNo(jsapi)) : undefined;
      if (!paying) throw new Error(`No in-app payment for ${attempt.channel}`);
      this.#phase = 'paying';
      paying.then(
        (r) => this.#settle(attempt, r.outcome, r.message),
        (e: Error) => this.#settle(attempt, 'fail', e.message, e),
      );
    } catch (error) {
      this.attempt = undefined;
      this.error = error as Error;
    }
  }

  /** What the wallet said, for this attempt if it is still ours. */
  #settle(attempt: Attempt, outcome: WalletOutcome, message: string, cause?: Error): void {
    if (attempt !== this.attempt) return;
    if (outcome === 'cancel') this.reset();
    else if (outcome === 'fail') this.error = cause ?? Object.assign(new Error(message), { code: 'wallet_failed' });
    else this.#phase = 'confirming';
    // Whatever the wallet said, the server knows better: ask it now.
    this.options.onFailure();
    this.host.requestUpdate();
  }

  get #texts(): InAppTranslation {
    return inAppTranslations[this.options.lang?.() ?? 'zh-CN'];
  }

  override stage(t: Translation): TemplateResult | undefined {
    const html = this.options.html!;
    const a = this.attempt;
    const status = this.status;
    if (status === 'handoff' && a?.h5)
      return html`<a part="open" class="action" href=${a.h5.url}>${this.#texts.open(t.channels[a.channel])}</a>`;
    if (status === 'qr-expired' && a && a.scene !== 'qr')
      return html`<button part="retry" class="action" type="button" @click=${() => this.create(a.channel)}>${t.retry}</button>`;
    return super.stage(t);
  }

  /** On a phone the code is also a PNG image: a long press saves it (or, in WeChat, reads it). */
  protected override code(html: typeof litHtml, t: Translation, symbol: QrSymbol): TemplateResult {
    this.#image ??= this.options.environment?.mobile ? png(symbol) : '';
    if (!this.#image) return super.code(html, t, symbol);
    return html`<img
      part="qr"
      class="qr"
      src=${this.#image}
      alt=${this.label(t)}
      data-qr-content=${symbol.content}
      @error=${() => {
        this.#image = '';
        this.host.requestUpdate();
      }}
    />`;
  }

  override text(t: Translation): string | undefined {
    const s = this.#texts;
    const a = this.attempt;
    const status = this.status;
    const channel = a?.channel ?? this.channel;
    if (!channel) return undefined;
    switch (status) {
      case 'redirecting':
        return s.redirecting;
      case 'paying':
        return s.paying(this.texts.apps[channel]);
      case 'confirming':
        return t.checking;
      case 'handoff':
        return s.handoff(t.channels[channel]);
      case 'qr-expired':
        return a && a.scene !== 'qr' ? t.failed : super.text(t);
      case 'scan': {
        const { app, mobile } = this.options.environment ?? {};
        // a desktop here only because the scene attribute asked for jsapi/h5: the usual text
        if (this.checking || !mobile) return super.text(t);
        return app && app !== channel && channel !== 'wechat' ? s.openInBrowser(t.channels[channel]) : s.saveAndScan(this.texts.apps[channel]);
      }
    }
    return undefined;
  }
}

/** The code as a PNG data URL, 8 px a module; '' where there is no canvas (or it is locked down). */
function png(symbol: QrSymbol): string {
  try {
    const canvas = document.createElement('canvas');
    const side = (canvas.width = canvas.height = symbol.size * 8);
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, side, side);
    g.scale(8, 8);
    g.fillStyle = '#000';
    g.fill(new Path2D(symbol.path));
    return canvas.toDataURL('image/png');
  } catch {
    return '';
  }
}

export default InAppAttemptController;
