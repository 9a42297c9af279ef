/**
 * The exact text of a JSON document's top-level members, without re-serialising anything.
 *
 * scanforpay signs "the exact JSON text of the `request` value + signKey" (seed 003; providers.md
 * "scanforpay"): the hash covers bytes, not a data model. Parsing and re-stringifying would change
 * whitespace, key order, number spelling (`1.0` → `1`) and escapes (`\u4e2d` → `中`), and every
 * such change breaks the signature — or worse, would let us "verify" text the provider never sent.
 * So a response or a notification is verified on the substring that was received, located by
 * this small scanner.
 *
 * The scanner is a complete, strict JSON (RFC 8259) syntax check: strings with valid escapes and
 * no raw control characters, the number grammar, literals, nesting (depth-limited). A member
 * name that appears twice in any object is refused: the signature would cover both copies, but
 * which one the provider meant is ambiguous, and `JSON.parse` would silently keep the last.
 * Names are compared decoded (`"a"` and `"\u0061"` are the same member).
 */

export interface RawMember {
  /** the member name, decoded */
  key: string;
  /** [start, end) of the value's text in the document (UTF-16 offsets) */
  start: number;
  end: number;
  /** exactly `document.slice(start, end)` */
  text: string;
}

export type RawMembers = { ok: true; members: ReadonlyMap<string, RawMember> } | { ok: false; reason: string };
export type RawMemberResult = { ok: true; member: RawMember } | { ok: false; reason: string };

/** Deeper documents are refused (no provider answer nests like this; it bounds the recursion). */
export const MAX_JSON_DEPTH = 64;

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9A-Fa-f]{4}$/;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Scanner {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(message: string): never {
    throw new JsonSyntaxError(message, this.pos);
  }

  ws(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      // space, tab, LF, CR: the only whitespace JSON allows
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else return;
    }
  }

  value(depth: number): void {
    const c = this.text[this.pos];
    if (c === '{') this.object(depth + 1, undefined);
    else if (c === '[') this.array(depth + 1);
    else if (c === '"') this.string();
    else if (c === 't') this.literal('true');
    else if (c === 'f') this.literal('false');
    else if (c === 'n') this.literal('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) this.number();
    else this.fail(c === undefined ? 'unexpected end of the document' : `unexpected character ${JSON.stringify(c)}`);
  }

  /** `collect`: record each member's value text (the top level only). */
  object(depth: number, collect: Map<string, RawMember> | undefined): void {
    if (depth > MAX_JSON_DEPTH) this.fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    this.pos++; // {
    this.ws();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    const names = new Set<string>();
    for (;;) {
      this.ws();
      if (this.text[this.pos] !== '"') this.fail('expected a member name in double quotes');
      const key = this.string();
      if (names.has(key)) this.fail(`member ${JSON.stringify(key)} appears twice`);
      names.add(key);
      this.ws();
      if (this.text[this.pos] !== ':') this.fail(`expected ':' after ${JSON.stringify(key)}`);
      this.pos++;
      this.ws();
      const start = this.pos;
      this.value(depth);
      collect?.set(key, { key, start, end: this.pos, text: this.text.slice(start, this.pos) });
      this.ws();
      const c = this.text[this.pos];
      if (c === ',') this.pos++;
      else if (c === '}') {
        this.pos++;
        return;
      } else this.fail("expected ',' or '}'");
    }
  }

  array(depth: number): void {
    if (depth > MAX_JSON_DEPTH) this.fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    this.pos++; // [
    this.ws();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (;;) {
      this.ws();
      this.value(depth);
      this.ws();
      const c = this.text[this.pos];
      if (c === ',') this.pos++;
      else if (c === ']') {
        this.pos++;
        return;
      } else this.fail("expected ',' or ']'");
    }
  }

  /** Scans a string token and returns its decoded value. */
  string(): string {
    this.pos++; // opening quote
    let out = '';
    let chunk = this.pos;
    for (;;) {
      if (this.pos >= this.text.length) this.fail('unterminated string');
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x22) {
        out += this.text.slice(chunk, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail('raw control character in a string (must be escaped)');
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += this.text.slice(chunk, this.pos);
      const e = this.text[this.pos + 1];
      if (e === 'u') {
        const hex = this.text.slice(this.pos + 2, this.pos + 6);
        if (!HEX4.test(hex)) this.fail('invalid \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 6;
      } else {
        const simple = e === undefined ? undefined : SIMPLE_ESCAPES[e];
        if (simple === undefined) this.fail(`invalid escape \\${e ?? ''}`);
        out += simple;
        this.pos += 2;
      }
      chunk = this.pos;
    }
  }

  number(): void {
    NUMBER.lastIndex = this.pos;
    if (!NUMBER.test(this.text)) this.fail('invalid number');
    this.pos = NUMBER.lastIndex;
  }

  literal(word: string): void {
    if (!this.text.startsWith(word, this.pos)) this.fail('invalid literal');
    this.pos += word.length;
  }
}

/**
 * Every top-level member of a JSON object document, each with the exact text of its value.
 * Anything that is not one strict JSON object (with optional surrounding whitespace) is refused.
 */
export function topLevelMembers(text: string): RawMembers {
  const s = new Scanner(text);
  try {
    s.ws();
    if (text[s.pos] !== '{') s.fail('expected a JSON object');
    const members = new Map<string, RawMember>();
    s.object(1, members);
    s.ws();
    if (s.pos !== text.length) s.fail('unexpected text after the JSON object');
    return { ok: true, members };
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { ok: false, reason: `${e.message} (at offset ${e.at})` };
    throw e;
  }
}

/** The exact text of one top-level member's value, e.g. `rawMember(doc, 'response')`. */
export function rawMember(text: string, key: string): RawMemberResult {
  const all = topLevelMembers(text);
  if (!all.ok) return all;
  const member = all.members.get(key);
  return member ? { ok: true, member } : { ok: false, reason: `no top-level ${JSON.stringify(key)} member` };
}
