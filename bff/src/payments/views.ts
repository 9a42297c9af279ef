/** The JSON shapes the HTTP API returns (contract.md "Server API"). */
import type { Channel, Scene } from '../core/domain';
import { CHANNELS } from '../core/domain';
import type { AttemptRow, OrderRow } from '../ledger/schema';
import type { RoutingTable } from '../config/env';

export interface AttemptView {
  id: string;
  outTradeNo: string;
  provider: string;
  channel: Channel;
  scene: Scene;
  status: AttemptRow['status'];
  expiresAt: string;
  qr?: { content: string };
  jsapi?: Record<string, string>;
  h5?: { url: string };
  paidAt?: string;
  failure?: { code: string | null; message: string | null };
  /** micropay while pending: paying, or the payer is entering the password */
  progress?: 'paying' | 'password_entry';
}

export function attemptView(a: AttemptRow): AttemptView {
  const view: AttemptView = {
    id: a.id,
    outTradeNo: a.out_trade_no,
    provider: a.provider,
    channel: a.channel,
    scene: a.scene,
    status: a.status,
    expiresAt: new Date(a.expires_at).toISOString(),
  };
  if (a.action_payload && a.status === 'pending') {
    const payload = JSON.parse(a.action_payload) as unknown;
    if (a.action_kind === 'qr') view.qr = payload as { content: string };
    else if (a.action_kind === 'jsapi') view.jsapi = payload as Record<string, string>;
    else if (a.action_kind === 'h5') view.h5 = payload as { url: string };
  }
  if (a.paid_at) view.paidAt = new Date(a.paid_at).toISOString();
  if (a.scene === 'micropay' && a.status === 'pending') {
    const extra = a.extra ? (JSON.parse(a.extra) as { progress?: AttemptView['progress'] }) : {};
    view.progress = extra.progress ?? 'paying';
  }
  if (a.status === 'failed') view.failure = { code: a.failure_code, message: a.failure_message };
  return view;
}

export interface OrderView {
  id: string;
  merchantOrderId: string;
  status: OrderRow['status'];
  amount: number;
  currency: string;
  subject: string;
  expiresAt: string;
  paidAt?: string;
  channel?: Channel;
  attempt?: AttemptView;
  /** channels a payer can use for this order, by scene (from the routing) */
  channels: Channel[];
  channelsByScene: Partial<Record<Scene, Channel[]>>;
  /** increases on every change; `GET …?wait=N&since=<version>` returns at once if it moved */
  version: number;
  /** the server's clock, so a browser can correct its countdown for skew */
  serverTime: string;
  metadata?: unknown;
}

export function orderView(
  o: OrderRow,
  attempt: AttemptRow | undefined,
  availability: Partial<Record<Scene, Channel[]>>,
  now: number,
  opts: { includeMetadata: boolean },
): OrderView {
  const view: OrderView = {
    id: o.id,
    merchantOrderId: o.merchant_order_id,
    status: o.status,
    amount: o.amount,
    currency: o.currency,
    subject: o.subject,
    expiresAt: new Date(o.expires_at).toISOString(),
    channels: availability.qr ?? [],
    channelsByScene: availability,
    version: o.version,
    serverTime: new Date(now).toISOString(),
  };
  if (o.paid_at) view.paidAt = new Date(o.paid_at).toISOString();
  if (attempt) {
    view.channel = attempt.channel;
    view.attempt = attemptView(attempt);
  }
  if (opts.includeMetadata && o.metadata) view.metadata = JSON.parse(o.metadata) as unknown;
  return view;
}

export function routableChannels(routing: RoutingTable, scene: Scene, usable: (c: Channel) => boolean): Channel[] {
  return CHANNELS.filter((c) => (routing[`${c}:${scene}`] ?? []).length > 0 && usable(c));
}
