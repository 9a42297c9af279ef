// The till's "new sale" form: the till's SERVER creates the order at PayQR, then shows it.
import { PayQrError } from '@payqr/node';
import { saleFromForm } from '../../../../src/cashier/sale';
import { tillBackend } from '../../../../src/cashier/backend';

export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  const till = await tillBackend();
  const back = (query: Record<string, string>) =>
    new Response(null, { status: 303, headers: { location: `/cashier?${new URLSearchParams(query)}`, 'cache-control': 'no-store' } });
  const origin = req.headers.get('origin');
  if (!till.sandbox || (origin && new URL(origin).host !== req.headers.get('host'))) return new Response('not found', { status: 404 });
  const form = await req.formData();
  const lang = String(form.get('lang') ?? '');
  const keep: Record<string, string> = /^(zh-CN|zh-TW|en)$/.test(lang) ? { lang } : {};
  const sale = saleFromForm(form);
  if (!sale.ok) return back({ ...keep, error: sale.message });
  try {
    const order = await till.payqr.orders.create(sale.body);
    return back({ ...keep, order: order.id });
  } catch (err) {
    return back({ ...keep, error: err instanceof PayQrError ? `PayQR: ${err.message}` : '创建订单失败' });
  }
}
