/**
 * Verifying PayQR's webhooks (after stripe-node's Webhooks.ts):
 *
 *   PayQR-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 *
 * - The signature covers the raw body bytes: pass the body exactly as received (a string or
 *   bytes), never an object a JSON parser produced — re-serialised JSON has other bytes.
 * - Several `v1=` may be present (one per secret while PayQR's secret is being rotated); any
 *   one matching any of your secrets verifies. Other schemes (`v0=`, `v2=` …) are ignored.
 * - Compared in constant time. `t` must be within `toleranceSeconds` of your clock in both
 *   directions: too old is a replay (or a delayed request), too far ahead a wrong clock.
 * - Every failure is a `PayQrSignatureVerificationError` whose `code` says what is wrong;
 *   messages never repeat the secret or a signature.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { PayQrSignatureVerificationError } from './errors.ts';
import type { PayQrEvent } from './types.ts';

export const SIGNATURE_HEADER = 'PayQR-Signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface ConstructEventOptions {
  /** how far `t` may be from now, either way; default 300. `Infinity` turns the check off. */
  toleranceSeconds?: number | undefined;
  /** the current time in epoch milliseconds (default `Date.now()`), e.g. to check an old delivery */
  now?: number | undefined;
}

export interface TestHeaderOptions {
  /** the exact body you will send */
  payload: string | Uint8Array;
  secret: string | readonly string[];
  /** unix seconds; default now */
  timestamp?: number | undefined;
}

type Header = string | readonly string[] | null | undefined;

const noHeader = () =>
  new PayQrSignatureVerificationError(
    'missing_header',
    `No ${SIGNATURE_HEADER} header: is this request from PayQR, and does your framework pass the header through?`,
  );

/**
 * Verify a delivery and return its event. `header` is the `PayQR-Signature` value (Node's
 * `req.headers['payqr-signature']` or `request.headers.get('payqr-signature')`); `secret` is
 * the PayQR instance's `PAYQR_WEBHOOK_SECRET` (several while rotating).
 */
function constructEvent(rawBody: string | Uint8Array, header: Header, secret: string | readonly string[], options: ConstructEventOptions = {}): PayQrEvent {
  const bytes = rawBytes(rawBody);
  const secrets = typeof secret === 'string' ? [secret] : Array.isArray(secret) ? [...(secret as readonly unknown[])] : [];
  if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s.length === 0)) {
    throw new PayQrSignatureVerificationError(
      'secret_required',
      'No webhook secret given: pass the PAYQR_WEBHOOK_SECRET of the PayQR instance sending the webhooks.',
    );
  }
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!(tolerance >= 0)) throw new RangeError(`toleranceSeconds must be ≥ 0 (or Infinity), got ${String(tolerance)}`);
  const { timestamp, signatures } = parseHeader(header);

  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  const age = nowSeconds - timestamp;
  if (Math.abs(age) > tolerance) {
    throw new PayQrSignatureVerificationError(
      'timestamp_outside_tolerance',
      age > 0
        ? `Timestamp is ${age} s old, more than the ${tolerance} s tolerance: a replayed or delayed request (or this server's clock is wrong).`
        : `Timestamp is ${-age} s in the future, more than the ${tolerance} s tolerance: check this server's clock.`,
      timestamp,
    );
  }

  let matched = false;
  for (const s of secrets as string[]) {
    const expected = sign(s, bytes, timestamp);
    // every candidate is checked (no early exit); both sides are 32 bytes
    for (const candidate of signatures) if (timingSafeEqual(expected, candidate)) matched = true;
  }
  if (!matched) {
    throw new PayQrSignatureVerificationError(
      'signature_mismatch',
      'No v1 signature matches this body. Pass the raw request body exactly as received (not JSON re-serialised by a ' +
        'body parser) and the PAYQR_WEBHOOK_SECRET of the PayQR instance that sent it.',
      timestamp,
    );
  }
  return parseEvent(bytes, timestamp);
}

/**
 * A valid `PayQR-Signature` for `payload` — to test your webhook handler with deliveries of your
 * own making (the same scheme PayQR signs with).
 */
function generateTestHeader(options: TestHeaderOptions): string {
  const bytes = rawBytes(options.payload);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError(`timestamp: unix seconds, got ${String(timestamp)}`);
  const secrets = typeof options.secret === 'string' ? [options.secret] : [...options.secret];
  if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s.length === 0)) {
    throw new PayQrSignatureVerificationError('secret_required', 'generateTestHeader: a non-empty secret is required.');
  }
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${sign(s, bytes, timestamp).toString('hex')}`)].join(',');
}

export const webhooks = { constructEvent, generateTestHeader, SIGNATURE_HEADER, DEFAULT_TOLERANCE_SECONDS } as const;

function sign(secret: string, body: Uint8Array, timestamp: number): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(body).digest();
}

function rawBytes(rawBody: unknown): Uint8Array {
  if (typeof rawBody === 'string') return Buffer.from(rawBody, 'utf8');
  if (rawBody instanceof Uint8Array) return rawBody;
  throw new PayQrSignatureVerificationError(
    'raw_body_required',
    rawBody !== null && typeof rawBody === 'object'
      ? 'The webhook body must be the raw request body (a string or bytes); it was given as a parsed object. ' +
          'Read the body before any JSON parser runs (e.g. express.raw({ type: "application/json" }), or await request.text()).'
      : `The webhook body must be the raw request body (a string or bytes), got ${rawBody === null ? 'null' : typeof rawBody}.`,
  );
}

/**
 * Strict: comma-separated `key=value` items (spaces around an item tolerated), exactly one `t`
 * of decimal unix seconds, `v1` values of exactly 64 hex digits, at least one `v1`.
 */
function parseHeader(header: Header): { timestamp: number; signatures: Buffer[] } {
  if (Array.isArray(header)) {
    if (header.length === 0) throw noHeader();
    if (header.length > 1) {
      throw new PayQrSignatureVerificationError('malformed_header', `${header.length} ${SIGNATURE_HEADER} headers: expected exactly one.`);
    }
    header = header[0] as string;
  }
  if (typeof header !== 'string' || header.trim() === '') throw noHeader();
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const [i, raw] of header.split(',').entries()) {
    const item = raw.trim();
    const eq = item.indexOf('=');
    if (eq <= 0) {
      throw new PayQrSignatureVerificationError(
        'malformed_header',
        `${SIGNATURE_HEADER} item ${i + 1} is not key=value (expected "t=<unix seconds>,v1=<hex>").`,
      );
    }
    const key = item.slice(0, eq);
    const value = item.slice(eq + 1);
    if (!/^[a-z][a-z0-9]*$/.test(key)) {
      throw new PayQrSignatureVerificationError('malformed_header', `${SIGNATURE_HEADER} item ${i + 1} has an invalid key (expected "t" or "v1").`);
    }
    if (key === 't') {
      if (timestamp !== undefined) throw new PayQrSignatureVerificationError('malformed_header', `${SIGNATURE_HEADER} has more than one "t".`);
      if (!/^\d{1,12}$/.test(value)) {
        throw new PayQrSignatureVerificationError('malformed_header', `${SIGNATURE_HEADER} "t" must be unix seconds (decimal digits).`);
      }
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-fA-F]{64}$/.test(value)) {
        throw new PayQrSignatureVerificationError(
          'malformed_header',
          `${SIGNATURE_HEADER} "v1" must be 64 hex digits (HMAC-SHA256), got ${value.length} characters.`,
          timestamp,
        );
      }
      signatures.push(Buffer.from(value, 'hex'));
    }
    // other schemes: ignored, so PayQR can add one next to v1
  }
  if (timestamp === undefined) throw new PayQrSignatureVerificationError('malformed_header', `${SIGNATURE_HEADER} has no "t=<unix seconds>".`);
  if (signatures.length === 0) {
    throw new PayQrSignatureVerificationError('no_v1_signature', `${SIGNATURE_HEADER} has no "v1=" signature (the scheme PayQR signs with).`, timestamp);
  }
  return { timestamp, signatures };
}

/** The verified body → the event (PayQR signed it, so a bad shape means a wrong secret pairing or a bug). */
function parseEvent(bytes: Uint8Array, timestamp: number): PayQrEvent {
  let event: unknown;
  try {
    event = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    throw new PayQrSignatureVerificationError('invalid_payload', 'The signed body is not JSON: not a PayQR event.', timestamp);
  }
  const e = event as Partial<Record<string, unknown>> | null;
  if (
    typeof e !== 'object' ||
    e === null ||
    typeof e.id !== 'string' ||
    typeof e.type !== 'string' ||
    typeof e.created !== 'number' ||
    typeof e.data !== 'object' ||
    e.data === null
  ) {
    throw new PayQrSignatureVerificationError('invalid_payload', 'The signed body is not a PayQR event ({id, type, created, data}).', timestamp);
  }
  return event as PayQrEvent;
}
