/**
 * Free text that travels to a payment provider (an order's `subject` becomes 超赢's `body`, UMF's
 * `goodsInfo`, scanforpay's `orderTitle`; a payer's openid or Alipay buyer id becomes
 * `buyer_id`) and into the ledger. Refused, with the field and the character named:
 *
 * - control characters (Unicode Cc: NUL, line breaks, tabs, DEL, C1): no provider's field takes
 *   them, WeChat and Alipay show the subject on one line, and PostgreSQL cannot store a NUL in a
 *   text column at all (it was an HTTP 500);
 * - lone surrogates: not text; a UTF-8 encoder replaces them with U+FFFD, so the provider would
 *   sign and show something other than what we sent;
 * - bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they make a
 *   wallet or a console show the text in another order than it is stored ("Trojan Source").
 *
 * Chinese, emoji (properly paired surrogates) and ordinary punctuation pass.
 */
import { z } from 'zod';

const BIDI_CONTROL = /^[\u202A-\u202E\u2066-\u2069]$/u;
const CONTROL = /^\p{Cc}$/u;
/** Iterating a string by code points yields a surrogate only when it is unpaired. */
const LONE_SURROGATE = /^\p{Cs}$/u;

const codePoint = (c: string) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `text` cannot go to a provider, or undefined. Positions count characters from 1. */
export function providerTextProblem(text: string): string | undefined {
  let at = 0;
  for (const c of text) {
    at++;
    if (LONE_SURROGATE.test(c)) return `contains a lone surrogate (${codePoint(c)}) at character ${at}: not valid Unicode text`;
    if (CONTROL.test(c)) return `contains the control character ${codePoint(c)} at character ${at}: payment providers do not accept control characters`;
    if (BIDI_CONTROL.test(c)) return `contains the bidirectional control ${codePoint(c)} at character ${at}: it would make the text show in another order than it is stored`;
  }
  return undefined;
}

/**
 * A zod string for text that reaches a provider: the `base` rules (length, trim …), then
 * {@link providerTextProblem} as an issue on the same path (`subject: contains …`).
 */
export function providerText<T extends z.ZodType<string>>(base: T): T {
  return base.superRefine((v, ctx) => {
    const problem = providerTextProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }) as T;
}
