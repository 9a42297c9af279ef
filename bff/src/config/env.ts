/**
 * The environment, validated once at start-up (contract.md "Configuration"). Every bad field
 * gets its own line: which variable, what was expected.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { parseScryptHash } from '../console-auth/password';
import { CHANNELS, PROVIDER_IDS, SCENES, type Channel, type ProviderId, type Scene } from '../core/domain';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const url = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        const u = new URL(v);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    }, `${what}: an absolute http(s) URL, e.g. https://pay.example.com`);

const seconds = (min: number, max: number) =>
  z.coerce.number().int(`whole seconds`).min(min, `at least ${min}`).max(max, `at most ${max}`);

export const baseEnvSchema = z.object({
  PORT: z.coerce.number().int().min(1, 'a TCP port 1–65535').max(65535, 'a TCP port 1–65535').default(3000),
  PAYQR_MODE: z.enum(['sandbox', 'live'], { message: 'either "sandbox" (default) or "live"' }).default('sandbox'),
  PAYQR_API_KEY: z.string().min(24, 'at least 24 characters (generate one with: openssl rand -hex 24)').optional(),
  PAYQR_PUBLIC_URL: url('the base URL providers and browsers reach').optional(),
  PAYQR_DATA_DIR: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|file:|sqlite:)/, 'postgres://user@host:5432/db, or file:/path/ledger.sqlite')
    .optional(),
  PAYQR_WEBHOOK_URL: url('the shop endpoint that receives order events').optional(),
  PAYQR_WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  PAYQR_ALLOWED_ORIGINS: z.string().optional(),
  PAYQR_ROUTING: z.string().optional(),
  PAYQR_SANDBOX_TIME_SCALE: z.coerce.number().positive('a positive factor, e.g. 0.01 makes a 15 s retry 150 ms').max(100).default(1),
  PAYQR_ORDER_TTL_SECONDS: seconds(60, 7 * 24 * 3600).default(15 * 60),
  PAYQR_ATTEMPT_TTL_SECONDS: seconds(5, 24 * 3600).default(10 * 60),
  PAYQR_SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  PAYQR_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** the operator console's password (sandbox: generated); or its scrypt hash below */
  PAYQR_CONSOLE_PASSWORD: z.string().min(12, 'at least 12 characters').max(256, 'at most 256 characters').optional(),
  PAYQR_CONSOLE_PASSWORD_HASH: z
    .string()
    .superRefine((v, ctx) => {
      const parsed = parseScryptHash(v);
      if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
    })
    .optional(),
  PAYQR_CONSOLE_SESSION_TTL_SECONDS: seconds(300, 7 * 24 * 3600).default(8 * 3600),
});

export type BaseEnv = z.infer<typeof baseEnvSchema>;

/** `umf-mofun` → `PAYQR_UMF_MOFUN_` */
export function providerEnvPrefix(id: ProviderId): string {
  return `PAYQR_${id.toUpperCase().replace(/-/g, '_')}_`;
}

/** The settings of one provider with the prefix removed, e.g. { MCH_ID: '…', KEY: '…' }. */
export function providerEnv(env: Record<string, string | undefined>, id: ProviderId): Record<string, string> {
  const prefix = providerEnvPrefix(id);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith(prefix) && v !== undefined && v !== '') out[k.slice(prefix.length)] = v;
  }
  return out;
}

export function parseAllowedOrigins(raw: string | undefined, mode: 'sandbox' | 'live'): '*' | string[] {
  if (raw === undefined || raw.trim() === '') return mode === 'sandbox' ? '*' : [];
  if (raw.trim() === '*') return '*';
  const list = raw.split(/[\s,]+/).filter(Boolean);
  for (const o of list) {
    let u: URL;
    try {
      u = new URL(o);
    } catch {
      throw new ConfigError([`PAYQR_ALLOWED_ORIGINS: "${o}" is not an origin like https://shop.example.com`]);
    }
    if (u.origin !== o.replace(/\/$/, '')) {
      throw new ConfigError([`PAYQR_ALLOWED_ORIGINS: "${o}" must be an origin only (scheme://host[:port]), no path`]);
    }
  }
  return list.map((o) => o.replace(/\/$/, ''));
}

export type RoutingTable = Record<`${Channel}:${Scene}`, ProviderId[]>;

/**
 * PAYQR_ROUTING: `wechat:qr=chaoying,umf-mofun; unionpay:qr=umf-mofun; alipay:*=chaoying`
 * (channel:scene=providers in fallback order; `*` for every scene) — or the same as JSON
 * `{"wechat:qr":["chaoying"]}`. Entries given replace the default for that channel × scene.
 */
export function parseRouting(raw: string | undefined): Partial<RoutingTable> {
  if (!raw || !raw.trim()) return {};
  const out: Partial<RoutingTable> = {};
  const problems: string[] = [];
  const add = (key: string, providers: string[]) => {
    const [channel, scene] = key.split(':');
    if (!channel || !(CHANNELS as readonly string[]).includes(channel)) {
      problems.push(`PAYQR_ROUTING: "${key}": channel must be one of ${CHANNELS.join(', ')}`);
      return;
    }
    const scenes = scene === '*' ? [...SCENES] : [scene];
    for (const s of scenes) {
      if (!s || !(SCENES as readonly string[]).includes(s)) {
        problems.push(`PAYQR_ROUTING: "${key}": scene must be one of ${SCENES.join(', ')} or *`);
        return;
      }
    }
    const bad = providers.filter((p) => !(PROVIDER_IDS as readonly string[]).includes(p));
    if (bad.length) problems.push(`PAYQR_ROUTING: "${key}": unknown provider ${bad.join(', ')} (known: ${PROVIDER_IDS.join(', ')})`);
    for (const s of scenes) out[`${channel}:${s}` as keyof RoutingTable] = providers as ProviderId[];
  };
  const text = raw.trim();
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ConfigError(['PAYQR_ROUTING: not valid JSON']);
    }
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (!Array.isArray(v) || v.some((p) => typeof p !== 'string')) problems.push(`PAYQR_ROUTING: "${k}": a list of provider ids`);
      else add(k, v as string[]);
    }
  } else {
    for (const entry of text.split(/[;\n]+/).map((e) => e.trim()).filter(Boolean)) {
      const m = /^([a-z]+:[a-z*]+)\s*=\s*([a-z,\-\s]+)$/.exec(entry);
      if (!m) {
        problems.push(`PAYQR_ROUTING: "${entry}": expected channel:scene=provider[,provider…]`);
        continue;
      }
      add(m[1]!, m[2]!.split(',').map((p) => p.trim()).filter(Boolean));
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return out;
}

/** The first non-internal IPv4 address: in sandbox mode a phone on the same network can pay. */
export function lanAddress(): string | undefined {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

export function defaultDataDir(): string {
  return path.resolve(process.cwd(), '.payqr');
}
