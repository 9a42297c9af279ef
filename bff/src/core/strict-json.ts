/**
 * The one JSON reader for text that comes from outside: provider answers and notifications,
 * the sandbox simulators' requests, the API's request bodies. One strict RFC 8259 scanner with
 * three readings of the same grammar:
 *
 * - {@link parseJson}: numbers as JS numbers (what `JSON.parse` gives, for bodies we only read);
 * - {@link parseExactJson}: every number kept as its literal text ({@link JsonNumberText}) —
 *   汇收银 puts money on the wire as JSON numbers (`"total_amount": 11.00`) and signs them as
 *   written, and `JSON.parse` would turn `11.00` into `11` (docs/providers/huishouyin.md);
 * - {@link jsonObjectMembers}: the exact received text of each top-level member's value —
 *   scanforpay signs "the exact JSON text of the `request`/`response` value", so a signature is
 *   checked on the substring received, never on a re-serialisation (docs/providers/scanforpay.md).
 *
 * What it refuses, where `JSON.parse` would silently pick something:
 * - a member name twice in one object (names compared decoded: `"a"` and `"\u0061"` are the
 *   same member) — which copy a provider meant, or signed, would be ambiguous, and `JSON.parse`
 *   keeps the last;
 * - anything outside the grammar: comments, trailing commas, leading zeros, single quotes, raw
 *   control characters in strings, bad escapes, text after the value, nesting deeper than
 *   {@link MAX_JSON_DEPTH}.
 *
 * Objects are built with a null prototype: a member called `"__proto__"` is data like any other
 * (it stays visible to a signature check and to `Object.keys`), never the object's prototype.
 */

/** Deeper documents are refused (nothing we read nests like this; it bounds the recursion). */
export const MAX_JSON_DEPTH = 64;

const NUMBER_STICKY = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const NUMBER_WHOLE = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const HEX4 = /^[0-9A-Fa-f]{4}$/;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** A JSON number exactly as written, e.g. `11.00`, `-10`, `0.82`. */
export class JsonNumberText {
  constructor(readonly text: string) {
    if (!NUMBER_WHOLE.test(text)) throw new Error(`not a JSON number: ${JSON.stringify(text)}`);
  }
  toString(): string {
    return this.text;
  }
}

/** A JSON value with numbers as JS numbers; objects have a null prototype. */
export type Json = null | boolean | string | number | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** A JSON value with numbers as their literal text; objects have a null prototype. */
export type ExactJson = null | boolean | string | JsonNumberText | ExactJson[] | ExactJsonObject;
export interface ExactJsonObject {
  [key: string]: ExactJson;
}

/**
 * Text that is not one strict JSON value; `position` is the UTF-16 offset where reading stopped.
 * `duplicate`: the member name given twice, when that is the reason.
 */
export class JsonSyntaxError extends Error {
  constructor(
    readonly detail: string,
    readonly position: number,
    readonly duplicate?: string,
  ) {
    super(`${detail} (at offset ${position})`);
    this.name = 'JsonSyntaxError';
  }
}

/** An empty object with a null prototype: every key, `__proto__` included, is an own data property. */
export function dataObject<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

type NumberReading = 'number' | 'text';

class Scanner {
  pos = 0;
  constructor(
    private readonly text: string,
    private readonly numbers: NumberReading,
  ) {}

  fail(detail: string, at = this.pos, duplicate?: string): never {
    throw new JsonSyntaxError(detail, at, duplicate);
  }

  ws(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      // space, tab, LF, CR: the only whitespace JSON allows
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else return;
    }
  }

  /** One value; `depth` is the number of containers around it. */
  value(depth: number): unknown {
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth + 1, undefined);
    if (c === '[') return this.array(depth + 1);
    if (c === '"') return this.string();
    if (c === 't') return this.literal('true', true);
    if (c === 'f') return this.literal('false', false);
    if (c === 'n') return this.literal('null', null);
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    return this.fail(c === undefined ? 'unexpected end of the document' : `unexpected character ${JSON.stringify(c)}`);
  }

  /** `collect`: record each member's value span (the top level only). */
  object(depth: number, collect: Map<string, JsonMember<unknown>> | undefined): Record<string, unknown> {
    if (depth > MAX_JSON_DEPTH) this.fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    this.pos++; // {
    const obj = dataObject<unknown>();
    this.ws();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return obj;
    }
    for (;;) {
      this.ws();
      if (this.text[this.pos] !== '"') this.fail('expected a member name in double quotes');
      const at = this.pos;
      const key = this.string();
      if (Object.hasOwn(obj, key)) this.fail(`member ${JSON.stringify(key)} appears twice`, at, key);
      this.ws();
      if (this.text[this.pos] !== ':') this.fail(`expected ':' after ${JSON.stringify(key)}`);
      this.pos++;
      this.ws();
      const start = this.pos;
      const value = this.value(depth);
      // A null-prototype object: plain assignment defines an own property, even for "__proto__".
      obj[key] = value;
      collect?.set(key, { key, start, end: this.pos, text: this.text.slice(start, this.pos), value });
      this.ws();
      const c = this.text[this.pos];
      if (c === ',') this.pos++;
      else if (c === '}') {
        this.pos++;
        return obj;
      } else this.fail("expected ',' or '}'");
    }
  }

  array(depth: number): unknown[] {
    if (depth > MAX_JSON_DEPTH) this.fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    this.pos++; // [
    const out: unknown[] = [];
    this.ws();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value(depth));
      this.ws();
      const c = this.text[this.pos];
      if (c === ',') this.pos++;
      else if (c === ']') {
        this.pos++;
        return out;
      } else this.fail("expected ',' or ']'");
    }
  }

  /** Scans a string token and returns its decoded value. */
  string(): string {
    const start = this.pos;
    this.pos++; // opening quote
    let out = '';
    let chunk = this.pos;
    for (;;) {
      if (this.pos >= this.text.length) this.fail('unterminated string', start);
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

  number(): number | JsonNumberText {
    NUMBER_STICKY.lastIndex = this.pos;
    if (!NUMBER_STICKY.test(this.text)) this.fail('invalid number');
    const literal = this.text.slice(this.pos, NUMBER_STICKY.lastIndex);
    this.pos = NUMBER_STICKY.lastIndex;
    return this.numbers === 'text' ? new JsonNumberText(literal) : Number(literal);
  }

  literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('invalid literal');
    this.pos += word.length;
    return value;
  }

  /** The whole document is one value, with optional surrounding whitespace. */
  document(): unknown {
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.pos !== this.text.length) this.fail('unexpected text after the JSON value');
    return v;
  }
}

/** Parses one strict JSON document; numbers become JS numbers. Throws {@link JsonSyntaxError}. */
export function parseJson(text: string): Json {
  return new Scanner(text, 'number').document() as Json;
}

/** Parses one strict JSON document; numbers stay their literal text. Throws {@link JsonSyntaxError}. */
export function parseExactJson(text: string): ExactJson {
  return new Scanner(text, 'text').document() as ExactJson;
}

/** One top-level member of a JSON object document. */
export interface JsonMember<V> {
  /** the member name, decoded */
  key: string;
  /** [start, end) of the value's text in the document (UTF-16 offsets) */
  start: number;
  end: number;
  /** exactly `document.slice(start, end)` */
  text: string;
  /** the same value, parsed */
  value: V;
}

export type JsonObjectMembers<V> = { ok: true; members: ReadonlyMap<string, JsonMember<V>> } | { ok: false; reason: string };

/**
 * Every top-level member of a JSON object document, each with the exact text of its value and
 * that value parsed (numbers as JS numbers, or as their text with `numbers: 'text'`). Anything
 * that is not one strict JSON object (with optional surrounding whitespace) is refused.
 */
export function jsonObjectMembers(text: string): JsonObjectMembers<Json>;
export function jsonObjectMembers(text: string, numbers: 'text'): JsonObjectMembers<ExactJson>;
export function jsonObjectMembers(text: string, numbers: NumberReading = 'number'): JsonObjectMembers<unknown> {
  const s = new Scanner(text, numbers);
  try {
    s.ws();
    if (text[s.pos] !== '{') s.fail('expected a JSON object');
    const members = new Map<string, JsonMember<unknown>>();
    s.object(1, members);
    s.ws();
    if (s.pos !== text.length) s.fail('unexpected text after the JSON object');
    return { ok: true, members };
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { ok: false, reason: e.message };
    throw e;
  }
}

/**
 * Where the first member called `name` is in a parsed value, as a dotted path (`metadata.__proto__`,
 * `0.__proto__` inside an array), or undefined.
 */
export function findMember(value: Json | ExactJson, name: string, path: readonly string[] = []): string | undefined {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = findMember(v, name, [...path, String(i)]);
      if (found !== undefined) return found;
    }
  } else if (typeof value === 'object' && value !== null && !(value instanceof JsonNumberText)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === name) return [...path, k].join('.');
      const found = findMember(v, name, [...path, k]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** A JSON object (not an array, not null, not a number's text). */
export function isJsonObject(v: ExactJson | undefined): v is ExactJsonObject;
export function isJsonObject(v: Json | undefined): v is JsonObject;
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumberText);
}

/** What {@link stringifyExactJson} writes: parsed values, plus plain strings/booleans/arrays/objects we build. */
export type JsonWritable = ExactJson | undefined | JsonWritable[] | { [key: string]: JsonWritable };

/**
 * Compact JSON text (no whitespace). A {@link JsonNumberText} is written as its exact literal
 * (`11.00` stays `11.00`); strings as `JSON.stringify` escapes them (UTF-8, not `\u` escaped);
 * members whose value is `undefined` are left out. Plain JS numbers are refused: money must
 * never pass through a double on its way to the wire.
 */
export function stringifyExactJson(v: JsonWritable): string {
  if (v === null) return 'null';
  if (v === undefined) throw new Error('undefined is not JSON');
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (v instanceof JsonNumberText) return v.text;
  if (typeof v === 'number') throw new Error('write numbers as JsonNumberText (exact text), not as a JS number');
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : stringifyExactJson(x))).join(',')}]`;
  if (typeof v === 'object') {
    const parts: string[] = [];
    for (const [k, x] of Object.entries(v)) if (x !== undefined) parts.push(`${JSON.stringify(k)}:${stringifyExactJson(x)}`);
    return `{${parts.join(',')}}`;
  }
  throw new Error(`cannot write a ${typeof v} as JSON`);
}

/** The text of a scalar as it appears in a signed string or a typed view: string as is, number as its literal. */
export function scalarText(v: ExactJson | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof JsonNumberText) return v.text;
  return undefined;
}
