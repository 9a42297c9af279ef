/**
 * Canonical strings that providers sign (docs/providers/README.md "Signatures").
 *
 * Every provider in this repository signs some variant of the same recipe:
 * drop the signature field(s) and every empty value (`""`, `null`, `undefined` — but keep
 * `"0"` and `0`), sort the keys, render the raw values (no URL encoding: the wire encoding is
 * a transport concern, the signature covers the decoded values), and join.
 *
 * - `k=v&k=v` ({@link canonicalString}): chaoying (MD5 + `&key=`), UMF requests, huishouyin.
 * - values only, `|`-joined ({@link canonicalValuesString}): UMF responses.
 *
 * Always feed these functions the map *as received* (the raw form fields or the raw JSON
 * object), never a re-serialised typed object, so that fields a provider adds later are still
 * covered by the verification.
 */

export type KeyOrder =
  /** byte-wise ASCII order of the key names (the common case, Java `TreeMap` / `ksort`) */
  | 'ascii'
  /**
   * case-insensitive order (chaoying's documented rule); keys that differ only in case
   * fall back to ASCII order so the result is still a total, deterministic order.
   */
  | 'case-insensitive';

export interface CanonicalOptions {
  /** Field(s) holding the signature, dropped before signing. Default `sign`. */
  signatureFields?: readonly string[];
  /** Further fields a provider excludes from the signed string (e.g. `sign_type` for some). */
  exclude?: readonly string[];
  /** Default `ascii`. */
  order?: KeyOrder;
}

/** A value as it goes into the signed string, or `undefined` when the field is dropped. */
export function renderCanonicalValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot sign a non-finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'object') {
    // Nested objects/arrays (goods_detail, terminal_info, store_info …) are signed as the
    // compact JSON text that goes on the wire. Callers that received the JSON as text must
    // pass that text through unchanged instead of a parsed object.
    return JSON.stringify(value);
  }
  throw new Error(`cannot sign a ${typeof value} value`);
}

export function compareKeys(order: KeyOrder): (a: string, b: string) => number {
  const ascii = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  if (order === 'ascii') return ascii;
  return (a, b) => {
    const la = a.toLowerCase();
    const lb = b.toLowerCase();
    return la < lb ? -1 : la > lb ? 1 : ascii(a, b);
  };
}

/** The (key, rendered value) pairs that are signed, in signing order. */
export function canonicalEntries(params: Readonly<Record<string, unknown>>, opts: CanonicalOptions = {}): Array<[string, string]> {
  const drop = new Set([...(opts.signatureFields ?? ['sign']), ...(opts.exclude ?? [])]);
  const entries: Array<[string, string]> = [];
  for (const key of Object.keys(params)) {
    if (drop.has(key)) continue;
    const rendered = renderCanonicalValue(params[key]);
    if (rendered === undefined) continue;
    entries.push([key, rendered]);
  }
  const cmp = compareKeys(opts.order ?? 'ascii');
  entries.sort((a, b) => cmp(a[0], b[0]));
  return entries;
}

/** `a=1&b=2` over the non-empty fields, signature field(s) dropped, keys sorted. */
export function canonicalString(params: Readonly<Record<string, unknown>>, opts: CanonicalOptions = {}): string {
  return canonicalEntries(params, opts)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** `1|2` : the values only, in key order (UMF response signatures). */
export function canonicalValuesString(params: Readonly<Record<string, unknown>>, opts: CanonicalOptions = {}): string {
  return canonicalEntries(params, opts)
    .map(([, v]) => v)
    .join('|');
}
