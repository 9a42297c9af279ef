import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { PayQrClient } from './api/client.js';
import { PayQrApiError } from './api/errors.js';
import { CHANNELS, isChannel, isScene, type Attempt, type Channel, type Order, type Scene } from './api/types.js';
import { CountdownController, isAnnouncement } from './controllers/countdown-controller.js';
import { EnvironmentController, resolveScene } from './controllers/environment-controller.js';
import { StatusController } from './controllers/status-controller.js';
import {
  PayQrCancelEvent,
  PayQrExpiredEvent,
  PayQrFailedEvent,
  PayQrPaidEvent,
  PayQrStatusChangeEvent,
  type PayQrEventDetail,
  type PayQrStatus,
} from './events.js';
import { formatAmount, formatTimeLeft } from './format.js';
import { styles } from './pay-qr.styles.js';
import { encodeQr, loadEncoder, type QrSymbol } from './qr/qr-code.js';
import { resolveLang, translation, type Translation } from './translations/index.js';

/** Scenes this build can carry out; the wallet bridges will add `jsapi` and `h5`. */
const IMPLEMENTED_SCENES: ReadonlySet<Scene> = new Set(['qr']);

const FINAL: ReadonlySet<PayQrStatus> = new Set(['paid', 'expired', 'canceled', 'error']);

/**
 * What the widget shows, derived from the server's word and the local attempt state.
 * Only the server's order status can make it `paid`.
 */
export function viewStatus(s: {
  order: Order | undefined;
  fatal: boolean;
  deadlinePassed: boolean;
  creating: boolean;
  attempt: Attempt | undefined;
  attemptFailed: boolean;
  qrExpired: boolean;
}): PayQrStatus {
  if (!s.order) return s.fatal ? 'error' : 'loading';
  if (s.order.status !== 'open') return s.order.status;
  if (s.deadlinePassed) return 'expired';
  if (s.fatal) return 'error';
  if (s.creating) return 'creating';
  if (s.attemptFailed || s.attempt?.status === 'failed') return 'failed';
  if (s.attempt) return s.attempt.status === 'closed' || s.qrExpired ? 'qr-expired' : 'scan';
  return 'choose';
}

/**
 * `<pay-qr>`: pays one order with WeChat Pay, Alipay, UnionPay or e-CNY by QR code.
 *
 * Shows the amount and subject, lets the payer pick a channel, draws that attempt's QR code
 * (in the browser, byte-exact), counts down to its expiry with a one-tap regenerate, and
 * reports the outcome, which only the server's order status decides.
 *
 * @attr endpoint - BFF base URL (`https://pay.example.com`); may be another origin; empty = this origin.
 * @attr order - the order id (`ord_…`).
 * @attr secret - the order's client secret (`cs_…`), sent as `Authorization: Bearer`.
 * @attr channels - space-separated subset of `wechat alipay unionpay ecny`, in display order;
 *   the server's `order.channels` narrows it further. Default: all the order allows.
 * @attr lang - `zh-CN` (default), `zh-TW` or `en`.
 * @attr scene - force `qr`, `jsapi` or `h5` instead of choosing from the environment
 *   (only `qr` is implemented yet; others fall back to it).
 *
 * @fires pay-qr-paid - {PayQrPaidEvent} the server says the order is paid (once).
 * @fires pay-qr-expired - {PayQrExpiredEvent} the order expired unpaid.
 * @fires pay-qr-failed - {PayQrFailedEvent} an attempt failed or could not be created; a retry is offered.
 * @fires pay-qr-cancel - {PayQrCancelEvent} the order was canceled.
 * @fires pay-qr-status-change - {PayQrStatusChangeEvent} every change of `status`.
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
 * @csspart result - the outcome icon.
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
 * @cssproperty --pay-qr-max-width - the card's maximum width (360px).
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
  };

  declare endpoint: string;
  declare order: string;
  declare secret: string;
  declare channels: string;
  declare lang: string;
  declare scene: string;

  #client = new PayQrClient({ endpoint: '', secret: '' });
  readonly #status = new StatusController(this, {
    fetchOrder: (waitSeconds, signal) => this.#client.getOrder(this.order, { waitSeconds, signal }),
    serverNow: () => this.#client.clock.now(),
  });
  readonly #environment = new EnvironmentController(this);
  readonly #countdown = new CountdownController(this, () => this.#client.clock.now());

  #channel: Channel | undefined;
  /** the picker button that takes Tab focus (roving tabindex) */
  #tabStop: Channel | undefined;
  #attempt: Attempt | undefined;
  /** the attempt POST on the wire */
  #creating: AbortController | undefined;
  #attemptError: Error | undefined;
  #qr: QrSymbol | undefined;
  /** content being encoded right now */
  #drawing: string | undefined;
  #seenOrder: Order | undefined;
  #autoChosen = false;
  #viewStatus: PayQrStatus = 'loading';
  /** the status the events were last fired for */
  #announced: PayQrStatus = 'loading';
  /** the order's deadline passed and the server has not had its last word yet */
  #checking = false;
  #timeLeftNote = '';
  #timeLeftNoteAt = 0;
  /** undefined while the language's chunk loads */
  #t: Translation | undefined;

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

  /** Ask the server for the order's status now (e.g. after the shop learned something). */
  refresh(): void {
    this.#status.checkNow();
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

  get #langCode() {
    return resolveLang(this.lang);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('endpoint') || changed.has('secret') || changed.has('order')) this.#restart();
    this.#t = translation(this.#langCode, () => this.requestUpdate());

    const order = this.#status.order;
    if (order !== this.#seenOrder) {
      this.#seenOrder = order;
      this.#adoptServerAttempt(order?.attempt);
    }

    const now = this.#client.clock.now();
    const orderDeadline = order ? Date.parse(order.expiresAt) : Infinity;
    const qrDeadline = this.#attempt ? Math.min(Date.parse(this.#attempt.expiresAt), orderDeadline) : undefined;
    // Past the order's own deadline the server has the last word (a last-second payment may
    // still land), so only the attempt's earlier deadline turns into "regenerate".
    const status = viewStatus({
      order,
      fatal: this.#status.fatal,
      deadlinePassed: this.#status.expired,
      creating: this.#creating !== undefined,
      attempt: this.#attempt,
      attemptFailed: this.#attemptError !== undefined,
      qrExpired: qrDeadline !== undefined && qrDeadline < orderDeadline && now >= qrDeadline,
    });
    this.#viewStatus = status;
    this.#countdown.deadline = status === 'scan' ? qrDeadline : undefined;
    this.#checking = status === 'scan' && now >= orderDeadline;

    const content = this.#attempt?.qr?.content;
    if (status === 'scan' && content && this.#qr?.content !== content) void this.#draw(content);

    const left = Math.ceil((this.#countdown.remaining ?? 0) / 1000);
    if (status !== 'scan') this.#timeLeftNote = '';
    else if (this.#t && isAnnouncement(left) && left !== this.#timeLeftNoteAt) {
      this.#timeLeftNoteAt = left;
      this.#timeLeftNote = this.#t.timeLeftAnnouncement(Math.floor(left / 60), left % 60);
    }
  }

  protected override updated(): void {
    // Events go out once the DOM shows the state they announce.
    if (this.#viewStatus !== this.#announced) {
      const previous = this.#announced;
      this.#announced = this.#viewStatus;
      this.#dispatchStatus(this.#viewStatus, previous);
    }
    if (this.#viewStatus === 'choose' && !this.#autoChosen && this.#offered.length === 1) {
      // One way to pay: skip the picker's extra tap.
      this.#autoChosen = true;
      this.#choose(this.#offered[0]!);
    }
  }

  #restart(): void {
    this.#creating?.abort();
    this.#creating = undefined;
    this.#attempt = undefined;
    this.#attemptError = undefined;
    this.#channel = undefined;
    this.#qr = undefined;
    this.#autoChosen = false;
    this.#client = new PayQrClient({ endpoint: this.endpoint, secret: this.secret });
    if (this.order && this.secret) this.#status.start();
  }

  /**
   * The order's `attempt` is the server's current attempt. Same id as ours: take its newer
   * status (a decline shows up here). None of ours yet: resume a pending one with a code, so a
   * reload shows the same QR instead of opening a new attempt.
   */
  #adoptServerAttempt(current: Attempt | undefined): void {
    if (!current) return;
    if (this.#attempt?.id === current.id) {
      this.#attempt = { ...this.#attempt, ...current };
    } else if (!this.#attempt && !this.#creating && current.status === 'pending' && current.qr && current.scene === 'qr') {
      this.#attempt = current;
      this.#channel = this.#tabStop = current.channel;
    }
  }

  #choose(channel: Channel): void {
    if (channel === this.#channel && (this.#viewStatus === 'scan' || this.#viewStatus === 'creating')) return;
    this.#channel = this.#tabStop = channel;
    void this.#createAttempt();
  }

  async #createAttempt(): Promise<void> {
    const channel = this.#channel;
    if (!channel) return;
    this.#creating?.abort();
    const run = new AbortController();
    this.#creating = run;
    this.#attempt = this.#attemptError = this.#qr = undefined;
    this.requestUpdate();

    const scene = resolveScene({
      environment: this.#environment.environment,
      channel,
      override: isScene(this.scene) ? this.scene : undefined,
      implemented: IMPLEMENTED_SCENES,
    });
    // Fetch the encoder while the server creates the attempt, not after.
    if (scene === 'qr') loadEncoder().catch(() => {});
    try {
      const attempt = await this.#client.createAttempt(this.order, { channel, scene }, { signal: run.signal });
      if (run !== this.#creating) return;
      if (!attempt.qr) throw new PayQrApiError('invalid-response', 'The attempt came back without qr.content');
      this.#attempt = attempt;
    } catch (error) {
      if (run !== this.#creating) return;
      this.#attemptError = error as Error;
      // "Not payable" usually means the order just ended; let the server say how.
      this.#status.checkNow();
    }
    this.#creating = undefined;
    this.requestUpdate();
  }

  async #draw(content: string): Promise<void> {
    if (this.#drawing === content) return;
    this.#drawing = content;
    try {
      const symbol = await encodeQr(content);
      if (this.#attempt?.qr?.content === content) this.#qr = symbol;
    } catch (error) {
      if (this.#attempt?.qr?.content === content) this.#attemptError = error as Error;
    }
    this.#drawing = undefined;
    this.requestUpdate();
  }

  #dispatchStatus(status: PayQrStatus, previous: PayQrStatus): void {
    const detail: PayQrEventDetail = { orderId: this.order, status };
    if (this.#attempt) detail.attemptId = this.#attempt.id;
    if (this.#channel) detail.channel = this.#channel;
    this.dispatchEvent(new PayQrStatusChangeEvent({ ...detail, previous }));
    if (status === 'paid') this.dispatchEvent(new PayQrPaidEvent(detail));
    else if (status === 'expired') this.dispatchEvent(new PayQrExpiredEvent(detail));
    else if (status === 'canceled') this.dispatchEvent(new PayQrCancelEvent(detail));
    else if (status === 'failed') {
      const e = this.#attemptError as Partial<PayQrApiError> | undefined;
      this.dispatchEvent(
        new PayQrFailedEvent(
          e ? { ...detail, error: { code: e.code ?? 'failed', message: String(e.message), requestId: e.requestId } } : detail,
        ),
      );
    }
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
    const text = t && order;

    return html`<div part="base" class="card ${this.#channel ?? ''} ${status} ${final ? 'final' : ''}" lang=${this.#langCode}>
      <header part="header">
        <p part="subject" class="subject">${text ? order.subject : html`<span class="skeleton"></span>`}</p>
        <p part="amount" class="amount">${text ? this.#amount(order) : html`<span class="skeleton"></span>`}</p>
      </header>
      ${t
        ? html`${!final && status !== 'loading' && this.#offered.length > 1 ? this.#renderPicker(t) : nothing}
            ${this.#renderStage(t, status)}
            <p part="status" class="status" role="status">
              ${this.#statusText(t, status)}
              ${status === 'error' && this.#status.error?.requestId
                ? html`<span class="notice">${t.reference(this.#status.error.requestId)}</span>`
                : nothing}
              ${this.#status.retrying ? html`<span part="notice" class="notice warn">${t.reconnecting}</span>` : nothing}
            </p>
            <div class="visually-hidden" aria-live="polite">${this.#timeLeftNote}</div>`
        : nothing}
    </div>`;
  }

  #amount(order: Order): string {
    return formatAmount(order.amount, order.currency, this.#langCode);
  }

  #renderPicker(t: Translation): TemplateResult {
    const offered = this.#offered;
    const selected = this.#channel;
    const tabStop = this.#tabStop && offered.includes(this.#tabStop) ? this.#tabStop : offered[0];
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
          ><span class="mark" aria-hidden="true">${t.channels[c].charAt(0)}</span>${t.channels[c]}</button>`,
      )}
    </div>`;
  }

  #renderStage(t: Translation, status: PayQrStatus): TemplateResult | typeof nothing {
    const qr = this.#qr;
    const attempt = this.#attempt;
    switch (status) {
      case 'creating':
      case 'scan':
        return html`<div part="stage" class="stage">
            ${qr && attempt && !this.#checking
              ? html`<div
                  part="qr"
                  class="qr"
                  role="img"
                  aria-label=${t.qrLabel(t.channels[attempt.channel], this.#amount(this.#status.order!))}
                  data-qr-content=${qr.content}
                ><svg viewBox="0 0 ${qr.size} ${qr.size}" shape-rendering="crispEdges" aria-hidden="true">
                  <rect class="qr-light" width=${qr.size} height=${qr.size}></rect><path class="qr-dark" d=${qr.path}></path>
                </svg></div>`
              : html`<span class="spinner"></span>`}
          </div>
          ${status === 'scan'
            ? html`<p part="countdown" class="countdown">
                ${t.timeLeft}<span role="timer" aria-label=${t.timeLeft}>${formatTimeLeft(this.#countdown.remaining ?? 0)}</span>
              </p>`
            : nothing}`;
      case 'qr-expired':
        return html`<div part="stage" class="stage">
          <button part="regenerate" class="action" type="button" @click=${this.#createAttempt}>${t.regenerate}</button>
        </div>`;
      case 'failed':
        return html`<div part="result" class="result">${icons.alert}</div>
          <button part="retry" class="action" type="button" @click=${this.#createAttempt}>${t.retry}</button>`;
      case 'paid':
        return html`<div part="result" class="result">${icons.check}</div>`;
      case 'loading':
      case 'choose':
        return nothing;
      default:
        return html`<div part="result" class="result">${icons.alert}</div>`;
    }
  }

  #statusText(t: Translation, status: PayQrStatus): string {
    if (status === 'scan') return this.#checking ? t.checking : t.scan(t.apps[this.#attempt!.channel]);
    return t[status === 'qr-expired' ? 'qrExpired' : status];
  }
}

const icons = {
  check: html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M5 12.5l4.5 4.5L19 7.5"></path></svg>`,
  alert: html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 7v6m0 4h.01"></path></svg>`,
};

// Guarded: a page that loads two copies of the bundle keeps the first definition.
if (typeof customElements !== 'undefined' && !customElements.get('pay-qr')) {
  customElements.define('pay-qr', PayQrElement);
}

declare global {
  interface HTMLElementTagNameMap {
    'pay-qr': PayQrElement;
  }
}
