import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The components are tested over the widget as it ships: vitest.setup.ts builds
 * widget/dist's two entries into WIDGET_BUILD (nothing is written to widget/dist) and
 * `@payqr/widget` resolves there — the SSR-safe bundles a shop installs, not the sources.
 */
export const WIDGET_BUILD = fileURLToPath(new URL('./node_modules/.cache/payqr-widget/', import.meta.url));

const widget = [
  { find: /^@payqr\/widget\/pay-scan$/, replacement: `${WIDGET_BUILD}pay-scan.js` },
  { find: /^@payqr\/widget$/, replacement: `${WIDGET_BUILD}pay-qr.js` },
  // the README's example imports the package by name
  { find: /^@payqr\/react$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
];
/** @lit/react's browser build (its "node" build, which vitest picks, renders for a server only) */
const litReactBrowser = join(dirname(createRequire(import.meta.url).resolve('@lit/react')), '..', 'index.js');

export default defineConfig({
  test: {
    globalSetup: ['./vitest.setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
    projects: [
      { resolve: { alias: widget }, test: { name: 'server', environment: 'node', include: ['src/**/*.ssr.test.{ts,tsx}'] } },
      {
        resolve: { alias: [...widget, { find: /^@lit\/react$/, replacement: litReactBrowser }] },
        test: { name: 'browser', environment: 'happy-dom', include: ['src/**/*.browser.test.{ts,tsx}'] },
      },
    ],
  },
});
