/**
 * No import cycles in `bff/src` or `widget/src` (issue 14): a cycle means two parts that cannot be
 * understood, tested or replaced one without the other (the provider contract knowing the sandbox
 * was one). Type-only imports count too — they are a dependency of the reader, if not of the
 * bundle. A small walk over the TypeScript syntax tree (the `typescript` package we already build
 * with): every relative `import`/`export … from`, `import type`, `import('…')` type or call.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') out.push(...sourceFiles(p));
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Every module specifier a file names, type-only ones included. */
function specifiers(file: string): string[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** A relative specifier → the file it names (`./x` → x.ts, x.tsx, x/index.ts; `./x.js` → x.ts). */
function resolve(from: string, spec: string, files: ReadonlySet<string>): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) {
    if (files.has(candidate)) return candidate;
  }
  return undefined;
}

/** Import graph of the `.ts`/`.tsx` files under `root`. */
export function importGraph(root: string): Map<string, string[]> {
  const files = sourceFiles(root);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const deps = specifiers(f)
      .map((s) => resolve(f, s, known))
      .filter((d): d is string => d !== undefined);
    graph.set(f, [...new Set(deps)]);
  }
  return graph;
}

/** The strongly connected components with more than one file, or a file importing itself (Tarjan). */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const strongConnect = (v: string): void => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) strongConnect(v);
  return cycles;
}

const describeCycles = (root: string, cycles: string[][]) => cycles.map((c) => c.map((f) => path.relative(root, f)).join(' ↔ '));

describe('import cycles', () => {
  it('the walk finds cycles of every kind of import, type-only ones included', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-cycles-'));
    try {
      const write = (name: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
      };
      write('a.ts', "import type { B } from './b';\nexport type A = B;");
      write('b.ts', "export type B = import('./c').C;");
      write('c.ts', "export { a } from './lib/index.js';\nexport type C = 1;");
      write('lib/index.ts', "export const a = async () => import('../a');");
      write('d.ts', "import { c } from './e';\nimport zod from 'zod';\nexport const d = c;");
      write('e.ts', 'export const c = 1;');
      write('self.ts', "export * from './self';");
      const cycles = describeCycles(dir, importCycles(importGraph(dir)));
      expect(cycles.sort()).toEqual(['a.ts ↔ b.ts ↔ c.ts ↔ lib/index.ts', 'self.ts']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(['bff/src', 'widget/src'])('there is none in %s', (dir) => {
    const root = path.join(REPO, dir);
    const graph = importGraph(root);
    expect(graph.size).toBeGreaterThan(50);
    expect(describeCycles(root, importCycles(graph))).toEqual([]);
  });
});
