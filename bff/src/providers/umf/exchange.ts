/**
 * The signed request/answer step both 联动优势 connectors take (umf-mofun, umf-sp): sign the
 * request's `k=v` form with the merchant key → send → read the answer as a JSON object → verify
 * its `|` form with the pinned platform key on the map exactly as received → parse (zod). Only
 * how the request body is encoded differs (魔方: the form field `context`; 服务商平台: the JSON
 * object itself), and each product's table of forms says which field carries the signature.
 */
import type { KeyObject } from 'node:crypto';
import { jsonObjectAnswer, postForAnswer, presentFields, type ExchangeFailure } from '../exchange';
import { umfSign, verifyUmfSignature, type UmfSignatureCheck, type UmfSignedForm } from './signature';

export interface UmfExchangeOptions {
  fetch: typeof fetch;
  baseUrl: string;
  timeoutMs: number;
  /** signs our requests */
  merchantKey: KeyObject;
  /** UMF's platform public key: verifies the answers */
  platformKey: KeyObject;
  /** the product's forms: requests `k=v`, answers `|` */
  forms: { request: UmfSignedForm; response: UmfSignedForm };
  /** the request body for the signed fields */
  encode(fields: Readonly<Record<string, string>>): { contentType: string; body: string };
  /** the answer's result code field (`retCode`, `respCode`), named when an answer lacks a usable one */
  codeField: string;
}

interface Schema<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false };
}

export type UmfExchange<T> = { ok: true; raw: Record<string, unknown>; response: T; signature: UmfSignatureCheck } | ExchangeFailure;

/** sign → send → verify → parse, for one product's configuration. */
export function umfExchanger(opts: UmfExchangeOptions) {
  const base = opts.baseUrl.replace(/\/+$/, '');
  return async function exchange<T>(path: string, params: Readonly<Record<string, string | undefined>>, schema: Schema<T>): Promise<UmfExchange<T>> {
    const fields = presentFields(params);
    fields[opts.forms.request.field] = umfSign(fields, opts.forms.request, opts.merchantKey);
    const sent = await postForAnswer(opts.fetch, `${base}${path}`, opts.encode(fields), opts.timeoutMs);
    if (!sent.ok) return sent;
    const answer = jsonObjectAnswer(sent.text);
    if (!answer.ok) return answer;
    // Verify on the raw map (every field but the signature, values only, `|`-joined) before parsing anything.
    const signature = verifyUmfSignature(answer.map, opts.forms.response, opts.platformKey);
    const parsed = schema.safeParse(answer.map);
    if (!parsed.success) return { ok: false, transient: true, reason: `answer without a usable ${opts.codeField}: ${sent.text.slice(0, 200)}` };
    return { ok: true, raw: answer.map, response: parsed.data, signature };
  };
}
