import type { Plugin } from 'vite';

/**
 * Lit's css`` templates reach the bundle verbatim; this squeezes the whitespace and comments
 * out of ours (no interpolations, so plain text rules are safe). Spaces inside values and
 * selectors are kept where CSS needs them.
 */
export function minifyLitCss(): Plugin {
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

