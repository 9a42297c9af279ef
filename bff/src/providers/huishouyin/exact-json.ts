/**
 * JSON for 汇收银 (seed 004), read and written with every number kept as its source text.
 *
 * Why: all of 汇收银's money is yuan decimals and its examples put them on the wire as JSON
 * numbers (`"total_amount": 11.00`, `"real_amount": 9.0`). `JSON.parse` turns `11.00` into the
 * double 11 and a long literal into the nearest double, so the text that was sent — which is
 * what an amount means and what a signature covers — would be lost. Here a number stays a
 * {@link JsonNumberText} holding its exact literal; amounts are converted to fen from that text
 * (amount.ts) and signed as that text (signature.ts).
 *
 * Strict RFC 8259: no comments, no trailing commas, no leading zeros, no duplicate member
 * names (which copy a provider meant — or signed — would be ambiguous), nesting ≤ 64.
 */

/** A JSON number exactly as written, e.g. `11.00`, `-10`, `0.82`. */
export class JsonNumberText {
  constructor(readonly text: string) {
    if (!NUMBER.test(text)) throw new Error(`not a JSON number: ${JSON.stringify(text)}`);
  }
  toString(): string {
    return this.text;
  }
}

export type ExactJson = null | boolean | string | JsonNumberText | ExactJson[] | ExactJsonObject;
export interface ExactJsonObject {
  [key: string]: ExactJson;
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const MAX_DEPTH = 64;

export class ExactJsonError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} at position ${position}`);
    this.name = 'ExactJsonError';
  }
}

export function isJsonObject(v: ExactJson | undefined): v is ExactJsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumberText);
}

/** Parses JSON text; numbers become {@link JsonNumberText}. Throws {@link ExactJsonError}. */
export function parseExactJson(text: string): ExactJson {
  let i = 0;

  const fail = (what: string): never => {
    throw new ExactJsonError(what, i);
  };
  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };

  function str(): string {
    const start = i;
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        // The token is well-formed JSON string syntax up to here; JSON.parse decodes the escapes.
        try {
          return JSON.parse(text.slice(start, i)) as string;
        } catch {
          i = start;
          return fail('invalid string escape');
        }
      }
      if (c === 0x5c) i += 2;
      else if (c < 0x20) return fail('control character in a string');
      else i++;
    }
    i = start;
    return fail('unterminated string');
  }

  function num(): JsonNumberText {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail('invalid number');
    i += m[0].length;
    return new JsonNumberText(m[0]);
  }

  function literal(word: string, value: ExactJson): ExactJson {
    if (text.startsWith(word, i)) {
      i += word.length;
      return value;
    }
    return fail('unexpected token');
  }

  function value(depth: number): ExactJson {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: ExactJsonObject = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a member name');
        const at = i;
        const key = str();
        if (Object.hasOwn(obj, key)) {
          i = at;
          fail(`duplicate member ${JSON.stringify(key)}`);
        }
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        // defineProperty: a member named "__proto__" is data, never the prototype.
        Object.defineProperty(obj, key, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const arr: ExactJson[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return num();
    if (c === 't') return literal('true', true);
    if (c === 'f') return literal('false', false);
    if (c === 'n') return literal('null', null);
    return fail(c === undefined ? 'unexpected end of input' : 'unexpected token');
  }

  const out = value(0);
  ws();
  if (i !== text.length) fail('unexpected text after the JSON value');
  return out;
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
