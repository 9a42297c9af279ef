/**
 * The payer's code shown in the wallet (付款码), scanned by the cashier. Its channel is told by
 * its prefix and length (联动优势 服务商平台's authCode rule, docs/providers/umf-sp.md):
 *   WeChat   18 digits starting 10–15
 *   Alipay   16–24 digits starting 25–30
 *   UnionPay 19 digits starting 62
 * Anything else is refused before it reaches a provider.
 */
import type { Channel } from './domain';

export const AUTH_CODE_RULES: ReadonlyArray<{ channel: Channel; pattern: RegExp; rule: string }> = [
  { channel: 'wechat', pattern: /^1[0-5]\d{16}$/, rule: 'WeChat: 18 digits starting 10–15' },
  { channel: 'alipay', pattern: /^(2[5-9]|30)\d{14,22}$/, rule: 'Alipay: 16–24 digits starting 25–30' },
  { channel: 'unionpay', pattern: /^62\d{17}$/, rule: 'UnionPay: 19 digits starting 62' },
];

export type AuthCodeCheck = { ok: true; channel: Channel } | { ok: false; message: string };

export function detectAuthCodeChannel(raw: string): AuthCodeCheck {
  const code = raw.trim();
  if (!/^\d+$/.test(code)) return { ok: false, message: `authCode: digits only (${AUTH_CODE_RULES.map((r) => r.rule).join('; ')})` };
  for (const r of AUTH_CODE_RULES) if (r.pattern.test(code)) return { ok: true, channel: r.channel };
  return {
    ok: false,
    message: `authCode: ${code.length} digits starting ${code.slice(0, 2)} matches no wallet; expected ${AUTH_CODE_RULES.map((r) => r.rule).join('; ')}`,
  };
}
