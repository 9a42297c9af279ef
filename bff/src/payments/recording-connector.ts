/**
 * Every call PayQR makes to a provider — create, query, close, reverse — leaves a record for
 * the order timeline: the attempt, when it started, how long it took, what came back and the
 * provider's own code and message (ledger/provider-calls.ts).
 *
 * A decorator around each Connector (wired in app.ts), so no use-case has to remember it. It
 * adds nothing to the call itself: the answer goes back to the caller as it came, and the
 * record is one INSERT started afterwards in the background — never awaited by the payment,
 * never able to fail it. Notification verification and acks are not provider calls (the
 * provider called us; those are recorded as notifications).
 */
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import type { NewProviderCall, ProviderCallRepository } from '../ledger/provider-calls';
import type { ProviderCallOp } from '../ledger/schema';
import type { CloseResult, Connector, CreatePaymentResult, ProviderPaymentStatus } from '../providers/types';

type Answer = Pick<NewProviderCall, 'outcome' | 'code' | 'message'>;

export function recordingConnector(inner: Connector, deps: { calls: ProviderCallRepository; clock: Clock; log: Logger }): Connector {
  const onError = (err: unknown) => deps.log.warn('provider call not recorded', { error: String(err) });

  async function recorded<T>(op: ProviderCallOp, ref: { outTradeNo: string; attemptId?: string | undefined }, call: () => Promise<T>, describe: (r: T) => Answer): Promise<T> {
    const startedAt = deps.clock.now();
    let answer: Answer = { outcome: 'error' };
    try {
      const result = await call();
      answer = describe(result);
      return result;
    } catch (err) {
      answer = { outcome: 'error', message: err instanceof Error ? err.message : String(err) };
      throw err;
    } finally {
      deps.calls.recordInBackground(
        { provider: inner.id, op, outTradeNo: ref.outTradeNo, attemptId: ref.attemptId, startedAt, latencyMs: deps.clock.now() - startedAt, ...answer },
        onError,
      );
    }
  }

  const wrapped: Partial<Connector> = {
    createPayment: (input) => recorded('create', input, () => inner.createPayment(input), describeCreate),
    queryPayment: (ref) => recorded('query', ref, () => inner.queryPayment(ref), describeStatus),
    closePayment: (ref) => recorded('close', ref, () => inner.closePayment(ref), describeClose),
    ...(inner.reversePayment
      ? { reversePayment: (ref) => recorded('reverse', ref, () => inner.reversePayment!(ref), describeClose) }
      : {}),
  };
  // Everything else (id, capabilities, verifyNotification …) is the connector's own, `this` intact.
  return new Proxy(inner, {
    get(target, prop) {
      if (Object.prototype.hasOwnProperty.call(wrapped, prop)) return wrapped[prop as keyof Connector];
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function describeCreate(r: CreatePaymentResult): Answer {
  switch (r.outcome) {
    case 'created':
      return { outcome: 'created' };
    case 'paid':
      return describeStatus(r.status);
    case 'failed':
      return { outcome: 'failed', code: r.code, message: r.message };
    case 'unknown':
      return { outcome: 'unknown', message: r.progress ? `${r.reason} (${r.progress})` : r.reason };
  }
}

function describeStatus(s: ProviderPaymentStatus): Answer {
  return { outcome: s.state, code: s.providerCode, message: s.providerMessage ?? (s.progress ? `payer ${s.progress}` : undefined) };
}

function describeClose(r: CloseResult): Answer {
  if (r.alreadyPaid) return { outcome: 'paid', code: r.alreadyPaid.providerCode, message: r.detail ?? r.alreadyPaid.providerMessage };
  return { outcome: r.closed ? 'closed' : 'not_closed', message: r.detail };
}
