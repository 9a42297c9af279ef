/**
 * The sandbox hub: the machinery every provider simulator shares (docs/providers/README.md "The sandbox").
 *
 * A simulator (`providers/<id>/simulator.ts`) speaks its provider's wire protocol and keeps its
 * own order state; the hub gives it the rest:
 *
 * 1. **Payer sessions** — `openPayerSession({...order, onPay, onDecline})` returns
 *    `{id, url}` with `url = {publicUrl}/sandbox/pay/{id}`: put that URL in the QR code
 *    (`code_url` …). Opening it on a phone shows the payer page with "支付 Pay" and "拒绝 Decline";
 *    the buttons call back into the simulator, which updates its order and schedules the
 *    notification. `closePayerSession(id)` when the provider closes the order. Tests can act
 *    without HTTP via `actOnPayerSession(id, 'pay')`, or POST `{"action":"pay"}` as JSON.
 * 2. **Notification delivery** — `deliver({url, body, schedule, isAck, tamper, …})` sends and
 *    re-sends on the provider's schedule (scaled by `timeScale`) until acknowledged;
 *    `deliveries(provider?)` is the log (tries, status, response text, acked).
 * 3. **Faults** — `faults.set(provider, {...})` / HTTP `POST|GET|DELETE /sandbox/faults`;
 *    wrap the gateway handler in `withGatewayFaults(provider, req, handler)` to get latency,
 *    HTTP 500 and hangs for free, and call `ctx.take('needQuery' | 'tamperResponses')` where
 *    your protocol can express them. Notification faults are applied inside `deliver`.
 * 4. **Routing** — `handle(req)` serves every `/sandbox/...` path: `/sandbox` (index page),
 *    `/sandbox/pay/{id}`, `/sandbox/faults`, and `/sandbox/{providerId}/...` dispatched to the
 *    simulator registered with `register(simulator)` as `simulator.handle(req, '/...')`.
 *
 * Everything lives in memory in one process: right for a sandbox, never for money.
 * `/sandbox/faults` must only be reachable in sandbox mode (the router mounts the hub only then).
 *
 * Writing a simulator, in short:
 * ```ts
 * handle(req, subpath) {
 *   return hub.withGatewayFaults('myprov', req, async (faults) => {
 *     // parse, validate per the seed, verify our signature …
 *     const { url } = hub.openPayerSession({ provider: 'myprov', outTradeNo, money, subject, channel,
 *       expiresAt, merchantId, onPay: () => { order.paid = true; notify(order); }, onDecline: … });
 *     if (faults.take('needQuery')) return answer({ …unknown… });
 *     return answer({ …, qr: url });
 *   });
 * }
 * function notify(order) {
 *   hub.deliver({ provider: 'myprov', outTradeNo, url: order.notifyUrl, contentType, body: signedBody,
 *     schedule: [0, 30_000, 300_000], isAck: (s, t) => s === 200 && t === 'success',
 *     tamper: (body, mode) => …see TamperMode… });
 * }
 * ```
 */
import type { Clock } from '../core/clock';
import { isProviderId, type Channel, type ProviderId, type Scene } from '../core/domain';
import { describeZodIssues } from '../core/errors';
import { parseForm } from '../core/form';
import type { Logger } from '../core/log';
import type { Money } from '../core/money';
import { randomString, type Random } from '../core/random';
import { isJsonObject, parseJson } from '../core/strict-json';
import type { ProviderDeps } from '../providers/types';
import { createDeliveryEngine, type DeliveryHandle, type DeliveryRecord, type DeliveryRequest } from './delivery';
import { createFaultRegistry, faultsRequestSchema, type FaultRegistry } from './faults';
import { renderIndexPage, renderMessagePage, renderPayerPage, STATE_LABEL, type PayerSessionState } from './payer-page';

export type { DeliveryAttempt, DeliveryHandle, DeliveryRecord, DeliveryRequest, DeliveryState } from './delivery';
export type { CountedFault, FaultRegistry, ProviderFaults, TamperMode } from './faults';
export { TAMPER_MODES, withAddedField } from './faults';
export type { PayerSessionState } from './payer-page';

/**
 * A provider's sandbox twin (`providers/<id>/simulator.ts`): speaks the same wire protocol under
 * `/sandbox/<id>/…`, registered with {@link SandboxHub.register}.
 */
export interface ProviderSimulator {
  readonly id: ProviderId;
  /** `subpath` is what follows `/sandbox/<id>` (e.g. `/v2/UnifiedPay/Gateway`). */
  handle(req: Request, subpath: string): Promise<Response>;
}

export interface SimulatorDeps extends ProviderDeps {
  /** The shared sandbox machinery: payer pages, notification delivery, faults. */
  hub: SandboxHub;
}

export interface SandboxHubOptions {
  clock: Clock;
  random: Random;
  /** used to deliver notifications */
  fetch: typeof fetch;
  log: Logger;
  /** the base URL phones, browsers and our own BFF reach, e.g. `http://192.168.1.20:3000` */
  publicUrl: string;
  /** provider time × timeScale = sandbox time (retry schedules); default 1 */
  timeScale?: number;
  /** how long the `timeout` fault holds an answer if the client does not give up first (clock ms); default 120 000 */
  hangMs?: number;
  /** lower bound of a notification try's HTTP timeout after scaling (wall-clock ms); default 1000 */
  minTryTimeoutMs?: number;
}

/** What a simulator registers to make an order payable on the payer page. */
export interface PayerSessionInput {
  provider: ProviderId;
  /** the order number at the provider (shown, and used by `findPayerSession`) */
  outTradeNo: string;
  money: Money;
  subject: string;
  channel: Channel;
  scene?: Scene;
  /** shown on the page; default "<provider> sandbox merchant <merchantId>" */
  merchantName?: string;
  merchantId?: string;
  /** epoch ms; the page refuses to pay after this */
  expiresAt: number;
  /**
   * The payer pressed Pay: mark the order paid and schedule the notification. Return
   * `{refused: reason}` (or throw) to refuse, e.g. when the simulator closed the order.
   */
  onPay(): PayerDecision | Promise<PayerDecision>;
  /** The payer pressed Decline: mark the order failed (and notify if the provider does). */
  onDecline(): PayerDecision | Promise<PayerDecision>;
}

export type PayerDecision = void | undefined | { refused: string };

export interface PayerSession {
  id: string;
  url: string;
  provider: ProviderId;
  outTradeNo: string;
  money: Money;
  subject: string;
  channel: Channel;
  scene?: Scene;
  merchantName: string;
  merchantId?: string;
  state: PayerSessionState;
  createdAt: number;
  expiresAt: number;
  /** when it left `open` */
  finishedAt?: number;
}

export type PayerActionResult =
  | { ok: true; session: PayerSession }
  | {
      ok: false;
      reason: 'not_found' | 'expired' | 'closed' | 'already_final' | 'refused' | 'busy';
      message: string;
      session?: PayerSession;
    };

export interface GatewayFaultContext {
  /** Consume a counted fault only the simulator can express in its protocol. */
  take(fault: 'needQuery' | 'tamperResponses'): boolean;
}

export interface SandboxHub {
  readonly publicUrl: string;
  readonly timeScale: number;
  readonly faults: FaultRegistry;

  register(simulator: ProviderSimulator): void;
  simulators(): readonly ProviderSimulator[];
  /** Serves any `/sandbox/...` request (see file comment). */
  handle(req: Request): Promise<Response>;

  openPayerSession(input: PayerSessionInput): { id: string; url: string };
  /** The provider closed the order: the page will refuse to pay. No-op when not open. */
  closePayerSession(id: string): void;
  payerSession(id: string): PayerSession | undefined;
  /** the latest session for that provider order number */
  findPayerSession(provider: ProviderId, outTradeNo: string): PayerSession | undefined;
  payerSessions(provider?: ProviderId): PayerSession[];
  /** What the page's buttons do. */
  actOnPayerSession(id: string, action: 'pay' | 'decline'): Promise<PayerActionResult>;

  deliver(req: DeliveryRequest): DeliveryHandle;
  deliveries(provider?: ProviderId): DeliveryRecord[];

  /**
   * Applies the provider's transport faults around a gateway handler: `latencyMs` (delay),
   * `http500` (answer 500 without calling the handler), `timeout` (call the handler — the
   * order is processed — then hold the answer until the client gives up or `hangMs` passes).
   */
  withGatewayFaults(provider: ProviderId, req: Request, handler: (faults: GatewayFaultContext) => Promise<Response>): Promise<Response>;

  /** provider time → sandbox time */
  scale(ms: number): number;
  /** Stop deliveries and release held answers (tests' teardown, process shutdown). */
  stop(): void;
}

interface SessionEntry {
  view: PayerSession;
  input: PayerSessionInput;
  busy: boolean;
}

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MAX_SESSIONS = 1000;
const MAX_FORM_BYTES = 16 * 1024;

export function createSandboxHub(opts: SandboxHubOptions): SandboxHub {
  const { clock, random } = opts;
  const log = opts.log.child('sandbox');
  const publicUrl = opts.publicUrl.replace(/\/+$/, '');
  const timeScale = opts.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error(`timeScale must be > 0, got ${timeScale}`);
  const hangMs = opts.hangMs ?? 120_000;
  const faults = createFaultRegistry();
  const stopper = new AbortController();
  const sims = new Map<string, ProviderSimulator>();
  const sessions = new Map<string, SessionEntry>();
  const byOrder = new Map<string, string>();
  const engine = createDeliveryEngine({
    clock,
    fetch: opts.fetch,
    log,
    faults,
    timeScale,
    ...(opts.minTryTimeoutMs !== undefined ? { minTryTimeoutMs: opts.minTryTimeoutMs } : {}),
    newId: () => `dlv_${randomString(random, 16, LOWER_ALNUM)}`,
  });

  const refresh = (e: SessionEntry): PayerSession => {
    if (e.view.state === 'open' && clock.now() >= e.view.expiresAt) {
      e.view.state = 'expired';
      e.view.finishedAt = e.view.expiresAt;
    }
    return { ...e.view };
  };

  function openPayerSession(input: PayerSessionInput): { id: string; url: string } {
    const id = randomString(random, 20, LOWER_ALNUM);
    const url = `${publicUrl}/sandbox/pay/${id}`;
    const view: PayerSession = {
      id,
      url,
      provider: input.provider,
      outTradeNo: input.outTradeNo,
      money: input.money,
      subject: input.subject,
      channel: input.channel,
      ...(input.scene ? { scene: input.scene } : {}),
      merchantName: input.merchantName ?? `${input.provider} sandbox merchant${input.merchantId ? ` ${input.merchantId}` : ''}`,
      ...(input.merchantId ? { merchantId: input.merchantId } : {}),
      state: 'open',
      createdAt: clock.now(),
      expiresAt: input.expiresAt,
    };
    sessions.set(id, { view, input, busy: false });
    byOrder.set(`${input.provider}:${input.outTradeNo}`, id);
    if (sessions.size > MAX_SESSIONS) {
      const oldest = sessions.keys().next().value;
      if (oldest !== undefined) sessions.delete(oldest);
    }
    log.info('payer session opened', { provider: input.provider, outTradeNo: input.outTradeNo, session: id });
    return { id, url };
  }

  async function actOnPayerSession(id: string, action: 'pay' | 'decline'): Promise<PayerActionResult> {
    const e = sessions.get(id);
    if (!e) return { ok: false, reason: 'not_found', message: '没有这个支付会话。No such payment session.' };
    const view = refresh(e);
    if (view.state === 'expired') return { ok: false, reason: 'expired', message: '订单已过期，不能支付。This order has expired and can no longer be paid.', session: view };
    if (view.state === 'closed') return { ok: false, reason: 'closed', message: '订单已关闭，不能支付。This order was closed by the merchant and can no longer be paid.', session: view };
    if (view.state !== 'open') {
      const st = STATE_LABEL[view.state];
      return { ok: false, reason: 'already_final', message: `订单${st.zh}。This order is already ${st.en.toLowerCase()}.`, session: view };
    }
    if (e.busy) return { ok: false, reason: 'busy', message: '正在处理，请稍候。Already being processed, please wait.', session: view };
    e.busy = true;
    try {
      let decision: PayerDecision;
      try {
        decision = await (action === 'pay' ? e.input.onPay() : e.input.onDecline());
      } catch (err) {
        decision = { refused: (err as Error).message || 'the simulator refused' };
      }
      if (decision && 'refused' in decision) {
        log.info('payer action refused', { session: id, action, reason: decision.refused });
        return { ok: false, reason: 'refused', message: decision.refused, session: refresh(e) };
      }
      // The simulator may have closed the session while we awaited; only an open one moves.
      if (e.view.state === 'open') {
        e.view.state = action === 'pay' ? 'paid' : 'declined';
        e.view.finishedAt = clock.now();
      }
      log.info(`payer ${action === 'pay' ? 'paid' : 'declined'}`, { provider: e.view.provider, outTradeNo: e.view.outTradeNo, session: id });
      return { ok: true, session: refresh(e) };
    } finally {
      e.busy = false;
    }
  }

  async function withGatewayFaults(
    provider: ProviderId,
    req: Request,
    handler: (f: GatewayFaultContext) => Promise<Response>,
  ): Promise<Response> {
    const latency = faults.latencyMs(provider);
    if (latency > 0) await clock.sleep(latency, stopper.signal).catch(() => undefined);
    if (faults.take(provider, 'http500')) {
      log.info('fault: http500', { provider });
      return new Response('<html><body><h1>500 Internal Server Error</h1><p>sandbox fault http500</p></body></html>', {
        status: 500,
        headers: { 'content-type': 'text/html; charset=utf-8' },
      });
    }
    const hang = faults.take(provider, 'timeout');
    const res = await handler({ take: (f) => faults.take(provider, f) });
    if (hang) {
      log.info('fault: timeout (holding the answer)', { provider });
      const signals = [stopper.signal, ...(req.signal ? [req.signal] : [])];
      await clock.sleep(hangMs, AbortSignal.any(signals)).catch(() => undefined);
    }
    return res;
  }

  // ---- HTTP ------------------------------------------------------------------------------

  const newNonce = () => Buffer.from(random.bytes(16)).toString('base64');
  const html = (body: string, nonce: string, status = 200) =>
    new Response(body, {
      status,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
      },
    });
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } });
  const publicSession = (s: PayerSession) => ({
    id: s.id,
    url: s.url,
    provider: s.provider,
    outTradeNo: s.outTradeNo,
    amount: s.money.amount,
    currency: s.money.currency,
    subject: s.subject,
    channel: s.channel,
    merchantName: s.merchantName,
    state: s.state,
    expiresAt: s.expiresAt,
  });

  async function handlePay(req: Request, id: string): Promise<Response> {
    const wantsJson = (req.headers.get('content-type') ?? '').includes('application/json') || (req.headers.get('accept') ?? '').startsWith('application/json');
    if (req.method === 'GET' || req.method === 'HEAD') {
      const e = sessions.get(id);
      const nonce = newNonce();
      if (!e) {
        return wantsJson
          ? json({ error: { code: 'not_found', message: 'No such payment session.' } }, 404)
          : html(renderMessagePage('找不到订单 Not found', '没有这个支付会话，二维码可能已失效。No such payment session: the QR code may be stale.', nonce), nonce, 404);
      }
      const view = refresh(e);
      if (wantsJson) return json({ session: publicSession(view) });
      return html(renderPayerPage({ ...view, now: clock.now() }, nonce), nonce);
    }
    if (req.method !== 'POST') return json({ error: { code: 'method_not_allowed', message: 'GET or POST' } }, 405);

    const text = await req.text();
    if (Buffer.byteLength(text) > MAX_FORM_BYTES) return json({ error: { code: 'payload_too_large', message: 'body too large' } }, 413);
    let action: unknown;
    if ((req.headers.get('content-type') ?? '').includes('application/json')) {
      try {
        const parsed = parseJson(text);
        action = isJsonObject(parsed) ? parsed.action : undefined;
      } catch {
        action = undefined;
      }
    } else {
      const form = parseForm(text);
      action = form.ok ? form.fields.action : undefined;
    }
    if (action !== 'pay' && action !== 'decline') {
      return json({ error: { code: 'invalid_request', message: 'action: "pay" or "decline"' } }, 400);
    }
    const result = await actOnPayerSession(id, action);
    const status = result.ok ? 200 : result.reason === 'not_found' ? 404 : 409;
    if (wantsJson) {
      return json(
        result.ok
          ? { ok: true, state: result.session.state, session: publicSession(result.session) }
          : { ok: false, reason: result.reason, message: result.message, ...(result.session ? { state: result.session.state, session: publicSession(result.session) } : {}) },
        status,
      );
    }
    const nonce = newNonce();
    if (!result.ok && !result.session) return html(renderMessagePage('找不到订单 Not found', result.message, nonce), nonce, status);
    if (!result.session) throw new Error('unreachable: a successful action has a session');
    const banner = result.ok
      ? { kind: 'ok' as const, text: action === 'pay' ? '支付成功！Payment successful.' : '已拒绝支付。Payment declined.' }
      : { kind: 'error' as const, text: result.message };
    return html(renderPayerPage({ ...result.session, now: clock.now(), banner }, nonce), nonce, status);
  }

  async function handleFaults(req: Request): Promise<Response> {
    if (req.method === 'GET') return json({ faults: faults.all() });
    if (req.method === 'DELETE') {
      const p = new URL(req.url).searchParams.get('provider');
      if (p !== null && !isProviderId(p)) return json({ error: { code: 'invalid_request', message: `unknown provider ${p}` } }, 400);
      faults.clear(p ?? undefined);
      return json({ faults: faults.all() });
    }
    if (req.method === 'POST') {
      let body: unknown;
      try {
        body = parseJson(await req.text());
      } catch (e) {
        return json({ error: { code: 'invalid_request', message: `a JSON object: {"provider":"chaoying","http500":1} (${(e as Error).message})` } }, 400);
      }
      const parsed = faultsRequestSchema.safeParse(body);
      if (!parsed.success) return json({ error: { code: 'invalid_request', message: describeZodIssues(parsed.error.issues) } }, 400);
      const { provider, ...rest } = parsed.data;
      faults.set(provider, rest);
      log.info('faults set', { provider, faults: faults.get(provider) });
      return json({ provider, faults: faults.get(provider) });
    }
    return json({ error: { code: 'method_not_allowed', message: 'GET, POST or DELETE' } }, 405);
  }

  function handleIndex(): Response {
    const nonce = newNonce();
    const recent = [...sessions.values()].slice(-30).reverse().map(refresh);
    return html(
      renderIndexPage(
        {
          simulators: [...sims.keys()],
          sessions: recent,
          deliveries: engine
            .list()
            .slice(-30)
            .reverse()
            .map((d) => ({ provider: d.provider, ...(d.outTradeNo ? { outTradeNo: d.outTradeNo } : {}), state: d.state, tries: d.attempts.length })),
          faults: faults.all(),
          timeScale,
        },
        nonce,
      ),
      nonce,
    );
  }

  async function handle(req: Request): Promise<Response> {
    const { pathname } = new URL(req.url);
    const m = /^(?:.*?)\/sandbox(\/.*)?$/.exec(pathname);
    if (!m) return json({ error: { code: 'not_found', message: 'not a /sandbox path' } }, 404);
    const rest = (m[1] ?? '/').replace(/\/+$/, '') || '/';
    try {
      if (rest === '/') return req.method === 'GET' ? handleIndex() : json({ error: { code: 'method_not_allowed', message: 'GET' } }, 405);
      const pay = /^\/pay\/([a-z0-9]+)$/.exec(rest);
      if (pay) return await handlePay(req, pay[1] ?? '');
      if (rest === '/faults') return await handleFaults(req);
      const sim = /^\/([a-z0-9-]+)(\/.*)?$/.exec(rest);
      const simulator = sim ? sims.get(sim[1] ?? '') : undefined;
      if (sim && simulator) return await simulator.handle(req, sim[2] ?? '/');
      return json({ error: { code: 'not_found', message: `no sandbox route ${rest}; simulators: ${[...sims.keys()].join(', ') || 'none'}` } }, 404);
    } catch (e) {
      log.error('sandbox handler failed', { path: rest, error: (e as Error).message });
      return json({ error: { code: 'internal', message: 'sandbox handler failed' } }, 500);
    }
  }

  return {
    publicUrl,
    timeScale,
    faults,
    register(simulator) {
      sims.set(simulator.id, simulator);
    },
    simulators: () => [...sims.values()],
    handle,
    openPayerSession,
    closePayerSession(id) {
      const e = sessions.get(id);
      if (e && refresh(e).state === 'open') {
        e.view.state = 'closed';
        e.view.finishedAt = clock.now();
      }
    },
    payerSession: (id) => {
      const e = sessions.get(id);
      return e ? refresh(e) : undefined;
    },
    findPayerSession(provider, outTradeNo) {
      const id = byOrder.get(`${provider}:${outTradeNo}`);
      const e = id ? sessions.get(id) : undefined;
      return e ? refresh(e) : undefined;
    },
    payerSessions: (provider) => [...sessions.values()].filter((e) => !provider || e.view.provider === provider).map(refresh),
    actOnPayerSession,
    deliver: (req) => engine.deliver(req),
    deliveries: (provider) => engine.list(provider),
    withGatewayFaults,
    scale: (ms) => Math.round(ms * timeScale),
    stop() {
      stopper.abort(new Error('sandbox hub stopped'));
      engine.stop();
    },
  };
}
