/**
 * One QR attempt at a time: opens it through the BFF, draws its code, counts down to its
 * expiry. This module and the encoder form the lazily loaded chunk, fetched on the payer's
 * first channel choice (or to resume an attempt): the first load stays at the order, the
 * picker and the status. It imports nothing at run time that the main bundle also has, so
 * the chunk stands alone (only types cross over).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { createAttempt, parseAttempt } from '../api/attempts.js';
import type { PayQrClient } from '../api/client.js';
import type { Attempt, Channel, Scene } from '../api/types.js';
import type { Timers } from '../controllers/timers.js';
import { detectEnvironment, resolveScene } from '../controllers/environment.js';
import { encode, type QrSymbol } from './encoder.js';
import { formatTimeLeft, isTimeLeftMilestone } from './time-left.js';

/** Scenes this build can carry out; the wallet bridges will add `jsapi` and `h5`. */
const IMPLEMENTED_SCENES: ReadonlySet<Scene> = new Set(['qr']);

export interface QrAttemptOptions {
  client(): PayQrClient;
  orderId(): string;
  /** the `scene` attribute, when it names a scene */
  sceneOverride(): Scene | undefined;
  /** server time, epoch ms */
  now(): number;
  timers: Timers;
  /** creating failed; the order may have ended meanwhile, so the host asks the server */
  onFailure(): void;
}

export class QrAttemptController implements ReactiveController {
  channel: Channel | undefined;
  attempt: Attempt | undefined;
  /** the attempt's code, drawn */
  symbol: QrSymbol | undefined;
  error: Error | undefined;

  readonly #host: ReactiveControllerHost;
  readonly #options: QrAttemptOptions;
  /** the POST on the wire */
  #creating: AbortController | undefined;
  #deadline: number | undefined;
  #tick: unknown;
  #connected = false;

  constructor(host: ReactiveControllerHost, options: QrAttemptOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  get creating(): boolean {
    return this.#creating !== undefined;
  }

  /** Opens a new attempt for `channel`; the server closes the previous one. */
  async create(channel: Channel): Promise<void> {
    const o = this.#options;
    this.reset();
    const run = new AbortController();
    this.#creating = run;
    this.channel = channel;
    this.#host.requestUpdate();
    try {
      const environment =
        typeof navigator === 'undefined'
          ? { app: undefined, mobile: false }
          : detectEnvironment(navigator.userAgent, navigator.maxTouchPoints);
      const scene = resolveScene({ environment, channel, override: o.sceneOverride(), implemented: IMPLEMENTED_SCENES });
      const attempt = await createAttempt(o.client(), o.orderId(), { channel, scene }, run.signal);
      if (run !== this.#creating) return;
      this.#show(attempt);
    } catch (error) {
      if (run !== this.#creating) return;
      this.error = error as Error;
      o.onFailure();
    }
    this.#creating = undefined;
    this.#host.requestUpdate();
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
    } else if (!this.attempt && !this.#creating && current.status === 'pending' && current.scene === 'qr' && current.qr) {
      this.channel = current.channel;
      this.#show(current);
    }
  }

  reset(): void {
    this.#creating?.abort();
    this.#creating = this.channel = this.attempt = this.symbol = this.error = undefined;
  }

  /** The code is drawn before the attempt counts as shown: one that cannot be drawn is a failure. */
  #show(attempt: Attempt): void {
    try {
      if (!attempt.qr) throw new Error(`Attempt ${attempt.id} came back without qr.content`);
      this.symbol = encode(attempt.qr.content);
      this.attempt = attempt;
    } catch (error) {
      this.error = error as Error;
    }
  }

  /** ms until the code expires, never negative */
  get remaining(): number {
    return Math.max(0, (this.#deadline ?? 0) - this.#options.now());
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

  /** epoch ms (server time) the countdown runs to; undefined stops it */
  set deadline(value: number | undefined) {
    if (value === this.#deadline) return;
    this.#deadline = value;
    this.#schedule();
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
    const t = this.#options.timers;
    t.clearTimeout(this.#tick);
    const left = this.remaining;
    if (!this.#connected || this.#deadline === undefined || left <= 0) return;
    this.#tick = t.setTimeout(() => {
      this.#host.requestUpdate();
      this.#schedule();
    }, left % 1000 || 1000);
  }
}
