/**
 * Sandbox micropay: the payer's code chooses what happens, by its LAST TWO DIGITS, for every
 * micropay simulator (umf-sp, huishouyin) alike. Documented in the README's sandbox section.
 *
 *   …00  paid at once
 *   …01  paying, then paid after 5 s (provider time, scaled by PAYQR_SANDBOX_TIME_SCALE)
 *   …02  password entry (用户输入密码中), then paid after 10 s
 *   …03  failed at once (insufficient balance / wallet refused)
 *   …04  unknown forever: never final, so PayQR reverses it at the deadline
 *   …05  already paid: the code was used for this order before (provider's "order paid")
 *   …06  password entry, then the payer cancels: failed after 10 s
 *   anything else: paid at once
 */
export type MicropayScenario =
  | { kind: 'paid' }
  | { kind: 'paying'; finalAfterMs: number; final: 'paid' | 'failed'; passwordEntry: boolean }
  | { kind: 'failed'; reason: string }
  | { kind: 'unknown' }
  | { kind: 'already_paid' };

export function micropayScenario(authCode: string): MicropayScenario {
  switch (authCode.slice(-2)) {
    case '01':
      return { kind: 'paying', finalAfterMs: 5_000, final: 'paid', passwordEntry: false };
    case '02':
      return { kind: 'paying', finalAfterMs: 10_000, final: 'paid', passwordEntry: true };
    case '03':
      return { kind: 'failed', reason: 'insufficient balance' };
    case '04':
      return { kind: 'unknown' };
    case '05':
      return { kind: 'already_paid' };
    case '06':
      return { kind: 'paying', finalAfterMs: 10_000, final: 'failed', passwordEntry: true };
    default:
      return { kind: 'paid' };
  }
}

/** Example codes per wallet and outcome, for the README, the demo cashier and tests. */
export const SANDBOX_AUTH_CODES = {
  wechat: { paid: '134567890123456700', paying: '134567890123456701', password: '134567890123456702', failed: '134567890123456703', unknown: '134567890123456704', alreadyPaid: '134567890123456705', canceled: '134567890123456706' },
  alipay: { paid: '280123456789012300', paying: '280123456789012301', password: '280123456789012302', failed: '280123456789012303', unknown: '280123456789012304', alreadyPaid: '280123456789012305', canceled: '280123456789012306' },
  unionpay: { paid: '6212345678901234500', paying: '6212345678901234501', password: '6212345678901234502', failed: '6212345678901234503', unknown: '6212345678901234504', alreadyPaid: '6212345678901234505', canceled: '6212345678901234506' },
} as const;
