/**
 * Money inside PayQR is always an integer count of the currency's minor unit (fen for CNY,
 * yen for JPY). Conversion to a provider's wire form happens only at that provider's edge,
 * with the exact string helpers below — never through floating point.
 */
import { z } from 'zod';

/** ISO 4217 minor-unit exponents for the currencies our providers settle in. */
const MINOR_UNITS: Readonly<Record<string, number>> = {
  CNY: 2, HKD: 2, MOP: 2, TWD: 2, USD: 2, EUR: 2, GBP: 2, AUD: 2, CAD: 2, NZD: 2, SGD: 2,
  THB: 2, MYR: 2, PHP: 2, CHF: 2, SEK: 2, NOK: 2, DKK: 2, AED: 2,
  JPY: 0, KRW: 0, VND: 0, IDR: 0,
};

export const SUPPORTED_CURRENCIES = Object.freeze(Object.keys(MINOR_UNITS));

export interface Money {
  /** integer minor units, > 0 */
  readonly amount: number;
  /** ISO 4217, upper case */
  readonly currency: string;
}

export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 code in capitals, e.g. "CNY"')
  .refine((c) => c in MINOR_UNITS, { message: `one of ${SUPPORTED_CURRENCIES.join(', ')}` });

/** Largest amount we accept: 13 digits (UMF's `amount` length) and far inside 2^53. */
export const MAX_MINOR_AMOUNT = 9_999_999_999_999;

export const minorAmountSchema = z
  .number()
  .int('an integer number of minor units (fen), e.g. 1999 for ¥19.99')
  .positive('greater than zero')
  .max(MAX_MINOR_AMOUNT, `at most ${MAX_MINOR_AMOUNT}`);

export function minorUnitExponent(currency: string): number {
  const e = MINOR_UNITS[currency];
  if (e === undefined) throw new Error(`unsupported currency ${currency}`);
  return e;
}

/**
 * 1100 CNY → "11.00"; 5 CNY → "0.05"; 2000 JPY → "2000". Exact string arithmetic.
 */
export function minorToDecimalString(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new Error(`not a minor-unit amount: ${amount}`);
  const exp = minorUnitExponent(currency);
  if (exp === 0) return String(amount);
  const digits = String(amount).padStart(exp + 1, '0');
  return `${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}

/**
 * "11.00" / "11" / "11.5" / 11 (a JSON number as the provider sent it) → 1100 for CNY.
 * Rejects more decimals than the currency has and anything that is not a plain decimal.
 * JSON numbers are accepted only through their shortest decimal text, which is exact for
 * every amount with ≤ 2 decimals below 2^53 / 100.
 */
export function decimalToMinor(value: string | number, currency: string): number {
  const text = typeof value === 'number' ? numberToPlainText(value) : value.trim();
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`not a decimal amount: ${JSON.stringify(value)}`);
  const exp = minorUnitExponent(currency);
  const whole = m[1] ?? '0';
  let frac = m[2] ?? '';
  // Trailing zeros beyond the exponent are harmless ("11.000"); significant digits are not.
  while (frac.length > exp && frac.endsWith('0')) frac = frac.slice(0, -1);
  if (frac.length > exp) throw new Error(`${JSON.stringify(value)} has more than ${exp} decimals for ${currency}`);
  const minor = Number(whole + frac.padEnd(exp, '0'));
  if (!Number.isSafeInteger(minor)) throw new Error(`amount out of range: ${JSON.stringify(value)}`);
  return minor;
}

function numberToPlainText(n: number): string {
  if (!Number.isFinite(n) || n < 0) throw new Error(`not a decimal amount: ${n}`);
  const s = String(n);
  if (/e/i.test(s)) throw new Error(`amount out of range: ${n}`);
  return s;
}

/** A person-readable amount for logs and the demo, e.g. "¥19.99" or "JPY 2000". */
export function formatMoney(m: Money): string {
  const text = minorToDecimalString(m.amount, m.currency);
  return m.currency === 'CNY' ? `¥${text}` : `${m.currency} ${text}`;
}
