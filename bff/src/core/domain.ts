/** The product's vocabulary (contract.md "Words"). */
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
