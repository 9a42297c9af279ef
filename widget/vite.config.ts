import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { leaveServerGlobals, minifyLitCss, minifyLitHtml } from './build/plugins.js';

/**
 * Two entries, built one after the other into the same dist/ (`vite build` for pay-qr.js, then
 * `vite build --mode pay-scan`), so each is one self-contained module with its own lazy chunks:
 * a shop page that loads one never loads the other's code, and the two never share a chunk.
 */
const payQr = defineConfig({
  plugins: [minifyLitCss(), minifyLitHtml(), leaveServerGlobals()],
  resolve: {
    // Lit's "node" export condition selects its SSR-safe builds (see src/ssr-dom-shim.ts);
    // "browser" is left out because Lit lists it first and it would win.
    conditions: ['node', 'module', 'production', 'default'],
    alias: {
      '@lit-labs/ssr-dom-shim': fileURLToPath(new URL('./src/ssr-dom-shim.ts', import.meta.url)),
    },
  },
  build: {
    target: 'es2022',
    // One file a shop page can load with <script type="module">: Lit bundled in, and the QR
    // encoder as a chunk imported relatively, so /widget/<chunk>.js resolves next to it.
    lib: {
      entry: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      formats: ['es'],
      fileName: () => 'pay-qr.js',
    },
    rolldownOptions: {
      output: {
        minify: true,
        chunkFileNames: '[name]-[hash].js',
      },
    },
    sourcemap: true,
  },
});

/** `<pay-scan>` (the cashier's scan): dist/pay-scan.js and its chunks, added next to pay-qr's. */
const payScan = defineConfig({
  plugins: [minifyLitCss(), minifyLitHtml(), leaveServerGlobals()],
  resolve: payQr.resolve,
  build: {
    target: 'es2022',
    emptyOutDir: false,
    lib: {
      entry: fileURLToPath(new URL('./src/scan/index.ts', import.meta.url)),
      formats: ['es'],
      fileName: () => 'pay-scan.js',
    },
    rolldownOptions: {
      output: {
        minify: true,
        chunkFileNames: '[name]-[hash].js',
      },
    },
    sourcemap: true,
  },
});

export default defineConfig(({ mode }) => (mode === 'pay-scan' ? payScan : payQr));
