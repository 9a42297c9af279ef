/**
 * Keyboard-wedge barcode scanners "type" the code they read: a burst of digit keys a few
 * milliseconds apart, then Enter. A person types the same keys 100–300 ms apart. The detector
 * tells them apart by timing alone: a scan is at least `minLength` digits, then Enter, at an
 * average of at most `meanGapMs` per key (the Enter's gap included). One late key does not spoil a
 * burst — the browser can hold a single key back by 100 ms or more while its main thread is busy
 * (measured: Playwright's 5 ms key bursts under CPU load show single gaps of 60–180 ms at
 * averages of 9–35 ms) — but a pause longer than `maxGapMs` starts a new burst with the next
 * key. Any other key (letters, Backspace, Tab …) throws the burst away; modifier keys are ignored,
 * since some scanners press Shift around what they send. 16 digits at ≤ 40 ms each is 25 keys a
 * second: beyond any person.
 */
export interface WedgeOptions {
  /** fewest digits a payer's code has (Alipay's shortest is 16) */
  minLength?: number;
  /** the largest average gap between the keys of one scan, in ms */
  meanGapMs?: number;
  /** a longer pause than this ends a burst, in ms */
  maxGapMs?: number;
}

export const WEDGE_DEFAULTS = { minLength: 16, meanGapMs: 40, maxGapMs: 200 } as const;

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'NumLock']);

export class WedgeDetector {
  readonly minLength: number;
  readonly meanGapMs: number;
  readonly maxGapMs: number;
  #digits = '';
  /** when the burst's first and latest keys came */
  #first = 0;
  #last = -Infinity;

  constructor(options: WedgeOptions = {}) {
    this.minLength = options.minLength ?? WEDGE_DEFAULTS.minLength;
    this.meanGapMs = options.meanGapMs ?? WEDGE_DEFAULTS.meanGapMs;
    this.maxGapMs = options.maxGapMs ?? WEDGE_DEFAULTS.maxGapMs;
  }

  /**
   * One `keydown`'s `key` at time `at` (ms, any monotonic clock). Returns the code when this
   * key is the Enter that ends a scanner's burst; otherwise undefined.
   */
  key(key: string, at: number): string | undefined {
    if (MODIFIERS.has(key)) return undefined;
    const within = at - this.#last <= this.maxGapMs;
    this.#last = at;
    if (/^\d$/.test(key)) {
      if (!within || !this.#digits) {
        this.#digits = '';
        this.#first = at;
      }
      this.#digits += key;
      return undefined;
    }
    const digits = this.#digits;
    const fast = within && (at - this.#first) / digits.length <= this.meanGapMs;
    this.reset();
    return key === 'Enter' && digits.length >= this.minLength && fast ? digits : undefined;
  }

  reset(): void {
    this.#digits = '';
    this.#last = -Infinity;
  }
}
