/**
 * Amounts arrive as integer minor units (contract.md "Words"). The currency's exponent comes
 * from Intl's ISO 4217 data (CNY 2, JPY 0); the decimal is built as text and handed to Intl
 * as a string, so no amount ever passes through a binary fraction.
 */
export function formatAmount(minor: number, currency: string, locale: string): string {
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' });
  } catch {
    return `${minor} ${currency}`; // not an ISO 4217 code: show what we were given
  }
  const exponent = format.resolvedOptions().maximumFractionDigits ?? 2;
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const decimal = exponent ? `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}` : digits;
  return format.format(`${negative ? '-' : ''}${decimal}` as Intl.StringNumericLiteral);
}
