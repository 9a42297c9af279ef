/**
 * The payer's code (付款码) as the till sees it: the same prefix and length rules the server
 * applies (bff/src/core/auth-code.ts), mirrored here only for instant feedback — the server
 * stays the authority and answers its own error for anything that slips through.
 *   WeChat   18 digits starting 10–15
 *   Alipay   16–24 digits starting 25–30
 *   UnionPay 19 digits starting 62
 */
export type ScanChannel = 'wechat' | 'alipay' | 'unionpay';

export const AUTH_CODE_RULES: ReadonlyArray<readonly [ScanChannel, RegExp]> = [
  ['wechat', /^1[0-5]\d{16}$/],
  ['alipay', /^(2[5-9]|30)\d{14,22}$/],
  ['unionpay', /^62\d{17}$/],
];

export type AuthCodeCheck = { ok: true; code: string; channel: ScanChannel } | { ok: false; problem: 'empty' | 'digits' | 'format' };

/** Spaces and dashes a person may type between digit groups are dropped. */
export function checkAuthCode(raw: string): AuthCodeCheck {
  const code = raw.replace(/[\s-]/g, '');
  if (!code) return { ok: false, problem: 'empty' };
  if (!/^\d+$/.test(code)) return { ok: false, problem: 'digits' };
  for (const [channel, pattern] of AUTH_CODE_RULES) if (pattern.test(code)) return { ok: true, code, channel };
  return { ok: false, problem: 'format' };
}

/** 134567890123456700 → 1345…6700: enough to tell two scans apart, never the whole code. */
export function maskAuthCode(code: string): string {
  return code.length <= 8 ? '***' : `${code.slice(0, 4)}…${code.slice(-4)}`;
}
