/**
 * The parts of the send and parse steps that are the same for every connector, whatever its
 * wire format: POST one request (core/http.ts: a hard time limit) and classify what came back,
 * read an answer that must be a JSON object, and turn "no definite answer" into the `unknown`
 * that makes the caller query on its schedule. Signing, verifying and the wire fields stay in
 * each provider's folder.
 */
import { fetchText } from '../core/http';
import type { Logger } from '../core/log';
import { isJsonObject, parseJson } from '../core/strict-json';
import type { CreatePaymentResult, ProviderPaymentStatus, QueryRef } from './types';

/**
 * Why an exchange gave no usable answer. `transient`: nothing is known about the order (no
 * answer in time, network error, HTTP 5xx/408/429, an unreadable or unverifiable answer) — the
 * query establishes the truth. Not transient: the gateway refused the request (another 4xx), so
 * nothing was processed.
 */
export interface ExchangeFailure {
  ok: false;
  transient: boolean;
  reason: string;
  httpStatus?: number;
}

/** The wire fields to send: unset and empty values are "not sent" (and so not signed either). */
export function presentFields(params: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') fields[k] = v;
  return fields;
}

/** Send one POST and classify the transport result; a 2xx answer's text is the connector's to verify and parse. */
export async function postForAnswer(
  fetchFn: typeof fetch,
  url: string,
  request: { contentType: string; body: string },
  timeoutMs: number,
): Promise<{ ok: true; status: number; text: string } | ExchangeFailure> {
  const sent = await fetchText(
    fetchFn,
    url,
    { method: 'POST', headers: { 'content-type': request.contentType, accept: 'application/json' }, body: request.body },
    { timeoutMs },
  );
  if (!sent.ok) return { ok: false, transient: true, reason: sent.reason };
  const { status, text } = sent;
  if (status >= 500 || status === 408 || status === 429) return { ok: false, transient: true, reason: `HTTP ${status}`, httpStatus: status };
  if (status < 200 || status >= 300) return { ok: false, transient: false, reason: `HTTP ${status}: ${text.slice(0, 200)}`, httpStatus: status };
  return { ok: true, status, text };
}

/**
 * An answer that must be one JSON object, as received (the signature is checked on this map).
 * Strict (core/strict-json.ts): a member twice is refused, `__proto__` stays a member.
 */
export function jsonObjectAnswer(text: string): { ok: true; map: Record<string, unknown> } | ExchangeFailure {
  let raw;
  try {
    raw = parseJson(text.trim());
  } catch (e) {
    return { ok: false, transient: true, reason: `answer is not JSON (${(e as Error).message}): ${JSON.stringify(text.slice(0, 120))}` };
  }
  if (!isJsonObject(raw)) return { ok: false, transient: true, reason: 'answer is not a JSON object' };
  return { ok: true, map: raw };
}

/** createPayment without an answer: `unknown` (query) when transient, else a definite `failed` (nothing was processed). */
export function createResultWithoutAnswer(x: ExchangeFailure, log: Logger, ctx: Record<string, unknown>): CreatePaymentResult {
  if (x.transient) {
    log.warn('no definite answer, will query', { ...ctx, reason: x.reason });
    return { outcome: 'unknown', reason: x.reason };
  }
  log.error('gateway refused the request', { ...ctx, reason: x.reason });
  return { outcome: 'failed', code: `http_${x.httpStatus ?? 0}`, message: x.reason };
}

/** queryPayment without an answer: the status is `unknown`, with the reason. */
export function statusWithoutAnswer(x: ExchangeFailure, ref: Pick<QueryRef, 'outTradeNo'>, log: Logger): ProviderPaymentStatus {
  log.warn('no definite answer', { outTradeNo: ref.outTradeNo, reason: x.reason });
  return { state: 'unknown', outTradeNo: ref.outTradeNo, providerMessage: x.reason };
}
