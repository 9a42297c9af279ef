// The verification snippet in README.md is what shops paste: run it exactly as written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader, signPayload } from './signature';

type Verify = (rawBody: unknown, header: unknown, secret: string, toleranceSeconds?: number) => boolean;

const SECRET = 'whsec_test_0123456789abcdef';
const BODY = '{"id":"evt_test","type":"order.paid","created":1763776800,"data":{"subject":"乌龙茶","amount":1999}}';

let verify: Verify;

beforeAll(async () => {
  const readme = fs.readFileSync(new URL('./README.md', import.meta.url), 'utf8');
  const m = /<!-- verify-snippet[^>]*-->\s*```js\n([\s\S]*?)```/.exec(readme);
  if (!m?.[1]) throw new Error('README.md: verify snippet not found');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-readme-'));
  const file = path.join(dir, 'snippet.mjs');
  fs.writeFileSync(file, `${m[1]}\nexport { verifyPayQrSignature };\n`);
  verify = ((await import(pathToFileURL(file).href)) as { verifyPayQrSignature: Verify }).verifyPayQrSignature;
});

describe('README verification snippet', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts what PayQR signs, as a Buffer or a string, with one or several v1', () => {
    const t = now();
    expect(verify(Buffer.from(BODY), signatureHeader(SECRET, BODY, t), SECRET)).toBe(true);
    expect(verify(BODY, signatureHeader(SECRET, BODY, t), SECRET)).toBe(true);
    expect(verify(BODY, signatureHeader(['whsec_new_secret_abcdefgh', SECRET], BODY, t), SECRET)).toBe(true);
    expect(verify(BODY, ` t=${t}, v1=${signPayload(SECRET, BODY, t).toUpperCase()}`, SECRET)).toBe(true);
  });

  it('rejects a wrong secret, a re-serialised or tampered body, stale times and garbage headers', () => {
    const t = now();
    const header = signatureHeader(SECRET, BODY, t);
    expect(verify(BODY, header, 'whsec_wrong_000000000000')).toBe(false);
    expect(verify(JSON.stringify(JSON.parse(BODY), null, 1), header, SECRET)).toBe(false);
    expect(verify(BODY.replace('1999', '1'), header, SECRET)).toBe(false);
    expect(verify(BODY, signatureHeader(SECRET, BODY, t - 301), SECRET)).toBe(false);
    expect(verify(BODY, signatureHeader(SECRET, BODY, t - 301), SECRET, 600)).toBe(true);
    for (const bad of [undefined, '', 'garbage', `t=${t}`, `v1=${signPayload(SECRET, BODY, t)}`, `t=${t},v1=abc`, `t=x${t},v1=${signPayload(SECRET, BODY, t)}`]) {
      expect(verify(BODY, bad, SECRET)).toBe(false);
    }
  });
});
