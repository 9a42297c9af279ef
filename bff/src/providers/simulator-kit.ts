/**
 * Small pieces the provider simulators (the sandbox twins) share, whatever the wire format: a
 * refusal carrying the provider's own code, thrown by a handler and answered by the gateway in
 * the provider's format; request parsing against the seed's table; reading a JSON object.
 */
import { describeZodIssues } from '../core/errors';
import { isJsonObject, parseJson } from '../core/strict-json';

/** A request the simulator refuses, with the provider's code for it (its gateway answers it). */
export class SimulatorRejection<C extends string | number = string | number> extends Error {
  constructor(
    readonly code: C,
    message: string,
  ) {
    super(message);
  }
}

export interface RequestSchema<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
}

/** The request as the seed's table types it, or a rejection with the provider's parameter-error code. */
export function parseOrReject<T, C extends string | number>(schema: RequestSchema<T>, value: unknown, code: C, what = 'parameters'): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new SimulatorRejection(code, `参数错误 invalid ${what}: ${describeZodIssues(r.error.issues)}`);
  return r.data;
}

/**
 * `text` as one JSON object, or why not. Strict (core/strict-json.ts), as every reader of outside
 * input: a member twice is refused, objects have a null prototype.
 */
export function readJsonObject(text: string): { object: Record<string, unknown> } | { problem: string } {
  let v;
  try {
    v = parseJson(text.trim());
  } catch (e) {
    return { problem: (e as Error).message };
  }
  return isJsonObject(v) ? { object: v } : { problem: 'not a JSON object' };
}

/** `text` as one JSON object, or undefined (not strict JSON, or not an object). */
export function jsonObjectOf(text: string): Record<string, unknown> | undefined {
  const r = readJsonObject(text);
  return 'object' in r ? r.object : undefined;
}

/**
 * Copies a JSON request's values into `into`: every value must be a JSON string, and an empty one
 * is "not sent" (it is not signed either). Returns the first key whose value is not a string
 * (`into` then holds the fields before it), or undefined.
 */
export function copyStringValues(obj: Readonly<Record<string, unknown>>, into: Record<string, string>): string | undefined {
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v !== 'string') return k;
    if (v !== '') into[k] = v;
  }
  return undefined;
}

/** A JSON answer (HTTP 200), as the UMF and chaoying gateways answer everything. */
export function jsonAnswer(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });
}
