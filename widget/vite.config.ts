import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * Lit's css`` templates reach the bundle verbatim; this squeezes the whitespace and comments
 * out of ours (no interpolations, so plain text rules are safe). Spaces inside values and
 * selectors are kept where CSS needs them.
 */
function minifyLitCss(): Plugin {
  const squeeze = (text: string) =>
    text
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/ ?([{};,>]) ?/g, '$1')
      .replace(/: /g, ':')
      .replace(/;}/g, '}')
      .trim();
  return {
    name: 'payqr:minify-lit-css',
    apply: 'build',
    transform(code, id) {
      if (!id.endsWith('.styles.ts')) return null;
      return { code: code.replace(/css`([^`$]*)`/g, (_, text: string) => `css\`${squeeze(text)}\``), map: null };
    },
  };
}

/**
 * The widget only encodes one byte-mode segment (src/qr/encoder.ts), so qrcode's segment
 * optimiser, a third of the encoder chunk, is swapped for src/qr/byte-segments.ts.
 */
function byteSegmentsOnly(): Plugin {
  const replacement = fileURLToPath(new URL('./src/qr/byte-segments.ts', import.meta.url));
  return {
    name: 'payqr:qrcode-byte-segments',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === './segments' && importer && /qrcode[\\/]lib[\\/]core[\\/]qrcode\.js$/.test(importer)) return replacement;
      return null;
    },
  };
}

export default defineConfig({
  plugins: [minifyLitCss(), byteSegmentsOnly()],
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
