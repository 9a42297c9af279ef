/**
 * Build the application's configuration from the environment. With nothing set this is
 * sandbox mode: every provider points at its built-in simulator, keys are generated once and
 * kept in the data directory, the ledger is an embedded SQLite file.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { CHANNELS, SCENES, type ProviderId } from '../core/domain';
import { describeZodIssues } from '../core/errors';
import { cryptoRandom, randomString } from '../core/random';
import type { ProviderModule } from '../providers/module';
import {
  baseEnvSchema,
  ConfigError,
  defaultDataDir,
  lanAddress,
  parseAllowedOrigins,
  parseRouting,
  providerEnv,
  providerEnvPrefix,
  type RoutingTable,
} from './env';
import { SecretStore } from './sandbox-secrets';

export interface ConfiguredProvider {
  module: ProviderModule<any>;
  settings: unknown;
}

export interface AppConfig {
  mode: 'sandbox' | 'live';
  port: number;
  /** base URL providers and browsers reach (notify_url, payer pages) */
  publicUrl: string;
  /** how the server reaches itself (sandbox connectors → simulators) */
  internalUrl: string;
  dataDir: string;
  /** postgres://… when set; otherwise SQLite at sqlitePath */
  databaseUrl: string | undefined;
  sqlitePath: string;
  apiKey: string;
  apiKeyGenerated: boolean;
  webhookUrl: string | undefined;
  webhookSecret: string;
  allowedOrigins: '*' | string[];
  routing: RoutingTable;
  sandboxTimeScale: number;
  orderTtlSeconds: number;
  attemptTtlSeconds: number;
  sweepIntervalMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  providers: Partial<Record<ProviderId, ConfiguredProvider>>;
  /** the operator console; undefined (off: its endpoints answer 404) without a password */
  console: ConsoleConfig | undefined;
}

export interface ConsoleConfig {
  /** PAYQR_CONSOLE_PASSWORD (sandbox: generated) or PAYQR_CONSOLE_PASSWORD_HASH */
  password: { plain: string } | { hash: string };
  /** sandbox mode made it up (and keeps it with the sandbox secrets): printed at start-up */
  generated: boolean;
  sessionTtlSeconds: number;
}

/** The sandbox's default routing: which provider serves each channel × scene, in fallback order. */
export const DEFAULT_ROUTING: Partial<RoutingTable> = {
  'wechat:qr': ['chaoying', 'umf-mofun', 'scanforpay'],
  'alipay:qr': ['chaoying', 'umf-mofun', 'scanforpay'],
  'ecny:qr': ['chaoying'],
  'unionpay:qr': ['umf-mofun'],
  'wechat:jsapi': ['chaoying'],
  'alipay:jsapi': ['chaoying'],
  'alipay:h5': ['chaoying'],
  'ecny:h5': ['chaoying'],
  'unionpay:h5': ['umf-mofun'],
  'unionpay:jsapi': ['umf-mofun'],
  'wechat:micropay': ['umf-sp', 'huishouyin'],
  'alipay:micropay': ['umf-sp', 'huishouyin'],
  'unionpay:micropay': ['umf-sp'],
};

export function loadConfig(
  env: Record<string, string | undefined>,
  modules: ReadonlyArray<ProviderModule<any>>,
): AppConfig {
  const parsed = baseEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => describeZodIssues([i])));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const mode = e.PAYQR_MODE;
  const dataDir = path.resolve(e.PAYQR_DATA_DIR ?? defaultDataDir());
  const secrets = new SecretStore(path.join(dataDir, 'sandbox-secrets.json'));
  const gen = (bytes: number) => () => randomBytes(bytes).toString('hex');

  const publicUrl = (e.PAYQR_PUBLIC_URL ?? (mode === 'sandbox' ? `http://${lanAddress() ?? 'localhost'}:${e.PORT}` : '')).replace(/\/$/, '');
  if (!publicUrl) problems.push('PAYQR_PUBLIC_URL: required in live mode (the https URL providers send notifications to)');
  const internalUrl = `http://127.0.0.1:${e.PORT}`;

  let apiKey = e.PAYQR_API_KEY;
  let apiKeyGenerated = false;
  if (!apiKey) {
    if (mode === 'live') problems.push('PAYQR_API_KEY: required in live mode (at least 24 characters)');
    else {
      apiKey = secrets.get('PAYQR_API_KEY', () => `sk_sandbox_${randomBytes(20).toString('hex')}`);
      apiKeyGenerated = true;
    }
  }
  let webhookSecret = e.PAYQR_WEBHOOK_SECRET;
  if (!webhookSecret) {
    if (mode === 'live' && e.PAYQR_WEBHOOK_URL) problems.push('PAYQR_WEBHOOK_SECRET: required when PAYQR_WEBHOOK_URL is set in live mode');
    webhookSecret = secrets.get('PAYQR_WEBHOOK_SECRET', () => `whsec_${randomBytes(24).toString('hex')}`);
  }

  let consoleConfig: ConsoleConfig | undefined;
  const sessionTtlSeconds = e.PAYQR_CONSOLE_SESSION_TTL_SECONDS;
  if (e.PAYQR_CONSOLE_PASSWORD && e.PAYQR_CONSOLE_PASSWORD_HASH) {
    problems.push('PAYQR_CONSOLE_PASSWORD_HASH: set either it or PAYQR_CONSOLE_PASSWORD, not both');
  } else if (e.PAYQR_CONSOLE_PASSWORD_HASH) {
    consoleConfig = { password: { hash: e.PAYQR_CONSOLE_PASSWORD_HASH.trim() }, generated: false, sessionTtlSeconds };
  } else if (e.PAYQR_CONSOLE_PASSWORD) {
    consoleConfig = { password: { plain: e.PAYQR_CONSOLE_PASSWORD }, generated: false, sessionTtlSeconds };
  } else if (mode === 'sandbox') {
    // Printed at start-up like the API key; a live console needs a password someone chose.
    consoleConfig = { password: { plain: secrets.get('PAYQR_CONSOLE_PASSWORD', () => sandboxPassword()) }, generated: true, sessionTtlSeconds };
  }

  let allowedOrigins: '*' | string[] = [];
  let routingOverrides: Partial<RoutingTable> = {};
  try {
    allowedOrigins = parseAllowedOrigins(e.PAYQR_ALLOWED_ORIGINS, mode);
  } catch (err) {
    if (err instanceof ConfigError) problems.push(...err.problems);
    else throw err;
  }
  try {
    routingOverrides = parseRouting(e.PAYQR_ROUTING);
  } catch (err) {
    if (err instanceof ConfigError) problems.push(...err.problems);
    else throw err;
  }

  const providers: Partial<Record<ProviderId, ConfiguredProvider>> = {};
  for (const module of modules) {
    const given = providerEnv(env, module.id);
    let raw: Record<string, unknown> = given;
    if (mode === 'sandbox') {
      const generated = module.sandboxSettings({
        simulatorBaseUrl: `${internalUrl}/sandbox/${module.id}`,
        secret: (name, generate) => secrets.get(`${module.id}.${name}`, generate),
      }) as Record<string, unknown>;
      // A setting given in the environment replaces the generated one (and the simulator uses it).
      raw = { ...generated, ...given };
    } else if (Object.keys(given).length === 0) {
      continue; // not configured: not used in live mode
    }
    const result = module.settingsSchema.safeParse(raw);
    if (!result.success) {
      const prefix = providerEnvPrefix(module.id);
      for (const issue of result.error.issues) {
        const field = issue.path.length ? `${prefix}${issue.path.map(String).join('_')}` : `${prefix}*`;
        problems.push(`${field}: ${issue.message}`);
      }
      continue;
    }
    providers[module.id] = { module, settings: result.data };
  }
  if (mode === 'live' && Object.keys(providers).length === 0) {
    problems.push(`no provider configured: set e.g. ${providerEnvPrefix('chaoying')}MCH_ID, …KEY, …AGENT_ID, …BASE_URL`);
  }

  const routing = {} as RoutingTable;
  for (const c of CHANNELS) {
    for (const s of SCENES) {
      const key = `${c}:${s}` as const;
      routing[key] = routingOverrides[key] ?? DEFAULT_ROUTING[key] ?? [];
    }
  }
  for (const [key, list] of Object.entries(routingOverrides)) {
    for (const p of list ?? []) {
      if (!providers[p]) problems.push(`PAYQR_ROUTING: "${key}" names ${p}, which is not configured`);
    }
  }

  if (problems.length) throw new ConfigError(problems);
  if (mode === 'sandbox') secrets.flush();

  const databaseUrl = e.DATABASE_URL && /^postgres/.test(e.DATABASE_URL) ? e.DATABASE_URL : undefined;
  const sqlitePath = e.DATABASE_URL && !databaseUrl
    ? path.resolve(e.DATABASE_URL.replace(/^(file|sqlite):(\/\/)?/, ''))
    : path.join(dataDir, 'ledger.sqlite');

  return {
    mode,
    port: e.PORT,
    publicUrl,
    internalUrl,
    dataDir,
    databaseUrl,
    sqlitePath,
    apiKey: apiKey ?? '',
    apiKeyGenerated,
    webhookUrl: e.PAYQR_WEBHOOK_URL,
    webhookSecret,
    allowedOrigins,
    routing,
    sandboxTimeScale: e.PAYQR_SANDBOX_TIME_SCALE,
    orderTtlSeconds: e.PAYQR_ORDER_TTL_SECONDS,
    attemptTtlSeconds: e.PAYQR_ATTEMPT_TTL_SECONDS,
    sweepIntervalMs: e.PAYQR_SWEEP_INTERVAL_MS,
    logLevel: e.PAYQR_LOG_LEVEL,
    providers,
    console: consoleConfig,
  };
}

/** e.g. `tea-k7mq-x3vd-9hwp`: ≈ 60 bits, easy to type from a terminal. */
function sandboxPassword(): string {
  const chars = randomString(cryptoRandom, 12, 'abcdefghjkmnpqrstuvwxyz23456789');
  return `tea-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}
