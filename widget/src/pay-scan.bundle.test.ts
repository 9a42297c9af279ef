// @vitest-environment node
/**
 * dist/pay-scan.js as it ships, built fresh (`vite build --mode pay-scan`): one self-contained
 * module that imports only its own lazy chunks, carries none of `<pay-qr>` and nothing that could
 * authenticate to PayQR, and imports on a server without a DOM.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'pay-scan-dist-'));
const files = () => readdirSync(out).filter((f) => f.endsWith('.js'));
const source = (file: string) => readFileSync(join(out, file), 'utf8');

beforeAll(async () => {
  await build({ root, configFile: join(root, 'vite.config.ts'), mode: 'pay-scan', logLevel: 'silent', build: { outDir: out, sourcemap: false } });
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the built pay-scan.js', () => {
  it('is one entry whose chunks (the shop endpoint side, texts, camera) load on demand, relatively, never the entry again', () => {
    expect(files()).toContain('pay-scan.js');
    expect(files()).not.toContain('pay-qr.js');
    expect(files().some((f) => f.startsWith('camera-'))).toBe(true);
    expect(files().some((f) => f.startsWith('sale-'))).toBe(true);
    for (const file of files()) {
      const specifiers = [...source(file).matchAll(/(?:from|import)\s*\(?\s*[`"']([^`"']+)[`"']/g)].map((m) => m[1]!);
      for (const s of specifiers) expect(s, `${file} imports ${s}`).toMatch(/^\.\/[\w.-]+\.js$/);
      if (file !== 'pay-scan.js') expect(specifiers, file).not.toContain('./pay-scan.js');
    }
    expect([...source('pay-scan.js').matchAll(/(?:^|[;}])\s*import\s*[^(]/g)]).toHaveLength(0);
  });

  it('carries none of <pay-qr> (its texts, the QR encoder, the BFF client)', () => {
    const all = files().map(source).join('\n');
    for (const marker of ['请选择支付方式', '刷新付款码', 'BitMatrix', '/api/orders', 'pay-qr']) expect(all, marker).not.toContain(marker);
  });

  it('holds no credential and sends none: no API key, no Authorization header, no eval, no inline style', () => {
    const all = files().map(source).join('\n');
    expect(all).not.toMatch(/sk_(sandbox|live|test|e2e)_/);
    expect(all).not.toMatch(/Authorization|Bearer/i);
    expect(all).not.toMatch(/\beval\(|new Function\(/);
    expect(all).not.toMatch(/\sstyle=/);
    // the shop endpoint is called with the till page's own session, from the sale chunk
    expect(source(files().find((f) => f.startsWith('sale-'))!)).toContain('same-origin');
  });

  it('imports during server-side rendering, where there is no DOM, and leaves the server’s globals alone', async () => {
    const browserGlobals = ['window', 'document', 'customElements', 'HTMLElement'];
    expect(browserGlobals.filter((name) => name in globalThis)).toEqual([]);
    const scan = await import(pathToFileURL(join(out, 'pay-scan.js')).href);
    expect(typeof scan.PayScanElement).toBe('function');
    expect(typeof scan.WedgeDetector).toBe('function');
    expect(browserGlobals.filter((name) => name in globalThis)).toEqual([]);
  });
});
