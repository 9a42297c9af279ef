// @vitest-environment node
/**
 * Checks the bundle as it ships, built fresh: it imports on a server without a DOM, its lazy
 * chunks stand alone next to it, and the QR chunk (with its own byte-mode, level-M encoder,
 * src/qr/qr-code.ts) draws exactly what the unmodified qrcode package draws.
 */
import jsQR from 'jsqr';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as QRCode from 'qrcode';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QrAttemptController as QrAttemptControllerType } from '../src/qr/qr-attempt-controller.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'pay-qr-dist-'));
const files = () => readdirSync(out).filter((f) => f.endsWith('.js'));
const source = (file: string) => readFileSync(join(out, file), 'utf8');

beforeAll(async () => {
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'silent', build: { outDir: out, sourcemap: false } });
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the built widget', () => {
  it('imports during server-side rendering, where there is no DOM, and leaves the server’s globals alone', async () => {
    const browserGlobals = ['window', 'document', 'customElements', 'HTMLElement'];
    expect(browserGlobals.filter((name) => name in globalThis)).toEqual([]);
    const widget = await import(pathToFileURL(join(out, 'pay-qr.js')).href);
    expect(typeof widget.PayQrElement).toBe('function');
    // Lit's node build would set globalThis.customElements (to undefined here); build/plugins.ts drops that
    expect(browserGlobals.filter((name) => name in globalThis)).toEqual([]);
  });

  it('has one entry and lazy chunks that import nothing but each other, relatively', () => {
    expect(files()).toContain('pay-qr.js');
    for (const file of files()) {
      const specifiers = [...source(file).matchAll(/(?:from|import)\s*\(?\s*[`"']([^`"']+)[`"']/g)].map((m) => m[1]!);
      for (const s of specifiers) expect(s, `${file} imports ${s}`).toMatch(/^\.\/[\w-]+\.js$/);
      // A chunk importing the entry would load it twice when the page adds ?v=… to its URL.
      if (file !== 'pay-qr.js') expect(specifiers, file).not.toContain('./pay-qr.js');
    }
    const entryStatic = [...source('pay-qr.js').matchAll(/(?:^|[;}])\s*import\s*[^(]/g)];
    expect(entryStatic).toHaveLength(0); // everything else loads on demand
  });

  it('draws, in the lazy QR chunk, exactly what the qrcode package draws', async () => {
    const chunk = files().find((f) => f.startsWith('qr-attempt-controller-'))!;
    const { QrAttemptController } = (await import(pathToFileURL(join(out, chunk)).href)) as {
      QrAttemptController: typeof QrAttemptControllerType;
    };
    const real = createRequire(import.meta.url)('qrcode') as typeof QRCode;
    const contents = ['weixin://wxpay/bizpayurl?pr=AbC123xyz', '62220000000000000000', 'https://pay.example.com/p?lang=中文'];
    for (const content of contents) {
      const host = { addController() {}, removeController() {}, requestUpdate() {}, updateComplete: Promise.resolve(true) };
      const client = {
        request: async () => ({ id: 'att_1', channel: 'wechat', scene: 'qr', status: 'pending', expiresAt: new Date().toISOString(), qr: { content } }),
      };
      const controller = new QrAttemptController(host, {
        client: () => client as never,
        orderId: () => 'ord_1',
        sceneOverride: () => undefined,
        now: () => Date.now(),
        timers: { setTimeout: () => 0, clearTimeout: () => {} },
        onFailure: () => {},
      });
      await controller.create('wechat');
      const symbol = controller.symbol!;

      const { modules } = real.create([{ data: new TextEncoder().encode(content), mode: 'byte' }], { errorCorrectionLevel: 'M' });
      const dark = new Set<string>();
      for (const m of symbol.path.matchAll(/M(\d+) (\d+)h(\d+)/g))
        for (let i = 0; i < Number(m[3]); i++) dark.add(`${Number(m[1]) + i - 4},${Number(m[2]) - 4}`);
      for (let row = 0; row < modules.size; row++)
        for (let col = 0; col < modules.size; col++)
          expect(dark.has(`${col},${row}`), `${content} module ${row},${col}`).toBe(Boolean(modules.get(row, col)));
      expect(symbol.size).toBe(modules.size + 8);

      const px = symbol.size * 4;
      const rgba = new Uint8ClampedArray(px * px * 4).fill(255);
      for (let y = 0; y < px; y++)
        for (let x = 0; x < px; x++)
          if (dark.has(`${Math.floor(x / 4) - 4},${Math.floor(y / 4) - 4}`)) rgba.fill(0, (y * px + x) * 4, (y * px + x) * 4 + 3);
      expect(jsQR(rgba, px, px)?.binaryData).toEqual([...new TextEncoder().encode(content)]);
    }
  });
});
