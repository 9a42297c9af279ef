/**
 * `--params` of `pnpm payqr sign|verify`, as the signing tools receive it.
 *
 * The CLI hands over the file's exact text ({@link ParamsText}), not a parsed object, because a
 * "签名错误" dispute is about bytes: scanforpay signs the exact text of the `request`/`response`
 * value, and 汇收银 puts amounts on the wire as JSON number literals (`11.00`) that
 * `JSON.parse` would turn into `11`. Each tool reads the text the way its provider signs; code
 * and tests that already hold an object may still pass it directly.
 */
import { parseJson } from '../core/strict-json';

export class ParamsText {
  constructor(readonly text: string) {}
}

/** The object `--params` holds: parsed from its text, or as passed. */
export function paramsObject(params: unknown): Record<string, unknown> {
  let value = params;
  if (params instanceof ParamsText) {
    try {
      // strict (core/strict-json.ts): a field given twice is refused, not silently the last
      value = parseJson(params.text);
    } catch (e) {
      throw new Error(`--params: not valid JSON (a JSON object of the fields as they go on the wire): ${(e as Error).message}`);
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('--params: expected a JSON object of the fields as they go on the wire');
  return value as Record<string, unknown>;
}
