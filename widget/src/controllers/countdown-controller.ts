/**
 * Re-renders the host once a second while a deadline is pending, on the second boundaries of
 * the time left (so "04:59" changes when it should, not up to a second late).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { globalTimers, type Timers } from './timers.js';

export class CountdownController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #now: () => number;
  readonly #timers: Timers;
  #deadline: number | undefined;
  #timer: unknown;
  #connected = false;

  constructor(host: ReactiveControllerHost, now: () => number, timers: Timers = globalTimers) {
    this.#host = host;
    this.#now = now;
    this.#timers = timers;
    host.addController(this);
  }

  /** ms left until the deadline, never negative; undefined without a deadline */
  get remaining(): number | undefined {
    return this.#deadline === undefined ? undefined : Math.max(0, this.#deadline - this.#now());
  }

  /** epoch ms on the `now` clock, or undefined to stop ticking */
  set deadline(value: number | undefined) {
    if (value === this.#deadline) return;
    this.#deadline = value;
    this.#tick();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#tick();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#clear();
  }

  #clear(): void {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    this.#clear();
    const left = this.remaining;
    if (!this.#connected || left === undefined || left <= 0) return;
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = undefined;
      this.#host.requestUpdate();
      this.#tick();
    }, left % 1000 || 1000);
  }
}

/**
 * Screen readers hear the countdown only at milestones: each whole minute, then 30 s and
 * 10 s before the end. Every second would drown everything else out.
 */
export function isAnnouncement(secondsLeft: number): boolean {
  return secondsLeft > 0 && (secondsLeft % 60 === 0 || secondsLeft === 30 || secondsLeft === 10);
}
