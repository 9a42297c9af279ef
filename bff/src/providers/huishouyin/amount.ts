/**
 * 汇收银's money is yuan with up to two decimals (docs/providers/huishouyin.md "Money": `total_amount`
 * "订单总金额" in the request example `11.00`; `total_amount`/`payable_amount`/`real_amount` typed
 * double in the answer, example `11.0`). PayQR's money is integer fen. Both directions are exact
 * string arithmetic (core/money.ts), never a floating-point multiplication.
 */
import { decimalToMinor, MAX_MINOR_AMOUNT, minorToDecimalString } from '../../core/money';
import { JsonNumberText } from '../../core/strict-json';

/** 1100 → "11.00", 1 → "0.01". Refuses anything but a positive safe integer within MAX_MINOR_AMOUNT. */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen <= 0 || fen > MAX_MINOR_AMOUNT) throw new Error(`not a positive amount of fen: ${fen}`);
  return minorToDecimalString(fen, 'CNY');
}

/** Strict form of a yuan amount on the wire: no sign, no exponent, no leading zeros, ≤ 2 decimals. */
export const YUAN_TEXT = /^(?:0|[1-9]\d*)(?:\.\d{1,2})?$/;

/**
 * A yuan amount as received → fen, exactly; `undefined` when it is not one.
 *
 * - a string (`"11.00"`, `"11"`, `"0.01"`), or a JSON number's exact text ({@link JsonNumberText}:
 *   `11.0`, `9`, `0.82`): read digit by digit; trailing zeros beyond two decimals are harmless
 *   (`11.000`), a third significant decimal is not (`19.999` → undefined);
 * - a JS number (only when some caller had to use `JSON.parse`): accepted through its shortest
 *   decimal text, which is exact for a literal with ≤ 2 decimals — but a double cannot say
 *   whether the literal was `19.99` or `19.990000000000000001`, so the exact text is preferred.
 *
 * Negative amounts, exponents (`1e3`), `NaN`, empty text and amounts above MAX_MINOR_AMOUNT fen
 * are refused.
 */
export function yuanToFen(value: string | JsonNumberText | number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value instanceof JsonNumberText ? value.text : value;
  if (typeof v === 'string' && !/^\d+(?:\.\d+)?$/.test(v)) return undefined;
  try {
    const fen = decimalToMinor(v, 'CNY');
    return fen <= MAX_MINOR_AMOUNT ? fen : undefined;
  } catch {
    return undefined;
  }
}
