// docs/operator-api.md's examples are what operators paste: run them exactly as written, with
// bash and curl, against a sandbox (its secrets where the examples read them).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../providers/testing/app-env';

const API_KEY = 'sk_test_docs_0123456789abcdefghij';
const run = promisify(execFile);

function block(doc: string, name: string): string {
  const m = new RegExp(`<!-- operator-example: ${name} -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(doc);
  if (!m?.[1]) throw new Error(`docs/operator-api.md: example "${name}" not found`);
  return m[1];
}

/** curl prints bodies without a newline: split the output into its JSON values (and other lines). */
function values(out: string): unknown[] {
  const found: unknown[] = [];
  let i = 0;
  while (i < out.length) {
    const c = out[i]!;
    if (c === '{' || c === '[') {
      let depth = 0;
      let inString = false;
      let j = i;
      for (; j < out.length; j++) {
        const ch = out[j];
        if (inString) {
          if (ch === '\\') j++;
          else if (ch === '"') inString = false;
        } else if (ch === '"') inString = true;
        else if (ch === '{' || ch === '[') depth++;
        else if (ch === '}' || ch === ']') {
          depth--;
          if (depth === 0) break;
        }
      }
      found.push(JSON.parse(out.slice(i, j + 1)));
      i = j + 1;
    } else if (/\S/.test(c)) {
      const end = out.indexOf('\n', i);
      found.push(out.slice(i, end < 0 ? undefined : end).trim());
      i = end < 0 ? out.length : end + 1;
    } else i++;
  }
  return found;
}

describe('docs/operator-api.md examples', () => {
  let t: TestApp;
  let cwd: string;
  beforeAll(async () => {
    t = await startTestApp({ apiKey: API_KEY });
    // what sandbox mode keeps in bff/.payqr, where the examples read the key and the password
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-docs-'));
    fs.mkdirSync(path.join(cwd, 'bff/.payqr'), { recursive: true });
    const password = (t.app.config.console?.password as { plain: string }).plain;
    fs.writeFileSync(path.join(cwd, 'bff/.payqr/sandbox-secrets.json'), JSON.stringify({ PAYQR_API_KEY: API_KEY, PAYQR_CONSOLE_PASSWORD: password }));
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  it('the API and console examples run as written and answer what the text says', async () => {
    const doc = fs.readFileSync(path.join(__dirname, '../../../docs/operator-api.md'), 'utf8');
    const script = `set -euo pipefail\n${block(doc, 'api')}\n${block(doc, 'console')}`;
    const { stdout } = await run('bash', ['-c', script], { cwd, env: { ...process.env, B: t.url }, timeout: 60_000 });
    const [found, timeline, synced, notifications, deliveries, overview, list, canceled, audit, signedOut] = values(stdout) as any[];
    const orderId = timeline.order.id as string;
    expect(found.data).toEqual([expect.objectContaining({ id: orderId, status: 'open', amount: 1999, subject: '乌龙茶 250g' })]);
    expect(timeline.entries[0]).toMatchObject({ kind: 'order.created', orderId });
    expect(synced).toMatchObject({ orderId, changed: false, attempts: [] });
    expect(notifications).toEqual({ data: expect.any(Array), nextCursor: null });
    expect(deliveries).toEqual({ data: [], nextCursor: null });
    expect(overview).toMatchObject({ bucket: 'hour', payments: expect.any(Array) });
    expect(list.data).toHaveLength(1);
    expect(canceled).toMatchObject({ id: orderId, status: 'canceled' });
    expect(audit.data.map((e: { action: string }) => e.action)).toEqual(['order.cancel', 'order.sync']);
    expect(audit.data[0].actor).toMatchObject({ type: 'console', name: 'Li Wei' });
    expect(signedOut).toBe('204');
  });
});
