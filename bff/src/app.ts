/**
 * The application container: configuration → ledger → connectors (and, in sandbox mode,
 * the simulators they talk to over loopback HTTP) → use-cases → HTTP handlers.
 * Framework-free: Next.js route files and the plain Node server mount the same handlers.
 */
import path from 'node:path';
import type { AppConfig } from './config/load';
import { createConsoleAuth, type ConsoleAuth } from './console-auth/console-auth';
import type { Clock } from './core/clock';
import { systemClock } from './core/clock';
import type { ProviderId } from './core/domain';
import { createLogger, type Logger } from './core/log';
import { cryptoRandom, type Random } from './core/random';
import { createHandlers, type Handler, type Handlers } from './http/handlers';
import { createRouter } from './http/router';
import { createWidgetFiles } from './http/widget-files';
import { createChangeFeed } from './ledger/change-feed';
import { openDatabase } from './ledger/db';
import { Ledger } from './ledger/ledger';
import type { PaymentContext } from './payments/context';
import { recordingConnector } from './payments/recording-connector';
import { startSweeper } from './payments/sweeper';
import type { Connector } from './providers/types';
import { createSandboxHub, type SandboxHub } from './sandbox/hub';
import { createSandboxWallet } from './sandbox/wallet/wallet';
import { loadWechatConfig, type WechatConfig } from './wechat/config';
import { createWechatOAuth } from './wechat/oauth';
import { createWechatOAuthSimulator } from './wechat/simulator';
import { createWebhookDispatcher, type WebhookDispatcher } from './webhooks/dispatcher';

export interface AppDeps {
  clock: Clock;
  random: Random;
  fetch: typeof fetch;
  log: Logger;
}

export interface App {
  config: AppConfig;
  deps: AppDeps;
  ledger: Ledger;
  connectors: ReadonlyMap<ProviderId, Connector>;
  hub: SandboxHub | undefined;
  /** WeChat official-account OAuth settings (sandbox: generated); undefined when not configured */
  wechat: WechatConfig | undefined;
  ctx: PaymentContext;
  webhooks: WebhookDispatcher;
  /** operator sign-in (console pages check the session with it); undefined: the console is off */
  consoleAuth: ConsoleAuth | undefined;
  handlers: Handlers;
  /** every route as one fetch function (plain Node server, tests) */
  fetch: (req: Request) => Promise<Response>;
  /** background work: the sweeper and the webhook dispatcher */
  startBackground(): void;
  close(): Promise<void>;
}

export async function createApp(
  config: AppConfig,
  overrides: Partial<AppDeps> & { widgetDir?: string; /** PAYQR_WECHAT_* come from here (default process.env) */ env?: Record<string, string | undefined> } = {},
): Promise<App> {
  const deps: AppDeps = {
    clock: overrides.clock ?? systemClock,
    random: overrides.random ?? cryptoRandom,
    fetch: overrides.fetch ?? globalThis.fetch.bind(globalThis),
    log: overrides.log ?? createLogger({ level: config.logLevel, tags: ['payqr'] }),
  };
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
  const feed = createChangeFeed({ pgPool: handle.pgPool, log: deps.log.child('ledger') });
  const ledger = new Ledger(handle, { clock: deps.clock, random: deps.random, feed, defaultWebhookUrl: config.webhookUrl });

  const hub =
    config.mode === 'sandbox'
      ? createSandboxHub({ ...deps, publicUrl: config.publicUrl, timeScale: config.sandboxTimeScale })
      : undefined;

  const connectors = new Map<ProviderId, Connector>();
  for (const [id, p] of Object.entries(config.providers)) {
    if (!p) continue;
    const providerDeps = { ...deps, log: deps.log.child(id) };
    // every create / query / close / reverse leaves a provider_calls record (the order timeline)
    const connector = p.module.createConnector(p.settings, providerDeps);
    connectors.set(id as ProviderId, recordingConnector(connector, { calls: ledger.providerCalls, clock: deps.clock, log: providerDeps.log }));
    if (hub && p.module.createSimulator) hub.register(p.module.createSimulator(p.settings, { ...providerDeps, hub }));
  }

  // WeChat official-account OAuth for in-app payment (openid → chaoying JSPAY buyer_id).
  const wechat = loadWechatConfig(overrides.env ?? process.env, config);
  const wechatOAuth = createWechatOAuth({
    wechat,
    mode: config.mode,
    publicUrl: config.publicUrl,
    allowedOrigins: config.allowedOrigins,
    clock: deps.clock,
    random: deps.random,
    fetch: deps.fetch,
    log: deps.log,
  });
  const sandboxRoutes = hub
    ? [
        ...(wechat?.sandbox
          ? [{ prefix: '/sandbox/wechat', handle: createWechatOAuthSimulator({ appId: wechat.appId, appSecret: wechat.appSecret, oauthOrigins: [new URL(config.publicUrl).origin], clock: deps.clock, random: deps.random, log: deps.log }).handle }]
          : []),
        { prefix: '/sandbox/wallet', handle: createSandboxWallet({ hub, log: deps.log }).handle },
      ]
    : [];

  const ctx: PaymentContext = { config, ledger, connectors, clock: deps.clock, random: deps.random, log: deps.log };
  const webhooks = createWebhookDispatcher({
    ledger,
    clock: deps.clock,
    random: deps.random,
    fetch: deps.fetch,
    log: deps.log.child('webhooks'),
    secret: config.webhookSecret,
    defaultWebhookUrl: config.webhookUrl,
  });
  const widgetFiles = createWidgetFiles({
    distDir: overrides.widgetDir ?? process.env.PAYQR_WIDGET_DIR ?? path.resolve(process.cwd(), '../widget/dist'),
    archiveDir: path.join(config.dataDir, 'widget-chunks'),
    clock: deps.clock,
    log: deps.log.child('widget'),
  });
  await widgetFiles.archive();
  const consoleAuth = config.console
    ? createConsoleAuth({ config: config.console, apiKey: config.apiKey, publicUrl: config.publicUrl, ledger, clock: deps.clock, random: deps.random, log: deps.log })
    : undefined;
  const handlers = createHandlers({
    ctx,
    ledger,
    allowedOrigins: config.allowedOrigins,
    hub,
    widgetFiles,
    log: deps.log,
    wechatOAuth,
    sandboxRoutes,
    operator: { webhooks, defaultWebhookUrl: config.webhookUrl, console: consoleAuth },
  });
  const extra: Array<[string, string, Handler]> = [];
  const fetchFn = createRouter(handlers, extra);

  let sweeper: { stop(): Promise<void> } | undefined;
  return {
    config,
    deps,
    ledger,
    connectors,
    hub,
    wechat,
    ctx,
    webhooks,
    consoleAuth,
    handlers,
    fetch: fetchFn,
    startBackground() {
      if (sweeper) return;
      sweeper = startSweeper(ctx, config.sweepIntervalMs, deps.log.child('sweeper'));
      webhooks.start(1000);
    },
    async close() {
      await sweeper?.stop();
      await webhooks.stop();
      hub?.stop();
      await ledger.close();
    },
  };
}
