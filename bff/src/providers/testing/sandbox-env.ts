/**
 * One loopback HTTP server for a provider test: `/sandbox/...` is served by a real sandbox hub
 * (register your simulator on it) and `/notify/...` by a notification receiver the test
 * controls. Connectors point at `${url}/sandbox/<id>` and send `notifyUrl(<id>)` as their
 * notify URL, so everything crosses real sockets.
 *
 * ```ts
 * const env = await startSandboxTestEnv({ timeScale: 0.001 });
 * const sim = createChaoyingSimulator({...}, { ...env.deps, hub: env.hub });
 * env.hub.register(sim);
 * const connector = createChaoyingConnector({ baseUrl: `${env.url}/sandbox/chaoying`, … }, env.deps);
 * …
 * await env.close();
 * ```
 */
import { systemClock, type Clock } from '../../core/clock';
import type { ProviderId } from '../../core/domain';
import { createLogger, type Logger } from '../../core/log';
import { cryptoRandom, type Random } from '../../core/random';
import { createSandboxHub, type SandboxHub } from '../../sandbox/hub';
import type { ProviderDeps } from '../types';
import { startLoopbackServer, type LoopbackServer } from './loopback';
import { createNotificationReceiver, type NotificationReceiver } from './receiver';

export interface SandboxTestEnv {
  url: string;
  server: LoopbackServer;
  hub: SandboxHub;
  receiver: NotificationReceiver;
  deps: ProviderDeps;
  /** the notify URL for a provider on this server (no query string) */
  notifyUrl(provider: ProviderId): string;
  /** `${url}/sandbox/<provider>` */
  simulatorBaseUrl(provider: ProviderId): string;
  close(): Promise<void>;
}

export interface SandboxTestEnvOptions {
  /** default 0.001: provider retry schedules run 1000× faster */
  timeScale?: number;
  clock?: Clock;
  random?: Random;
  log?: Logger;
  /** lower bound of a notification try's timeout (wall-clock ms), default 1000 */
  minTryTimeoutMs?: number;
}

export async function startSandboxTestEnv(opts: SandboxTestEnvOptions = {}): Promise<SandboxTestEnv> {
  const receiver = createNotificationReceiver();
  let hub: SandboxHub | undefined;
  const server = await startLoopbackServer(async (req) => {
    const path = new URL(req.url).pathname;
    if (path === '/sandbox' || path.startsWith('/sandbox/')) {
      if (!hub) return new Response('hub not ready', { status: 503 });
      return hub.handle(req);
    }
    if (path.startsWith('/notify/')) return receiver.handle(req);
    return new Response('not found', { status: 404 });
  });
  const deps: ProviderDeps = {
    clock: opts.clock ?? systemClock,
    random: opts.random ?? cryptoRandom,
    fetch: globalThis.fetch.bind(globalThis),
    log: opts.log ?? createLogger({ level: (process.env.PAYQR_TEST_LOG_LEVEL as 'debug' | undefined) ?? 'error' }),
  };
  hub = createSandboxHub({
    ...deps,
    publicUrl: server.url,
    timeScale: opts.timeScale ?? 0.001,
    ...(opts.minTryTimeoutMs !== undefined ? { minTryTimeoutMs: opts.minTryTimeoutMs } : {}),
  });
  const ready = hub;
  return {
    url: server.url,
    server,
    hub: ready,
    receiver,
    deps,
    notifyUrl: (provider) => `${server.url}/notify/${provider}`,
    simulatorBaseUrl: (provider) => `${server.url}/sandbox/${provider}`,
    async close() {
      ready.stop();
      receiver.release();
      await server.close();
    },
  };
}
