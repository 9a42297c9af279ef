/**
 * Amounts arrive as integer minor units (the README's "Server API"). The currency's exponent comes
 * from Intl's ISO 4217 data (CNY 2, JPY 0), and the amount goes to Intl as the decimal string
 * "1999E-2", which Intl reads exactly: no amount passes through a binary fraction.
 */
export function formatAmount(minor: number, currency: string, locale: string): string {
  try {
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' });
    return format.format(`${minor}E-${format.resolvedOptions().maximumFractionDigits ?? 2}` as Intl.StringNumericLiteral);
  } catch {
    return `${minor} ${currency}`; // not an ISO 4217 code: show what we were given
  }
}
