/**
 * The parts of `verifyNotification` that are the same for every connector that receives signed
 * field maps: reading the body into fields, the order of the steps (decode → parse → verify on
 * the map as received → read), and the verdicts for a signature that does not verify or signed
 * fields that cannot be used. Which fields are signed how, and what they mean, stays in each
 * provider's folder.
 */
import { parseForm } from '../core/form';
import type { Logger } from '../core/log';
import { dataObject, isJsonObject, JsonSyntaxError, parseJson } from '../core/strict-json';
import type { NotificationVerdict, ProviderPaymentStatus, RawNotification } from './types';

/**
 * A JSON object's string view, for reading its fields: a string stays as it is, a number or a
 * boolean becomes its text, an object its JSON; null and undefined are left out. A null-prototype
 * map, like every map of outside fields (core/form.ts).
 */
export function stringFields(obj: Readonly<Record<string, unknown>>): Record<string, string> {
  const fields = dataObject<string>();
  for (const [k, v] of Object.entries(obj)) {
    if (v === null || v === undefined) continue;
    fields[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return fields;
}

/**
 * A notification body posted as a form (`application/x-www-form-urlencoded`: chaoying's example
 * `bank_type=CFT&mch_id=…` in docs/providers/chaoying.md, umf-sp per docs/providers/umf-sp.md),
 * values URL-decoded. A JSON object body is accepted too (some 超赢 deployments are reported to
 * post JSON; assumed, harmless since the signature decides). Read with the strict readers
 * (core/form.ts, core/strict-json.ts): a field that appears twice is refused — which copy was
 * signed would be ambiguous — and a field named `__proto__` stays a field, so the signature
 * check sees it.
 */
export function parseNotificationBody(text: string): { map: Record<string, string> } | { malformed: string } {
  const trimmed = text.trim();
  if (!trimmed) return { malformed: 'empty body' };
  if (trimmed.startsWith('{')) {
    let obj;
    try {
      obj = parseJson(trimmed);
    } catch (e) {
      if (e instanceof JsonSyntaxError) return { malformed: `body starts like JSON but is not JSON: ${e.message}` };
      throw e;
    }
    if (!isJsonObject(obj)) return { malformed: 'JSON body is not an object' };
    return { map: stringFields(obj) };
  }
  const form = parseForm(trimmed);
  if (!form.ok) return { malformed: form.reason };
  if (!Object.keys(form.fields).length) return { malformed: 'no fields' };
  return { map: form.fields };
}

/**
 * The fields a signature covers, for reading after it verified: every field but the empty ones.
 * Each signing provider drops empty values from its signed string (docs/providers/README.md
 * "Signatures"), so an empty field is "not sent" — a reader must never see one the signature did
 * not vouch for. Every non-empty field is covered: one more makes the signature fail.
 */
export function signedFields(map: Readonly<Record<string, string>>): Record<string, string> {
  const out = dataObject<string>();
  for (const [k, v] of Object.entries(map)) if (v !== '') out[k] = v;
  return out;
}

/** What a notification whose signature did not verify is told, filed under the order it claims. */
export function signatureRejected(
  signature: 'missing' | 'invalid',
  outTradeNo: string | undefined,
  detail: { missing: string; invalid: string } = { missing: 'no sign field', invalid: 'sign does not match the fields received' },
): NotificationVerdict {
  return {
    ok: false,
    reason: signature === 'missing' ? 'missing_signature' : 'bad_signature',
    detail: signature === 'missing' ? detail.missing : detail.invalid,
    ...(outTradeNo ? { outTradeNo } : {}),
  };
}

/** A notification whose signature verified but whose fields cannot be used. */
export function signedButUnusable(detail: string, outTradeNo: string | undefined): NotificationVerdict {
  return { ok: false, reason: 'malformed', detail, ...(outTradeNo ? { outTradeNo } : {}) };
}

/** A provider's own steps for {@link verifySignedNotification}. */
export interface SignedNotificationSteps<P> {
  /** the body's fields, or why there are none */
  parse(text: string): P | { malformed: string };
  /** the order number it claims (unverified: only to file a rejection under it) */
  claimedOrder(parsed: P): string | undefined;
  /** the signature, checked on the fields exactly as received */
  verify(parsed: P): 'valid' | 'missing' | 'invalid';
  /** the signed fields → our status, or why they cannot be used */
  read(parsed: P): { status: ProviderPaymentStatus } | { malformed: string };
}

/**
 * A signed notification, step by step: UTF-8 body → fields → signature → status. Nothing is
 * believed before the signature verified; a body that cannot be read is `malformed`, never a throw.
 */
export function verifySignedNotification<P extends object>(raw: RawNotification, log: Logger, steps: SignedNotificationSteps<P>): NotificationVerdict {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(raw.body);
    const parsed = steps.parse(text);
    if ('malformed' in parsed) return { ok: false, reason: 'malformed', detail: parsed.malformed };
    const outTradeNo = steps.claimedOrder(parsed);
    const signature = steps.verify(parsed);
    if (signature !== 'valid') {
      log.warn('rejected', { outTradeNo, signature });
      return signatureRejected(signature, outTradeNo);
    }
    const result = steps.read(parsed);
    if ('malformed' in result) {
      log.warn('signed but unusable', { outTradeNo, detail: result.malformed });
      return signedButUnusable(result.malformed, outTradeNo);
    }
    log.info('verified', { outTradeNo: result.status.outTradeNo, state: result.status.state });
    return { ok: true, trust: 'signed', status: result.status };
  } catch (e) {
    return { ok: false, reason: 'malformed', detail: `unreadable notification: ${(e as Error).message}` };
  }
}
