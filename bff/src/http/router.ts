/**
 * The same handlers as one fetch function, for the plain Node server and for tests.
 * (Next.js maps each route with its own file under app/; this table mirrors those files.)
 */
import type { Handler, Handlers } from './handlers';

interface RouteDef {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

function compile(path: string): { pattern: RegExp; keys: string[] } {
  const keys: string[] = [];
  const src = path
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        keys.push(seg.slice(1));
        return '([^/]+)';
      }
      if (seg === '*') return '(?:.*)';
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { pattern: new RegExp(`^${src}$`), keys };
}

export function createRouter(h: Handlers, extra: Array<[string, string, Handler]> = []): (req: Request) => Promise<Response> {
  const table: Array<[string, string, Handler]> = [
    ['POST', '/api/orders', h.createOrder],
    ['GET', '/api/orders/:id', h.getOrder],
    ['OPTIONS', '/api/orders/:id', h.preflight('GET')],
    ['GET', '/api/orders/:id/events', h.orderEvents],
    ['OPTIONS', '/api/orders/:id/events', h.preflight('GET')],
    ['POST', '/api/orders/:id/attempts', h.createAttempt],
    ['OPTIONS', '/api/orders/:id/attempts', h.preflight('POST')],
    ['POST', '/api/orders/:id/micropay', h.micropay],
    ['POST', '/api/orders/:id/cancel', h.cancelOrder],
    // operator API (docs/operator-api.md)
    ['GET', '/api/orders', h.listOrders],
    ['GET', '/api/orders/:id/timeline', h.orderTimeline],
    ['POST', '/api/orders/:id/sync', h.syncOrder],
    ['GET', '/api/notifications', h.listNotifications],
    ['POST', '/api/notifications/:id/resolve', h.resolveNotification],
    ['GET', '/api/webhooks/deliveries', h.listDeliveries],
    ['POST', '/api/events/:id/redeliver', h.redeliverEvent],
    ['POST', '/api/events/:id/resolve', h.resolveEvent],
    ['GET', '/api/audit', h.listAudit],
    ['GET', '/api/stats/overview', h.statsOverview],
    ['POST', '/api/console/session', h.consoleSignIn],
    ['GET', '/api/console/session', h.consoleSession],
    ['DELETE', '/api/console/session', h.consoleSignOut],
    ['POST', '/api/notify/:provider', h.notify],
    ['GET', '/api/health', h.health],
    ['GET', '/api/wechat/oauth', h.wechatOAuth],
    ['GET', '/api/wechat/oauth/callback', h.wechatOAuthCallback],
    ['GET', '/widget/:file', h.widget],
    ['GET', '/sandbox', h.sandbox],
    ['GET', '/sandbox/*', h.sandbox],
    ['POST', '/sandbox/*', h.sandbox],
    ['DELETE', '/sandbox/*', h.sandbox],
    ['OPTIONS', '/sandbox/*', h.sandbox],
    ...extra,
  ];
  const routes: RouteDef[] = table.map(([method, path, handler]) => ({ method, handler, ...compile(path) }));
  return async (req) => {
    const url = new URL(req.url);
    let pathMatched = false;
    for (const r of routes) {
      const m = r.pattern.exec(url.pathname);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== req.method && !(req.method === 'HEAD' && r.method === 'GET')) continue;
      const params: Record<string, string> = {};
      r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1] ?? '')));
      return r.handler(req, params);
    }
    const code = pathMatched ? 405 : 404;
    return new Response(JSON.stringify({ error: { code: code === 405 ? 'method_not_allowed' : 'not_found', message: code === 405 ? `${req.method} is not allowed here` : 'No such endpoint', requestId: '' } }), {
      status: code,
      headers: { 'content-type': 'application/json' },
    });
  };
}
