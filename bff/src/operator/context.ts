/**
 * What the operator use-cases work with: the payment context (ledger, connectors, clock …) and
 * the webhook dispatcher for re-sends. Built by app.ts; tests build it around a test ledger.
 */
import type { Actor } from '../ledger/audit';
import type { PaymentContext } from '../payments/context';
import type { WebhookDispatcher } from '../webhooks/dispatcher';

export interface OperatorContext {
  payments: PaymentContext;
  webhooks: Pick<WebhookDispatcher, 'redeliver'>;
  /** PAYQR_WEBHOOK_URL: where an event without its own target can be sent */
  defaultWebhookUrl: string | undefined;
}

/** Who is acting, for the audit log and resolutions. */
export interface OperatorCall {
  actor: Actor;
  requestId: string;
}

/** "api key", or "console: Li Wei (3f9a01c2)" — what resolved_by shows. */
export function actorLabel(actor: Actor): string {
  if (actor.type === 'api_key') return 'api key';
  return `console: ${actor.name ?? 'operator'}${actor.session ? ` (${actor.session.slice(0, 8)})` : ''}`;
}
