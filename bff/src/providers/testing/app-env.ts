/**
 * The whole product in one process for a test, over real loopback HTTP: a server on 127.0.0.1
 * (random port) → loadConfig in sandbox mode (fresh data dir, time scale 0.01, sweeper every
 * 100 ms, plus the test's own environment) → createApp → background work started.
 *
 * ```ts
 * let t: TestApp;
 * beforeAll(async () => (t = await startTestApp({ apiKey: API_KEY, env: { PAYQR_ROUTING: '…' } })));
 * afterAll(() => t.close());
 * const r = await t.api('POST', '/api/orders', API_KEY, { merchantOrderId: 'A1', amount: 1999, subject: '…' });
 * ```
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../app';
import { loadConfig } from '../../config/load';
import { createLogger } from '../../core/log';
import { PROVIDER_MODULES } from '../registry';
import type { ProviderModule } from '../module';
import { startLoopbackServer } from './loopback';

export interface TestApp {
  /** e.g. http://127.0.0.1:53211 (also PAYQR_PUBLIC_URL) */
  url: string;
  app: App;
  /** JSON call to the API; `auth` is sent as the bearer (the API key, or an order's client secret) */
  api<T = any>(method: string, path: string, auth?: string, body?: unknown): Promise<{ status: number; json: T }>;
  /** app, then server, then the data dir */
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** PAYQR_API_KEY */
  apiKey: string;
  /** more environment (PAYQR_ROUTING, provider settings …) on top of the defaults above */
  env?: Record<string, string>;
  /** default: the registry's modules */
  modules?: ReadonlyArray<ProviderModule<any>>;
  /** the data dir's name prefix, e.g. `payqr-umfsp-` */
  dataDirPrefix?: string;
}

export async function startTestApp(opts: TestAppOptions): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), opts.dataDirPrefix ?? 'payqr-app-'));
  let current: App | undefined;
  const server = await startLoopbackServer((req) => (current ? current.fetch(req) : new Response('starting', { status: 503 })));
  let app: App;
  try {
    const config = loadConfig(
      {
        PORT: String(server.port),
        PAYQR_PUBLIC_URL: server.url,
        PAYQR_DATA_DIR: dataDir,
        PAYQR_API_KEY: opts.apiKey,
        PAYQR_SANDBOX_TIME_SCALE: '0.01',
        PAYQR_SWEEP_INTERVAL_MS: '100',
        ...opts.env,
      },
      opts.modules ?? PROVIDER_MODULES,
    );
    app = await createApp(config, { log: createLogger({ level: 'error' }) });
  } catch (e) {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  current = app;
  app.startBackground();
  return {
    url: server.url,
    app,
    async api<T = any>(method: string, p: string, auth?: string, body?: unknown) {
      const res = await fetch(`${server.url}${p}`, {
        method,
        headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : null,
      });
      return { status: res.status, json: (await res.json()) as T };
    },
    async close() {
      await app.close();
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The registry's modules with `module` in place of (or added as) the one with its id, so a
 * provider's app test runs whether or not the registry lists it yet; when `onSimulator` is
 * given, it receives the simulator the app creates (to look at its orders).
 */
export function modulesWith<C, S>(module: ProviderModule<C>, onSimulator?: (sim: S) => void): ProviderModule<any>[] {
  const create = module.createSimulator;
  const m: ProviderModule<C> =
    onSimulator && create
      ? {
          ...module,
          createSimulator: (config, deps) => {
            const sim = create.call(module, config, deps);
            onSimulator(sim as S);
            return sim;
          },
        }
      : module;
  return [...PROVIDER_MODULES.filter((x) => x.id !== module.id), m];
}
