/**
 * Shop webhook signatures (contract.md "Shop webhooks"):
 *
 *   PayQR-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 *
 * Several `v1=` entries may be present (one per secret while a secret is being rotated); the
 * header is valid when any of them matches any of the secrets the receiver accepts. Unknown
 * schemes (`v0=`, `v2=` …) are ignored so a future scheme can be added next to `v1`.
 *
 * Modelled on stripe-node's Webhooks.ts: verification insists on the raw body (a parsed and
 * re-serialised object rarely has the same bytes), compares in constant time, rejects
 * timestamps outside a tolerance (replays), takes the current time as a parameter, and every
 * failure says what is wrong — without ever repeating the secret or a signature.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'PayQR-Signature';
export const SIGNATURE_SCHEME = 'v1';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type RawBody = string | Uint8Array;

/** Why a webhook did not verify: stable codes (the CLI prints them as `reason`). */
export type WebhookVerifyFailure =
  | 'raw_body_required'
  | 'secret_required'
  | 'missing_header'
  | 'malformed_header'
  | 'no_v1_signature'
  | 'timestamp_outside_tolerance'
  | 'signature_mismatch';

export class WebhookSignatureError extends Error {
  readonly reason: WebhookVerifyFailure;
  /** the header's `t`, when it could be read */
  readonly timestamp: number | undefined;
  constructor(reason: WebhookVerifyFailure, message: string, timestamp?: number) {
    super(message);
    this.name = 'WebhookSignatureError';
    this.reason = reason;
    this.timestamp = timestamp;
  }
}

/** hex HMAC-SHA256(secret, "<t>.<raw body>") — the `v1` value. */
export function signPayload(secret: string, rawBody: RawBody, timestampSeconds: number): string {
  assertSecret(secret);
  assertRawBody(rawBody);
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new TypeError(`timestampSeconds must be a non-negative integer of unix seconds, got ${String(timestampSeconds)}`);
  }
  return createHmac('sha256', secret)
    .update(`${timestampSeconds}.`, 'utf8')
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .digest('hex');
}

/** The whole header value: `t=…,v1=…` with one `v1` per secret (rotation: new and old). */
export function signatureHeader(secrets: string | readonly string[], rawBody: RawBody, timestampSeconds: number): string {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0) throw new TypeError('at least one webhook secret is needed to sign');
  return [`t=${timestampSeconds}`, ...list.map((s) => `${SIGNATURE_SCHEME}=${signPayload(s, rawBody, timestampSeconds)}`)].join(',');
}

export interface ParsedSignatureHeader {
  timestamp: number;
  /** lower-case hex of every `v1` entry */
  signatures: string[];
}

/**
 * Strict parse: comma-separated `key=value` items (spaces around an item are tolerated), exactly
 * one `t` of decimal unix seconds, `v1` values of exactly 64 hex digits, at least one `v1`.
 */
export function parseSignatureHeader(header: string | readonly string[] | null | undefined): ParsedSignatureHeader {
  if (Array.isArray(header)) {
    if (header.length !== 1) {
      throw new WebhookSignatureError(
        header.length === 0 ? 'missing_header' : 'malformed_header',
        header.length === 0
          ? `No ${SIGNATURE_HEADER} header: is this request from PayQR, and does your framework pass the header through?`
          : `${header.length} ${SIGNATURE_HEADER} headers: expected exactly one.`,
      );
    }
    header = header[0];
  }
  if (typeof header !== 'string' || header.trim() === '') {
    throw new WebhookSignatureError(
      'missing_header',
      `No ${SIGNATURE_HEADER} header: is this request from PayQR, and does your framework pass the header through?`,
    );
  }
  let timestamp: number | undefined;
  const signatures: string[] = [];
  const items = header.split(',');
  for (const [i, rawItem] of items.entries()) {
    const item = rawItem.trim();
    const eq = item.indexOf('=');
    if (eq <= 0) {
      throw new WebhookSignatureError('malformed_header', `${SIGNATURE_HEADER} item ${i + 1} is not key=value (expected "t=<unix seconds>,v1=<hex>").`);
    }
    const key = item.slice(0, eq);
    const value = item.slice(eq + 1);
    if (!/^[a-z][a-z0-9]*$/.test(key)) {
      throw new WebhookSignatureError('malformed_header', `${SIGNATURE_HEADER} item ${i + 1} has an invalid key (expected "t" or "v1").`);
    }
    if (key === 't') {
      if (timestamp !== undefined) throw new WebhookSignatureError('malformed_header', `${SIGNATURE_HEADER} has more than one "t".`);
      if (!/^\d{1,12}$/.test(value)) {
        throw new WebhookSignatureError('malformed_header', `${SIGNATURE_HEADER} "t" must be unix seconds (decimal digits), got ${JSON.stringify(value.slice(0, 20))}.`);
      }
      timestamp = Number(value);
    } else if (key === SIGNATURE_SCHEME) {
      if (!/^[0-9a-fA-F]{64}$/.test(value)) {
        throw new WebhookSignatureError(
          'malformed_header',
          `${SIGNATURE_HEADER} "v1" must be 64 hex digits (HMAC-SHA256), got ${value.length} characters.`,
          timestamp,
        );
      }
      signatures.push(value.toLowerCase());
    }
    // other schemes: ignored (forward compatibility)
  }
  if (timestamp === undefined) {
    throw new WebhookSignatureError('malformed_header', `${SIGNATURE_HEADER} has no "t=<unix seconds>".`);
  }
  if (signatures.length === 0) {
    throw new WebhookSignatureError('no_v1_signature', `${SIGNATURE_HEADER} has no "v1=" signature (the only scheme PayQR signs with).`, timestamp);
  }
  return { timestamp, signatures };
}

export interface VerifyWebhookOptions {
  /** the request body exactly as received: a string or the bytes — never a parsed object */
  rawBody: RawBody;
  /** the PayQR-Signature header value */
  header: string | readonly string[] | null | undefined;
  /** PAYQR_WEBHOOK_SECRET; several while rotating (any may match) */
  secret: string | readonly string[];
  /** how far `t` may be from now, either way; default 300. `Infinity` disables the check. */
  toleranceSeconds?: number;
  /** the current time in epoch milliseconds (default Date.now()) — injectable for tests */
  now?: number;
}

/**
 * Verify a delivery. Returns the signed timestamp; throws a WebhookSignatureError whose
 * `reason` says what is wrong. Check order: arguments, header, timestamp, signature.
 */
export function verifyWebhook(opts: VerifyWebhookOptions): { timestamp: number } {
  assertRawBody(opts.rawBody);
  const secrets = typeof opts.secret === 'string' ? [opts.secret] : [...(opts.secret ?? [])];
  if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s.length === 0)) {
    throw new WebhookSignatureError('secret_required', 'No webhook secret given: pass the PAYQR_WEBHOOK_SECRET of the PayQR instance sending the webhooks.');
  }
  const tolerance = opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!(tolerance >= 0)) throw new TypeError(`toleranceSeconds must be ≥ 0 (or Infinity), got ${String(tolerance)}`);
  const { timestamp, signatures } = parseSignatureHeader(opts.header);

  const nowSeconds = Math.floor((opts.now ?? Date.now()) / 1000);
  const age = nowSeconds - timestamp;
  if (Math.abs(age) > tolerance) {
    throw new WebhookSignatureError(
      'timestamp_outside_tolerance',
      age > 0
        ? `Timestamp is ${age} s old, more than the ${tolerance} s tolerance: a replayed or delayed request (or this server's clock is wrong).`
        : `Timestamp is ${-age} s in the future, more than the ${tolerance} s tolerance: check this server's clock.`,
      timestamp,
    );
  }

  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(signPayload(secret, opts.rawBody, timestamp), 'utf8');
    for (const candidate of signatures) {
      // both are 64 ASCII hex digits (checked by the parser), so the lengths are equal
      if (timingSafeEqual(expected, Buffer.from(candidate, 'utf8'))) matched = true;
    }
  }
  if (!matched) {
    throw new WebhookSignatureError(
      'signature_mismatch',
      'No v1 signature matches this body. Pass the raw request body exactly as received (not JSON re-serialised by a ' +
        'body parser) and the PAYQR_WEBHOOK_SECRET of the PayQR instance that sent it.',
      timestamp,
    );
  }
  return { timestamp };
}

function assertRawBody(rawBody: unknown): asserts rawBody is RawBody {
  if (typeof rawBody === 'string' || rawBody instanceof Uint8Array) return;
  throw new WebhookSignatureError(
    'raw_body_required',
    rawBody !== null && typeof rawBody === 'object'
      ? 'The webhook body must be the raw request body (a string or bytes); it was given as a parsed object. ' +
          'Read the body before any JSON parser runs (e.g. express.raw({ type: "application/json" }), or await request.text()).'
      : `The webhook body must be the raw request body (a string or bytes), got ${rawBody === null ? 'null' : typeof rawBody}.`,
  );
}

function assertSecret(secret: unknown): asserts secret is string {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new WebhookSignatureError('secret_required', 'No webhook secret given: the PAYQR_WEBHOOK_SECRET is needed to sign or verify.');
  }
}
