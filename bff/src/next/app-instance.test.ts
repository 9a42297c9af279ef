import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../config/load';
import { consoleLine } from './app-instance';

const base = { publicUrl: 'http://192.168.1.20:3000', dataDir: '/srv/payqr/.payqr' } as const;
const config = (c: AppConfig['console']) => ({ ...base, console: c }) as AppConfig;

describe('the start-up line about the console', () => {
  it('sandbox: the URL and the generated password, like the API key', () => {
    expect(consoleLine(config({ password: { plain: 'tea-abcd-efgh-jkmn' }, generated: true, sessionTtlSeconds: 60 }))).toBe(
      '  console:     http://192.168.1.20:3000/console   password: tea-abcd-efgh-jkmn   (sandbox; kept in /srv/payqr/.payqr)',
    );
  });
  it('a chosen password is never printed', () => {
    const line = consoleLine(config({ password: { plain: 'my chosen secret' }, generated: false, sessionTtlSeconds: 60 }));
    expect(line).toBe('  console:     http://192.168.1.20:3000/console');
  });
  it('live mode without a password: says the console is off and how to turn it on', () => {
    expect(consoleLine(config(undefined))).toMatch(/console: +off — set PAYQR_CONSOLE_PASSWORD or PAYQR_CONSOLE_PASSWORD_HASH/);
  });
});
