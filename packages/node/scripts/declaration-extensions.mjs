// tsc (rewriteRelativeImportExtensions) turns the sources' `./x.ts` imports into `./x.js` in the
// emitted JavaScript but leaves them as written in the declaration files; a consumer's TypeScript
// expects `./x.js` there too. Rewrite them, and fail if any `.ts` specifier is left.
import fs from 'node:fs';
import path from 'node:path';

const dist = path.resolve(import.meta.dirname, '..', 'dist');
const RELATIVE_TS = /((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+)\.ts\2/g;
let rewritten = 0;
for (const file of fs.readdirSync(dist, { recursive: true })) {
  if (!String(file).endsWith('.d.ts')) continue;
  const full = path.join(dist, String(file));
  const text = fs.readFileSync(full, 'utf8');
  const out = text.replace(RELATIVE_TS, (_m, lead, quote, spec) => {
    rewritten++;
    return `${lead}${quote}${spec}.js${quote}`;
  });
  if (out !== text) fs.writeFileSync(full, out);
  if (/(['"])\.{1,2}\/[^'"]+\.ts\1/.test(out.replace(/^\s*\*.*$/gm, ''))) {
    console.error(`${full}: a relative .ts import is left`);
    process.exit(1);
  }
}
console.log(`declaration files: ${rewritten} relative imports now end in .js`);
