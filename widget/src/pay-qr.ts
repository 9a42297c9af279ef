import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { PayQrClient } from './api/client.js';
import type { PayQrApiError } from './api/errors.js';
import { CHANNELS, isChannel, isScene, type Attempt, type Channel, type Order } from './api/types.js';
import { detectEnvironment } from './controllers/environment.js';
import { statusController, type StatusController } from './controllers/status-controller.js';
import { globalTimers } from './controllers/timers.js';
import {
  PayQrCancelEvent,
  PayQrExpiredEvent,
  PayQrFailedEvent,
  PayQrPaidEvent,
  PayQrStatusChangeEvent,
  type PayQrEventDetail,
  type PayQrFailedDetail,
  type PayQrStatus,
} from './events.js';
import { formatAmount } from './format.js';
import { styles } from './pay-qr.styles.js';
import type { AttemptSide } from './qr/qr-attempt-controller.js';
import { resolveLang, translation, type Translation } from './translations/index.js';

const FINAL: ReadonlySet<PayQrStatus> = new Set(['paid', 'expired', 'canceled', 'error']);

/**
 * `<pay-qr>`: pays one order with WeChat Pay, Alipay, UnionPay or e-CNY.
 *
 * Shows the amount and subject, lets the payer pick a channel, draws that attempt's QR code
 * (in the browser, byte-exact), counts down to its expiry with a one-tap regenerate, and
 * reports the outcome, which only the server's order status decides. On phones and inside the
 * wallet apps it pays through the app's bridge or hands over by link instead (bridges/).
 *
 * @attr endpoint - BFF base URL (`https://pay.example.com`); may be another origin; empty = this origin.
 * @attr order - the order id (`ord_…`).
 * @attr secret - the order's client secret (`cs_…`), sent as `Authorization: Bearer`.
 * @attr channels - space-separated subset of `wechat alipay unionpay ecny`, in display order;
 *   the server's `order.channels` narrows it further. Default: all the order allows.
 * @attr lang - `zh-CN` (default), `zh-TW` or `en`.
 * @attr scene - force `qr`, `jsapi` or `h5` instead of choosing from the environment
 *   (WeChat/Alipay/UnionPay app → `jsapi`, phone browser → `h5` where the channel has it, else `qr`).
 * @attr buyer-id - the payer's Alipay user id (`2088…`), which Alipay's in-app
 *   payment needs; the shop gets it with its own Alipay web authorisation. Without it, Alipay in
 *   the Alipay app hands over by link. (WeChat's openid needs no attribute: the BFF's OAuth
 *   helper gets it.)
 *
 * @fires {PayQrPaidEvent} pay-qr-paid - the server says the order is paid (once).
 * @fires {PayQrExpiredEvent} pay-qr-expired - the order expired unpaid.
 * @fires {PayQrFailedEvent} pay-qr-failed - an attempt failed or could not be created (`status: 'failed'`,
 *   a retry is offered), or the order cannot be loaded at all or offers no channel to pay with
 *   (`status: 'error'`; then `error.code: 'no_channels'`).
 * @fires {PayQrCancelEvent} pay-qr-cancel - the order was canceled.
 * @fires {PayQrStatusChangeEvent} pay-qr-status-change - every change of `status`.
 *
 * @csspart base - the card.
 * @csspart header - subject and amount.
 * @csspart subject - what is being paid for.
 * @csspart amount - the formatted amount.
 * @csspart channels - the channel picker (a group of toggle buttons).
 * @csspart channel - one channel button; the chosen one also has `channel-selected`.
 * @csspart stage - the square that holds the QR code, its placeholder or the regenerate button.
 * @csspart qr - the QR code (`role="img"`; `data-qr-content` holds the encoded text).
 * @csspart countdown - "time left" line; the `role="timer"` inside it has the digits.
 * @csspart regenerate - the button that gets a new code once it expired.
 * @csspart retry - the button that tries again after a failure.
 * @csspart open - the link that hands the payment over to the wallet app (phones).
 * @csspart result - the outcome mark (✓ when paid, ! otherwise).
 * @csspart status - the live region with the current message.
 * @csspart notice - "network problem, retrying" inside the status.
 *
 * @cssproperty --pay-qr-font-family - font stack (system fonts by default).
 * @cssproperty --pay-qr-color-text - main text colour.
 * @cssproperty --pay-qr-color-muted - secondary text.
 * @cssproperty --pay-qr-color-background - card background.
 * @cssproperty --pay-qr-color-border - borders.
 * @cssproperty --pay-qr-color-accent - focus ring and default brand colour.
 * @cssproperty --pay-qr-color-success - the paid icon.
 * @cssproperty --pay-qr-color-danger - the failed icon.
 * @cssproperty --pay-qr-color-warning - the network notice.
 * @cssproperty --pay-qr-radius - corner radius of the card (buttons follow).
 * @cssproperty --pay-qr-max-width - the card's maximum width (360px); below it the element takes
 *   its container's full width (`width: 100%`, in a flex or grid layout too), in every state.
 * @cssproperty --pay-qr-qr-size - side of the QR code (200px).
 * @cssproperty --pay-qr-qr-color - dark modules (keep it dark: scanners need contrast).
 * @cssproperty --pay-qr-qr-background - light modules and quiet zone.
 * @cssproperty --pay-qr-wechat-color - brand colour (#07C160); also `--pay-qr-alipay-color`
 *   (#1677FF), `--pay-qr-unionpay-color` (#E21836), `--pay-qr-ecny-color` (#C8102E).
 */
export class PayQrElement extends LitElement {
  static override styles = styles;

  static override properties = {
    endpoint: {},
    order: {},
    secret: {},
    channels: {},
    lang: { reflect: true },
    scene: {},
    buyerId: { attribute: 'buyer-id' },
  };

  // Each property's attribute and meaning: the class comment's @attr lines.
  declare endpoint: string;
  declare order: string;
  declare secret: string;
  declare channels: string;
  declare lang: string;
  declare scene: string;
  declare buyerId: string | undefined;

  #client = new PayQrClient({ endpoint: '', secret: '' });
  readonly #status: StatusController = statusController(this, {
    fetchOrder: (waitSeconds, signal) =>
      this.#client.getOrder(this.order, { waitSeconds, since: this.#status.order?.version, signal }),
    serverNow: () => this.#client.clock.now(),
  });

  /** the attempt side, from the lazily loaded `qr/` chunk (or `bridges/` on phones) */
  #qr: AttemptSide | undefined;
  #qrLoading: Promise<AttemptSide> | undefined;
  #qrLoadError: Error | undefined;
  #channel: Channel | undefined;
  /** the picker button that takes Tab focus (roving tabindex) */
  #tabStop: Channel | undefined;
  #seenOrder: Order | undefined;
  #viewStatus: PayQrStatus = 'loading';
  /** the status the events were last fired for */
  #announced: PayQrStatus = 'loading';
  /** the card shows the attempt side's state (the order is open and payable) */
  #payable = false;
  /** undefined while the language's chunk loads */
  #t: Translation | undefined;
  /** what had focus in the shadow root when this update began */
  #focused: Element | null | undefined;

  constructor() {
    super();
    this.endpoint = '';
    this.order = '';
    this.secret = '';
    this.channels = '';
    this.scene = '';
  }

  /** What the widget currently shows; see `pay-qr-status-change`. */
  get status(): PayQrStatus {
    return this.#viewStatus;
  }

  /** Channels offered: the attribute's order, narrowed by what the order allows. */
  get #offered(): Channel[] {
    const wanted = this.channels.split(/\s+/).filter(isChannel);
    const allowed = this.#status.order?.channels?.filter(isChannel);
    if (!allowed) return wanted.length ? wanted : [...CHANNELS];
    // The server decides what is payable; the attribute only narrows and orders it.
    const narrowed = wanted.filter((c) => allowed.includes(c));
    return narrowed.length ? narrowed : allowed;
  }

  get #lang() {
    return resolveLang(this.lang);
  }

  /** the payer's choice; else the channel of an attempt resumed after a reload */
  get #chosen(): Channel | undefined {
    return this.#channel ?? this.#qr?.channel;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#focused = (this.renderRoot as ShadowRoot | undefined)?.activeElement;
    if (changed.has('endpoint') || changed.has('secret') || changed.has('order')) this.#restart();
    this.#t = translation(this.#lang, () => this.requestUpdate());

    const order = this.#status.order;
    const qr = this.#qr;
    if (order !== this.#seenOrder) {
      this.#seenOrder = order;
      const current = order?.attempt;
      if (qr) qr.adopt(current);
      // A pending attempt to resume after a reload, or the way back from WeChat's OAuth
      // (#payqr_openid=…, bridges/oauth.ts): worth loading the attempt side for.
      else if ((current as Attempt | undefined)?.status === 'pending' || /payqr_/.test(location.hash)) this.#withQr((q) => q.adopt(current));
    }
    this.#viewStatus = this.#derive(order);
    // The attempt side's own update (its countdown, its announcements) runs next, from this.
    if (qr) qr.active = this.#payable;
  }

  /**
   * What to show. Only the server's order status can make it `paid`; while the order is open
   * and payable, the attempt side says what it is at (its declared `status`).
   */
  #derive(order: Order | undefined): PayQrStatus {
    const status = this.#status;
    this.#payable = false;
    if (!order) return status.fatal ? 'error' : 'loading';
    if (order.status !== 'open') return order.status;
    if (status.expired) return 'expired';
    // Nothing to choose from (the order allows no channel the widget knows): nothing to pay with.
    if (status.fatal || !this.#offered.length) return 'error';
    this.#payable = true;
    // The attempt side not loaded (yet): loading it, its load failed, or nothing chosen.
    return this.#qr?.status ?? (this.#qrLoading ? 'creating' : this.#qrLoadError ? 'failed' : 'choose');
  }

  protected override updated(): void {
    // The focused control went with the state (regenerate, retry, a code that was paid): keep
    // the payer's place on the picker's tab stop (the chosen channel), else the status line.
    if (this.#focused && !this.#focused.isConnected)
      this.renderRoot.querySelector<HTMLElement>('.channel[tabindex="0"],.status')?.focus();
    // Events go out once the DOM shows the state they announce.
    const status = this.#viewStatus;
    if (status !== this.#announced) {
      const previous = this.#announced;
      this.#announced = status;
      this.#dispatchStatus(status, previous);
    }
  }

  #restart(): void {
    this.#qr?.reset();
    this.#channel = this.#qrLoadError = undefined;
    this.#client = new PayQrClient({ endpoint: this.endpoint, secret: this.secret });
    if (this.order && this.secret) this.#status.start();
  }

  /**
   * Loads the attempt side once (again after a failed load), then runs `then`: on a phone or
   * inside a wallet app (or when the `scene` attribute asks for `jsapi`/`h5`) the in-app side
   * (bridges/, which builds on the QR side), else the QR side alone.
   */
  #withQr(then: (qr: AttemptSide) => void): void {
    this.#qrLoadError = undefined;
    const environment = detectEnvironment(navigator.userAgent, navigator.maxTouchPoints);
    this.#qrLoading ??= (
      (isScene(this.scene) ? this.scene != 'qr' : environment.mobile)
        ? import('./bridges/in-app-controller.js')
        : import('./qr/qr-attempt-controller.js')
    ).then(
      (m) =>
        (this.#qr = new m.default(this, {
          client: () => this.#client,
          orderId: () => this.order,
          sceneOverride: () => (isScene(this.scene) ? this.scene : undefined),
          now: () => this.#client.clock.now(),
          timers: globalTimers,
          onFailure: () => this.#status.checkNow(),
          html,
          order: () => this.#status.order,
          amount: () => this.#amount(this.#status.order!),
          environment,
          lang: () => this.#lang,
          buyerId: () => this.buyerId,
        })),
    );
    this.#qrLoading
      .then(then, (error: Error) => {
        this.#qrLoading = undefined;
        this.#qrLoadError = error;
      })
      .finally(() => this.requestUpdate());
    this.requestUpdate();
  }

  #choose(channel: Channel): void {
    if (channel === this.#chosen && (this.#viewStatus === 'scan' || this.#viewStatus === 'creating')) return;
    this.#channel = this.#tabStop = channel;
    this.#createAttempt();
  }

  #createAttempt(): void {
    const channel = this.#chosen;
    const order = this.order;
    // The chunk may still be loading when the page switches to another order.
    if (channel) this.#withQr((qr) => order === this.order && void qr.create(channel));
  }

  #dispatchStatus(status: PayQrStatus, previous: PayQrStatus): void {
    const attemptId = this.#qr?.attempt?.id;
    const channel = this.#chosen;
    const detail: PayQrEventDetail = { orderId: this.order, status };
    if (attemptId) detail.attemptId = attemptId;
    if (channel) detail.channel = channel;
    this.dispatchEvent(new PayQrStatusChangeEvent({ ...detail, previous }));
    const error = (status === 'error' ? (this.#status.error ?? NO_CHANNELS) : (this.#qr?.error ?? this.#qrLoadError)) as
      | Partial<PayQrApiError>
      | undefined;
    const Event = EVENTS[status];
    if (Event)
      this.dispatchEvent(
        new Event(
          Event === PayQrFailedEvent && error
            ? { ...detail, error: { code: error.code ?? 'failed', message: String(error.message), requestId: error.requestId } }
            : detail,
        ),
      );
  }

  /** Arrow keys, Home and End move focus within the picker; Enter or Space chooses. */
  #onPickerKey(event: KeyboardEvent): void {
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('.channel')];
    const from = buttons.indexOf(event.target as HTMLButtonElement);
    const n = buttons.length;
    const to = ({ ArrowRight: from + 1, ArrowDown: from + 1, ArrowLeft: from - 1 + n, ArrowUp: from - 1 + n, Home: 0, End: n - 1 } as Record<string, number>)[event.key];
    if (from < 0 || to === undefined) return;
    event.preventDefault();
    this.#tabStop = this.#offered[to % n];
    buttons[to % n]!.focus();
    this.requestUpdate();
  }

  protected override render(): TemplateResult {
    const t = this.#t;
    const status = this.#viewStatus;
    const order = this.#status.order;
    const final = FINAL.has(status);

    // No order yet (loading, or it cannot be loaded): no header, only the spinner or the outcome.
    return html`<div part="base" class="card ${this.#chosen ?? ''} ${status} ${final ? 'final' : ''}" lang=${this.#lang}>
      ${t && order
        ? html`<header part="header">
            <p part="subject" class="subject">${order.subject}</p>
            <p part="amount" class="amount">${this.#amount(order)}</p>
          </header>`
        : nothing}
      ${t && status !== 'loading'
        ? html`${final ? nothing : this.#renderPicker(t)}
            ${this.#renderStage(t, status)}`
        : spinner}
      ${t
        ? html`<p part="status" class="status" role="status" tabindex="-1">
              ${this.#statusText(t, status)}
              ${this.#status.retrying ? html`<span part="notice" class="notice">${t.reconnecting}</span>` : nothing}
            </p>
            <div class="visually-hidden" aria-live="polite">${this.#qr?.note}</div>`
        : nothing}
    </div>`;
  }

  #amount(order: Order): string {
    return formatAmount(order.amount, order.currency, this.#lang);
  }

  #renderPicker(t: Translation): TemplateResult {
    const offered = this.#offered;
    const selected = this.#chosen;
    const tabStop = this.#tabStop && offered.includes(this.#tabStop) ? this.#tabStop : (selected ?? offered[0]);
    return html`<div part="channels" class="channels" role="group" aria-label=${t.channelGroup} @keydown=${this.#onPickerKey}>
      ${offered.map(
        (c) =>
          html`<button
            type="button"
            part="channel ${c === selected ? 'channel-selected' : ''}"
            class="channel ${c}"
            aria-pressed=${c === selected}
            tabindex=${c === tabStop ? 0 : -1}
            @click=${() => this.#choose(c)}
          ><span class="mark"></span>${t.channels[c]}</button>`,
      )}
    </div>`;
  }

  #renderStage(t: Translation, status: PayQrStatus): TemplateResult | typeof nothing {
    switch (status) {
      case 'failed':
        return html`${result}
          <button part="retry" class="action" type="button" @click=${this.#createAttempt}>${t.retry}</button>`;
      case 'choose':
        return nothing;
      case 'paid':
      case 'expired':
      case 'canceled':
      case 'error':
        return result;
    }
    // creating, scan, qr-expired and the attempt side's own phases: its stage, else a spinner
    return this.#qr?.stage(t) ?? html`<div part="stage" class="stage">${spinner}</div>`;
  }

  #statusText(t: Translation, status: PayQrStatus): string {
    return (
      (this.#payable ? this.#qr?.text(t) : undefined) ??
      (status === 'scan' ? t.checking : t[status === 'error' && !this.#offered.length ? 'noChannels' : (status as 'paid')])
    );
  }
}

const EVENTS: Partial<Record<PayQrStatus, new (detail: PayQrFailedDetail) => Event>> = {
  paid: PayQrPaidEvent,
  expired: PayQrExpiredEvent,
  canceled: PayQrCancelEvent,
  failed: PayQrFailedEvent,
  // The order cannot be loaded (unknown order, wrong secret) or offers no channel: a failure
  // too, `status: 'error'`.
  error: PayQrFailedEvent,
};

/** why `error` when the order loaded but offers no channel to pay with */
const NO_CHANNELS = { code: 'no_channels', message: 'The order offers no channel to pay with' };

/** the spinner: on its own while the order loads, in the stage while an attempt is made */
const spinner = html`<span class="spinner"></span>`;

/** the outcome mark (✓ or !, drawn by the stylesheet from the card's status class) */
const result = html`<div part="result" class="result" aria-hidden="true"></div>`;

// Guarded: a page that loads two copies of the bundle keeps the first definition.
if (typeof customElements !== 'undefined' && !customElements.get('pay-qr')) {
  customElements.define('pay-qr', PayQrElement);
}

declare global {
  interface HTMLElementTagNameMap {
    'pay-qr': PayQrElement;
  }
}
