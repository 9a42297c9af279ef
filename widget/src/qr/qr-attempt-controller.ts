/**
 * One attempt at a time: opens it through the BFF, draws its code, counts down to its
 * expiry, works out its part of the widget's status, and renders that part of the card (the
 * stage and the status line) from it. The host sees only {@link AttemptSide}: it reads the
 * declared state (`status`, `channel`, `attemptId`, `error`, `note`) and gives the declared
 * inputs (the options, `active`), never this class's workings. This module and
 * the encoder form the lazily loaded chunk, fetched on the payer's first channel choice (or
 * to resume an attempt): the first load stays at the order, the picker and the status. It
 * imports nothing at run time that the main bundle also has, so the chunk stands alone (only
 * types cross over; Lit's `html` comes in through the options).
 *
 * The in-app side (bridges/in-app-controller.ts) extends it for the wallet apps and mobile
 * browsers, through the protected hooks `sceneFor`, `payerFor` and `show`.
 */
import type { ReactiveController, ReactiveControllerHost, TemplateResult, html as litHtml } from 'lit';
import { createAttempt, parseAttempt } from '../api/attempts.js';
import type { PayQrClient } from '../api/client.js';
import type { Attempt, Channel, Order, Scene } from '../api/types.js';
import type { Environment } from '../controllers/environment.js';
import { resolveScene, type SceneRequest } from '../controllers/environment-scene.js';
import type { Timers } from '../controllers/timers.js';
import type { PayQrStatus } from '../events.js';
import type { Lang, Translation } from '../translations/index.js';
import { qrTranslations, type QrTranslation } from '../translations/qr.js';
import { encode, type QrSymbol } from './encoder.js';
import { formatTimeLeft, isTimeLeftMilestone } from './time-left.js';

export interface QrAttemptOptions {
  client(): PayQrClient;
  orderId(): string;
  /** the `scene` attribute, when it names a scene */
  sceneOverride(): Scene | undefined;
  /** server time, epoch ms */
  now(): number;
  timers: Timers;
  /** the order might have changed (creating failed, a wallet said it paid): ask the server now */
  onFailure(): void;
  /** Lit's `html` from the main bundle (a chunk that imported Lit would carry a second copy) */
  html?: typeof litHtml;
  /** the order as the server last sent it (`channelsByScene` says what each scene can pay) */
  order?(): Order | undefined;
  /** the formatted amount, for the code's accessible name */
  amount?(): string;
  /** where the widget runs; default: a desktop */
  environment?: Environment;
  /** the widget's language, for this side's own texts (translations/qr.ts); default zh-CN */
  lang?(): Lang;
  /** the `buyerId` property (`buyer-id`): the payer's Alipay user id, for Alipay's bridge */
  buyerId?(): string | undefined;
}

/** The attempt side's part of the widget's status, while the order is open and payable. */
export type AttemptStatus = Extract<
  PayQrStatus,
  'choose' | 'creating' | 'failed' | 'scan' | 'qr-expired' | 'redirecting' | 'paying' | 'confirming' | 'handoff'
>;

/**
 * The attempt side as the `<pay-qr>` host uses it: declared state it reads, declared inputs it
 * gives, and the parts of the card it asks for. Nothing else of the controller is the host's.
 */
export interface AttemptSide extends ReactiveController {
  /** its part of the status: `choose` until the payer picks a channel, then the attempt's */
  readonly status: AttemptStatus;
  /** the channel of the attempt being made or shown */
  readonly channel: Channel | undefined;
  /** the attempt shown (as the server last described it) */
  readonly attempt: Attempt | undefined;
  /** why it is `failed` (`code` when the server or the wallet gave one) */
  readonly error: Error | undefined;
  /** what the live region says about the time left ('' when nothing new) */
  readonly note: string;
  /** input: the card shows the attempt side (the order is open and payable); the countdown runs only then */
  active: boolean;
  /** Opens a new attempt for `channel`; the server closes the previous one. */
  create(channel: Channel): Promise<void>;
  /** The order's current attempt as the server sent it (take its news, or resume it). */
  adopt(attempt: unknown): void;
  /** Forget the attempt (another order, endpoint or secret). */
  reset(): void;
  /** the stage for its status (undefined: the host's spinner) */
  stage(t: Translation): TemplateResult | undefined;
  /** the status line for its status (undefined: the host's text for the status) */
  text(t: Translation): string | undefined;
}

/** What the payer adds to the attempt (WeChat `openid`, Alipay `buyerId`); `false`: not possible now. */
export type PayerFields = Record<string, string> | false;

export class QrAttemptController implements AttemptSide {
  channel: Channel | undefined;
  attempt: Attempt | undefined;
  /** the attempt's code, drawn */
  symbol: QrSymbol | undefined;
  error: Error | undefined;
  active = false;
  note = '';

  protected readonly host: ReactiveControllerHost;
  protected readonly options: QrAttemptOptions;
  /** the POST on the wire */
  #creating: AbortController | undefined;
  #deadline: number | undefined;
  #tick: unknown;
  #connected = false;
  /** the time left (whole seconds) last announced */
  #noteAt = 0;

  constructor(host: ReactiveControllerHost, options: QrAttemptOptions) {
    this.host = host;
    this.options = options;
    host.addController(this);
  }

  /**
   * Its part of the status. Only an attempt deadline earlier than the order's turns into
   * "regenerate" (`qr-expired`): past the order's own deadline the server has the last word
   * (a last-second payment may still land), so the code stays `scan` while that is checked.
   */
  get status(): AttemptStatus {
    const a = this.attempt;
    if (this.#creating) return 'creating';
    if (this.error || a?.status === 'failed') return 'failed';
    const phase = this.phase;
    if (phase) return phase;
    if (!a) return 'choose';
    const code = this.#codeDeadline!;
    return a.status === 'closed' || (code < this.#orderDeadline && this.options.now() >= code) ? 'qr-expired' : 'scan';
  }

  /** A status of the attempt side's own (the in-app side's `paying`, `confirming` …); none here. */
  protected get phase(): AttemptStatus | undefined {
    return undefined;
  }

  /** the order's deadline (server time, epoch ms) */
  get #orderDeadline(): number {
    const order = this.options.order?.();
    return order ? Date.parse(order.expiresAt) : Infinity;
  }

  /** the code's deadline: its own, or the order's when that comes first */
  get #codeDeadline(): number | undefined {
    const a = this.attempt;
    return a && Math.min(Date.parse(a.expiresAt), this.#orderDeadline);
  }

  /** the order's deadline passed and the server has not had its last word: "checking…" instead of the code */
  protected get checking(): boolean {
    return this.options.now() >= this.#orderDeadline;
  }

  /** Opens a new attempt for `channel`; the server closes the previous one. */
  async create(channel: Channel): Promise<void> {
    const o = this.options;
    this.reset();
    const run = new AbortController();
    this.#creating = run;
    this.channel = channel;
    this.host.requestUpdate();
    try {
      const scene = this.sceneFor(channel);
      const payer = this.payerFor(channel, scene);
      if (payer) {
        const attempt = await createAttempt(o.client(), o.orderId(), { channel, scene, ...payer }, run.signal);
        if (run !== this.#creating) return;
        this.show(attempt);
      }
    } catch (error) {
      if (run !== this.#creating) return;
      this.error = error as Error;
      o.onFailure();
    }
    this.#creating = undefined;
    this.host.requestUpdate();
  }

  /** Scenes this side can carry out. */
  protected get scenes(): ReadonlySet<Scene> {
    return QR_ONLY;
  }

  protected sceneFor(channel: Channel, more?: Partial<SceneRequest>): Scene {
    return resolveScene({
      environment: this.options.environment ?? { app: undefined, mobile: false },
      channel,
      override: this.options.sceneOverride(),
      implemented: this.scenes,
      ...more,
    });
  }

  /** Extra fields of the attempt for this payer, or `false` when it cannot be created now. */
  protected payerFor(_channel: Channel, _scene: Scene): PayerFields {
    return {};
  }

  /**
   * The order's `attempt` is the server's current one. Ours: take its newer status (a
   * decline shows up here). None of ours yet: resume a pending QR attempt, so a reload shows
   * the same code instead of opening another attempt. A malformed one is ignored.
   */
  adopt(value: unknown): void {
    const current = parseAttempt(value);
    if (!current) return;
    if (current.id === this.attempt?.id) {
      this.attempt = { ...this.attempt, ...current };
    } else if (!this.attempt && !this.#creating && current.status === 'pending' && this.resumable(current)) {
      this.channel = current.channel;
      this.show(current);
    }
  }

  protected resumable(attempt: Attempt): boolean {
    return attempt.scene === 'qr' && !!attempt.qr;
  }

  reset(): void {
    this.#creating?.abort();
    this.#creating = this.channel = this.attempt = this.symbol = this.error = undefined;
  }

  /** The code is drawn before the attempt counts as shown: one that cannot be drawn is a failure. */
  protected show(attempt: Attempt): void {
    try {
      if (!attempt.qr) throw new Error(`Attempt ${attempt.id} came back without qr.content`);
      this.symbol = encode(attempt.qr.content);
      this.attempt = attempt;
    } catch (error) {
      this.error = error as Error;
    }
  }

  /** this side's texts in the widget's language */
  protected get texts(): QrTranslation {
    return qrTranslations[this.options.lang?.() ?? 'zh-CN'];
  }

  /** What the live region says at a milestone of the time left (`seconds`, see `milestone`). */
  announcement(seconds: number): string {
    return this.texts.timeLeftAnnouncement(Math.floor(seconds / 60), seconds % 60);
  }

  /** The stage for `creating`, `scan` and `qr-expired` (undefined: the host's spinner). */
  stage(t: Translation): TemplateResult | undefined {
    const html = this.options.html;
    const symbol = this.symbol;
    const q = this.texts;
    const status = this.status;
    if (!html) return undefined;
    if (status === 'qr-expired')
      return html`<div part="stage" class="stage">
        <button part="regenerate" class="action" type="button" @click=${() => this.channel && this.create(this.channel)}>${q.regenerate}</button>
      </div>`;
    if (status !== 'scan' || !symbol || this.checking) return undefined;
    return html`<div part="stage" class="stage">${this.code(html, t, symbol)}</div>
      <p part="countdown" class="countdown">${q.timeLeft}<span role="timer" aria-label=${q.timeLeft}>${this.timeLeft}</span></p>`;
  }

  /** the drawn code, `role="img"` with the channel and amount as its name */
  protected code(html: typeof litHtml, t: Translation, symbol: QrSymbol): TemplateResult {
    return html`<div
      part="qr"
      class="qr"
      role="img"
      aria-label=${this.label(t)}
      data-qr-content=${symbol.content}
    ><svg viewBox="0 0 ${symbol.size} ${symbol.size}" shape-rendering="crispEdges" aria-hidden="true"><path d=${symbol.path}></path></svg></div>`;
  }

  /** the code's accessible name: channel and amount */
  protected label(t: Translation): string {
    return this.texts.qrLabel(t.channels[this.attempt!.channel], this.options.amount?.() ?? '');
  }

  /** The status line while the code is shown or once it expired (undefined: the host's text for the status). */
  text(_t: Translation): string | undefined {
    const q = this.texts;
    const status = this.status;
    if (status === 'qr-expired') return q.qrExpired;
    return status === 'scan' && !this.checking ? q.scan(q.apps[this.attempt!.channel]) : undefined;
  }

  /** ms until the code expires, never negative */
  get remaining(): number {
    return Math.max(0, (this.#deadline ?? 0) - this.options.now());
  }

  /** "04:59" */
  get timeLeft(): string {
    return formatTimeLeft(this.remaining);
  }

  /** whole seconds left when that is worth announcing (each minute, 30 s, 10 s), else 0 */
  get milestone(): number {
    const seconds = Math.ceil(this.remaining / 1000);
    return isTimeLeftMilestone(seconds) ? seconds : 0;
  }

  /**
   * Before each render of the host: the countdown runs to the code's deadline while the card
   * shows the code, and the live region gets a line at each milestone of the time left.
   */
  hostUpdate(): void {
    const deadline = this.active && this.status === 'scan' ? this.#codeDeadline : undefined;
    if (deadline !== this.#deadline) {
      this.#deadline = deadline;
      this.#schedule();
    }
    // no deadline: no time left, no milestone
    const left = this.milestone;
    if (!deadline) this.note = '';
    else if (left && left !== this.#noteAt) this.note = this.announcement((this.#noteAt = left));
  }

  hostConnected(): void {
    this.#connected = true;
    this.#schedule();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#schedule();
  }

  /** Re-render on the second boundaries of the time left, so "04:59" turns when it should. */
  #schedule(): void {
    const t = this.options.timers;
    t.clearTimeout(this.#tick);
    const left = this.remaining;
    if (!this.#connected || this.#deadline === undefined || left <= 0) return;
    this.#tick = t.setTimeout(() => {
      this.host.requestUpdate();
      this.#schedule();
    }, left % 1000 || 1000);
  }
}

const QR_ONLY: ReadonlySet<Scene> = new Set(['qr']);

export default QrAttemptController;
