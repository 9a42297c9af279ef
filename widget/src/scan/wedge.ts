/**
 * Keyboard-wedge barcode scanners "type" the code they read: a burst of digit keys a few
 * milliseconds apart, then Enter. A person types the same keys 100–300 ms apart. The detector
 * tells them apart by timing alone: a scan is at least `minLength` digits, then Enter, where at
 * least `fastShare` (half) of the gaps between keys (the Enter's included) are at most `fastGapMs`:
 * the median gap is a scanner's. Late keys do not spoil a burst — a busy browser, a Bluetooth
 * scanner's radio or a loaded test machine hold keys back (measured: Playwright's 5 ms key bursts
 * on a loaded 2-CPU box show gaps of 9–20 ms with single gaps up to 520 ms and runs of four or five
 * at 50–150 ms) — but a pause longer than `maxGapMs` starts a new burst with the next key. Any other key (letters, Backspace, Tab …) throws the burst away;
 * modifier keys are ignored, since some scanners press Shift around what they send. Half of 16+
 * gaps under 40 ms means bursts of 25 keys a second: beyond a person typing a code (80–300 ms a key).
 */
export interface WedgeOptions {
  /** fewest digits a payer's code has (Alipay's shortest is 16) */
  minLength?: number;
  /** a gap this short (ms) is a scanner's */
  fastGapMs?: number;
  /** the share of a scan's gaps that must be fast */
  fastShare?: number;
  /** a longer pause than this (ms) ends a burst */
  maxGapMs?: number;
}

export const WEDGE_DEFAULTS = { minLength: 16, fastGapMs: 40, fastShare: 0.5, maxGapMs: 1000 } as const;

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'NumLock']);

export class WedgeDetector {
  readonly minLength: number;
  readonly fastGapMs: number;
  readonly fastShare: number;
  readonly maxGapMs: number;
  #digits = '';
  /** how many gaps of the burst so far were fast */
  #fast = 0;
  #last = -Infinity;

  constructor(options: WedgeOptions = {}) {
    this.minLength = options.minLength ?? WEDGE_DEFAULTS.minLength;
    this.fastGapMs = options.fastGapMs ?? WEDGE_DEFAULTS.fastGapMs;
    this.fastShare = options.fastShare ?? WEDGE_DEFAULTS.fastShare;
    this.maxGapMs = options.maxGapMs ?? WEDGE_DEFAULTS.maxGapMs;
  }

  /**
   * One `keydown`'s `key` at time `at` (ms, any monotonic clock). Returns the code when this
   * key is the Enter that ends a scanner's burst; otherwise undefined.
   */
  key(key: string, at: number): string | undefined {
    if (MODIFIERS.has(key)) return undefined;
    const gap = at - this.#last;
    this.#last = at;
    const fast = this.#digits && gap <= this.fastGapMs ? 1 : 0;
    if (/^\d$/.test(key)) {
      if (gap > this.maxGapMs) this.#digits = '';
      this.#fast = this.#digits ? this.#fast + fast : 0;
      this.#digits += key;
      return undefined;
    }
    const digits = this.#digits;
    const fastGaps = this.#fast + fast;
    this.reset();
    // n digits and Enter: n gaps
    return key === 'Enter' && gap <= this.maxGapMs && digits.length >= this.minLength && fastGaps >= digits.length * this.fastShare
      ? digits
      : undefined;
  }

  reset(): void {
    this.#digits = '';
    this.#fast = 0;
    this.#last = -Infinity;
  }
}
