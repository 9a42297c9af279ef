/**
 * CORS for the widget's endpoints only (order status, attempts, events, the widget file).
 * The shop page and the BFF usually live on different origins. Shop-server endpoints
 * (create, cancel, micropay) answer no CORS: the API key must never be used from a browser.
 */
export function corsHeaders(req: Request, allowed: '*' | string[]): Record<string, string> {
  const origin = req.headers.get('origin');
  if (!origin) return {};
  const ok = allowed === '*' || allowed.includes(origin);
  if (!ok) return { vary: 'Origin' };
  return {
    'access-control-allow-origin': allowed === '*' ? '*' : origin,
    'access-control-expose-headers': 'Date, X-Request-Id',
    vary: 'Origin',
  };
}

export function preflight(req: Request, allowed: '*' | string[], methods: string): Response {
  const base = corsHeaders(req, allowed);
  if (!base['access-control-allow-origin']) return new Response(null, { status: 403, headers: base });
  return new Response(null, {
    status: 204,
    headers: {
      ...base,
      'access-control-allow-methods': methods,
      'access-control-allow-headers': 'Authorization, Content-Type',
      'access-control-max-age': '600',
    },
  });
}
