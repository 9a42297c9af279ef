/**
 * Keyboard-wedge barcode scanners "type" the code they read: a burst of digit keys a few
 * milliseconds apart, then Enter. A person types the same keys 100–300 ms apart. The detector
 * tells them apart by timing alone: a scan is at least `minLength` digits in which every gap,
 * the one before Enter included, is at most `maxGapMs`. A slow key starts the burst afresh;
 * any other key (letters, Backspace, Tab …) throws it away. Modifier keys are ignored, since
 * some scanners press Shift around what they send.
 */
export interface WedgeOptions {
  /** fewest digits a payer's code has (Alipay's shortest is 16) */
  minLength?: number;
  /** longest gap between two keys of one scan, in ms */
  maxGapMs?: number;
}

export const WEDGE_DEFAULTS = { minLength: 16, maxGapMs: 50 } as const;

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'NumLock']);

export class WedgeDetector {
  readonly minLength: number;
  readonly maxGapMs: number;
  #digits = '';
  #last = -Infinity;

  constructor(options: WedgeOptions = {}) {
    this.minLength = options.minLength ?? WEDGE_DEFAULTS.minLength;
    this.maxGapMs = options.maxGapMs ?? WEDGE_DEFAULTS.maxGapMs;
  }

  /**
   * One `keydown`'s `key` at time `at` (ms, any monotonic clock). Returns the code when this
   * key is the Enter that ends a scanner's burst; otherwise undefined.
   */
  key(key: string, at: number): string | undefined {
    if (MODIFIERS.has(key)) return undefined;
    const fast = at - this.#last <= this.maxGapMs;
    this.#last = at;
    if (/^\d$/.test(key)) {
      this.#digits = fast ? this.#digits + key : key;
      return undefined;
    }
    const digits = this.#digits;
    this.reset();
    return key === 'Enter' && fast && digits.length >= this.minLength ? digits : undefined;
  }

  /** true while a burst is under way (its Enter may still come) */
  get collecting(): boolean {
    return this.#digits.length > 0;
  }

  reset(): void {
    this.#digits = '';
    this.#last = -Infinity;
  }
}
