import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { WIDGET_BUILD } from './vitest.config.js';

/** Builds the widget's pay-qr.js and pay-scan.js (with their chunks) for the tests, once per run. */
export default async function setup(): Promise<void> {
  const root = fileURLToPath(new URL('../../widget/', import.meta.url));
  const configFile = `${root}vite.config.ts`;
  rmSync(WIDGET_BUILD, { recursive: true, force: true });
  const quiet = { root, configFile, logLevel: 'silent' as const };
  await build({ ...quiet, build: { outDir: WIDGET_BUILD, sourcemap: false } });
  await build({ ...quiet, mode: 'pay-scan', build: { outDir: WIDGET_BUILD, sourcemap: false, emptyOutDir: false } });
}
