/**
 * The README's example component, written out as it is in the README (packages/react/.readme/)
 * for the readme.*.test.tsx files to import and run.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionComponent } from 'react';

export async function readmeExample(): Promise<FunctionComponent<{ order: string; secret: string }>> {
  // paths, not URLs: under happy-dom the global URL is the page's, which node:fs does not take
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const code = /<!-- react-example -->\s*```tsx\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!code) throw new Error('README.md: the react-example block is missing');
  mkdirSync(join(root, '.readme'), { recursive: true });
  const file = join(root, '.readme', 'Pay.tsx');
  writeFileSync(file, code);
  return ((await import(/* @vite-ignore */ file)) as { Pay: FunctionComponent<{ order: string; secret: string }> }).Pay;
}
