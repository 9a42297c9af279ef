/**
 * The package as a shop gets it: `pnpm pack` (which builds dist first), then the tarball's
 * contents and manifest, then an install into a scratch project outside the workspace where
 * Node must resolve the exports and TypeScript (strict, NodeNext) the types.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PKG_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_MODULES = ['client', 'errors', 'index', 'orders', 'transport', 'types', 'version', 'webhooks'];

let work: string;
let tarball: string;
let scratch: string;
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-node-pack-'));
  run('pnpm', ['pack', '--pack-destination', work], PKG_DIR);
  const [file] = fs.readdirSync(work).filter((f) => f.endsWith('.tgz'));
  if (!file) throw new Error(`pnpm pack made no tarball in ${work}`);
  tarball = path.join(work, file);
  scratch = path.join(work, 'shop');
  fs.mkdirSync(scratch);
  fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch-shop', private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', tarball], scratch);
}, 120_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the tarball', () => {
  it('holds dist (JS and declarations), the licence, the README and the manifest — no sources, tests or fixtures', () => {
    const files = run('tar', ['-tzf', tarball], work).trim().split('\n').sort();
    expect(files).toEqual(
      [
        'package/LICENSE',
        'package/README.md',
        'package/package.json',
        ...SOURCE_MODULES.flatMap((m) => [`package/dist/${m}.d.ts`, `package/dist/${m}.js`]),
      ].sort(),
    );
  });

  it('its manifest points exports, main and types at dist, says MIT, and needs nothing at run time', () => {
    const manifest = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json'], work)) as Record<string, any>;
    expect(manifest).toMatchObject({
      name: '@payqr/node',
      license: 'MIT',
      type: 'module',
      main: './dist/index.js',
      types: './dist/index.d.ts',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
      engines: { node: '>=20.19' },
      files: ['dist'],
    });
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.peerDependencies).toBeUndefined();
    expect(JSON.stringify(manifest)).not.toMatch(/workspace:|src\/|prepack/);
    expect(manifest.version).toBe((JSON.parse(fs.readFileSync(path.join(PKG_DIR, 'package.json'), 'utf8')) as { version: string }).version);
    expect(run('tar', ['-xzOf', tarball, 'package/LICENSE'], work)).toMatch(/^MIT License/);
  });

  it('carries no secrets and no imports but node: built-ins and its own files', () => {
    const dir = path.join(work, 'unpacked');
    fs.mkdirSync(dir);
    run('tar', ['-xzf', tarball, '-C', dir], work);
    for (const f of fs.readdirSync(path.join(dir, 'package', 'dist'))) {
      const text = fs.readFileSync(path.join(dir, 'package', 'dist', f), 'utf8');
      expect(text, f).not.toMatch(/sk_(test|live|sandbox)_[0-9a-f]{8,}|whsec_[A-Za-z0-9]{8,}|cs_[A-Za-z0-9]{16,}|PRIVATE KEY/);
      // import/export statements (not the usage example in index's doc comment), and dynamic imports
      const specifiers = [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]/gm)].map((m) => (m[1] ?? m[2])!);
      if (f.startsWith('index.')) expect(specifiers.length, f).toBeGreaterThan(5);
      for (const s of specifiers) expect(s, `${f} imports ${s}`).toMatch(/^(node:|\.\/[a-z-]+\.js$)/);
    }
  });
});

describe('installed in a project outside the workspace', () => {
  it('Node resolves the exports, and they work', () => {
    const script = `
      import { PayQr, webhooks, PayQrError, PayQrSignatureVerificationError, VERSION } from '@payqr/node';
      import { createRequire } from 'node:module';
      const manifest = createRequire(import.meta.url)('@payqr/node/package.json');
      const payqr = new PayQr({ apiKey: 'sk_scratch_key_0000000000000000', baseUrl: 'http://127.0.0.1:9' });
      const body = JSON.stringify({ id: 'evt_1', type: 'order.canceled', created: 1, data: { id: 'ord_1', status: 'canceled' } });
      const header = webhooks.generateTestHeader({ payload: body, secret: 'whsec_scratch' });
      const event = payqr.webhooks.constructEvent(body, header, 'whsec_scratch');
      let refused;
      try { webhooks.constructEvent(body, header, 'whsec_other'); } catch (e) { refused = e instanceof PayQrSignatureVerificationError && e instanceof PayQrError && e.code; }
      console.log(JSON.stringify({ type: event.type, refused, version: VERSION === manifest.version, orders: typeof payqr.orders.create }));
    `;
    const out = run(process.execPath, ['--input-type=module', '-e', script], scratch);
    expect(JSON.parse(out)).toEqual({ type: 'order.canceled', refused: 'signature_mismatch', version: true, orders: 'function' });
  });

  it('TypeScript (strict, NodeNext) finds the types: results, events and errors are typed', () => {
    // @types/node from this workspace: a Node project has it (fetch, Buffer)
    const typesNode = path.dirname(createRequire(path.join(PKG_DIR, 'package.json')).resolve('@types/node/package.json'));
    fs.mkdirSync(path.join(scratch, 'node_modules', '@types'), { recursive: true });
    fs.symlinkSync(typesNode, path.join(scratch, 'node_modules', '@types', 'node'), 'dir');
    fs.writeFileSync(
      path.join(scratch, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] }, files: ['check.ts'] }),
    );
    fs.writeFileSync(
      path.join(scratch, 'check.ts'),
      `
      import { PayQr, webhooks, PayQrConflictError, type Order, type PayQrEvent, type MicropayResult } from '@payqr/node';
      const payqr = new PayQr({ apiKey: 'k', baseUrl: 'https://pay.example.com' });
      export async function f(raw: Buffer, header: string | string[] | undefined): Promise<string> {
        const created = await payqr.orders.create({ merchantOrderId: 'A1', amount: 1999, subject: 'tea' });
        const secret: string = created.clientSecret;
        const order: Order = await payqr.orders.retrieve(created.id, { wait: 10 });
        const scan: MicropayResult = await payqr.orders.micropay(order.id, { authCode: '134567890123456700' });
        const event: PayQrEvent = webhooks.constructEvent(raw, header, 'whsec');
        if (event.type === 'order.paid') return event.data.attempt.outTradeNo;
        try { await payqr.orders.cancel(order.id); } catch (e) { if (e instanceof PayQrConflictError) return e.code; }
        // @ts-expect-error amounts are numbers of minor units
        await payqr.orders.create({ merchantOrderId: 'A2', amount: '19.99', subject: 'tea' });
        return secret + scan.status;
      }
      `,
    );
    const tsc = createRequire(path.join(PKG_DIR, 'package.json')).resolve('typescript/bin/tsc');
    let output = '';
    try {
      output = run(process.execPath, [tsc, '-p', scratch], scratch);
    } catch (err) {
      output = String((err as { stdout?: string }).stdout ?? err);
    }
    expect(output).toBe('');
  });
});
