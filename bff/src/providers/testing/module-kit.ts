/**
 * What the provider module tests build the same way: a sandbox secret store in memory (as the
 * app's data-dir store would behave), and a module's simulator on an in-memory sandbox hub with
 * the module's connector talking to it through the hub (no sockets), on a FakeClock.
 */
import { FakeClock } from '../../core/clock';
import { memoryLogger } from '../../core/log';
import { seededRandom } from '../../core/random';
import { createSandboxHub } from '../../sandbox/hub';
import type { ProviderModule } from '../module';
import type { CreatePaymentInput } from '../types';

/** A `SandboxSettingsContext` over a Map: each secret generated once, then kept. */
export function memorySecrets(simulatorBaseUrl: string) {
  const store = new Map<string, string>();
  return { store, ctx: { simulatorBaseUrl, secret: (name: string, gen: () => string) => store.get(name) ?? (store.set(name, gen()), store.get(name)!) } };
}

/**
 * `module`'s simulator registered on a hub, and its connector whose requests the hub handles.
 * `fetch` is what the hub and the simulator use for the outside world (notifications); default
 * the global fetch.
 */
export function moduleOnHub<C>(module: ProviderModule<C>, config: C, opts: { publicUrl?: string; fetch?: typeof fetch } = {}) {
  const clock = new FakeClock();
  const log = memoryLogger();
  const outside = opts.fetch ?? globalThis.fetch;
  const hub = createSandboxHub({ clock, random: seededRandom(2), fetch: outside, log, publicUrl: opts.publicUrl ?? 'http://sandbox.test' });
  hub.register(module.createSimulator!(config, { clock, random: seededRandom(3), fetch: outside, log, hub }));
  const viaHub = (async (url: string | URL | Request, init?: RequestInit) => hub.handle(new Request(url, init))) as typeof fetch;
  const connector = module.createConnector(config, { clock, random: seededRandom(4), fetch: viaHub, log });
  return { clock, log, hub, connector };
}

/** The module tests' one small payment (1 minor unit, now, payable for a minute). */
export function smallPayment(now: number, over: Pick<CreatePaymentInput, 'channel' | 'scene' | 'notifyUrl'> & Partial<CreatePaymentInput>): CreatePaymentInput {
  return {
    attemptId: 'att_m',
    outTradeNo: 'PQM00001',
    money: { amount: 1, currency: 'CNY' },
    subject: 's',
    createdAt: now,
    expiresAt: now + 60_000,
    ...over,
  };
}
