// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { squeezeHtmlTemplates } from './plugins.js';

describe('squeezeHtmlTemplates (minifyLitHtml)', () => {
  it('turns line breaks and their indentation in html`` text into one space', () => {
    const source = 'const t = html`<div\n      part="qr"\n      class="qr"\n    >\n  <b>x</b> y\n</div>`;';
    expect(squeezeHtmlTemplates(source)).toBe('const t = html`<div part="qr" class="qr" > <b>x</b> y </div>`;');
  });

  it('leaves expressions, strings in them and other templates as written, and walks nested html``', () => {
    const source = [
      'html`<p>\n  ${a ? html`<i>\n  x</i>` : `keep\n  this`}\n  ${"}\\n"} ${\'`\'}\n</p>`;',
      'const css = `a\n  b`; // html` in a comment\n',
      "const s = 'html`';",
    ].join('\n');
    expect(squeezeHtmlTemplates(source)).toBe(
      [
        'html`<p> ${a ? html`<i> x</i>` : `keep\n  this`} ${"}\\n"} ${\'`\'} </p>`;',
        'const css = `a\n  b`; // html` in a comment\n',
        "const s = 'html`';",
      ].join('\n'),
    );
  });

  it('keeps whitespace without a line break, and escaped backticks', () => {
    expect(squeezeHtmlTemplates('html`<b>a</b>  <i>\\`</i>`')).toBe('html`<b>a</b>  <i>\\`</i>`');
  });
});
