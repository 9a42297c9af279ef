/**
 * Fault injection for the sandbox (docs/providers/README.md "The sandbox": latency, errors, timeouts,
 * NEED_QUERY, dropped, duplicated or tampered notifications), per provider.
 *
 * A *counted* fault is a number (how many more times it fires; each use consumes one) or
 * `true` (fires every time until cleared); `false`/`0`/absent means off. Consumption happens
 * at the moment the fault applies — e.g. one gateway call, or one notification send attempt —
 * so `{dropNotifications: 1}` loses exactly the first send of the next notification and the
 * provider's retry schedule then delivers it, while `{dropNotifications: true}` loses them all.
 *
 * Simulators do not read this registry directly for gateway faults: they wrap their handler in
 * `hub.withGatewayFaults(...)` (latency, HTTP 500, hang) and call `faults.take(...)` inside for
 * the ones only they can apply (`needQuery`, `tamperResponses`). Notification faults are applied
 * by `hub.deliver(...)`.
 */
import { z } from 'zod';
import { PROVIDER_IDS, type ProviderId } from '../core/domain';

/**
 * How a tampered notification is produced by the simulator's `tamper` callback:
 * - `amount`: change the amount, keep the original signature → must fail verification;
 * - `strip-signature`: remove the signature field → must be `missing_signature`;
 * - `resigned-amount`: change the amount and re-sign with the real key → verifies, but the
 *   amount does not match our ledger (a leaked key or a provider bug);
 * - `resigned-merchant`: same with another merchant id;
 * - `resigned-order`: same with an order number we never issued (unknown order);
 * - `added-field`: the genuine signed notification with one field appended that the signature
 *   does not cover → must be refused by every provider whose signature covers all fields;
 * - `added-proto-field`: the same with the field named `__proto__` — a parser that builds plain
 *   objects by assignment loses that name before the signature is checked, and would accept it.
 */
export const TAMPER_MODES = [
  'amount',
  'strip-signature',
  'resigned-amount',
  'resigned-merchant',
  'resigned-order',
  'added-field',
  'added-proto-field',
] as const;
export type TamperMode = (typeof TAMPER_MODES)[number];

/**
 * A notification body with one more field appended as text, after signing (the `added-field`
 * and `added-proto-field` modes): `&name=value` on a form, `,"name":"value"` before the closing
 * brace of a JSON object.
 */
export function withAddedField(body: string, format: 'form' | 'json', name: string, value: string): string {
  if (format === 'form') return `${body}&${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
  const end = body.lastIndexOf('}');
  if (end < 0) throw new Error('withAddedField: not a JSON object');
  return `${body.slice(0, end)},${JSON.stringify(name)}:${JSON.stringify(value)}${body.slice(end)}`;
}

const counted = z.union([z.boolean(), z.number().int().min(0)]);

export const providerFaultsSchema = z
  .object({
    /** create (and query, where the simulator supports it) answers NEED_QUERY / "unknown" */
    needQuery: counted.optional(),
    /** added to every gateway answer while set (clock ms, not scaled) */
    latencyMs: z.number().int().min(0).optional(),
    /** the gateway answers HTTP 500 without processing the request */
    http500: counted.optional(),
    /** the gateway processes the request, then never answers (until the client gives up) */
    timeout: counted.optional(),
    /** a notification send attempt is not made (counted per attempt) */
    dropNotifications: counted.optional(),
    /** each notification send attempt goes out N more times concurrently (`true` = 1); not consumed */
    duplicateNotifications: z.union([z.boolean(), z.number().int().min(0).max(20)]).optional(),
    /** a notification send attempt carries a tampered body (see `tamperMode`), counted per attempt */
    tamperNotifications: counted.optional(),
    /** default `amount` */
    tamperMode: z.enum(TAMPER_MODES).optional(),
    /** a gateway answer is altered after signing (signature no longer matches), counted */
    tamperResponses: counted.optional(),
  })
  .strict();

export type ProviderFaults = z.infer<typeof providerFaultsSchema>;
export type CountedFault = 'needQuery' | 'http500' | 'timeout' | 'dropNotifications' | 'tamperNotifications' | 'tamperResponses';

/** The HTTP form: `POST /sandbox/faults {"provider":"chaoying","http500":1}`. */
export const faultsRequestSchema = providerFaultsSchema.extend({ provider: z.enum(PROVIDER_IDS) }).strict();

export interface FaultRegistry {
  /** Merge `faults` into the provider's current faults (a key set to `false`/`0` turns it off). */
  set(provider: ProviderId, faults: ProviderFaults): void;
  /** Clear one provider's faults, or all. */
  clear(provider?: ProviderId): void;
  /** The provider's faults as they stand (counts already consumed are reflected). */
  get(provider: ProviderId): ProviderFaults;
  all(): Partial<Record<ProviderId, ProviderFaults>>;
  /** Does a counted fault fire now? Consumes one use of a number. */
  take(provider: ProviderId, fault: CountedFault): boolean;
  /** Extra concurrent copies per notification send (0 when off). */
  duplicates(provider: ProviderId): number;
  latencyMs(provider: ProviderId): number;
  tamperMode(provider: ProviderId): TamperMode;
}

export function createFaultRegistry(): FaultRegistry {
  const state = new Map<ProviderId, ProviderFaults>();
  const clean = (f: ProviderFaults): ProviderFaults =>
    Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== false && v !== 0)) as ProviderFaults;
  return {
    set(provider, faults) {
      const parsed = providerFaultsSchema.parse(faults);
      const merged = clean({ ...state.get(provider), ...parsed });
      if (Object.keys(merged).length) state.set(provider, merged);
      else state.delete(provider);
    },
    clear(provider) {
      if (provider) state.delete(provider);
      else state.clear();
    },
    get: (provider) => ({ ...state.get(provider) }),
    all: () => Object.fromEntries([...state.entries()].map(([k, v]) => [k, { ...v }])),
    take(provider, fault) {
      const f = state.get(provider);
      const v = f?.[fault];
      if (!f || v === undefined || v === false || v === 0) return false;
      if (v === true) return true;
      const left = v - 1;
      const next = clean({ ...f, [fault]: left });
      if (Object.keys(next).length) state.set(provider, next);
      else state.delete(provider);
      return true;
    },
    duplicates(provider) {
      const v = state.get(provider)?.duplicateNotifications;
      return v === true ? 1 : typeof v === 'number' ? v : 0;
    },
    latencyMs: (provider) => state.get(provider)?.latencyMs ?? 0,
    tamperMode: (provider) => state.get(provider)?.tamperMode ?? 'amount',
  };
}
