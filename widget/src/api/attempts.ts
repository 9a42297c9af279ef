/**
 * `POST /api/orders/{id}/attempts` and the check of an attempt. Only the attempt side uses
 * them, so they travel in its lazily loaded chunk; nothing here is imported at run time from
 * the main bundle (a chunk that imported the entry would load it twice under `?v=…` URLs).
 */
import type { PayQrClient } from './client.js';
import type { Attempt, Channel, Scene } from './types.js';

const ATTEMPT_STATUSES: readonly unknown[] = ['pending', 'paid', 'failed', 'closed'];

/** A new try through one channel; the server closes the order's previous pending attempt. */
export async function createAttempt(
  client: PayQrClient,
  orderId: string,
  attempt: { channel: Channel; scene: Scene; openid?: string; buyerId?: string },
  signal?: AbortSignal,
): Promise<Attempt> {
  const body = await client.request('POST', `/api/orders/${encodeURIComponent(orderId)}/attempts`, { body: attempt, signal });
  const checked = parseAttempt(body);
  if (!checked) throw Object.assign(new Error('Unexpected answer from the server: attempt'), { code: 'invalid-response' });
  return checked;
}

/** The attempt when it has what the widget relies on, else undefined. Extra fields pass through. */
export function parseAttempt(value: unknown): Attempt | undefined {
  const a = value as Partial<Attempt> | null | undefined;
  const valid =
    typeof a?.id === 'string' &&
    typeof a.channel === 'string' &&
    ATTEMPT_STATUSES.includes(a.status) &&
    !Number.isNaN(Date.parse(a.expiresAt ?? '')) &&
    (a.qr === undefined || (typeof a.qr?.content === 'string' && a.qr.content !== '')) &&
    // the page follows this link: only a web address, never `javascript:` or the like
    (a.h5 === undefined || /^https?:\/\//i.test(a.h5?.url));
  return valid ? (a as Attempt) : undefined;
}
