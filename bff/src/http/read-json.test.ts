/** `readJson`: the API's request bodies are read strictly (issue 12 item 6). */
import { describe, expect, it } from 'vitest';
import { PayQrError } from '../core/errors';
import { readJson } from './respond';

const post = (body: string, contentType = 'application/json') => new Request('http://payqr.test/api/orders', { method: 'POST', headers: { 'content-type': contentType }, body });

async function refusal(body: string): Promise<PayQrError> {
  try {
    await readJson(post(body));
  } catch (e) {
    if (e instanceof PayQrError) return e;
    throw e;
  }
  throw new Error(`expected ${body} to be refused`);
}

describe('readJson', () => {
  it('reads a JSON body into null-prototype objects', async () => {
    const v = (await readJson(post('{"merchantOrderId":"A1","amount":1999,"metadata":{"k":"v"}}'))) as Record<string, unknown>;
    expect(v).toEqual({ merchantOrderId: 'A1', amount: 1999, metadata: { k: 'v' } });
    expect(Object.getPrototypeOf(v)).toBeNull();
    expect(Object.getPrototypeOf(v.metadata)).toBeNull();
  });

  it('refuses a member given twice, naming it (JSON.parse would silently keep the last)', async () => {
    const e = await refusal('{"merchantOrderId":"A1","amount":1,"subject":"s","amount":1999}');
    expect([e.status, e.code]).toEqual([400, 'invalid_request']);
    expect(e.message).toBe('body: member "amount" appears twice (at offset 49)');
    expect((await refusal('{"metadata":{"a":"1","\\u0061":"2"}}')).message).toMatch(/^body: member "a" appears twice/);
  });

  it('refuses a member named "__proto__" anywhere in the body, naming where', async () => {
    expect((await refusal('{"__proto__":{"amount":1}}')).message).toBe('body: a member named "__proto__" is not allowed (at __proto__)');
    expect((await refusal('{"amount":1,"metadata":{"__proto__":"x"}}')).message).toBe('body: a member named "__proto__" is not allowed (at metadata.__proto__)');
    expect((await refusal('[{"__proto__":1}]')).message).toBe('body: a member named "__proto__" is not allowed (at 0.__proto__)');
  });

  it('still names invalid JSON and a wrong content type, and reads an empty body as nothing', async () => {
    expect((await refusal('{"amount":')).message).toMatch(/^body: not valid JSON/);
    await expect(readJson(post('{}', 'text/plain'))).rejects.toMatchObject({ status: 415 });
    expect(await readJson(post(''))).toBeUndefined();
  });
});
