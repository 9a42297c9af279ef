/**
 * The operator API's query parameters, validated with zod at the boundary (each bad one named
 * with what was expected), and its opaque page cursors.
 *
 * A cursor is base64url of `<epoch ms>.<id>` — the last row of the page it ends. Clients pass
 * `nextCursor` back unchanged; its content is not part of the API.
 */
import { z } from 'zod';
import { CHANNELS, ORDER_STATUSES, PROVIDER_IDS } from '../core/domain';
import { describeZodIssues, invalidRequest } from '../core/errors';
import type { Keyset } from '../ledger/keyset';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

export const NOTIFICATION_OUTCOMES = [
  'applied',
  'duplicate',
  'bad_signature',
  'missing_signature',
  'malformed',
  'unknown_order',
  'amount_mismatch',
  'merchant_mismatch',
  'currency_mismatch',
  'hint',
  'not_final',
] as const;

/** Refused notifications: not applied because they were forged, unreadable or matched nothing. */
export const REJECTED_OUTCOMES = ['bad_signature', 'missing_signature', 'malformed', 'unknown_order', 'amount_mismatch', 'merchant_mismatch', 'currency_mismatch'] as const;

export function encodeCursor(k: Keyset | undefined): string | null {
  return k ? Buffer.from(`${k.at}.${k.id}`, 'utf8').toString('base64url') : null;
}

export function decodeCursor(text: string): Keyset | undefined {
  const m = /^(\d{1,16})\.([A-Za-z0-9_]{1,64})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  return m ? { at: Number(m[1]), id: m[2]! } : undefined;
}

/** ISO 8601 with a zone (2026-11-22T10:00:00+08:00, …Z) or epoch milliseconds → epoch ms. */
const instant = z.string().transform((v, ctx) => {
  const ms = /^\d{1,16}$/.test(v) ? Number(v) : /(Z|[+-]\d{2}:?\d{2})$/i.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: 'a time: ISO 8601 with its zone (e.g. 2026-11-22T10:00:00+08:00) or epoch milliseconds' });
    return z.NEVER;
  }
  return ms;
});

const cursor = z.string().transform((v, ctx) => {
  const k = decodeCursor(v);
  if (!k) {
    ctx.addIssue({ code: 'custom', message: 'the nextCursor of a previous page, unchanged' });
    return z.NEVER;
  }
  return k;
});

const limit = z.coerce
  .number({ message: `a whole number 1–${MAX_LIMIT}` })
  .int(`a whole number 1–${MAX_LIMIT}`)
  .min(1, `a whole number 1–${MAX_LIMIT}`)
  .max(MAX_LIMIT, `a whole number 1–${MAX_LIMIT}`)
  .default(DEFAULT_LIMIT);

const page = { limit, cursor: cursor.optional(), from: instant.optional(), to: instant.optional() };
const review = z.enum(['open', 'resolved'], { message: 'open (needs a person) or resolved' });

export const orderListParams = z
  .object({
    ...page,
    status: z.enum(ORDER_STATUSES, { message: `one of ${ORDER_STATUSES.join(', ')}` }).optional(),
    provider: z.enum(PROVIDER_IDS, { message: `one of ${PROVIDER_IDS.join(', ')}` }).optional(),
    channel: z.enum(CHANNELS, { message: `one of ${CHANNELS.join(', ')}` }).optional(),
    q: z.string().trim().min(1, 'an id to look for').max(128, 'at most 128 characters').optional(),
  })
  .strict();

export const notificationListParams = z
  .object({
    ...page,
    /** one outcome, several (comma-separated), or `rejected` for every refused one */
    outcome: z
      .string()
      .transform((v, ctx) => {
        const list = v.split(',').map((s) => s.trim()).filter(Boolean);
        const out = new Set<(typeof NOTIFICATION_OUTCOMES)[number]>();
        for (const item of list) {
          if (item === 'rejected') REJECTED_OUTCOMES.forEach((o) => out.add(o));
          else if ((NOTIFICATION_OUTCOMES as readonly string[]).includes(item)) out.add(item as (typeof NOTIFICATION_OUTCOMES)[number]);
          else {
            ctx.addIssue({ code: 'custom', message: `"${item}": one of rejected, ${NOTIFICATION_OUTCOMES.join(', ')} (comma-separated)` });
            return z.NEVER;
          }
        }
        return [...out];
      })
      .optional(),
    provider: z.enum(PROVIDER_IDS, { message: `one of ${PROVIDER_IDS.join(', ')}` }).optional(),
    orderId: z.string().min(1).max(64).optional(),
    review: review.optional(),
  })
  .strict();

export const EVENT_TYPES = ['order.paid', 'order.expired', 'order.canceled', 'order.duplicate_payment'] as const;
export const DELIVERY_STATES = ['pending', 'failed', 'delivered', 'no_target'] as const;

export const deliveryListParams = z
  .object({
    ...page,
    state: z.enum(DELIVERY_STATES, { message: `one of ${DELIVERY_STATES.join(', ')}` }).optional(),
    orderId: z.string().min(1).max(64).optional(),
    type: z.enum(EVENT_TYPES, { message: `one of ${EVENT_TYPES.join(', ')}` }).optional(),
    review: review.optional(),
  })
  .strict();

export const auditListParams = z
  .object({
    ...page,
    orderId: z.string().min(1).max(64).optional(),
    action: z.string().min(1).max(48).optional(),
    targetId: z.string().min(1).max(64).optional(),
  })
  .strict();

export const overviewParams = z
  .object({ from: instant.optional(), to: instant.optional() })
  .strict();

export const timelineParams = z
  .object({
    wait: z.coerce.number({ message: 'seconds between 0 and 30' }).min(0, 'seconds between 0 and 30').max(30, 'seconds between 0 and 30').optional(),
    since: z.coerce.number({ message: 'an order version (integer)' }).int('an order version (integer)').min(0).optional(),
  })
  .strict();

/** Parse URL search parameters with a schema; a bad one is a 400 naming it. */
export function parseParams<S extends z.ZodType>(schema: S, params: URLSearchParams): z.infer<S> {
  const raw: Record<string, string> = {};
  for (const [k, v] of params) {
    if (k in raw) throw invalidRequest(`${k}: give it once`);
    raw[k] = v;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    // a parameter's issue names it; one about the whole query (an unknown parameter) says "query"
    const issues = parsed.error.issues;
    throw invalidRequest([describeZodIssues(issues.filter((i) => i.path.length > 0)), ...issues.filter((i) => i.path.length === 0).map((i) => `query: ${i.message}`)].filter(Boolean).join('; '));
  }
  const value = parsed.data as { from?: number; to?: number };
  if (value.from !== undefined && value.to !== undefined && value.from >= value.to) throw invalidRequest('to: must be after from');
  return parsed.data;
}

export const resolveBody = (resolutions: readonly [string, ...string[]]) =>
  z
    .object({
      resolution: z.enum(resolutions, { message: `one of ${resolutions.join(', ')}` }),
      note: z.string({ message: 'required: what was done and why (it goes into the audit log)' }).trim().min(3, 'at least 3 characters').max(1000, 'at most 1000 characters'),
    })
    .strict();

/**
 * What a person can decide. `refunded`: the payer got the money back outside PayQR (at the
 * provider's console, by bank transfer …); `accepted`: the shop keeps it and settles with the
 * payer itself; `dismissed` (notifications only): no money moved — a test, a probe, not ours.
 * None of them pays an order: only a provider's evidence does (sync).
 */
export const NOTIFICATION_RESOLUTIONS = ['refunded', 'accepted', 'dismissed'] as const;
export const DUPLICATE_PAYMENT_RESOLUTIONS = ['refunded', 'accepted'] as const;
