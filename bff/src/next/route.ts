/** Next.js route adapters: a route file is one line that names the handler it serves. */
import type { Handlers, Params } from '../http/handlers';
import { getApp } from './app-instance';

type NextContext = { params: Promise<Record<string, string | string[] | undefined>> };

type PlainHandler = Exclude<keyof Handlers, 'preflight'>;

async function flat(ctx: NextContext | undefined): Promise<Params> {
  const raw = (ctx ? await ctx.params : undefined) ?? {};
  const out: Params = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join('/') : v;
  return out;
}

export function serve(name: PlainHandler) {
  return async (req: Request, ctx?: NextContext): Promise<Response> => {
    const app = await getApp();
    return app.handlers[name](req, await flat(ctx));
  };
}

export function servePreflight(methods: string) {
  return async (req: Request): Promise<Response> => {
    const app = await getApp();
    return app.handlers.preflight(methods)(req);
  };
}
