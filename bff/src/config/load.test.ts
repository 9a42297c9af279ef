import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ProviderModule } from '../providers/module';
import { ConfigError, parseRouting } from './env';
import { loadConfig } from './load';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-config-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A minimal provider module: settings MCH_ID (digits) and KEY (32 chars). */
const fake: ProviderModule<{ MCH_ID: string; KEY: string; BASE_URL: string }> = {
  id: 'chaoying',
  envPrefix: 'PAYQR_CHAOYING_',
  settingsSchema: z.object({
    MCH_ID: z.string().regex(/^\d+$/, 'digits only'),
    KEY: z.string().length(32, 'exactly 32 characters'),
    BASE_URL: z.string().url(),
  }),
  sandboxSettings: (ctx) => ({ MCH_ID: ctx.secret('MCH_ID', () => '10001'), KEY: ctx.secret('KEY', () => 'k'.repeat(32)), BASE_URL: ctx.simulatorBaseUrl }),
  describe: (c) => ({ mch_id: c.MCH_ID }),
  createConnector: () => {
    throw new Error('not used');
  },
};

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('with nothing set runs in sandbox mode with generated keys kept in the data dir', () => {
    const dir = tmp();
    const a = loadConfig({ PAYQR_DATA_DIR: dir }, [fake]);
    expect(a.mode).toBe('sandbox');
    expect(a.apiKeyGenerated).toBe(true);
    expect(a.apiKey).toMatch(/^sk_sandbox_[0-9a-f]{40}$/);
    expect(a.allowedOrigins).toBe('*');
    expect(a.sqlitePath).toBe(path.join(dir, 'ledger.sqlite'));
    expect(a.providers.chaoying?.settings).toMatchObject({ MCH_ID: '10001', BASE_URL: 'http://127.0.0.1:3000/sandbox/chaoying' });
    const b = loadConfig({ PAYQR_DATA_DIR: dir }, [fake]);
    expect(b.apiKey).toBe(a.apiKey);
    expect(b.webhookSecret).toBe(a.webhookSecret);
    expect((fs.statSync(path.join(dir, 'sandbox-secrets.json')).mode & 0o777).toString(8)).toBe('600');
  });

  it('in sandbox mode an environment setting replaces the generated one', () => {
    const c = loadConfig({ PAYQR_DATA_DIR: tmp(), PAYQR_CHAOYING_MCH_ID: '777' }, [fake]);
    expect(c.providers.chaoying?.settings).toMatchObject({ MCH_ID: '777' });
  });

  it('reports every bad field with the variable name and what was expected', () => {
    const p = problems(() =>
      loadConfig(
        { PAYQR_DATA_DIR: tmp(), PORT: 'eighty', PAYQR_MODE: 'prod', PAYQR_PUBLIC_URL: 'pay.example.com', PAYQR_CHAOYING_KEY: 'short' },
        [fake],
      ),
    );
    expect(p.join('\n')).toMatch(/PORT: /);
    expect(p.join('\n')).toMatch(/PAYQR_MODE: either "sandbox" \(default\) or "live"/);
    expect(p.join('\n')).toMatch(/PAYQR_PUBLIC_URL: .*absolute http\(s\) URL/);
  });

  it('live mode requires an API key, a public URL and a configured provider; names provider fields', () => {
    const p = problems(() => loadConfig({ PAYQR_DATA_DIR: tmp(), PAYQR_MODE: 'live' }, [fake]));
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PAYQR_PUBLIC_URL: required in live mode/),
        expect.stringMatching(/^PAYQR_API_KEY: required in live mode/),
        expect.stringMatching(/no provider configured/),
      ]),
    );
    const q = problems(() =>
      loadConfig(
        { PAYQR_DATA_DIR: tmp(), PAYQR_MODE: 'live', PAYQR_API_KEY: 'x'.repeat(24), PAYQR_PUBLIC_URL: 'https://pay.example.com', PAYQR_CHAOYING_MCH_ID: 'abc' },
        [fake],
      ),
    );
    expect(q).toEqual(
      expect.arrayContaining([
        'PAYQR_CHAOYING_MCH_ID: digits only',
        expect.stringMatching(/^PAYQR_CHAOYING_KEY: /),
        expect.stringMatching(/^PAYQR_CHAOYING_BASE_URL: /),
      ]),
    );
  });

  it('live mode with everything set: origins list, no generated key', () => {
    const c = loadConfig(
      {
        PAYQR_DATA_DIR: tmp(),
        PAYQR_MODE: 'live',
        PAYQR_API_KEY: 'x'.repeat(24),
        PAYQR_PUBLIC_URL: 'https://pay.example.com/',
        PAYQR_ALLOWED_ORIGINS: 'https://shop.example.com, https://m.shop.example.com',
        PAYQR_CHAOYING_MCH_ID: '123',
        PAYQR_CHAOYING_KEY: 'a'.repeat(32),
        PAYQR_CHAOYING_BASE_URL: 'https://pay.storepos.cn',
        DATABASE_URL: 'postgres://u@db/payqr',
      },
      [fake],
    );
    expect(c.publicUrl).toBe('https://pay.example.com');
    expect(c.allowedOrigins).toEqual(['https://shop.example.com', 'https://m.shop.example.com']);
    expect(c.apiKeyGenerated).toBe(false);
    expect(c.databaseUrl).toBe('postgres://u@db/payqr');
  });

  it('rejects an origin with a path, and routing that names an unconfigured provider', () => {
    const p = problems(() =>
      loadConfig({ PAYQR_DATA_DIR: tmp(), PAYQR_ALLOWED_ORIGINS: 'https://shop.example.com/checkout', PAYQR_ROUTING: 'wechat:qr=scanforpay' }, [fake]),
    );
    expect(p).toEqual([
      expect.stringMatching(/PAYQR_ALLOWED_ORIGINS: .* origin only/),
      'PAYQR_ROUTING: "wechat:qr" names scanforpay, which is not configured',
    ]);
  });
});

describe('the console password', () => {
  const live = { PAYQR_MODE: 'live', PAYQR_API_KEY: 'x'.repeat(24), PAYQR_PUBLIC_URL: 'https://pay.example.com', PAYQR_CHAOYING_MCH_ID: '123', PAYQR_CHAOYING_KEY: 'a'.repeat(32), PAYQR_CHAOYING_BASE_URL: 'https://pay.storepos.cn' };
  const HASH = `$scrypt$ln=15,r=8,p=1$${Buffer.alloc(16, 7).toString('base64').replace(/=+$/, '')}$${Buffer.alloc(32, 9).toString('base64').replace(/=+$/, '')}`;

  it('sandbox mode generates one, keeps it with the sandbox secrets and says so', () => {
    const dir = tmp();
    const a = loadConfig({ PAYQR_DATA_DIR: dir }, [fake]);
    expect(a.console).toMatchObject({ generated: true, sessionTtlSeconds: 8 * 3600, password: { plain: expect.stringMatching(/^tea-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/) } });
    const kept = JSON.parse(fs.readFileSync(path.join(dir, 'sandbox-secrets.json'), 'utf8')) as Record<string, string>;
    expect(kept.PAYQR_CONSOLE_PASSWORD).toBe((a.console?.password as { plain: string }).plain);
    expect(loadConfig({ PAYQR_DATA_DIR: dir }, [fake]).console?.password).toEqual(a.console?.password);
  });

  it('a password or hash given is used as it is, in sandbox and live mode', () => {
    expect(loadConfig({ PAYQR_DATA_DIR: tmp(), PAYQR_CONSOLE_PASSWORD_HASH: HASH }, [fake]).console).toEqual({ password: { hash: HASH }, generated: false, sessionTtlSeconds: 28800 });
    expect(loadConfig({ PAYQR_DATA_DIR: tmp(), ...live, PAYQR_CONSOLE_PASSWORD: 'a long enough password', PAYQR_CONSOLE_SESSION_TTL_SECONDS: '3600' }, [fake]).console).toEqual({
      password: { plain: 'a long enough password' },
      generated: false,
      sessionTtlSeconds: 3600,
    });
  });

  it('live mode without one has no console (its endpoints answer 404)', () => {
    expect(loadConfig({ PAYQR_DATA_DIR: tmp(), ...live }, [fake]).console).toBeUndefined();
  });

  it('names what is wrong: too short, not a scrypt hash, both set', () => {
    expect(problems(() => loadConfig({ PAYQR_DATA_DIR: tmp(), ...live, PAYQR_CONSOLE_PASSWORD: 'short' }, [fake]))).toEqual(['PAYQR_CONSOLE_PASSWORD: at least 12 characters']);
    expect(problems(() => loadConfig({ PAYQR_DATA_DIR: tmp(), ...live, PAYQR_CONSOLE_PASSWORD_HASH: 'sha1:abc' }, [fake]))).toEqual([
      expect.stringMatching(/^PAYQR_CONSOLE_PASSWORD_HASH: not a scrypt hash in the form \$scrypt\$ln=/),
    ]);
    expect(problems(() => loadConfig({ PAYQR_DATA_DIR: tmp(), ...live, PAYQR_CONSOLE_PASSWORD: 'a long enough password', PAYQR_CONSOLE_PASSWORD_HASH: HASH }, [fake]))).toEqual([
      'PAYQR_CONSOLE_PASSWORD_HASH: set either it or PAYQR_CONSOLE_PASSWORD, not both',
    ]);
  });
});

describe('parseRouting', () => {
  it('reads channel:scene=providers with * for every scene, or JSON', () => {
    expect(parseRouting('wechat:qr=chaoying,umf-mofun; alipay:*=chaoying')).toMatchObject({
      'wechat:qr': ['chaoying', 'umf-mofun'],
      'alipay:qr': ['chaoying'],
      'alipay:micropay': ['chaoying'],
    });
    expect(parseRouting('{"unionpay:qr":["umf-mofun"]}')).toEqual({ 'unionpay:qr': ['umf-mofun'] });
  });
  it('says what is wrong with a bad entry', () => {
    expect(problems(() => parseRouting('bitcoin:qr=chaoying'))).toEqual([expect.stringMatching(/channel must be one of wechat/)]);
    expect(problems(() => parseRouting('wechat:qr=paypal'))).toEqual([expect.stringMatching(/unknown provider paypal/)]);
    expect(problems(() => parseRouting('wechat qr chaoying'))).toEqual([expect.stringMatching(/expected channel:scene=provider/)]);
  });
});
