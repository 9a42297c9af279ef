import { describe, expect, it } from 'vitest';
import { fetchText } from './http';

describe('fetchText', () => {
  it('gives up at the time limit even when fetch ignores the abort signal', async () => {
    const stubborn = (() => new Promise<Response>(() => {})) as unknown as typeof fetch;
    const started = Date.now();
    const r = await fetchText(stubborn, 'http://x.test', {}, { timeoutMs: 100 });
    expect(r).toEqual({ ok: false, timedOut: true, reason: 'no answer within 100 ms' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
  it('returns status and text, and reports network errors as such', async () => {
    const ok = (async () => new Response('success', { status: 200 })) as unknown as typeof fetch;
    expect(await fetchText(ok, 'http://x.test', {}, { timeoutMs: 1000 })).toMatchObject({ ok: true, status: 200, text: 'success' });
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    expect(await fetchText(down, 'http://x.test', {}, { timeoutMs: 1000 })).toEqual({ ok: false, timedOut: false, reason: 'network error: fetch failed' });
  });
});
