/**
 * The product's vocabulary. An order (what the shop sells: one amount, one currency) is paid by
 * attempts; each attempt goes through one channel (the wallet the payer uses) in one scene (`qr`:
 * the payer scans the code the page shows; `jsapi`: the page runs inside the wallet app; `h5`: a
 * mobile browser hands over to the wallet; `micropay`: the cashier scans the payer's code) with one
 * provider (docs/providers/README.md).
 */
export const CHANNELS = ['wechat', 'alipay', 'unionpay', 'ecny'] as const;
export type Channel = (typeof CHANNELS)[number];

export const SCENES = ['qr', 'jsapi', 'h5', 'micropay'] as const;
export type Scene = (typeof SCENES)[number];

export const PROVIDER_IDS = ['chaoying', 'umf-mofun', 'umf-sp', 'scanforpay', 'huishouyin'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const ORDER_STATUSES = ['open', 'paid', 'expired', 'canceled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ATTEMPT_STATUSES = ['pending', 'paid', 'failed', 'closed'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

export function isProviderId(v: string): v is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(v);
}
