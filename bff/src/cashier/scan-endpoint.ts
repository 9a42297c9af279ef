/**
 * The demo till's scan endpoint (`/cashier/api/scan`), framework-free: what a shop's server
 * puts behind `<pay-scan action="…">`. It answers the element's JSON contract
 * (docs/pay-scan.md) by calling PayQR with @payqr/node and the API key:
 *
 *   GET  ?order=ord_…&wait=N           → GET  /api/orders/{id}?wait=N          → ScanState
 *   POST {"order","authCode"}          → POST /api/orders/{id}/micropay        → ScanState
 *
 * PayQR's own errors (an unknown wallet's code, an order already paid) pass through with their
 * status and `{error}` body. The payer's code is never logged whole.
 */
import { PayQrApiError, PayQrAuthenticationError, PayQrError, type PayQr } from '@payqr/node';
import { maskCode, type Logger } from '../core/log';
import { scanStateOf } from './scan-state';

export interface ScanEndpointDeps {
  payqr: Pick<PayQr, 'orders'>;
  log: Logger;
  /** the demo till has no cashier login: it serves only in sandbox mode */
  sandbox: boolean;
}

const ORDER_ID = /^ord_[a-z0-9]{24}$/;
const MAX_WAIT_SECONDS = 25;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } });
const error = (status: number, code: string, message: string, requestId?: string) =>
  json(status, { error: { code, message, ...(requestId ? { requestId } : {}) } });

export function createScanEndpoint(deps: ScanEndpointDeps) {
  const log = deps.log;

  /** PayQR's refusal → the same answer for the till; our own trouble → 502 without details. */
  const fromPayQr = (err: unknown, what: string, order: string): Response => {
    if (err instanceof PayQrAuthenticationError) {
      log.error('PayQR refused the till server\'s API key', { order, what, requestId: err.requestId });
      return error(502, 'till_misconfigured', 'The till server could not authenticate to PayQR.', err.requestId);
    }
    if (err instanceof PayQrError) {
      // no answer (connection, timeout), PayQR's 5xx, or an answer that is not PayQR's
      if (err.status === undefined || err.status >= 500 || err instanceof PayQrApiError) {
        log.warn('PayQR unavailable', { order, what, status: err.status, code: err.code, requestId: err.requestId });
        return error(502, 'payqr_unavailable', 'PayQR did not answer; try again.', err.requestId);
      }
      return error(err.status, err.code, err.message, err.requestId);
    }
    log.error('scan endpoint failed', { order, what, error: String(err) });
    return error(500, 'internal', 'The till server failed.');
  };

  /** No login on the demo till, so: sandbox only, and only from this site (no cross-site posts). */
  const refuse = (req: Request): Response | undefined => {
    if (!deps.sandbox) return error(404, 'not_found', 'The demo cashier runs in sandbox mode only.');
    const origin = req.headers.get('origin');
    const host = req.headers.get('host');
    if (origin && host && new URL(origin).host !== host) return error(403, 'forbidden', 'Cross-site requests are not accepted.');
    return undefined;
  };

  return {
    async GET(req: Request): Promise<Response> {
      const refused = refuse(req);
      if (refused) return refused;
      const url = new URL(req.url);
      const order = url.searchParams.get('order') ?? '';
      if (!ORDER_ID.test(order)) return error(400, 'invalid_request', 'order: a PayQR order id, ord_…');
      const wait = Math.max(0, Math.min(MAX_WAIT_SECONDS, Math.floor(Number(url.searchParams.get('wait') ?? 0) || 0)));
      try {
        return json(200, scanStateOf(await deps.payqr.orders.retrieve(order, { wait })));
      } catch (err) {
        return fromPayQr(err, 'status', order);
      }
    },

    async POST(req: Request): Promise<Response> {
      const refused = refuse(req);
      if (refused) return refused;
      if (!/^application\/json\b/i.test(req.headers.get('content-type') ?? '')) {
        return error(415, 'invalid_request', 'Content-Type: application/json');
      }
      let body: { order?: unknown; authCode?: unknown };
      try {
        body = (await req.json()) as typeof body;
      } catch {
        return error(400, 'invalid_request', 'body: not valid JSON');
      }
      const order = typeof body?.order === 'string' ? body.order : '';
      const authCode = typeof body?.authCode === 'string' ? body.authCode.trim() : '';
      if (!ORDER_ID.test(order)) return error(400, 'invalid_request', 'order: a PayQR order id, ord_…');
      if (!authCode || authCode.length > 64) return error(400, 'invalid_request', 'authCode: the code scanned from the payer\'s wallet');
      try {
        const answer = await deps.payqr.orders.micropay(order, { authCode });
        log.info('scanned', { order, attempt: answer.attempt.id, code: maskCode(authCode), result: answer.status, progress: answer.progress });
        // The order as PayQR has it now, with this scan as its attempt.
        return json(200, scanStateOf(await deps.payqr.orders.retrieve(order), answer.attempt));
      } catch (err) {
        if (err instanceof PayQrError && err.status !== undefined && err.status >= 400 && err.status < 500) {
          log.info('scan refused', { order, code: maskCode(authCode), status: err.status, error: err.code });
        }
        return fromPayQr(err, 'scan', order);
      }
    },
  };
}
