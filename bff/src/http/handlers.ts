/**
 * The HTTP API (contract.md "Server API") as plain `(Request, params) => Response` functions:
 * parse → call a use-case → map errors in one place. Next.js route files and the plain Node
 * server both mount exactly these.
 */
import { isProviderId } from '../core/domain';
import { invalidRequest, notFound, PayQrError } from '../core/errors';
import type { Logger } from '../core/log';
import { newId } from '../core/random';
import type { Ledger } from '../ledger/ledger';
import { createAttempt } from '../payments/attempts';
import type { PaymentContext } from '../payments/context';
import { micropay } from '../payments/micropay';
import { handleNotification } from '../payments/notifications';
import { createOrder, getOrder, loadOrderFor, type Caller } from '../payments/orders';
import { maybeSyncOnPoll } from '../payments/sync';
import type { SandboxHub } from '../sandbox/hub';
import type { WechatOAuth } from '../wechat/oauth';
import { bearerToken, requireApiKey, secretEquals } from './auth';
import { corsHeaders, preflight } from './cors';
import { createOperatorHandlers, type OperatorDeps } from './operator-handlers';
import { errorResponse, json, readBody, readJson } from './respond';
import { HASHED_CHUNK, type WidgetFiles } from './widget-files';

export type Params = Record<string, string>;
export type Handler = (req: Request, params: Params) => Promise<Response>;

export interface HttpDeps {
  ctx: PaymentContext;
  ledger: Ledger;
  allowedOrigins: '*' | string[];
  hub: SandboxHub | undefined;
  /** the built widget (widget/dist) and the chunks of earlier builds (widget-files.ts) */
  widgetFiles: WidgetFiles;
  log: Logger;
  /** extra handlers added by later features (micropay, OAuth …) */
  /** WeChat official-account OAuth (wechat/oauth.ts); absent: the endpoints answer 404 */
  wechatOAuth?: WechatOAuth | undefined;
  /** sandbox services beside the provider simulators: `/sandbox/wechat` (OAuth twin), `/sandbox/wallet` */
  sandboxRoutes?: ReadonlyArray<SandboxRoute>;
  /** the operator API and console sign-in (operator-handlers.ts) */
  operator: OperatorDeps;
}

export interface SandboxRoute {
  /** e.g. `/sandbox/wallet`; `handle` gets what follows it */
  prefix: string;
  handle(req: Request, path: string): Promise<Response>;
}

export function createHandlers(d: HttpDeps) {
  const { ctx } = d;
  const log = d.log.child('http');

  /** Wrap a handler: request id, error mapping, optional CORS. */
  const route =
    (fn: (req: Request, params: Params, requestId: string) => Promise<Response>, opts: { cors?: boolean } = {}): Handler =>
    async (req, params) => {
      const requestId = newId(ctx.random, 'req');
      const cors = opts.cors ? corsHeaders(req, d.allowedOrigins) : {};
      try {
        const res = await fn(req, params, requestId);
        for (const [k, v] of Object.entries(cors)) res.headers.set(k, v);
        res.headers.set('x-request-id', requestId);
        return res;
      } catch (err) {
        return errorResponse(err, requestId, log, cors);
      }
    };

  /** Widget (client secret) or shop server (API key). */
  const callerOf = (req: Request): Caller => {
    const token = bearerToken(req);
    if (!token) throw new PayQrError(401, 'unauthorized', 'Missing credentials: "Authorization: Bearer <client secret or API key>".');
    if (ctx.config.apiKey && secretEquals(token, ctx.config.apiKey)) return { kind: 'shop' };
    return { kind: 'client', secret: token };
  };

  const orderId = (params: Params) => {
    const id = params.id;
    if (!id) throw notFound();
    return id;
  };

  return {
    createOrder: route(async (req) => {
      requireApiKey(req, ctx.config.apiKey);
      const { order, created } = await createOrder(ctx, await readJson(req));
      return json(created ? 201 : 200, order);
    }),

    getOrder: route(
      async (req, params) => {
        const url = new URL(req.url);
        const wait = url.searchParams.get('wait');
        const since = url.searchParams.get('since');
        const waitSeconds = wait === null ? 0 : Number(wait);
        if (!Number.isFinite(waitSeconds) || waitSeconds < 0 || waitSeconds > 30) throw invalidRequest('wait: seconds between 0 and 30');
        if (since !== null && !/^\d+$/.test(since)) throw invalidRequest('since: an order version (integer)');
        const view = await getOrder(ctx, orderId(params), callerOf(req), {
          waitSeconds,
          ...(since !== null ? { since: Number(since) } : {}),
          signal: req.signal,
        });
        return json(200, view);
      },
      { cors: true },
    ),

    /** Server-sent events: one `status` event now and on every change. */
    orderEvents: route(
      async (req, params) => {
        const secret = new URL(req.url).searchParams.get('secret') ?? bearerToken(req);
        if (!secret) throw new PayQrError(401, 'unauthorized', 'Missing ?secret=<client secret>.');
        const caller: Caller = ctx.config.apiKey && secretEquals(secret, ctx.config.apiKey) ? { kind: 'shop' } : { kind: 'client', secret };
        const first = await loadOrderFor(ctx, orderId(params), caller);
        return sseStream(ctx, first.id, caller, req.signal);
      },
      { cors: true },
    ),

    createAttempt: route(
      async (req, params) => {
        const caller = callerOf(req);
        const order = await loadOrderFor(ctx, orderId(params), caller);
        const body = await readJson(req);
        const clientIp = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || undefined;
        const attempt = await createAttempt(ctx, order, body, { clientIp });
        return json(201, { ...attempt, serverTime: new Date(ctx.clock.now()).toISOString() });
      },
      { cors: true },
    ),

    /** The cashier's scan. The API key stays on the shop's server (the till's backend calls this). */
    micropay: route(async (req, params) => {
      requireApiKey(req, ctx.config.apiKey);
      const order = await loadOrderFor(ctx, orderId(params), { kind: 'shop' });
      const result = await micropay(ctx, order, await readJson(req));
      return json(200, { ...result, serverTime: new Date(ctx.clock.now()).toISOString() });
    }),

    notify: async (req: Request, params: Params): Promise<Response> => {
      const requestId = newId(ctx.random, 'req');
      const provider = params.provider ?? '';
      try {
        if (!isProviderId(provider)) throw notFound('provider');
        const body = await readBody(req);
        return await handleNotification(ctx, provider, {
          body,
          contentType: req.headers.get('content-type') ?? '',
          headers: req.headers,
        });
      } catch (err) {
        // Never "success" on an error: the provider will retry.
        return errorResponse(err, requestId, log);
      }
    },

    health: route(async () => {
      const started = Date.now();
      let database: 'ok' | 'unreachable' = 'ok';
      try {
        await d.ledger.db.selectFrom('orders').select('id').limit(1).execute();
      } catch {
        database = 'unreachable';
      }
      const body = {
        status: database === 'ok' ? 'ok' : 'degraded',
        mode: ctx.config.mode,
        database: { dialect: d.ledger.dialect, status: database, latencyMs: Date.now() - started },
        providers: [...ctx.connectors.keys()],
        time: new Date(ctx.clock.now()).toISOString(),
      };
      return json(database === 'ok' ? 200 : 503, body);
    }),

    /** The widget bundle (and its lazily loaded chunks), for shop pages on any origin. */
    widget: async (req: Request, params: Params): Promise<Response> => {
      const file = params.file ?? '';
      const bytes = await d.widgetFiles.read(file);
      if (!bytes) return new Response('not found', { status: 404 });
      return new Response(new Uint8Array(bytes), {
        headers: {
          'content-type': file.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'application/json',
          // chunks are content-hashed and never change; anything else (the entries pay-qr.js and
          // pay-scan.js keep their names across releases) may be replaced by the next deploy
          'cache-control': HASHED_CHUNK.test(file) ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
          'access-control-allow-origin': '*',
          'cross-origin-resource-policy': 'cross-origin',
        },
      });
    },

    /** The built-in provider simulators (sandbox mode only). */
    sandbox: async (req: Request): Promise<Response> => {
      if (!d.hub) return json(404, { error: { code: 'not_found', message: 'The sandbox runs only in sandbox mode.', requestId: '' } });
      const { pathname } = new URL(req.url);
      const extra = d.sandboxRoutes?.find((r) => pathname === r.prefix || pathname.startsWith(`${r.prefix}/`));
      if (extra) return extra.handle(req, pathname.slice(extra.prefix.length) || '/');
      return d.hub.handle(req);
    },

    /** `GET /api/wechat/oauth?return=<shop page>`: starts the openid round trip (wechat/oauth.ts). */
    wechatOAuth: route(async (req) => {
      if (!d.wechatOAuth) throw notFound('endpoint (WeChat OAuth is not set up)');
      return d.wechatOAuth.start(req);
    }),

    /** `GET /api/wechat/oauth/callback?return&code&state`: WeChat sends the browser back here. */
    wechatOAuthCallback: route(async (req) => {
      if (!d.wechatOAuth) throw notFound('endpoint (WeChat OAuth is not set up)');
      return d.wechatOAuth.callback(req);
    }),

    preflight: (methods: string) => async (req: Request) => preflight(req, d.allowedOrigins, methods),

    // the operator API (list, timeline, sync, cancel, redeliver, resolve, audit, overview) and console sign-in
    ...createOperatorHandlers(ctx, d.operator, d.log),
  };
}

export type Handlers = ReturnType<typeof createHandlers>;

function sseStream(ctx: PaymentContext, orderId: string, caller: Caller, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  let stop: () => void = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let lastVersion = -1;
      let closed = false;
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const push = async () => {
        const view = await getOrder(ctx, orderId, caller);
        if (view.version !== lastVersion) {
          lastVersion = view.version;
          send(`event: status\nid: ${view.version}\ndata: ${JSON.stringify(view)}\n\n`);
        }
        return view;
      };
      const unsubscribe = ctx.ledger.feed.subscribe(orderId, () => void push().catch(() => {}));
      // While open: keep the 5 s provider sync going (the shopper is watching) and a heartbeat.
      const tick = setInterval(() => {
        void (async () => {
          const order = await ctx.ledger.orders.get(orderId);
          if (order) await maybeSyncOnPoll(ctx, order);
          send(': ping\n\n');
        })().catch(() => {});
      }, 5000);
      stop = () => {
        if (closed) return;
        closed = true;
        clearInterval(tick);
        unsubscribe();
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      };
      signal.addEventListener('abort', stop, { once: true });
      send('retry: 3000\n\n');
      void push().catch(() => stop());
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
