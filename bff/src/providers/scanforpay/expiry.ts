/**
 * scanforpay expiry strings (订单创建, `it_b_pay` and `qr_code_it_b_pay`; docs/providers/scanforpay.md
 * "Expiry"). Pure.
 *
 * - `it_b_pay` String(10): how long the payer has *from scanning the QR*; 1m–15d, or `c`
 *   (当日: closes at 0:00 whenever created); default 3m.
 * - `qr_code_it_b_pay` String(10): how long the payer has *from the QR's creation*; 1m–2h
 *   (units m and h only). When present, `it_b_pay` is ignored.
 * - Units m/h/d; decimals are refused ("1.5h需要转换为90m").
 *
 * Our choice (the seed prescribes none): the attempt's remaining lifetime at the moment of the
 * create call, rounded UP to whole minutes (never less than 1m) — so the QR never dies before
 * the countdown the payer sees; the sweeper closes the attempt on our side at its own expiry.
 * When that fits in 2 h we send `qr_code_it_b_pay`, which counts from creation exactly like our
 * countdown; beyond 2 h only `it_b_pay` can express it (clamped to 15d), and since it counts
 * from the scan the provider may accept a payment up to one window after our expiry — the
 * `lapsesAt` below says so, and `closePayment` waits for it.
 * The value is written in the largest unit that divides it exactly: 120 minutes → `2h`,
 * 90 → `90m`, 1440 → `1d`.
 */
import { invalidRequest } from '../../core/errors';

export const MINUTE_MS = 60_000;
const HOUR_MINUTES = 60;
const DAY_MINUTES = 24 * 60;

export const IT_B_PAY_MAX_MINUTES = 15 * DAY_MINUTES;
export const QR_CODE_IT_B_PAY_MAX_MINUTES = 2 * HOUR_MINUTES;
/** seed: 默认情况下，此字段的值为3m */
export const IT_B_PAY_DEFAULT_MINUTES = 3;
/** seed: String(10) */
export const EXPIRY_MAX_LENGTH = 10;

export type ExpiryField = 'it_b_pay' | 'qr_code_it_b_pay';

export interface ScanforpayExpiry {
  field: ExpiryField;
  /** e.g. `15m`, `2h`, `1d` */
  value: string;
  minutes: number;
  /** the latest moment (epoch ms) scanforpay can still accept a payment for this QR */
  lapsesAt: number;
}

/** Minutes → the seed's notation in the largest exact unit. */
export function formatExpiryMinutes(minutes: number): string {
  if (!Number.isSafeInteger(minutes) || minutes < 1) throw new Error(`not a whole number of minutes ≥ 1: ${minutes}`);
  if (minutes % DAY_MINUTES === 0) return `${minutes / DAY_MINUTES}d`;
  if (minutes % HOUR_MINUTES === 0) return `${minutes / HOUR_MINUTES}h`;
  return `${minutes}m`;
}

/**
 * The expiry to send for an attempt created now that expires at `expiresAt`.
 * Throws (invalid request) when the attempt has already expired.
 */
export function expiryFor(now: number, expiresAt: number): ScanforpayExpiry {
  const remaining = expiresAt - now;
  if (!(remaining > 0)) throw invalidRequest('the attempt has already expired: nothing to create at scanforpay');
  const minutes = Math.max(1, Math.ceil(remaining / MINUTE_MS));
  if (minutes <= QR_CODE_IT_B_PAY_MAX_MINUTES) {
    return { field: 'qr_code_it_b_pay', value: formatExpiryMinutes(minutes), minutes, lapsesAt: now + minutes * MINUTE_MS };
  }
  const clamped = Math.min(minutes, IT_B_PAY_MAX_MINUTES);
  // Counted from the scan: a payer who scans just before our expiry still has the whole window.
  return { field: 'it_b_pay', value: formatExpiryMinutes(clamped), minutes: clamped, lapsesAt: expiresAt + clamped * MINUTE_MS };
}

export type ParsedExpiry = { kind: 'minutes'; minutes: number } | { kind: 'today' };

/** Reads an expiry string by the seed's rules (the simulator's check). Reasons are the seed's words. */
export function parseExpiry(field: ExpiryField, text: string): { ok: true; value: ParsedExpiry } | { ok: false; reason: string } {
  const max = field === 'it_b_pay' ? IT_B_PAY_MAX_MINUTES : QR_CODE_IT_B_PAY_MAX_MINUTES;
  const range = field === 'it_b_pay' ? '1m-15d' : '1m-2h';
  if (text.length > EXPIRY_MAX_LENGTH) return { ok: false, reason: `${field} 最长${EXPIRY_MAX_LENGTH}个字符` };
  if (field === 'it_b_pay' && text === 'c') return { ok: true, value: { kind: 'today' } };
  if (/^\d*\.\d*[a-z]?$/.test(text)) return { ok: false, reason: `${field} 该参数数值的小数点被拒绝，例如1.5h需要转换为90m (got ${JSON.stringify(text)})` };
  const m = /^(\d{1,8})([mhd])$/.exec(text);
  if (!m || (field === 'qr_code_it_b_pay' && m[2] === 'd')) {
    return { ok: false, reason: `${field} 格式错误，应为数字加单位${field === 'it_b_pay' ? ' m/h/d 或 c' : ' m/h'} (got ${JSON.stringify(text)})` };
  }
  const n = Number(m[1]);
  const minutes = m[2] === 'd' ? n * DAY_MINUTES : m[2] === 'h' ? n * HOUR_MINUTES : n;
  if (minutes < 1 || minutes > max) return { ok: false, reason: `${field} 的值应在${range}的范围内 (got ${JSON.stringify(text)})` };
  return { ok: true, value: { kind: 'minutes', minutes } };
}

const BEIJING_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** The next 0:00 in Beijing time after `ms` (`it_b_pay=c`: 无论何时创建交易，都将在0:00关闭). */
export function nextBeijingMidnight(ms: number): number {
  return (Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS) + 1) * DAY_MS - BEIJING_OFFSET_MS;
}

/**
 * When an order created at `createdAt` with these (already valid) fields stops being payable, as
 * the sandbox models it. `qr_code_it_b_pay` wins (seed: 如果指定了此参数，则it_b_pay参数将无效).
 * The sandbox cannot see the moment of the scan, so `it_b_pay` windows start at creation — the
 * earliest lapse a real payer could see (assumed).
 */
export function simulatedLapse(createdAt: number, fields: { it_b_pay?: ParsedExpiry | undefined; qr_code_it_b_pay?: ParsedExpiry | undefined }): number {
  const chosen = fields.qr_code_it_b_pay ?? fields.it_b_pay ?? { kind: 'minutes', minutes: IT_B_PAY_DEFAULT_MINUTES };
  return chosen.kind === 'today' ? nextBeijingMidnight(createdAt) : createdAt + chosen.minutes * MINUTE_MS;
}
