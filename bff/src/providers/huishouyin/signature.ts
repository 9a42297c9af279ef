/**
 * 汇收银 MD5 signature — ASSUMED. This is the single place the rule lives.
 *
 * 汇收银's document only links "签名规则 (/main/sign)" and shows a 32-character `sign`; the rule
 * itself is not published with it. docs/providers/huishouyin.md "What we assumed" (the weakest
 * documentation of the five) reads it as:
 *
 *   1. add `app_sercet` (sic, the provider's spelling) = the app secret to the parameters;
 *   2. drop `sign`, `sign_type` and every empty value (`""`, `null`; `"0"` is kept);
 *   3. sort the keys in ASCII order, join `k=v` with `&` (raw values, UTF-8);
 *   4. sign = MD5 of that string, upper-case hex.
 *
 * Assumed on top of that (nested store_info/goods_list are signed as their compact JSON text):
 * an object/array value is rendered as compact JSON — exactly the text
 * that goes on the wire for it (core/strict-json.ts: no whitespace, numbers as their literal text).
 * A JSON number is signed as its literal text (`11.00`, never `11`).
 *
 * If 汇收银 turns out to sign differently, this file (and its golden vectors) is what changes.
 */
import { canonicalString } from '../../crypto/canonical';
import { md5UpperHex, timingSafeEqualString } from '../../crypto/digest';
import { dataObject, isJsonObject, JsonNumberText, stringifyExactJson, type ExactJsonObject, type JsonWritable } from '../../core/strict-json';

/** The secret's field name in the signed string, spelled as 汇收银 spells it. */
export const HUISHOUYIN_SECRET_FIELD = 'app_sercet';
/** Never part of the signed string. */
export const HUISHOUYIN_UNSIGNED_FIELDS = ['sign', 'sign_type'] as const;

export type HuishouyinFields = Readonly<Record<string, JsonWritable>>;

/** A field's value as it appears in the signed string; `undefined` = dropped. */
function signedText(v: JsonWritable): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof JsonNumberText) return v.text;
  return stringifyExactJson(v);
}

/**
 * The exact string that is MD5-hashed, secret included: never log or print it as is (the
 * signing tool prints it with the secret replaced by a placeholder, see module.ts).
 * A received field named `app_sercet` cannot smuggle its own secret in: ours replaces it here,
 * and verification refuses a message that carries one (see below).
 */
export function huishouyinStringToHash(fields: HuishouyinFields, appSecret: string): string {
  const rendered = dataObject<string | undefined>();
  for (const [k, v] of Object.entries(fields)) rendered[k] = signedText(v);
  rendered[HUISHOUYIN_SECRET_FIELD] = appSecret;
  return canonicalString(rendered, { order: 'ascii', signatureFields: HUISHOUYIN_UNSIGNED_FIELDS });
}

export function huishouyinSign(fields: HuishouyinFields, appSecret: string): string {
  return md5UpperHex(huishouyinStringToHash(fields, appSecret));
}

export type HuishouyinSignatureCheck = 'valid' | 'missing' | 'invalid';

/**
 * Verifies the `sign` of a field map as received (numbers as their literal text). Missing or
 * empty → `missing` (a failed verification); compared in constant time, hex case ignored.
 * A received `app_sercet` is `invalid` whatever it holds: the secret never travels, and in the
 * signed string ours takes its place, so the field would be one the signature does not cover.
 */
export function verifyHuishouyinSign(fields: HuishouyinFields, appSecret: string): HuishouyinSignatureCheck {
  const received = fields.sign;
  if (received === undefined || received === null || received === '') return 'missing';
  if (typeof received !== 'string' || Object.hasOwn(fields, HUISHOUYIN_SECRET_FIELD)) return 'invalid';
  return timingSafeEqualString(received.toUpperCase(), huishouyinSign(fields, appSecret)) ? 'valid' : 'invalid';
}

export type HuishouyinAnswerSignature = 'valid' | 'unsigned' | 'invalid';

/**
 * An answer `{code, msg, data}`. The seed's answers carry no `sign` at all, so "unsigned" is the
 * normal case (the connector relies on the channel then, see connector.ts). Should an answer be
 * signed, it is verified with the same rule: a top-level `sign` covers the top-level members
 * (`data` as its compact JSON), a `sign` inside `data` covers `data`'s members. A signature that
 * is present and wrong is never ignored.
 */
export function verifyHuishouyinAnswer(answer: ExactJsonObject, appSecret: string): HuishouyinAnswerSignature {
  // An empty or null `sign` is no signature (some gateways print the member on unsigned errors).
  const signed = (o: ExactJsonObject) => Object.hasOwn(o, 'sign') && o.sign !== '' && o.sign !== null;
  const checks: HuishouyinSignatureCheck[] = [];
  if (signed(answer)) checks.push(verifyHuishouyinSign(answer, appSecret));
  const data = answer.data;
  if (isJsonObject(data) && signed(data)) checks.push(verifyHuishouyinSign(data, appSecret));
  if (!checks.length) return 'unsigned';
  return checks.every((c) => c === 'valid') ? 'valid' : 'invalid';
}
