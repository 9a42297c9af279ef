/**
 * The parts of `verifyNotification` that are the same for every connector that receives signed
 * field maps: reading the body into fields, the order of the steps (decode → parse → verify on
 * the map as received → read), and the verdicts for a signature that does not verify or signed
 * fields that cannot be used. Which fields are signed how, and what they mean, stays in each
 * provider's folder.
 */
import type { Logger } from '../core/log';
import type { NotificationVerdict, ProviderPaymentStatus, RawNotification } from './types';

/**
 * A JSON object's string view, for reading its fields: a string stays as it is, a number or a
 * boolean becomes its text, an object its JSON; null and undefined are left out.
 */
export function stringFields(obj: Readonly<Record<string, unknown>>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === null || v === undefined) continue;
    fields[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return fields;
}

/**
 * A notification body posted as a form (`application/x-www-form-urlencoded`: chaoying's seed
 * example `bank_type=CFT&mch_id=…`, umf-sp per providers.md), values URL-decoded. A JSON object
 * body is accepted too (some 超赢 deployments are reported to post JSON; assumed, harmless since
 * the signature decides). A field that appears twice is refused: which copy was signed would be
 * ambiguous.
 */
export function parseNotificationBody(text: string): { map: Record<string, string> } | { malformed: string } {
  const trimmed = text.trim();
  if (!trimmed) return { malformed: 'empty body' };
  if (trimmed.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(trimmed);
    } catch {
      return { malformed: 'body starts like JSON but is not JSON' };
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return { malformed: 'JSON body is not an object' };
    return { map: stringFields(obj as Record<string, unknown>) };
  }
  const map: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(trimmed)) {
    if (Object.hasOwn(map, k)) return { malformed: `field ${k} appears more than once` };
    map[k] = v;
  }
  if (!Object.keys(map).length) return { malformed: 'no fields' };
  return { map };
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
