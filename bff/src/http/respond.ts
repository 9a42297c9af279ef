/** Responses and the one place errors become `{"error":{"code","message","requestId"}}`. */
import { PayQrError } from '../core/errors';
import type { Logger } from '../core/log';
import { findMember, JsonSyntaxError, parseJson, type Json } from '../core/strict-json';

export function json(status: number, body: unknown, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set('content-type', 'application/json; charset=utf-8');
  h.set('cache-control', 'no-store');
  return new Response(JSON.stringify(body), { status, headers: h });
}

export function errorResponse(err: unknown, requestId: string, log: Logger, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set('x-request-id', requestId);
  if (err instanceof PayQrError) {
    if (err.status >= 500) log.warn(`${err.code}: ${err.message}`, { requestId });
    return json(err.status, { error: { code: err.code, message: err.message, requestId, ...(err.details ? { details: err.details } : {}) } }, h);
  }
  log.error('unhandled error', { requestId, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  return json(500, { error: { code: 'internal', message: 'Internal error; the request id helps the operator find it.', requestId } }, h);
}

export const MAX_BODY_BYTES = 64 * 1024;

/** Read the raw body, refusing more than `limit` bytes (providers' notifications are small). */
export async function readBody(req: Request, limit = MAX_BODY_BYTES): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > limit) throw new PayQrError(413, 'payload_too_large', `Body larger than ${limit} bytes.`);
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new PayQrError(413, 'payload_too_large', `Body larger than ${limit} bytes.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: Request): Promise<unknown> {
  const bytes = await readBody(req);
  const text = Buffer.from(bytes).toString('utf8').trim();
  if (!text) return undefined;
  const type = req.headers.get('content-type') ?? '';
  if (type && !/json/i.test(type)) {
    throw new PayQrError(415 as number, 'invalid_request', `Content-Type: expected application/json, got ${type}`);
  }
  // Strict (core/strict-json.ts): a member twice is refused, objects have a null prototype, and
  // "__proto__" — which means nothing in our API and something in every JS object — is refused.
  let value: Json;
  try {
    value = parseJson(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    throw new PayQrError(400, 'invalid_request', e.duplicate !== undefined ? `body: ${e.message}` : `body: not valid JSON (${e.message})`);
  }
  const proto = findMember(value, '__proto__');
  if (proto !== undefined) throw new PayQrError(400, 'invalid_request', `body: a member named "__proto__" is not allowed (at ${proto})`);
  return value;
}
