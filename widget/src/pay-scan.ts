import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { formatAmount } from './format.js';
import { styles } from './pay-scan.styles.js';
import { checkAuthCode, maskAuthCode, type ScanChannel } from './scan/auth-code.js';
import type { CameraSession } from './scan/camera.js';
import {
  PayScanFailedEvent,
  PayScanPaidEvent,
  PayScanStatusChangeEvent,
  type PayScanFailedDetail,
  type PayScanStatus,
} from './scan/events.js';
import type { Sale } from './scan/sale.js';
import type { ScanReason, ScanState } from './scan/shop-client.js';
import { scanTranslation, type ScanTranslation } from './scan/translations.js';
import { WedgeDetector } from './scan/wedge.js';
import { resolveLang } from './translations/index.js';

/** waiting on the payer or the wallet: poll the shop endpoint */
const PENDING: ReadonlySet<PayScanStatus> = new Set(['submitting', 'paying', 'password']);
/** a new scan is taken at once */
const ACCEPTING: ReadonlySet<PayScanStatus> = new Set(['ready', 'failed', 'reversed']);

type Invalid = '' | 'invalidDigits' | 'invalidFormat' | 'busy';

/** Whether this browser can read codes with the camera (asks for no permission). */
export function cameraSupported(): boolean {
  return typeof (globalThis as { BarcodeDetector?: unknown }).BarcodeDetector === 'function' && !!globalThis.navigator?.mediaDevices?.getUserMedia;
}

/** a text field of the page other than ours: its keys are the cashier's typing, not a scanner */
function editable(target: EventTarget | undefined): boolean {
  const el = target as HTMLInputElement | undefined;
  return (
    !!el?.localName &&
    (el.isContentEditable || /^(textarea|select)$/.test(el.localName) || (el.localName === 'input' && !/^(button|checkbox|radio|submit|reset|image|file|color|range)$/.test(el.type)))
  );
}

/**
 * `<pay-scan>`: a web cashier's scan of the payer's code (付款码, "micropay"): the cashier scans
 * the code the customer shows in WeChat, Alipay or UnionPay and the element shows the amount, the
 * progress (支付中…, 用户输入密码中…) and the outcome — paid, failed with the reason, or reversed
 * when no final answer came in time.
 *
 * The element never holds an API key and never calls PayQR: it posts the scanned code to the
 * shop's own endpoint (`action`, same origin as the till page), whose server calls PayQR with the
 * key, and it polls that endpoint for the result. The JSON contract is in `scan/shop-client.ts`
 * and the widget README.
 *
 * Input: a keyboard-wedge barcode scanner anywhere on the page (a burst of ≥ 16 digits and Enter,
 * at least half the keys ≤ 40 ms apart and no pause over 1 s — told apart from a person typing
 * by that timing, see scan/wedge.ts; keys typed into the page's other text fields are left alone); the code field (a person types the code and
 * presses Enter; a scanner aimed at the focused field works too); and, with `camera`, the device
 * camera where the browser has BarcodeDetector (loaded on first use). Codes are checked against
 * the wallets' prefix rules before anything is sent. The whole code is never logged, put in an
 * event or kept after its request.
 *
 * @attr action - the shop endpoint (`/cashier/api/scan`): `POST {order, authCode}` charges a code,
 *   `GET ?order=…&wait=N` reads the order and its latest scan.
 * @attr order - PayQR's order id (`ord_…`), created by the shop's server. Setting another order
 *   starts a new sale.
 * @attr amount - integer minor units shown until the shop endpoint answered (`1999` = ¥19.99).
 * @attr currency - ISO 4217 code for `amount` (`CNY` by default).
 * @attr lang - `zh-CN` (default), `zh-TW` or `en`.
 * @attr camera - boolean: offer camera scanning where the browser can (BarcodeDetector).
 *
 * @fires {PayScanPaidEvent} pay-scan-paid - the scanned code paid the order.
 * @fires {PayScanFailedEvent} pay-scan-failed - the scan was refused (`status: 'failed'`, with
 *   `detail.reason`), reversed (`status: 'reversed'`), or the order cannot be loaded (`status: 'error'`).
 * @fires {PayScanStatusChangeEvent} pay-scan-status-change - every change of `status`, with `previous`.
 *
 * @csspart base - the card.
 * @csspart header - the amount and its label.
 * @csspart amount-label - "应收金额".
 * @csspart amount - the formatted amount.
 * @csspart result - the mark: spinner while working, ✓ paid, ! failed or reversed.
 * @csspart status - the live region (`role="status"`) with the message.
 * @csspart message - the main line of the status.
 * @csspart channel - the wallet of the current scan (微信支付 …).
 * @csspart reason - why a scan failed (the provider's or the server's words).
 * @csspart note - after a reversal: the payer gets back anything charged.
 * @csspart notice - "network problem, retrying".
 * @csspart form - the manual entry form.
 * @csspart label - the code field's label.
 * @csspart input - the code field.
 * @csspart submit - the "收款" button.
 * @csspart hint - the help line under the field.
 * @csspart error - the validation message (`role="alert"`).
 * @csspart camera-button - the camera toggle (with `camera`, where supported).
 * @csspart camera - the camera's `<video>` while it is on.
 *
 * @cssproperty --pay-scan-font-family - font stack (system fonts by default).
 * @cssproperty --pay-scan-color-text - main text colour.
 * @cssproperty --pay-scan-color-muted - secondary text.
 * @cssproperty --pay-scan-color-background - card background.
 * @cssproperty --pay-scan-color-border - borders and the field.
 * @cssproperty --pay-scan-color-accent - the button, focus ring and spinner (#1677ff).
 * @cssproperty --pay-scan-color-success - paid (#07c160).
 * @cssproperty --pay-scan-color-danger - failed and invalid codes (#e5484d).
 * @cssproperty --pay-scan-color-warning - reversed and the network notice (#b45309).
 * @cssproperty --pay-scan-radius - corner radius of the card (controls follow).
 * @cssproperty --pay-scan-max-width - the card's maximum width (420px).
 * @cssproperty --pay-scan-amount-size - font size of the amount (40px).
 */
export class PayScanElement extends LitElement {
  static override styles = styles;

  static override properties = {
    action: {},
    order: {},
    amount: { type: Number },
    currency: {},
    lang: { reflect: true },
    camera: { type: Boolean },
  };

  declare action: string;
  declare order: string;
  declare amount: number | undefined;
  declare currency: string;
  declare lang: string;
  declare camera: boolean;

  /** the side that talks to the shop endpoint (scan/sale.ts, loaded once there is an order) */
  #sale: Sale | undefined;
  #saleLoading: Promise<unknown> | undefined;
  #state: ScanState | undefined;
  #status: PayScanStatus = 'idle';
  /** the status the events were last fired for */
  #announced: PayScanStatus = 'idle';
  #reason: ScanReason | undefined;
  #scanId: string | undefined;
  #channel: ScanChannel | undefined;
  #masked: string | undefined;
  /** a scan this element submitted or saw pending: its outcome is shown (not just "ready") */
  #following = false;
  #invalid: Invalid = '';
  /** bumped when the sale changes: answers for an older one are dropped */
  #generation = 0;
  readonly #wedge = new WedgeDetector();
  #camera: CameraSession | undefined;
  #cameraOn = false;
  #cameraFailed = false;
  #t: ScanTranslation | undefined;

  constructor() {
    super();
    this.action = '';
    this.order = '';
    this.currency = 'CNY';
    this.camera = false;
  }

  /** What the element shows; see `pay-scan-status-change`. */
  get status(): PayScanStatus {
    return this.#status;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Capture: a scanner's Enter must not also activate whatever button has the focus.
    globalThis.addEventListener('keydown', this.#onKey, true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    globalThis.removeEventListener('keydown', this.#onKey, true);
    this.#stopCamera();
  }

  /**
   * Charge a code as if it had been scanned: checked against the wallets' rules, then posted to
   * `action`. Ignored (with a message) while the last scan is still in progress or after the
   * order ended.
   */
  async scan(raw: string): Promise<void> {
    const check = checkAuthCode(raw);
    if (!check.ok) {
      this.#invalid = check.problem === 'digits' ? 'invalidDigits' : check.problem === 'format' ? 'invalidFormat' : '';
      this.requestUpdate();
      return;
    }
    if (!ACCEPTING.has(this.#status)) {
      this.#invalid = PENDING.has(this.#status) ? 'busy' : '';
      this.requestUpdate();
      return;
    }
    const generation = this.#generation;
    this.#invalid = '';
    this.#reason = this.#scanId = undefined;
    this.#masked = maskAuthCode(check.code);
    this.#channel = check.channel;
    this.#following = true;
    this.#set('submitting');
    // Accepting means the sale was read, so its side is here.
    const failed = await this.#sale!.submit(check.code);
    if (!failed || generation !== this.#generation) return;
    this.#reason = failed;
    this.#set('failed');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('action') || changed.has('order')) this.#restart();
    // The shop endpoint refused to read the sale (a 4xx): retrying cannot help.
    const failure = this.#sale?.failure;
    if (failure && this.#status !== 'error') {
      this.#reason = failure;
      this.#status = 'error';
    }
    this.#t = scanTranslation(resolveLang(this.lang), () => this.requestUpdate());
  }

  protected override updated(): void {
    // Events go out once the DOM shows the state they announce.
    const status = this.#status;
    if (status === this.#announced) return;
    const previous = this.#announced;
    this.#announced = status;
    const detail: PayScanFailedDetail = { orderId: this.order, status };
    if (this.#scanId) detail.scanId = this.#scanId;
    if (this.#channel) detail.channel = this.#channel;
    if (this.#masked) detail.maskedCode = this.#masked;
    const amount = this.#amount();
    if (amount) Object.assign(detail, amount);
    if (this.#reason && (status === 'failed' || status === 'reversed' || status === 'error')) detail.reason = this.#reason;
    this.dispatchEvent(new PayScanStatusChangeEvent({ ...detail, previous }));
    if (status === 'paid') this.dispatchEvent(new PayScanPaidEvent(detail));
    if (status === 'failed' || status === 'reversed' || status === 'error') this.dispatchEvent(new PayScanFailedEvent(detail));
  }

  #set(status: PayScanStatus): void {
    this.#status = status;
    this.requestUpdate();
  }

  /** A new sale (or a new endpoint): forget the last one and load this one. */
  #restart(): void {
    const generation = ++this.#generation;
    this.#following = false;
    this.#state = this.#reason = this.#scanId = this.#channel = this.#masked = undefined;
    this.#invalid = '';
    this.#wedge.reset();
    if (!this.action || !this.order) {
      this.#sale?.stop();
      return this.#set('idle');
    }
    this.#set('loading');
    if (this.#sale) return this.#sale.start();
    this.#saleLoading ??= import('./scan/sale.js').then(
      (m) => {
        this.#sale = new m.Sale(this, {
          action: () => this.action,
          order: () => this.order,
          answered: (state) => {
            this.#apply(state);
            return PENDING.has(this.#status);
          },
        });
        if (this.action && this.order) this.#sale.start();
      },
      // Without its chunk (network trouble) the sale cannot be read: say so; the next order tries again.
      () => {
        this.#saleLoading = undefined;
        if (generation !== this.#generation) return;
        this.#reason = { code: 'network', message: 'pay-scan could not load' };
        this.#set('error');
      },
    );
  }

  /** The shop endpoint's answer → what to show. */
  #apply(state: ScanState): void {
    this.#state = state;
    const { order, scan } = state;
    if (scan) {
      this.#scanId = scan.id;
      this.#channel = scan.channel ?? this.#channel;
      if (scan.status === 'pending') this.#following = true;
    }
    let status: PayScanStatus;
    if (order.status !== 'open') status = order.status;
    else if (!scan || (!this.#following && scan.status !== 'paid')) status = 'ready';
    else if (scan.status === 'pending') status = scan.progress === 'password_entry' ? 'password' : 'paying';
    else status = scan.status;
    this.#reason = status === 'failed' || status === 'reversed' ? scan?.reason : undefined;
    this.#set(status);
  }

  readonly #onKey = (event: KeyboardEvent): void => {
    if (event.isComposing || event.ctrlKey || event.altKey || event.metaKey) return this.#wedge.reset();
    const target = event.composedPath()[0];
    // Our own field takes its keys as typed (Enter submits it); other fields are the cashier's.
    if (target === this.#input || editable(target)) return this.#wedge.reset();
    const code = this.#wedge.key(event.key, performance.now());
    if (code === undefined) return;
    event.preventDefault();
    void this.scan(code);
  };

  get #input(): HTMLInputElement | null {
    return this.renderRoot?.querySelector?.('input') ?? null;
  }

  #onSubmit(event: Event): void {
    event.preventDefault();
    const input = this.#input;
    if (!input) return;
    void this.scan(input.value);
    // Taken (scan() says so synchronously): clear the field for the next code. Refused: keep it to correct.
    if (this.#status === 'submitting') input.value = '';
  }

  #onInput(): void {
    if (this.#invalid && this.#invalid !== 'busy') {
      this.#invalid = '';
      this.requestUpdate();
    }
  }

  async #toggleCamera(): Promise<void> {
    if (this.#cameraOn) return this.#stopCamera();
    this.#cameraOn = true;
    this.#cameraFailed = false;
    this.requestUpdate();
    await this.updateComplete;
    const video = this.renderRoot.querySelector('video');
    try {
      const { startCamera } = await import('./scan/camera.js');
      if (!video || !this.#cameraOn) return;
      this.#camera = await startCamera(video, (code) => {
        this.#stopCamera();
        void this.scan(code);
      });
      if (!this.#cameraOn) this.#camera.stop();
    } catch {
      this.#cameraOn = false;
      this.#cameraFailed = true;
      this.requestUpdate();
    }
  }

  #stopCamera(): void {
    this.#camera?.stop();
    this.#camera = undefined;
    if (this.#cameraOn) {
      this.#cameraOn = false;
      this.requestUpdate();
    }
  }

  #amount(): { amount: number; currency: string } | undefined {
    const o = this.#state?.order;
    if (o) return { amount: o.amount, currency: o.currency };
    return Number.isSafeInteger(this.amount) ? { amount: this.amount!, currency: this.currency || 'CNY' } : undefined;
  }

  protected override render(): TemplateResult {
    const t = this.#t;
    const status = this.#status;
    const lang = resolveLang(this.lang);
    const amount = this.#amount();
    return html`<div part="base" class="card ${status} ${this.#channel ?? ''}" lang=${lang}>
      <header part="header">
        <p part="amount-label" class="label">${t?.amountLabel}</p>
        <p part="amount" class="amount">${amount ? formatAmount(amount.amount, amount.currency, lang) : nothing}</p>
      </header>
      ${t ? this.#renderBody(t, status) : nothing}
    </div>`;
  }

  #renderBody(t: ScanTranslation, status: PayScanStatus): TemplateResult {
    const reason = this.#reason;
    const showChannel = this.#channel && !/^(ready|loading|idle|error)$/.test(status);
    // nothing to scan for: no sale yet, or it is over (the next needs a new `order`)
    const closed = /^(paid|expired|canceled|idle|loading|error)$/.test(status);
    const invalid = this.#invalid ? t[this.#invalid] : '';
    const cameraOffered = this.camera && cameraSupported();
    return html`<div part="result" class="result" aria-hidden="true"></div>
      <div part="status" class="status" role="status">
        <strong part="message" class="message">${t[status]}</strong>
        ${showChannel ? html`<span part="channel" class="channel">${t.channels[this.#channel!]}${this.#masked ? ` · ${this.#masked}` : ''}</span>` : nothing}
        ${reason && (status === 'failed' || status === 'error')
          ? html`<span part="reason" class="reason">${reason.code === 'network' ? t.network : reason.message}</span>`
          : nothing}
        ${status === 'reversed' ? html`<span part="note" class="reason">${t.reversedNote}</span>` : nothing}
        ${status === 'failed' || status === 'reversed' ? html`<span class="next">${t.nextScan}</span>` : nothing}
        ${this.#sale?.retrying ? html`<span part="notice" class="notice">${t.reconnecting}</span>` : nothing}
      </div>
      <form part="form" class="form" novalidate @submit=${this.#onSubmit}>
        <label part="label" for="code">${t.codeLabel}</label>
        <div class="row">
          <input
            id="code"
            part="input"
            name="authCode"
            inputmode="numeric"
            autocomplete="off"
            enterkeyhint="go"
            spellcheck="false"
            maxlength="40"
            aria-describedby="hint error"
            aria-invalid=${invalid ? 'true' : 'false'}
            ?disabled=${closed}
            @input=${this.#onInput}
          />
          <button part="submit" type="submit" ?disabled=${closed}>${t.submit}</button>
        </div>
        <p id="hint" part="hint" class="hint">${t.codeHint}</p>
        <p id="error" part="error" class="invalid" role="alert">${invalid}</p>
        ${cameraOffered
          ? html`<button part="camera-button" class="camera-button" type="button" aria-pressed=${this.#cameraOn} ?disabled=${closed} @click=${this.#toggleCamera}>
              ${this.#cameraOn ? t.cameraStop : t.cameraStart}
            </button>`
          : nothing}
        ${this.#cameraFailed ? html`<p part="error" class="invalid">${t.cameraError}</p>` : nothing}
      </form>
      ${this.#cameraOn ? html`<video part="camera" class="camera" aria-label=${t.cameraLabel} muted playsinline></video>` : nothing}`;
  }
}

// Guarded: a page that loads two copies of the bundle keeps the first definition.
if (typeof customElements !== 'undefined' && !customElements.get('pay-scan')) {
  customElements.define('pay-scan', PayScanElement);
}

declare global {
  interface HTMLElementTagNameMap {
    'pay-scan': PayScanElement;
  }
}
