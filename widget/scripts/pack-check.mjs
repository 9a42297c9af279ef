#!/usr/bin/env node
/**
 * Packs @payqr/widget and @payqr/react as they would be published (`pnpm pack`) and checks the
 * tarballs the way a shop meets them. Build both first:
 *
 *   pnpm --filter @payqr/widget build && pnpm --filter @payqr/react build
 *   pnpm --filter @payqr/widget pack:check        # or: node widget/scripts/pack-check.mjs [outDir]
 *
 * 1. Contents: every `exports` target, `types`, `customElements`, the README and the MIT LICENSE
 *    are in; sources, tests, type tests, source maps, configs and anything secret-looking are out.
 * 2. package.json: `license` MIT, not private, no `workspace:` version left (@payqr/react needs
 *    @payqr/widget ^<its version>), react a peer dependency.
 * 3. Installed side by side in a scratch node_modules (outside the workspace): every export
 *    resolves through Node's own resolution, both elements and both components import on a
 *    server without touching a browser global, <PayQr/> renders to HTML, the manifest lists the
 *    elements' attributes and events.
 * 4. Types, resolved through the packages' `exports`: widget/type-tests (usage must compile, each
 *    `@ts-expect-error` in misuse must fire) and a React file using <PayQr/> and <PayScan/>.
 *
 * The tarballs are left in outDir (default: a temporary folder), for a consumer project to
 * install (`pnpm add /path/payqr-widget-0.1.0.tgz /path/payqr-react-0.1.0.tgz`).
 * Exits 1 with every problem listed.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const widgetDir = join(repo, 'widget');
const reactDir = join(repo, 'packages/react');
const out = resolve(process.argv[2] ?? mkdtempSync(join(tmpdir(), 'payqr-packs-')));
mkdirSync(out, { recursive: true });
const problems = [];
const problem = (text) => problems.push(text);

for (const [dir, what] of [
  [join(widgetDir, 'dist/pay-qr.js'), 'the widget build'],
  [join(widgetDir, 'dist/custom-elements.json'), 'the widget build'],
  [join(reactDir, 'dist/index.js'), 'the React build'],
]) {
  if (!existsSync(dir)) {
    console.error(`pack-check: ${relative(repo, dir)} is missing; run \`pnpm --filter @payqr/widget build && pnpm --filter @payqr/react build\` (${what}).`);
    process.exit(2);
  }
}

/** `pnpm pack` the package in `dir` into `out`; its tarball's path */
function pack(dir) {
  const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const tarball = join(out, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
  rmSync(tarball, { force: true });
  execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(tarball)) throw new Error(`pnpm pack made no ${tarball}`);
  return tarball;
}

/** extract `tarball` into `dest` (its `package/` folder becomes `dest`) */
function extract(tarball, dest) {
  mkdirSync(dest, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', dest, '--strip-components=1']);
}

/** every file under `dir`, relative, with `/` */
function files(dir, base = dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p, base) : [relative(base, p).split('\\').join('/')];
  });
}

/** the file paths a package.json's exports (and types/main/customElements) point at */
function targets(pkg) {
  const found = new Set();
  const walk = (v) => (typeof v === 'string' ? found.add(v.replace(/^\.\//, '')) : v && Object.values(v).forEach(walk));
  walk(pkg.exports);
  for (const key of ['main', 'module', 'types', 'customElements']) if (pkg[key]) found.add(pkg[key].replace(/^\.\//, ''));
  return [...found];
}

const FORBIDDEN = [
  [/(^|\/)src\//, 'sources'],
  [/\.test\.|\.spec\.|(^|\/)type-tests\//, 'tests'],
  [/\.map$/, 'source maps'],
  [/(^|\/)(tsconfig[^/]*\.json|vite\.config\.\w+|vitest\.[\w.]+|custom-elements-manifest\.config\.\w+)$/, 'build configuration'],
  [/(^|\/)(node_modules|scripts|build|test-support)\//, 'tooling'],
  [/(^|\/)\.env|\.pem$|\.key$|\.p12$|\.pfx$/, 'key or environment files'],
];
const SECRET = /sk_(live|test|sandbox|e2e)_[A-Za-z0-9]|-----BEGIN [A-Z ]*PRIVATE KEY-----|PAYQR_API_KEY\s*=\s*\S|whsec_[A-Za-z0-9]/;

function checkContents(label, root, pkg) {
  const list = files(root);
  for (const need of ['package.json', 'README.md', 'LICENSE', ...targets(pkg)]) if (!list.includes(need)) problem(`${label}: ${need} is not in the tarball`);
  for (const f of list) for (const [pattern, what] of FORBIDDEN) if (pattern.test(f)) problem(`${label}: ${f} is in the tarball (${what} do not ship)`);
  for (const f of list) {
    const text = readFileSync(join(root, f), 'utf8');
    if (SECRET.test(text)) problem(`${label}: ${f} holds something that looks like a secret (${text.match(SECRET)[0].slice(0, 12)}…)`);
  }
  if (!/^MIT License/.test(readFileSync(join(root, 'LICENSE'), 'utf8'))) problem(`${label}: LICENSE is not the MIT licence`);
  if (pkg.license !== 'MIT') problem(`${label}: package.json license is ${pkg.license}, not MIT`);
  if (pkg.private) problem(`${label}: package.json says private`);
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'])
    for (const [name, range] of Object.entries(pkg[field] ?? {})) if (String(range).startsWith('workspace:')) problem(`${label}: ${field}.${name} is still ${range}`);
  return list;
}

const widgetTgz = pack(widgetDir);
const reactTgz = pack(reactDir);
const scratch = mkdtempSync(join(tmpdir(), 'payqr-consumer-'));
const modules = join(scratch, 'node_modules');
try {
  extract(widgetTgz, join(modules, '@payqr/widget'));
  extract(reactTgz, join(modules, '@payqr/react'));
  const widgetPkg = JSON.parse(readFileSync(join(modules, '@payqr/widget/package.json'), 'utf8'));
  const reactPkg = JSON.parse(readFileSync(join(modules, '@payqr/react/package.json'), 'utf8'));
  const widgetFiles = checkContents('@payqr/widget', join(modules, '@payqr/widget'), widgetPkg);
  checkContents('@payqr/react', join(modules, '@payqr/react'), reactPkg);

  if (!widgetFiles.includes('dist/custom-elements.json') || widgetPkg.customElements !== './dist/custom-elements.json') problem('@payqr/widget: customElements does not point at dist/custom-elements.json');
  for (const side of widgetPkg.sideEffects ?? []) if (!widgetFiles.includes(side.replace(/^\.\//, ''))) problem(`@payqr/widget: sideEffects names ${side}, which is not shipped`);
  if (reactPkg.dependencies?.['@payqr/widget'] !== `^${widgetPkg.version}`) problem(`@payqr/react: depends on @payqr/widget ${reactPkg.dependencies?.['@payqr/widget']}, not ^${widgetPkg.version}`);
  if (!reactPkg.peerDependencies?.react || reactPkg.dependencies?.react) problem('@payqr/react: react must be a peer dependency (and only that)');

  // The third-party dependencies, as the workspace has them (nothing is downloaded).
  const from = (dir) => createRequire(join(dir, 'package.json'));
  const link = (name, dir) => {
    const target = realpathSync(join(dir, 'node_modules', name));
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    if (!existsSync(join(modules, name))) symlinkSync(target, join(modules, name), 'dir');
  };
  link('lit', widgetDir);
  for (const name of ['@lit/react', 'react', 'react-dom', '@types/react', '@types/react-dom']) link(name, reactDir);

  // 3. Node resolves every export, and a server imports and renders without a DOM.
  writeFileSync(
    join(scratch, 'server.mjs'),
    `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const globals = () => ['window', 'document', 'customElements', 'HTMLElement'].filter((n) => n in globalThis);
const problems = [];
if (globals().length) problems.push('the test process already has ' + globals());
const widget = await import('@payqr/widget');
const scan = await import('@payqr/widget/pay-scan');
const { PayQr } = await import('@payqr/react');
const { PayScan } = await import('@payqr/react/pay-scan');
const { createElement } = await import('react');
const { renderToString } = await import('react-dom/server');
if (typeof widget.PayQrElement !== 'function' || typeof widget.PayQrPaidEvent !== 'function') problems.push('@payqr/widget does not export PayQrElement and its events');
if (typeof scan.PayScanElement !== 'function') problems.push('@payqr/widget/pay-scan does not export PayScanElement');
const html = renderToString(createElement('div', null, createElement(PayQr, { endpoint: 'https://pay.example.com', order: 'ord_1', secret: 'cs_1', onPaid() {} }), createElement(PayScan, { action: '/till/api/scan', order: 'ord_2' })));
if (!html.includes('<pay-qr endpoint="https://pay.example.com" order="ord_1" secret="cs_1"></pay-qr>')) problems.push('<PayQr/> rendered ' + html);
if (!html.includes('<pay-scan action="/till/api/scan" order="ord_2"></pay-scan>')) problems.push('<PayScan/> rendered ' + html);
if (globals().length) problems.push('importing and rendering left ' + globals() + ' on the server');
const manifest = require('@payqr/widget/custom-elements.json');
const tags = Object.fromEntries(manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName).map((d) => [d.tagName, d]));
const names = (d, key) => (d?.[key] ?? []).map((x) => x.name);
for (const [tag, attrs, events] of [['pay-qr', ['endpoint', 'order', 'secret', 'buyer-id'], ['pay-qr-paid', 'pay-qr-failed', 'pay-qr-status-change']], ['pay-scan', ['action', 'order', 'camera'], ['pay-scan-paid', 'pay-scan-failed']]]) {
  for (const a of attrs) if (!names(tags[tag], 'attributes').includes(a)) problems.push('the manifest has no ' + tag + ' attribute ' + a);
  for (const e of events) if (!names(tags[tag], 'events').includes(e)) problems.push('the manifest has no ' + tag + ' event ' + e);
  if (!names(tags[tag], 'cssParts').length || !names(tags[tag], 'cssProperties').length) problems.push('the manifest has no CSS parts or properties for ' + tag);
}
require.resolve('@payqr/widget/package.json');
require.resolve('@payqr/react/package.json');
console.log(JSON.stringify(problems));
`,
  );
  const serverProblems = JSON.parse(execFileSync(process.execPath, ['server.mjs'], { cwd: scratch, encoding: 'utf8' }).trim().split('\n').pop());
  serverProblems.forEach(problem);

  // 4. Types through the packages' exports, as a shop's TypeScript sees them.
  mkdirSync(join(scratch, 'types'), { recursive: true });
  for (const f of ['usage.ts', 'misuse.ts']) cpSync(join(widgetDir, 'type-tests', f), join(scratch, 'types', f));
  writeFileSync(
    join(scratch, 'types/react.tsx'),
    `import { PayQr, type PayQrElement } from '@payqr/react';
import { PayScan } from '@payqr/react/pay-scan';
import { useRef } from 'react';

export function Checkout({ order, secret }: { order: string; secret: string }) {
  const ref = useRef<PayQrElement>(null);
  return (
    <>
      <PayQr ref={ref} endpoint="https://pay.example.com" order={order} secret={secret} lang="en" buyerId="2088000000000001"
        onPaid={(e) => console.log(e.detail.orderId, e.detail.attemptId)}
        onFailed={(e) => console.log(e.detail.error?.code)}
        onStatusChange={(e) => console.log(e.detail.previous, e.detail.status)} />
      {/* @ts-expect-error a paid event's detail has no amount */}
      <PayQr order={order} onPaid={(e) => console.log(e.detail.amount)} />
      <PayScan action="/till/api/scan" order={order} amount={4250} camera onPaid={(e) => console.log(e.detail.maskedCode)} />
      {/* @ts-expect-error amount is a number of minor units */}
      <PayScan action="/till/api/scan" order={order} amount="42.50" />
    </>
  );
}
`,
  );
  writeFileSync(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        module: 'ESNext',
        moduleResolution: 'Bundler',
        jsx: 'react-jsx',
        strict: true,
        noEmit: true,
        types: [],
        skipLibCheck: false,
      },
      include: ['types/*.ts', 'types/*.tsx', 'node_modules/@payqr/*/dist/**/*.d.ts'],
    }),
  );
  const tsc = from(widgetDir).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', scratch], { cwd: scratch, encoding: 'utf8' });
  } catch (error) {
    problem(`types: tsc reports\n${String(error.stdout).trim()}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

if (problems.length) {
  console.error(`pack-check: ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`pack-check: ok\n  ${widgetTgz}\n  ${reactTgz}`);
