/**
 * The operator API (docs/operator-api.md) and the console's sign-in endpoints, as plain
 * `(Request, params) => Response` functions like handlers.ts.
 *
 * Who may call: the shop's API key (`Authorization: Bearer <PAYQR_API_KEY>`) or a console
 * session (cookie; a change also needs its X-PayQR-CSRF token). An Authorization header is
 * all that counts when present — a client secret, or any other bearer, reads none of it (401),
 * even for the very order it belongs to. No CORS: the console is served by this same origin.
 */
import type { ConsoleAuth } from '../console-auth/console-auth';
import { notFound, PayQrError, unauthorized } from '../core/errors';
import type { Logger } from '../core/log';
import { newId } from '../core/random';
import type { Actor } from '../ledger/audit';
import { cancelOrder, redeliverEvent, resolveEvent, resolveNotification } from '../operator/actions';
import type { OperatorCall, OperatorContext } from '../operator/context';
import { listAudit, listDeliveries, listNotifications } from '../operator/lists';
import { listOrders, orderTimeline } from '../operator/orders';
import { overview } from '../operator/overview';
import { auditListParams, deliveryListParams, notificationListParams, orderListParams, overviewParams, parseParams, timelineParams } from '../operator/params';
import { syncOrder } from '../operator/sync';
import type { PaymentContext } from '../payments/context';
import type { WebhookDispatcher } from '../webhooks/dispatcher';
import { bearerToken, secretEquals } from './auth';
import { errorResponse, json, readJson } from './respond';

type Params = Record<string, string>;
type Handler = (req: Request, params: Params) => Promise<Response>;

export interface OperatorDeps {
  webhooks: Pick<WebhookDispatcher, 'redeliver'>;
  /** PAYQR_WEBHOOK_URL */
  defaultWebhookUrl: string | undefined;
  /** undefined: the console is off (no password): its endpoints answer 404, no cookie counts */
  console: ConsoleAuth | undefined;
}

export function createOperatorHandlers(payments: PaymentContext, deps: OperatorDeps, baseLog: Logger) {
  const log = baseLog.child('operator');
  const ctx: OperatorContext = { payments, webhooks: deps.webhooks, defaultWebhookUrl: deps.defaultWebhookUrl };

  /** Request id, error mapping (429 with Retry-After), never cached. */
  const route =
    (fn: (req: Request, params: Params, requestId: string) => Promise<Response>): Handler =>
    async (req, params) => {
      const requestId = newId(payments.random, 'req');
      try {
        const res = await fn(req, params, requestId);
        res.headers.set('x-request-id', requestId);
        if (!res.headers.has('cache-control')) res.headers.set('cache-control', 'no-store');
        return res;
      } catch (err) {
        const res = errorResponse(err, requestId, log);
        const retry = err instanceof PayQrError ? err.details?.retryAfterSeconds : undefined;
        if (typeof retry === 'number') res.headers.set('retry-after', String(retry));
        return res;
      }
    };

  async function actorOf(req: Request, mutating: boolean): Promise<Actor> {
    if (req.headers.has('authorization')) {
      const token = bearerToken(req);
      if (token && payments.config.apiKey && secretEquals(token, payments.config.apiKey)) return { type: 'api_key' };
      throw unauthorized('The operator API takes the API key ("Authorization: Bearer <PAYQR_API_KEY>") or a console session; a client secret reads none of it.');
    }
    const session = deps.console ? await deps.console.session(req, { mutating }) : undefined;
    if (session) return session.actor;
    throw unauthorized('Sign in to the console, or send "Authorization: Bearer <PAYQR_API_KEY>" from a server.');
  }

  /** An operator endpoint: authenticate (CSRF for changes), then run. */
  const operator = (mutating: boolean, fn: (req: Request, params: Params, call: OperatorCall) => Promise<Response>): Handler =>
    route(async (req, params, requestId) => fn(req, params, { actor: await actorOf(req, mutating), requestId }));

  const id = (params: Params) => {
    if (!params.id) throw notFound();
    return params.id;
  };
  const query = (req: Request) => new URL(req.url).searchParams;

  const consoleOff = () => notFound('endpoint (the console is off: set PAYQR_CONSOLE_PASSWORD or PAYQR_CONSOLE_PASSWORD_HASH)');

  return {
    /** GET /api/orders */
    listOrders: operator(false, async (req) => json(200, await listOrders(ctx, parseParams(orderListParams, query(req))))),

    /** GET /api/orders/{id}/timeline[?wait=N&since=<version>] */
    orderTimeline: operator(false, async (req, params) => {
      const p = parseParams(timelineParams, query(req));
      return json(200, await orderTimeline(ctx, id(params), { wait: p.wait, since: p.since, signal: req.signal }));
    }),

    /** POST /api/orders/{id}/sync (补单) */
    syncOrder: operator(true, async (_req, params, call) => json(200, await syncOrder(ctx, id(params), call))),

    /** POST /api/orders/{id}/cancel — the shop's server (API key) or the console; audited either way */
    cancelOrder: operator(true, async (_req, params, call) => json(200, await cancelOrder(ctx, id(params), call))),

    /** GET /api/notifications */
    listNotifications: operator(false, async (req) => json(200, await listNotifications(ctx, parseParams(notificationListParams, query(req))))),

    /** POST /api/notifications/{id}/resolve {resolution, note} */
    resolveNotification: operator(true, async (req, params, call) => json(200, await resolveNotification(ctx, id(params), await readJson(req), call))),

    /** GET /api/webhooks/deliveries */
    listDeliveries: operator(false, async (req) => json(200, await listDeliveries(ctx, parseParams(deliveryListParams, query(req))))),

    /** POST /api/events/{id}/redeliver */
    redeliverEvent: operator(true, async (_req, params, call) => json(200, await redeliverEvent(ctx, id(params), call))),

    /** POST /api/events/{id}/resolve {resolution, note} — order.duplicate_payment */
    resolveEvent: operator(true, async (req, params, call) => json(200, await resolveEvent(ctx, id(params), await readJson(req), call))),

    /** GET /api/audit */
    listAudit: operator(false, async (req) => json(200, await listAudit(ctx, parseParams(auditListParams, query(req))))),

    /** GET /api/stats/overview?from=&to= */
    statsOverview: operator(false, async (req) => json(200, await overview(ctx, parseParams(overviewParams, query(req))))),

    /** POST /api/console/session {password, name?} */
    consoleSignIn: route(async (req, _params, requestId) => {
      if (!deps.console) throw consoleOff();
      return deps.console.signIn(req, requestId);
    }),

    /** GET /api/console/session */
    consoleSession: route(async (req) => {
      if (!deps.console) throw consoleOff();
      return deps.console.whoAmI(req);
    }),

    /** DELETE /api/console/session */
    consoleSignOut: route(async (req, _params, requestId) => {
      if (!deps.console) throw consoleOff();
      return deps.console.signOut(req, requestId);
    }),
  };
}

export type OperatorHandlers = ReturnType<typeof createOperatorHandlers>;
