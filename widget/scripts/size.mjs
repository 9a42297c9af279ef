#!/usr/bin/env node
/**
 * Size budget of the built widget (run `pnpm --filter @payqr/widget build` first), per entry:
 *
 * pay-qr.js   the checkout widget
 * pay-scan.js the cashier's scan element (a separate build: it shares no chunk with pay-qr.js)
 *
 * initial: the entry and every chunk it imports statically, i.e. what a page pays before
 *          anything is on screen; pay-qr's QR encoder must not be in it.
 * total:   the entry and every chunk it can ever load (static and dynamic imports).
 * Gzip level 9, 1 KB = 1024 bytes. Exits 1 when over budget.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ENTRIES = {
  'pay-qr.js': { initial: 12 * 1024, total: 20 * 1024 },
  'pay-scan.js': { initial: 12 * 1024, total: 16 * 1024 },
};
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

for (const entry of Object.keys(ENTRIES)) {
  if (!existsSync(join(dist, entry))) {
    console.error(`size: ${join(dist, entry)} is missing; run \`pnpm --filter @payqr/widget build\` first.`);
    process.exit(2);
  }
}

const gzip = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

/** `import … from "./x.js"` / `import "./x.js"` / `export … from "./x.js"` (static) and `import("./x.js")` (dynamic) */
function imports(file) {
  const code = readFileSync(join(dist, file), 'utf8');
  const found = { static: new Set(), dynamic: new Set() };
  for (const m of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w${},*\s]+from\s*)?["'`](\.\/[^"'`]+)["'`]/g)) found.static.add(m[1].slice(2));
  for (const m of code.matchAll(/\bimport\(\s*["'`](\.\/[^"'`]+)["'`]\s*\)/g)) found.dynamic.add(m[1].slice(2));
  return found;
}

/** the files reachable from `entry`, following static imports only or every import */
function graph(entry, withDynamic) {
  const seen = new Set();
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const found = imports(file);
    queue.push(...found.static, ...(withDynamic ? found.dynamic : []));
  }
  return seen;
}

const all = readdirSync(dist).filter((f) => f.endsWith('.js'));
const sizes = Object.fromEntries(all.map((f) => [f, gzip(f)]));
const sum = (files) => [...files].reduce((n, f) => n + sizes[f], 0);
let over = false;
const reachable = {};

for (const [entry, budget] of Object.entries(ENTRIES)) {
  const initial = graph(entry, false);
  const total = (reachable[entry] = graph(entry, true));
  console.log(entry);
  for (const f of total) console.log(`  ${f.padEnd(34)} ${kb(sizes[f]).padStart(10)} gzip${initial.has(f) ? '' : '  (lazy)'}`);
  for (const [name, files] of [['initial', initial], ['total', total]]) {
    const bytes = sum(files);
    const ok = bytes <= budget[name];
    over ||= !ok;
    console.log(`  ${name.padEnd(34)} ${kb(bytes).padStart(10)} gzip  budget ${kb(budget[name])}  ${ok ? 'ok' : 'OVER BUDGET'}`);
  }
}

// The encoder's own error text (src/qr/qr-code.ts) marks where it landed.
const initialQr = graph('pay-qr.js', false);
const encoderFiles = all.filter((f) => readFileSync(join(dist, f), 'utf8').includes('QR: too much data'));
if (!encoderFiles.length || encoderFiles.some((f) => initialQr.has(f) || reachable['pay-scan.js'].has(f))) {
  console.log(`the QR encoder must be a lazily loaded chunk of pay-qr.js only; found in: ${encoderFiles.join(', ') || 'nothing'}`);
  over = true;
}
// The two entries are built apart: neither may load a file of the other.
const shared = [...reachable['pay-qr.js']].filter((f) => reachable['pay-scan.js'].has(f));
if (shared.length) {
  console.log(`pay-qr.js and pay-scan.js must not share files; both load: ${shared.join(', ')}`);
  over = true;
}
const orphans = all.filter((f) => !Object.values(reachable).some((files) => files.has(f)));
if (orphans.length) console.log(`not loaded by any entry (stale build output?): ${orphans.join(', ')}`);
process.exit(over ? 1 : 0);
