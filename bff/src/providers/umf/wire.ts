/**
 * Wire rules both 联动优势 products state the same way (docs/providers/umf-mofun.md,
 * docs/providers/umf-sp.md): the character rule of the URL UMF calls back (notifyUrl / backUrl) and
 * goodsInfo's length. The lengths are each seed's own facts and stay in the product's wire.ts.
 */

/**
 * Why a callback URL breaks UMF's rule, or undefined. Both seeds: "必须以 http:// [或 https://]
 * 开始, 支持大小写字母,数字,'/','&','%','?','=' . 暂不支持通知地址中包含其他字符,包含url编码后的结果
 * 如%3C %3E等".
 *
 * Taken literally the list forbids the '.' and ':' that every host and port needs, so it cannot
 * be exhaustive. Our reading (assumed): after the scheme (http:// or https://), letters, digits
 * and the listed `/ & % ? =`, plus the characters a host[:port] needs — `.`, `:` and `-` (the
 * hyphen also appears in our own routes `/api/notify/umf-mofun`, `/api/notify/umf-sp`);
 * percent-escapes such as `%3C` are refused. Shared by the connectors and the simulators.
 */
export function umfCallbackUrlProblem(url: string, maxLength: number): string | undefined {
  const m = /^(https?):\/\/(.+)$/i.exec(url);
  if (!m) return 'must start with http:// or https://';
  if (url.length > maxLength) return `longer than ${maxLength} characters`;
  const rest = m[2] ?? '';
  const bad = /[^A-Za-z0-9/&%?=.:-]/.exec(rest);
  if (bad) return `contains ${JSON.stringify(bad[0])}: only letters, digits and / & % ? = (plus . : - for the host) are supported`;
  if (/%[0-9A-Fa-f]{2}/.test(rest)) return 'contains a URL-encoded character (such as %3C), which is not supported';
  return undefined;
}

/** `text` cut to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > maxBytes) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/**
 * goodsInfo: the subject, trimmed, cut (by whole characters) to fit `maxBytes` UTF-8 bytes (both
 * seeds give a length without a unit: bytes satisfy any reading); `fallback` when nothing is left.
 */
export function umfGoodsInfo(subject: string, fallback: string, maxBytes: number): string {
  return truncateUtf8(subject.trim(), maxBytes) || fallback;
}
