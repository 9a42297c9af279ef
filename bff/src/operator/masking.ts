/**
 * What an operator sees of a provider's notification body, and of a webhook target: the raw
 * text with secrets masked, everything else exactly as received (so an amount reads "11.00"
 * when the provider wrote 11.00). The ledger keeps the body unmasked; masking happens when it
 * is shown.
 *
 * Masked, by field name (any nesting, JSON / form / XML bodies; case and `_` ignored):
 *  - signatures — sign, sig, signature, paySign, sign_data, mac: not secret by themselves, but a
 *    body with its valid signature is a ready-made notification anyone can replay or paste
 *    elsewhere; the first 4 characters and the length stay, enough to compare with the
 *    provider's support;
 *  - keys and credentials — key, *_key, secret, *_secret, password, *token: `***`, nothing kept;
 *  - the payer's codes and identity — auth_code, dynamic_id, pay_code (a 付款码 can be
 *    charged), openid, sub_openid, buyer_id, buyer_user_id, buyer_logon_id (an e-mail or
 *    phone number), payerInfo: the first and last 4 characters, enough to correlate.
 */
import { maskCode } from '../core/log';

type Kind = 'signature' | 'secret' | 'personal';

function kindOf(key: string): Kind | undefined {
  const k = key.toLowerCase().replace(/[_-]/g, '');
  if (k === 'sign' || k === 'sig' || k === 'signature' || k === 'paysign' || k === 'signdata' || k === 'mac') return 'signature';
  if (k === 'signtype') return undefined;
  if (k === 'key' || k.endsWith('key') || k === 'secret' || k.endsWith('secret') || k === 'password' || k === 'passwd' || k.endsWith('token')) return 'secret';
  if (['authcode', 'dynamicid', 'paycode', 'openid', 'subopenid', 'buyerid', 'buyeruserid', 'buyerlogonid', 'payerinfo'].includes(k)) return 'personal';
  return undefined;
}

function maskValue(kind: Kind, value: string): string {
  switch (kind) {
    case 'signature':
      return value.length <= 4 ? '***' : `${value.slice(0, 4)}…(${value.length} chars, masked)`;
    case 'secret':
      return '***';
    case 'personal':
      return maskCode(value);
  }
}

/** Mask a notification body of any of the providers' formats; unknown text is returned as is. */
export function maskBody(body: string): string {
  const text = body.trimStart();
  if (text.startsWith('{') || text.startsWith('[')) return maskJson(body);
  if (text.startsWith('<')) return maskXml(body);
  if (/^[^=&\s]+=[^&]*(&[^=&\s]+=[^&]*)*\s*$/.test(body.trim())) return maskForm(body);
  return body;
}

/** `a=1&sign=…`: each value masked by its (decoded) name; the rest byte for byte. */
function maskForm(body: string): string {
  return body
    .split('&')
    .map((pair) => {
      const i = pair.indexOf('=');
      if (i < 0) return pair;
      let name: string;
      let value: string;
      try {
        name = decodeURIComponent(pair.slice(0, i).replace(/\+/g, ' '));
        value = decodeURIComponent(pair.slice(i + 1).replace(/\+/g, ' '));
      } catch {
        return pair;
      }
      const kind = kindOf(name);
      return kind ? `${pair.slice(0, i)}=${encodeURIComponent(maskValue(kind, value))}` : pair;
    })
    .join('&');
}

/** `<sign>…</sign>` (and CDATA) inside XML. */
function maskXml(body: string): string {
  return body.replace(/<([A-Za-z_][\w.-]*)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g, (whole, tag: string, cdata?: string, plain?: string) => {
    const kind = kindOf(tag);
    if (!kind) return whole;
    const masked = maskValue(kind, cdata ?? plain ?? '');
    return cdata !== undefined ? `<${tag}><![CDATA[${masked}]]></${tag}>` : `<${tag}>${masked.replace(/</g, '&lt;')}</${tag}>`;
  });
}

/**
 * JSON, without re-serialising it: a small scanner finds each member name and the extent of
 * its value (a string, a number or literal, or a nested object/array), and only the values of
 * masked names are replaced (by a JSON string). Invalid JSON is returned unchanged.
 */
function maskJson(body: string): string {
  try {
    JSON.parse(body);
  } catch {
    return body;
  }
  let out = '';
  let i = 0;
  const n = body.length;
  const stringEnd = (from: number) => {
    // `from` is at the opening quote; returns the index after the closing one
    let j = from + 1;
    while (j < n && body[j] !== '"') j += body[j] === '\\' ? 2 : 1;
    return j + 1;
  };
  const valueEnd = (from: number): number => {
    const c = body[from];
    if (c === '"') return stringEnd(from);
    if (c === '{' || c === '[') {
      let depth = 0;
      let j = from;
      while (j < n) {
        const ch = body[j];
        if (ch === '"') {
          j = stringEnd(j);
          continue;
        }
        if (ch === '{' || ch === '[') depth++;
        else if (ch === '}' || ch === ']') {
          depth--;
          if (depth === 0) return j + 1;
        }
        j++;
      }
      return n;
    }
    let j = from;
    while (j < n && !/[,}\]\s]/.test(body[j]!)) j++;
    return j;
  };
  while (i < n) {
    const ch = body[i]!;
    if (ch !== '"') {
      out += ch;
      i++;
      continue;
    }
    const end = stringEnd(i);
    const literal = body.slice(i, end);
    out += literal;
    i = end;
    // a member name is a string followed by ':'
    let j = i;
    while (j < n && /\s/.test(body[j]!)) j++;
    if (body[j] !== ':') continue;
    const kind = kindOf(JSON.parse(literal) as string);
    if (!kind) continue;
    j++;
    while (j < n && /\s/.test(body[j]!)) j++;
    const vEnd = valueEnd(j);
    const raw = body.slice(j, vEnd);
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    out += body.slice(i, j) + JSON.stringify(maskValue(kind, value));
    i = vEnd;
  }
  return out;
}

/** A webhook target as an operator sees it: query values and user info masked (shops put tokens there). */
export function maskUrl(url: string | null): string | null {
  if (url === null) return null;
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '***';
      u.password = '';
    }
    const params = [...u.searchParams.keys()];
    if (params.length === 0) return u.toString();
    return `${u.origin}${u.pathname}?${params.map((k) => `${encodeURIComponent(k)}=***`).join('&')}`;
  } catch {
    return '(invalid url)';
  }
}
