/**
 * One HTTP call from an element to its server, the same for both: `<pay-qr>` to the BFF
 * (api/client.ts, authenticated by the order's client secret) and `<pay-scan>` to the shop's own
 * endpoint (scan/shop-client.ts, the shop's session). JSON in and out, a time-out joined with the
 * caller's abort, and every failure as one PayQrApiError (api/errors.ts), whose `retryable` is
 * all the poller (controllers/poller.ts) needs. The caller's own abort is not a failure: it
 * passes through untouched, so a superseded run can ignore it.
 */
import { PayQrApiError, errorFromResponse } from './errors.js';

export interface JsonRequest {
  fetch: typeof fetch;
  url: string;
  /** what the caller decides: `method`, `headers`, `credentials` (`omit` across origins, `same-origin` for the shop's own endpoint), `mode` */
  init: { method: 'GET' | 'POST'; headers?: Record<string, string>; credentials: RequestCredentials; mode?: RequestMode };
  /** sent as JSON */
  body?: unknown;
  signal?: AbortSignal | undefined;
  timeoutMs: number;
  /** sees every response before its body is read (the BFF client reads `Date` from it) */
  onResponse?(response: Response): void;
}

export async function requestJson(r: JsonRequest): Promise<unknown> {
  const { url, body, signal } = r;
  const { method, headers } = r.init;
  // One controller joins the caller's abort and our own time-out (AbortSignal.any is too new).
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, r.timeoutMs);

  try {
    const response = await r.fetch(url, {
      ...r.init,
      cache: 'no-store',
      headers: { ...headers, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: controller.signal,
    });
    r.onResponse?.(response);
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw errorFromResponse(response.status, json);
    if (json === undefined) throw new PayQrApiError('invalid-response', `${method} ${url} did not answer JSON`);
    return json;
  } catch (cause) {
    if (cause instanceof PayQrApiError || (signal?.aborted && !timedOut)) throw cause;
    throw new PayQrApiError(timedOut ? 'timeout' : 'network', `${method} ${url} ${timedOut ? 'timed out' : 'failed'}`, { cause });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
