#!/usr/bin/env node
/**
 * Size budget of the built widget (run `vite build` first).
 *
 * initial: dist/pay-qr.js and every chunk it imports statically, i.e. what a shop page pays
 *          before anything is on screen; the QR encoder must not be in it.
 * total:   every .js file in dist/.
 * Gzip level 9, 1 KB = 1024 bytes. Exits 1 when over budget.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET = { initial: 12 * 1024, total: 20 * 1024 };
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const entry = 'pay-qr.js';

if (!existsSync(join(dist, entry))) {
  console.error(`size: ${join(dist, entry)} is missing; run \`pnpm --filter @payqr/widget build\` first.`);
  process.exit(2);
}

const gzip = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

/** static `import … from "./x.js"` / `import "./x.js"` / `export … from "./x.js"`, not `import("./x.js")` */
function staticImports(file) {
  const code = readFileSync(join(dist, file), 'utf8');
  const found = new Set();
  for (const m of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w${},*\s]+from\s*)?["'`](\.\/[^"'`]+)["'`]/g)) {
    found.add(m[1].slice(2));
  }
  return [...found];
}

const initial = new Set();
const queue = [entry];
while (queue.length) {
  const file = queue.shift();
  if (initial.has(file)) continue;
  initial.add(file);
  queue.push(...staticImports(file));
}

const all = readdirSync(dist).filter((f) => f.endsWith('.js'));
const sizes = Object.fromEntries(all.map((f) => [f, gzip(f)]));
const initialBytes = [...initial].reduce((sum, f) => sum + sizes[f], 0);
const totalBytes = all.reduce((sum, f) => sum + sizes[f], 0);

for (const f of all) console.log(`${f.padEnd(32)} ${kb(sizes[f]).padStart(10)} gzip${initial.has(f) ? '' : '  (lazy)'}`);
const lines = [
  ['initial', initialBytes, BUDGET.initial],
  ['total', totalBytes, BUDGET.total],
];
let over = false;
for (const [name, bytes, budget] of lines) {
  const ok = bytes <= budget;
  over ||= !ok;
  console.log(`${name.padEnd(32)} ${kb(bytes).padStart(10)} gzip  budget ${kb(budget)}  ${ok ? 'ok' : 'OVER BUDGET'}`);
}
// qrcode's own error text marks where the encoder landed.
const encoderFiles = all.filter((f) => readFileSync(join(dist, f), 'utf8').includes('BitMatrix size must be defined'));
if (!encoderFiles.length || encoderFiles.some((f) => initial.has(f))) {
  console.log(`the QR encoder must be a lazily loaded chunk; found in: ${encoderFiles.join(', ') || 'nothing'}`);
  over = true;
}
process.exit(over ? 1 : 0);
