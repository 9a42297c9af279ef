import { describe, expect, it } from 'vitest';
import { expiryFor, formatExpiryMinutes, MINUTE_MS, nextBeijingMidnight, parseExpiry, simulatedLapse } from './expiry';

const T0 = Date.UTC(2026, 10, 22, 2, 0, 0); // 10:00 in Beijing
const H = 60 * MINUTE_MS;

describe('expiryFor: the remaining lifetime as a seed expiry string', () => {
  it.each<[string, number, string, string, number]>([
    ['exactly 15 minutes', 15 * MINUTE_MS, 'qr_code_it_b_pay', '15m', 15],
    ['14m30s rounds up', 14.5 * MINUTE_MS, 'qr_code_it_b_pay', '15m', 15],
    ['one millisecond is still a minute', 1, 'qr_code_it_b_pay', '1m', 1],
    ['30 seconds → the 1m minimum', 30_000, 'qr_code_it_b_pay', '1m', 1],
    ['90 minutes stays 90m (never 1.5h)', 90 * MINUTE_MS, 'qr_code_it_b_pay', '90m', 90],
    ['one hour', H, 'qr_code_it_b_pay', '1h', 60],
    ['two hours, the qr_code_it_b_pay maximum', 2 * H, 'qr_code_it_b_pay', '2h', 120],
    ['just over two hours → it_b_pay', 2 * H + 1, 'it_b_pay', '121m', 121],
    ['three hours', 3 * H, 'it_b_pay', '3h', 180],
    ['25 hours', 25 * H, 'it_b_pay', '25h', 1500],
    ['a day', 24 * H, 'it_b_pay', '1d', 1440],
    ['20 days clamps to 15d', 20 * 24 * H, 'it_b_pay', '15d', 21600],
  ])('%s', (_name, remaining, field, value, minutes) => {
    const e = expiryFor(T0, T0 + remaining);
    expect(e).toMatchObject({ field, value, minutes });
    expect(parseExpiry(e.field, e.value)).toEqual({ ok: true, value: { kind: 'minutes', minutes } });
  });

  it('says when the QR lapses at the provider: creation + window, or our expiry + window when counted from the scan', () => {
    expect(expiryFor(T0, T0 + 14.5 * MINUTE_MS).lapsesAt).toBe(T0 + 15 * MINUTE_MS);
    expect(expiryFor(T0, T0 + 3 * H).lapsesAt).toBe(T0 + 3 * H + 3 * H);
  });

  it('refuses an attempt that has already expired', () => {
    expect(() => expiryFor(T0, T0)).toThrow(/already expired/);
    expect(() => expiryFor(T0, T0 - 1)).toThrow(/already expired/);
  });

  it('formats whole minutes in the largest exact unit', () => {
    expect([1, 59, 60, 61, 90, 120, 1439, 1440, 2880, 2900].map(formatExpiryMinutes)).toEqual(['1m', '59m', '1h', '61m', '90m', '2h', '1439m', '1d', '2d', '2900m']);
    expect(() => formatExpiryMinutes(0)).toThrow();
    expect(() => formatExpiryMinutes(1.5)).toThrow();
  });
});

describe('parseExpiry: the seed rules the simulator enforces', () => {
  it.each<[Parameters<typeof parseExpiry>[0], string, number | 'today']>([
    ['it_b_pay', '1m', 1],
    ['it_b_pay', '90m', 90],
    ['it_b_pay', '1d', 1440],
    ['it_b_pay', '15d', 21600],
    ['it_b_pay', '360h', 21600],
    ['it_b_pay', 'c', 'today'],
    ['qr_code_it_b_pay', '1m', 1],
    ['qr_code_it_b_pay', '2h', 120],
    ['qr_code_it_b_pay', '120m', 120],
  ])('accepts %s=%s', (field, text, expected) => {
    expect(parseExpiry(field, text)).toEqual({ ok: true, value: expected === 'today' ? { kind: 'today' } : { kind: 'minutes', minutes: expected } });
  });

  it.each<[Parameters<typeof parseExpiry>[0], string, RegExp]>([
    ['it_b_pay', '1.5h', /小数点被拒绝/],
    ['qr_code_it_b_pay', '0.5h', /小数点被拒绝/],
    ['it_b_pay', '0m', /1m-15d/],
    ['it_b_pay', '16d', /1m-15d/],
    ['it_b_pay', '21601m', /1m-15d/],
    ['qr_code_it_b_pay', '121m', /1m-2h/],
    ['qr_code_it_b_pay', '3h', /1m-2h/],
    ['qr_code_it_b_pay', '1d', /m\/h/],
    ['qr_code_it_b_pay', 'c', /格式错误/],
    ['it_b_pay', '15', /格式错误/],
    ['it_b_pay', 'm', /格式错误/],
    ['it_b_pay', '5M', /格式错误/],
    ['it_b_pay', '1h30m', /格式错误/],
    ['it_b_pay', ' 5m', /格式错误/],
    ['it_b_pay', '00000000001m', /最长10个字符/],
  ])('refuses %s=%s', (field, text, reason) => {
    const r = parseExpiry(field, text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe('sandbox lapse', () => {
  it('qr_code_it_b_pay wins, it_b_pay counts from creation in the sandbox, 3m by default, c at Beijing midnight', () => {
    const m = (minutes: number) => ({ kind: 'minutes' as const, minutes });
    expect(simulatedLapse(T0, { qr_code_it_b_pay: m(10), it_b_pay: m(60) })).toBe(T0 + 10 * MINUTE_MS);
    expect(simulatedLapse(T0, { it_b_pay: m(60) })).toBe(T0 + H);
    expect(simulatedLapse(T0, {})).toBe(T0 + 3 * MINUTE_MS);
    // 10:00 Beijing on 22 Nov → 0:00 Beijing on 23 Nov = 16:00 UTC on 22 Nov
    expect(simulatedLapse(T0, { it_b_pay: { kind: 'today' } })).toBe(Date.UTC(2026, 10, 22, 16, 0, 0));
  });

  it('next Beijing midnight: just before, at, and just after 0:00 GMT+8', () => {
    const midnight = Date.UTC(2026, 10, 22, 16, 0, 0);
    expect(nextBeijingMidnight(midnight - 1)).toBe(midnight);
    expect(nextBeijingMidnight(midnight)).toBe(midnight + 24 * H);
    // 23:30 UTC is already 7:30 the next day in Beijing
    expect(nextBeijingMidnight(Date.UTC(2026, 10, 21, 23, 30))).toBe(midnight);
  });
});
