/**
 * The contract between PayQR's payment use-cases and a provider.
 *
 * Every provider lives in `providers/<id>/` with the same steps in the same order
 * (after hyperswitch / yansongda-pay): transform (pure) → sign → send → verify → parse →
 * map status. Wire field names stay verbatim inside that folder; nothing outside it sees them.
 * A capability a provider lacks is said explicitly (`NotSupportedError`), never a silent no-op.
 */
import type { Clock } from '../core/clock';
import type { Channel, ProviderId, Scene } from '../core/domain';
import type { Logger } from '../core/log';
import type { Money } from '../core/money';
import type { Random } from '../core/random';

/** What every connector and simulator gets injected. */
export interface ProviderDeps {
  clock: Clock;
  random: Random;
  /** The HTTP client (tests may substitute one). */
  fetch: typeof fetch;
  log: Logger;
}

/** How a payer acts on an attempt: exactly one of these. */
export type PayerAction =
  | { kind: 'qr'; content: string }
  | { kind: 'jsapi'; params: Record<string, string> }
  | { kind: 'h5'; url: string }
  | { kind: 'none' };

export interface PayerIdentity {
  /** WeChat: the payer's openid under `appId` (snsapi_base). */
  openid?: string;
  /** WeChat official-account / mini-program AppId (`sub_appid`). */
  appId?: string;
  /** Alipay: the buyer's user id (2088…). */
  buyerId?: string;
  buyerLogonId?: string;
}

export interface CreatePaymentInput {
  /** PayQR's attempt id (for logs only; never sent as a provider order number). */
  attemptId: string;
  /** The provider order number for this attempt, already within the provider's rules. */
  outTradeNo: string;
  money: Money;
  subject: string;
  channel: Channel;
  scene: Scene;
  /** epoch ms when the order stops being payable */
  expiresAt: number;
  /** epoch ms when the attempt was created (provider "order date" / `time_start`) */
  createdAt: number;
  /** Our notification URL for this provider (no query string). */
  notifyUrl: string;
  clientIp?: string;
  payer?: PayerIdentity;
  /** Micropay only: the payer's code as scanned. */
  authCode?: string;
}

/**
 * The synchronous answer to "create a payment".
 * - `created`: the provider accepted the order; the payer must act (QR, bridge, link).
 * - `paid`: settled synchronously (micropay). Still verified: the response was signed.
 * - `failed`: a definite refusal; a new attempt (new out_trade_no) is needed to retry.
 * - `unknown`: timeout, network error, NEED_QUERY, "paying", "password entry": the result
 *   must be established by querying on the provider's schedule.
 */
export type CreatePaymentResult =
  | { outcome: 'created'; action: PayerAction; providerTradeNo?: string }
  | { outcome: 'paid'; status: ProviderPaymentStatus }
  | { outcome: 'failed'; code: string; message: string }
  | { outcome: 'unknown'; reason: string; action?: PayerAction; progress?: PayerProgress };

/** Micropay: what the payer is doing while the result is not final (shown at the till). */
export type PayerProgress = 'paying' | 'password_entry';

export type ProviderPaymentState =
  /** money taken */
  | 'paid'
  /** created, payer has not finished (includes "entering password") */
  | 'pending'
  /** definite failure: payer declined, error at the wallet, etc. */
  | 'failed'
  /** closed / revoked / reversed / expired at the provider, not paid */
  | 'closed'
  /** paid then refunded (fully or partly) */
  | 'refunded'
  /** the provider has no such order */
  | 'not_found'
  /** the provider could not say (NEED_QUERY, -10 unknown, transient error) */
  | 'unknown';

export interface ProviderPaymentStatus {
  state: ProviderPaymentState;
  outTradeNo: string;
  /** Amount the provider reports for the order, in the order's minor units. */
  amount?: number;
  currency?: string;
  /** Merchant id as the provider reports it, to match against our configuration. */
  merchantId?: string;
  providerTradeNo?: string;
  /** epoch ms */
  paidAt?: number;
  /** The provider's own code/message, for the ledger and for operators. */
  providerCode?: string;
  providerMessage?: string;
  /** Micropay, state `pending`: paying, or waiting for the payer's password. */
  progress?: PayerProgress;
  /** Provider-specific amounts worth recording (e.g. huishouyin payable/real, vouchers). */
  extra?: Record<string, unknown>;
}

/** A notification exactly as received: headers and the raw body bytes. */
export interface RawNotification {
  body: Uint8Array;
  contentType: string;
  headers: Headers;
}

export type NotificationVerdict =
  | {
      ok: true;
      /**
       * `signed`: the signature verified, so the fields are the provider's word (still matched
       * against our ledger before any state change).
       * `hint`: the provider does not sign it (huishouyin): only a reason to query.
       */
      trust: 'signed' | 'hint';
      status: ProviderPaymentStatus;
    }
  | { ok: false; reason: 'missing_signature' | 'bad_signature' | 'malformed'; detail: string; outTradeNo?: string };

export interface QueryRef {
  outTradeNo: string;
  /** PayQR's attempt id (for the provider-call record and logs; never sent to the provider). */
  attemptId?: string;
  /** epoch ms the attempt was created (some providers key queries by order date) */
  createdAt: number;
  channel: Channel;
  scene: Scene;
  providerTradeNo?: string;
  /** epoch ms the attempt stops being payable (providers without a close API lapse then) */
  expiresAt?: number;
}

export interface CloseResult {
  /** true when the provider confirms the order can no longer be paid */
  closed: boolean;
  /** the provider says it was paid after all: the caller must settle, not close */
  alreadyPaid?: ProviderPaymentStatus;
  detail?: string;
}

/** When and how often to query after an unknown outcome (from each seed). */
export interface QuerySchedule {
  firstDelayMs: number;
  intervalMs: number;
  /** give up querying (and, for micropay, reverse) after this long */
  deadlineMs: number;
}

export interface OutTradeNoRule {
  minLength: number;
  maxLength: number;
  /** characters allowed, anchored, e.g. /^[A-Za-z0-9]+$/ */
  pattern: RegExp;
}

export interface Capability {
  channel: Channel;
  scene: Scene;
}

export interface Connector {
  readonly id: ProviderId;
  readonly capabilities: readonly Capability[];
  readonly outTradeNoRule: OutTradeNoRule;
  readonly querySchedule: QuerySchedule;
  /** Our merchant id at this provider, matched against notifications and query answers. */
  readonly merchantId: string;
  /** Which currencies this configuration can charge (scanforpay: the store's currency only). */
  supportsCurrency(currency: string): boolean;

  createPayment(input: CreatePaymentInput): Promise<CreatePaymentResult>;
  queryPayment(ref: QueryRef): Promise<ProviderPaymentStatus>;
  /** Make an unpaid order unpayable at the provider. */
  closePayment(ref: QueryRef): Promise<CloseResult>;
  /** Micropay: cancel/reverse (refunds if it was paid after all). Optional capability. */
  reversePayment?(ref: QueryRef): Promise<CloseResult>;

  /** Verify (raw bytes) and parse a notification. Never throws for bad input. */
  verifyNotification(raw: RawNotification): Promise<NotificationVerdict>;
  /** The provider's exact acknowledgement: `accepted` stops its retries. */
  notificationAck(kind: 'accepted' | 'rejected', context?: { outTradeNo?: string }): Response;
}

/** For `pnpm payqr sign|verify`. */
export interface SigningTool {
  /** kinds this provider signs: request, response, notify */
  kinds: ReadonlyArray<'request' | 'response' | 'notify'>;
  defaultKind: 'request' | 'response' | 'notify';
  /**
   * `key`: the bytes of --key / --cert (a secret's text file or a key/certificate file);
   * undefined = the configured key (the sandbox key when nothing is configured).
   */
  sign(params: unknown, kind: string, key?: KeyMaterial): { canonical: string; signature: string };
  verify(params: unknown, signature: string, kind: string, key?: KeyMaterial): { canonical: string; valid: boolean };
}

export interface KeyMaterial {
  /** raw bytes of the file given with --key / --cert (or the sandbox key) */
  bytes: Uint8Array;
  passphrase?: string;
}

export class NotSupportedError extends Error {
  constructor(provider: ProviderId, what: string) {
    super(`${provider} does not support ${what}`);
    this.name = 'NotSupportedError';
  }
}
