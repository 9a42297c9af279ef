/**
 * The demo shop's catalogue and the pure rules around a demo checkout (sandbox mode only).
 * Prices live here, on the server: the browser posts a product id, never an amount.
 */
import { CHANNELS, type Channel } from '../core/domain';

export interface Product {
  id: string;
  name: string;
  nameEn: string;
  origin: string;
  weight: string;
  notes: string;
  /** CNY fen */
  amount: number;
  /** the card's colour theme (CSS class suffix) */
  tone: 'green' | 'amber' | 'dark';
}

export const PRODUCTS: readonly Product[] = [
  {
    id: 'longjing',
    name: '西湖龙井',
    nameEn: 'West Lake Longjing',
    origin: '浙江杭州 Hangzhou',
    weight: '50 g',
    notes: '明前嫩芽，豆香清雅。Pre-Qingming buds, chestnut-sweet.',
    amount: 6800,
    tone: 'green',
  },
  {
    id: 'tieguanyin',
    name: '安溪铁观音',
    nameEn: 'Anxi Tieguanyin',
    origin: '福建安溪 Anxi',
    weight: '100 g',
    notes: '兰花香，回甘悠长。Orchid aroma, long sweet finish.',
    amount: 4500,
    tone: 'amber',
  },
  {
    id: 'puer',
    name: '勐海普洱熟茶饼',
    nameEn: 'Menghai Ripe Pu-erh Cake',
    origin: '云南勐海 Menghai',
    weight: '357 g',
    notes: '陈香醇厚，汤色红浓。Earthy, smooth, deep red liquor.',
    amount: 12800,
    tone: 'dark',
  },
];

export function findProduct(id: unknown): Product | undefined {
  return PRODUCTS.find((p) => p.id === id);
}

export const DEMO_LANGS = ['zh-CN', 'zh-TW', 'en'] as const;
export type DemoLang = (typeof DEMO_LANGS)[number];

/** Demo-only knobs taken from the shop page's query string (sandbox mode). */
export interface DemoOptions {
  /** the widget's `channels` attribute, in the given order */
  channels?: Channel[];
  lang?: DemoLang;
  /** the order's attemptTtlSeconds: a short QR lifetime to see "刷新付款码" */
  ttl?: number;
}

type Query = Record<string, string | string[] | undefined> | URLSearchParams | FormData;

function first(q: Query, key: string): string | undefined {
  if (q instanceof URLSearchParams || q instanceof FormData) {
    const v = q.get(key);
    return typeof v === 'string' ? v : undefined;
  }
  const v = q[key];
  return Array.isArray(v) ? v[0] : v;
}

/** Lenient: unknown or out-of-range values are dropped, not errors (it is a demo page). */
export function parseDemoOptions(q: Query): DemoOptions {
  const out: DemoOptions = {};
  const channels = (first(q, 'channels') ?? '')
    .split(/[\s,+]+/)
    .filter((c): c is Channel => (CHANNELS as readonly string[]).includes(c));
  if (channels.length) out.channels = [...new Set(channels)];
  const lang = first(q, 'lang');
  if (lang && (DEMO_LANGS as readonly string[]).includes(lang)) out.lang = lang as DemoLang;
  const ttl = Number(first(q, 'ttl'));
  if (Number.isInteger(ttl) && ttl >= 5 && ttl <= 3600) out.ttl = ttl;
  return out;
}

/** The options as query/form fields (for carrying them from `/` through the Buy form). */
export function demoOptionFields(o: DemoOptions): Array<[string, string]> {
  const f: Array<[string, string]> = [];
  if (o.channels?.length) f.push(['channels', o.channels.join(' ')]);
  if (o.lang) f.push(['lang', o.lang]);
  if (o.ttl) f.push(['ttl', String(o.ttl)]);
  return f;
}

/** Order metadata ↔ options: the order page reads them back from the server's order. */
export function demoMetadata(product: Product, o: DemoOptions): Record<string, string | number> {
  return {
    shop: 'payqr-demo',
    product: product.id,
    ...(o.channels?.length ? { channels: o.channels.join(' ') } : {}),
    ...(o.lang ? { lang: o.lang } : {}),
  };
}

export function optionsFromMetadata(metadata: unknown): Pick<DemoOptions, 'channels' | 'lang'> {
  if (!metadata || typeof metadata !== 'object') return {};
  const m = metadata as Record<string, unknown>;
  const parsed = parseDemoOptions({
    channels: typeof m.channels === 'string' ? m.channels : undefined,
    lang: typeof m.lang === 'string' ? m.lang : undefined,
  });
  return { ...(parsed.channels ? { channels: parsed.channels } : {}), ...(parsed.lang ? { lang: parsed.lang } : {}) };
}

/** `DEMO-<time>-<random>`: merchantOrderId rules are letters, digits and _ - . : */
export function demoMerchantOrderId(now: number, randomSuffix: string): string {
  return `DEMO-${now.toString(36).toUpperCase()}-${randomSuffix}`;
}

/** The httpOnly cookie that keeps one checkout's client secret (path-scoped to its order page). */
export function checkoutCookieName(orderId: string): string {
  return `payqr_checkout_${orderId}`;
}

export function formatCny(amount: number): string {
  return `¥${(amount / 100).toFixed(2)}`;
}
