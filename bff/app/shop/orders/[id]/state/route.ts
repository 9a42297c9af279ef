/** The order as the server sees it, for the demo order page's live panel (cookie-gated). */
import { shopOrderState } from '../../../../../src/shop/state';
import { readCheckout, shopBackend } from '../../../server';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  const shop = await shopBackend();
  const found = shop ? await readCheckout(shop, id) : undefined;
  if (!found) return Response.json({ error: { code: 'not_found', message: 'No such checkout in this browser.' } }, { status: 404 });
  return Response.json(shopOrderState(found.view, true), { headers: { 'cache-control': 'no-store' } });
}
