/** The scanner/person decision (scan/wedge.ts) and the client-side code rules (scan/auth-code.ts). */
import { describe, expect, it } from 'vitest';
import { checkAuthCode, maskAuthCode } from './scan/auth-code.js';
import { WedgeDetector } from './scan/wedge.js';

/** feed `keys` (then Enter) with the given gaps; returns what the Enter produced */
function feed(detector: WedgeDetector, keys: string[], gaps: number | number[], start = 1000): string | undefined {
  let at = start;
  let result: string | undefined;
  keys.forEach((key, i) => {
    at += Array.isArray(gaps) ? (gaps[i] ?? 0) : gaps;
    const r = detector.key(key, at);
    if (r !== undefined) result = r;
  });
  return result;
}
const burst = (code: string) => [...code, 'Enter'];

describe('WedgeDetector', () => {
  const code = '134567890123456700';
  const withGap = (at: number, ms: number, base = 6) => burst(code).map((_, i) => (i === at ? ms : base));

  it('reads a scanner: ≥ 16 digits and Enter, the keys ≤ 40 ms apart', () => {
    expect(feed(new WedgeDetector(), burst(code), 8)).toBe(code);
    expect(feed(new WedgeDetector(), burst('2801234567890123'), 40)).toBe('2801234567890123'); // 16 digits, at the limit
  });

  it('does not read a person: the same keys 41–300 ms apart', () => {
    for (const gap of [41, 80, 120, 190, 300]) expect(feed(new WedgeDetector(), burst(code), gap)).toBeUndefined();
  });

  it('keeps a burst through keys held back (up to half the gaps, each ≤ 1 s), as measured under load', () => {
    expect(feed(new WedgeDetector(), burst(code), withGap(9, 180))).toBe(code);
    expect(feed(new WedgeDetector(), burst(code), withGap(burst(code).length - 1, 518))).toBe(code); // the Enter late
    const measured = [8, 7, 99, 145, 104, 47, 9, 10, 9, 9, 10, 10, 12, 16, 9, 9, 10, 50]; // a real run, 5 slow of 18
    expect(feed(new WedgeDetector(), burst(code), measured)).toBe(code);
    const nine = burst(code).map((_, i) => (i % 2 ? 120 : 6)); // 9 slow of 18
    expect(feed(new WedgeDetector(), burst(code), nine)).toBe(code);
    const ten = burst(code).map((_, i) => (i % 2 || i === 2 ? 120 : 6)); // 10 slow of 18 (the first key has no gap)
    expect(feed(new WedgeDetector(), burst(code), ten)).toBeUndefined();
  });

  it('a pause over 1 s ends the burst: the keys before it are dropped, and a late Enter is no scan', () => {
    expect(feed(new WedgeDetector(), burst(code), withGap(9, 1100))).toBeUndefined();
    expect(feed(new WedgeDetector(), burst(code), withGap(burst(code).length - 1, 1100))).toBeUndefined();
  });

  it('after a pause, a new burst starts with its first key (a person typed "9", then the scanner fired)', () => {
    const d = new WedgeDetector();
    expect(d.key('9', 0)).toBeUndefined();
    expect(feed(d, burst(code), 5, 1500)).toBe(code);
  });

  it('too short, or another key inside: not a scan', () => {
    expect(feed(new WedgeDetector(), burst('123456789012345'), 5)).toBeUndefined();
    expect(feed(new WedgeDetector(), [...'1345678901', 'a', ...'23456700', 'Enter'], 5)).toBeUndefined();
    expect(feed(new WedgeDetector(), [...code, 'Tab'], 5)).toBeUndefined();
  });

  it('ignores modifier keys some scanners press around the digits', () => {
    expect(feed(new WedgeDetector(), ['Shift', ...code, 'Shift', 'Enter'], 5)).toBe(code);
  });

  it('forgets a burst once used, and on reset()', () => {
    const d = new WedgeDetector();
    expect(feed(d, burst(code), 5)).toBe(code);
    expect(d.key('Enter', 1200)).toBeUndefined();
    feed(d, [...code], 5, 2000);
    d.reset();
    expect(d.key('Enter', 2100)).toBeUndefined();
  });

  it('takes its thresholds as options', () => {
    const d = new WedgeDetector({ minLength: 18, fastGapMs: 20, fastShare: 1, maxGapMs: 50 });
    expect(feed(d, burst('2801234567890123'), 5)).toBeUndefined();
    expect(feed(d, burst(code), 25)).toBeUndefined();
    expect(feed(d, burst(code), 20)).toBe(code);
    expect(feed(d, burst(code), withGap(5, 30, 2))).toBeUndefined();
  });
});

describe('checkAuthCode (the server\'s prefix rules, bff/src/core/auth-code.ts)', () => {
  it.each([
    ['134567890123456700', 'wechat'],
    ['104567890123456700', 'wechat'],
    ['154567890123456700', 'wechat'],
    ['2801234567890123', 'alipay'],
    ['250123456789012345678901', 'alipay'],
    ['300123456789012300', 'alipay'],
    ['6212345678901234500', 'unionpay'],
  ])('%s is %s', (code, channel) => {
    expect(checkAuthCode(code)).toEqual({ ok: true, code, channel });
  });

  it.each([
    ['164567890123456700', 'format'], // WeChat starts 10–15
    ['13456789012345670', 'format'], // 17 digits
    ['280123456789012', 'format'], // Alipay ≥ 16
    ['2801234567890123456789012', 'format'], // Alipay ≤ 24
    ['310123456789012300', 'format'], // Alipay starts 25–30
    ['621234567890123450', 'format'], // UnionPay is 19
    ['13456789012345670a', 'digits'],
    ['', 'empty'],
  ])('%s is refused (%s)', (code, problem) => {
    expect(checkAuthCode(code)).toEqual({ ok: false, problem });
  });

  it('drops the spaces and dashes a person types between groups', () => {
    expect(checkAuthCode(' 1345 6789-0123 4567 00 ')).toMatchObject({ ok: true, code: '134567890123456700' });
  });
});

describe('maskAuthCode', () => {
  it('keeps 4 + 4 digits, never the whole code', () => {
    expect(maskAuthCode('134567890123456700')).toBe('1345…6700');
    expect(maskAuthCode('12345678')).toBe('***');
  });
});
