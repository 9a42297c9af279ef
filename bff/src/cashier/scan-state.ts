/**
 * PayQR's order view → the JSON `<pay-scan>` reads from the shop endpoint (its contract:
 * widget/src/scan/shop-client.ts, docs/pay-scan.md). The element knows nothing of attempts,
 * failure codes or providers: this is where a shop's server decides what its till shows.
 */
import type { Attempt, Order } from '@payqr/node';

export type ScanChannel = 'wechat' | 'alipay' | 'unionpay';

export interface ScanState {
  order: { id: string; status: Order['status']; amount: number; currency: string; subject?: string };
  scan?: {
    id: string;
    status: 'pending' | 'paid' | 'failed' | 'reversed';
    progress?: 'paying' | 'password_entry';
    channel?: ScanChannel;
    reason?: { code: string; message: string };
  };
}

/** Failure codes the ledger gives a micropay that PayQR reversed (撤销) instead of leaving open. */
const REVERSAL = /^REVERS(ING|ED|ED_REFUNDED)$/;

const isScanChannel = (c: string): c is ScanChannel => c === 'wechat' || c === 'alipay' || c === 'unionpay';

/** The order and its scan: `attempt` (a micropay answer's) or else the order's current attempt. */
export function scanStateOf(order: Order, attempt: Attempt | undefined = order.attempt): ScanState {
  const state: ScanState = {
    order: { id: order.id, status: order.status, amount: order.amount, currency: order.currency, subject: order.subject },
  };
  if (attempt?.scene === 'micropay') state.scan = scanOf(attempt);
  return state;
}

function scanOf(a: Attempt): NonNullable<ScanState['scan']> {
  const scan: NonNullable<ScanState['scan']> = { id: a.id, status: 'pending' };
  if (isScanChannel(a.channel)) scan.channel = a.channel;
  const code = a.failure?.code ?? '';
  const message = a.failure?.message ?? '';
  switch (a.status) {
    case 'pending':
      scan.progress = a.progress ?? 'paying';
      break;
    case 'paid':
      scan.status = 'paid';
      break;
    case 'closed':
      // A micropay closed at the provider before any payment (a provider without reverse).
      scan.status = 'reversed';
      scan.reason = { code: 'CLOSED', message: message || 'closed' };
      break;
    case 'failed':
      scan.status = REVERSAL.test(code) ? 'reversed' : 'failed';
      // message: the provider's words (余额不足 …), or why PayQR reversed (QUERY_DEADLINE, ATTEMPT_EXPIRED …)
      scan.reason = { code: code || 'failed', message: message || code || 'failed' };
      break;
  }
  return scan;
}
