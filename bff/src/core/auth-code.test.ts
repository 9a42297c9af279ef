import { describe, expect, it } from 'vitest';
import { detectAuthCodeChannel } from './auth-code';

describe('detectAuthCodeChannel', () => {
  it.each([
    ['134919586213926735', 'wechat'],
    ['101234567890123456', 'wechat'],
    ['2812345678901234', 'alipay'],
    ['301234567890123456789012', 'alipay'],
    ['6212345678901234567', 'unionpay'],
  ])('%s → %s', (code, channel) => {
    expect(detectAuthCodeChannel(code)).toEqual({ ok: true, channel });
  });
  it.each([
    ['16123456789012345', 'starting 16'], // 17 digits, WeChat prefix range but wrong length
    ['1612345678901234567', 'starting 16'],
    ['241234567890123456', 'starting 24'],
    ['6312345678901234567', 'starting 63'],
    ['13491958621392673', 'starting 13'], // 17 digits
  ])('%s is refused, naming the rule', (code, fragment) => {
    const r = detectAuthCodeChannel(code);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain(fragment);
      expect(r.message).toContain('WeChat: 18 digits starting 10–15');
    }
  });
  it('refuses non-digits', () => {
    expect(detectAuthCodeChannel('13491958621392673a')).toMatchObject({ ok: false, message: expect.stringMatching(/^authCode: digits only/) });
  });
});
