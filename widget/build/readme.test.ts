// @vitest-environment node
/**
 * README.md's TypeScript snippet, as written, type-checks against the package's types (the
 * sources here; scripts/pack-check.mjs does the same for the packed package's type-tests).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const widget = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('README: the TypeScript snippet', () => {
  it('type-checks: tag name map, typed events on the element and the document, buyerId', () => {
    const readme = readFileSync(join(widget, 'README.md'), 'utf8');
    const snippet = /<!-- typescript-snippet -->\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(snippet).toBeDefined();
    const dir = join(widget, 'node_modules/.cache/readme-ts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'snippet.ts'), snippet!);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: join(widget, '../tsconfig.base.json'),
        compilerOptions: { noEmit: true, types: [], paths: { '@payqr/widget': [join(widget, 'src/index.ts')] } },
        files: ['snippet.ts'],
      }),
    );
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    /** tsc's complaints, '' when none */
    const check = () => {
      try {
        execFileSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
        return '';
      } catch (error) {
        return String((error as { stdout?: string }).stdout);
      }
    };
    expect(check()).toBe('');
    // and it would catch a mistake: the same snippet reading a field the event does not have
    writeFileSync(join(dir, 'snippet.ts'), snippet!.replace('e.detail.orderId', 'e.detail.orderNumber'));
    expect(check()).toMatch(/Property 'orderNumber' does not exist/);
  }, 60_000);
});
