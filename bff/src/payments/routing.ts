/**
 * Which provider serves a channel × scene: the configured routing table in fallback order,
 * keeping only providers that are configured, can do it, and charge the order's currency.
 */
import type { Channel, ProviderId, Scene } from '../core/domain';
import { SCENES } from '../core/domain';
import type { Connector } from '../providers/types';
import type { PaymentContext } from './context';
import { routableChannels } from './views';

export function providersFor(
  ctx: PaymentContext,
  channel: Channel,
  scene: Scene,
  currency: string,
  /** a caller's pick: in sandbox mode any configured provider, in live mode one the routing lists */
  only?: ProviderId,
): Connector[] {
  const out: Connector[] = [];
  const routed = ctx.config.routing[`${channel}:${scene}`] ?? [];
  const ids = only ? (ctx.config.mode === 'sandbox' || routed.includes(only) ? [only] : []) : routed;
  for (const id of ids) {
    const c = ctx.connectors.get(id);
    if (!c) continue;
    if (!c.capabilities.some((cap) => cap.channel === channel && cap.scene === scene)) continue;
    if (!c.supportsCurrency(currency)) continue;
    out.push(c);
  }
  return out;
}

/** Channels a payer can use for an order in each scene (the widget's picker). */
export function availability(ctx: PaymentContext, currency: string): Partial<Record<Scene, Channel[]>> {
  const out: Partial<Record<Scene, Channel[]>> = {};
  for (const scene of SCENES) {
    out[scene] = routableChannels(ctx.config.routing, scene, (c) => providersFor(ctx, c, scene, currency).length > 0);
  }
  return out;
}
