/**
 * One outbound HTTP exchange with a hard time limit. The limit holds even when an injected
 * `fetch` ignores its abort signal: the promise is raced against the signal as well, so a
 * stuck provider (or a test double) can never stall a caller's schedule.
 */
export type TextExchange =
  | { ok: true; status: number; text: string; headers: Headers }
  | { ok: false; timedOut: boolean; reason: string };

export async function fetchText(
  fetchFn: typeof fetch,
  url: string,
  init: Omit<RequestInit, 'signal'>,
  opts: { timeoutMs: number; signal?: AbortSignal; maxTextLength?: number },
): Promise<TextExchange> {
  const signal = opts.signal ? AbortSignal.any([AbortSignal.timeout(opts.timeoutMs), opts.signal]) : AbortSignal.timeout(opts.timeoutMs);
  try {
    const res = await untilAborted(fetchFn(url, { ...init, signal }), signal);
    const text = await untilAborted(res.text(), signal);
    return { ok: true, status: res.status, text: opts.maxTextLength ? text.slice(0, opts.maxTextLength) : text, headers: res.headers };
  } catch (e) {
    const err = e as Error;
    const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError';
    return { ok: false, timedOut, reason: timedOut ? `no answer within ${opts.timeoutMs} ms` : `network error: ${err.message}` };
  }
}

/** Reject as soon as `signal` aborts, whether or not `p` listens to it. */
export function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
