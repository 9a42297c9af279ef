/**
 * The scanforpay envelope (请求示例 / 响应示例, docs/providers/scanforpay.md "The envelope"):
 *
 *   {"request":{"header":{…},"body":{…}},"signature":"<hex>"}     (ours → scanforpay)
 *   {"response":{"header":{…},"body":{…}},"signature":"<hex>"}    (answers and notifications)
 *
 * Sealing serialises the value ONCE and builds the envelope around that exact text by string
 * concatenation, so the bytes on the wire are the bytes that were hashed. Opening finds the exact
 * received text of the value (core/strict-json.ts) for the signature check; the parsed value is only
 * for reading fields afterwards.
 */
import { jsonObjectMembers } from '../../core/strict-json';
import { scanforpaySign, verifyScanforpaySignature, type ScanforpaySignatureCheck } from './signature';

export type EnvelopeKind = 'request' | 'response';

export interface SealedEnvelope {
  /** the whole envelope, as it goes on the wire */
  text: string;
  /** the exact text of the value that was hashed */
  valueText: string;
  signature: string;
}

/** `{"<kind>":<valueText>,"signature":"<signature>"}`; no signature member when `signature` is undefined. */
export function envelopeText(kind: EnvelopeKind, valueText: string, signature: string | undefined): string {
  return signature === undefined ? `{"${kind}":${valueText}}` : `{"${kind}":${valueText},"signature":${JSON.stringify(signature)}}`;
}

export function sealEnvelope(kind: EnvelopeKind, value: object, signKey: string): SealedEnvelope {
  const valueText = JSON.stringify(value);
  const signature = scanforpaySign(valueText, signKey);
  return { text: envelopeText(kind, valueText, signature), valueText, signature };
}

export type OpenedEnvelope =
  | {
      ok: true;
      /** the exact received text of the value */
      valueText: string;
      /** the same, parsed */
      value: unknown;
      /** the `"signature"` member as parsed; undefined when absent */
      signature: unknown;
    }
  | { ok: false; reason: string };

/**
 * Splits a received envelope. Strict JSON: the provider document's own examples have a trailing
 * comma and a missing comma (hand-edited documentation); a real answer like that is not JSON, and
 * an answer we cannot read is an unknown outcome, never a guess.
 *
 * The signature covers the `"<kind>"` value only, so the envelope may hold nothing else beside it
 * and `"signature"`: any other member is outside the signature and is refused, never read.
 */
export function openEnvelope(text: string, kind: EnvelopeKind): OpenedEnvelope {
  const all = jsonObjectMembers(text);
  if (!all.ok) return { ok: false, reason: `not a JSON envelope: ${all.reason}` };
  const value = all.members.get(kind);
  if (!value) return { ok: false, reason: `no "${kind}" member in the envelope` };
  const unsigned = [...all.members.keys()].filter((k) => k !== kind && k !== 'signature');
  if (unsigned.length) return { ok: false, reason: `member ${unsigned.map((k) => JSON.stringify(k)).join(', ')} beside "${kind}" is not covered by the signature` };
  const signature = all.members.get('signature');
  return {
    ok: true,
    valueText: value.text,
    value: value.value,
    signature: signature?.value,
  };
}

export function verifyEnvelope(opened: { valueText: string; signature: unknown }, signKey: string): ScanforpaySignatureCheck {
  return verifyScanforpaySignature(opened.valueText, opened.signature, signKey);
}

