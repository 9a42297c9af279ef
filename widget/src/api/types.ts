/** The product's vocabulary as the widget sees it (the README's "Server API"). */
export const CHANNELS = ['wechat', 'alipay', 'unionpay', 'ecny'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Scenes a browser can run; `micropay` is the cashier's, never the widget's. */
export const SCENES = ['qr', 'jsapi', 'h5'] as const;
export type Scene = (typeof SCENES)[number];

export type OrderStatus = 'open' | 'paid' | 'expired' | 'canceled';
export type AttemptStatus = 'pending' | 'paid' | 'failed' | 'closed';

export interface Attempt {
  id: string;
  outTradeNo?: string;
  provider?: string;
  channel: Channel;
  scene: Scene;
  status: AttemptStatus;
  /** ISO 8601 */
  expiresAt: string;
  qr?: { content: string };
  jsapi?: Record<string, unknown>;
  h5?: { url: string };
}

export interface Order {
  id: string;
  status: OrderStatus;
  /** integer minor units of `currency` */
  amount: number;
  currency: string;
  subject: string;
  /** ISO 8601 */
  expiresAt: string;
  paidAt?: string;
  channel?: Channel;
  /** the order's current attempt, as sent: api/attempts.ts `parseAttempt` checks it before use */
  attempt?: unknown;
  /** channels this order can be paid with (by QR) */
  channels?: string[];
  /** channels per scene (`qr`, `jsapi`, `h5`): what the in-app side may use */
  channelsByScene?: Partial<Record<Scene, string[]>>;
  /** changes with every change of the order (our BFF sends it; `?since=` long-polls from it) */
  version?: number;
}

export function isChannel(value: unknown): value is Channel {
  return (CHANNELS as readonly unknown[]).includes(value);
}

export function isScene(value: unknown): value is Scene {
  return (SCENES as readonly unknown[]).includes(value);
}
