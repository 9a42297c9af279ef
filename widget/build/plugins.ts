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


/**
 * Lit's html`` templates reach the bundle with the source's line breaks and indentation; this
 * turns each run of whitespace that holds a line break, in the templates' own text (not inside
 * `${…}`), into one space. HTML collapses such runs anyway (our stylesheets set no
 * `white-space`), so what the page shows is the same, and Lit's markers stay where they were.
 */
export function minifyLitHtml(): Plugin {
  return {
    name: 'payqr:minify-lit-html',
    apply: 'build',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || id.endsWith('.styles.ts') || !code.includes('html`')) return null;
      return { code: squeezeHtmlTemplates(code), map: null };
    },
  };
}

/** every html`…` in `code` with its text squeezed; nested templates and `${…}` are walked, expressions left alone */
export function squeezeHtmlTemplates(code: string): string {
  let out = '';
  let i = 0;
  /** copies an expression up to its closing `}` (strings, templates and braces inside) */
  const expression = () => {
    for (let depth = 0; i < code.length; ) {
      const c = code[i]!;
      if (c === '}' && depth === 0) return;
      if (c === '{') depth++;
      else if (c === '}') depth--;
      if (c === '`') {
        template(/\bhtml$/.test(out));
        continue;
      }
      if (c === '"' || c === "'") {
        const end = stringEnd(code, i);
        out += code.slice(i, end);
        i = end;
        continue;
      }
      out += c;
      i++;
    }
  };
  /** copies a template literal from its opening backtick, squeezing its text when `squeeze` */
  const template = (squeeze: boolean) => {
    out += '`';
    i++;
    let text = '';
    const flush = () => {
      out += squeeze ? text.replace(/\s*\n\s*/g, ' ') : text;
      text = '';
    };
    while (i < code.length) {
      const c = code[i]!;
      if (c === '\\') {
        text += code.slice(i, i + 2);
        i += 2;
      } else if (c === '`') {
        flush();
        out += '`';
        i++;
        return;
      } else if (c === '$' && code[i + 1] === '{') {
        flush();
        out += '${';
        i += 2;
        expression();
        out += '}';
        i++;
      } else {
        text += c;
        i++;
      }
    }
  };
  while (i < code.length) {
    const c = code[i]!;
    if (c === '`') template(/\bhtml$/.test(out));
    else if (c === '"' || c === "'") {
      const end = stringEnd(code, i);
      out += code.slice(i, end);
      i = end;
    } else if (c === '/' && code[i + 1] === '/') {
      const end = code.indexOf('\n', i);
      out += code.slice(i, end < 0 ? code.length : end);
      i = end < 0 ? code.length : end;
    } else if (c === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2) + 2;
      out += code.slice(i, end);
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** index just past the quoted string that starts at `start` */
function stringEnd(code: string, start: number): number {
  const quote = code[start];
  let i = start + 1;
  while (i < code.length && code[i] !== quote && code[i] !== '\n') i += code[i] === '\\' ? 2 : 1;
  return i + 1;
}

/**
 * Lit's "node" build (the one we ship, see src/ssr-dom-shim.ts) sets
 * `globalThis.customElements ??= <shim>` on import. With our shim that is `undefined` on a
 * server, which still leaves a `customElements` property on the server's global object; in a
 * browser the registry is there and the line does nothing. Dropping it keeps an import during
 * server-side rendering from touching `customElements` at all.
 */
export function leaveServerGlobals(): Plugin {
  // development: `global.customElements ??= customElements;`, production (minified): `l.customElements??=t;`
  const line = /\b[\w$]+\.customElements\s*\?\?=\s*[\w$]+;/;
  return {
    name: 'payqr:leave-server-globals',
    apply: 'build',
    transform(code, id) {
      if (!/[\\/]@lit[\\/]reactive-element[\\/]node[\\/]/.test(id) || !line.test(code)) return null;
      return { code: code.replace(line, ''), map: null };
    },
  };
}
