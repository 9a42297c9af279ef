// Tests of src/cli/webhook-verify.ts (kept in this folder: src/cli belongs to the CLI's owner).
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { webhookVerifyCommand, type WebhookVerifyIo } from '../cli/webhook-verify';
import { signatureHeader } from './signature';

const SECRET = 'whsec_test_0123456789abcdef';
const T = 1763776800;
const BODY = '{"id":"evt_test","type":"order.paid","created":1763776800,"data":{"amount":1999,"currency":"CNY"}}';
const HEADER = `t=${T},v1=7a004782720d141041e8cd9ad46fdd2f7e1a079adc6ee7341587c7d0b18e2393`;

function harness(files: Record<string, string> = {}, opts: { stdin?: string; env?: Record<string, string> } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: WebhookVerifyIo = {
    stdin: Readable.from([Buffer.from(opts.stdin ?? '')]),
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    readFile: async (f) => {
      if (!(f in files)) throw Object.assign(new Error(`ENOENT: ${f}`), { code: 'ENOENT' });
      return Buffer.from(files[f]!, 'utf8');
    },
    env: opts.env ?? {},
  };
  return {
    io,
    run: async (...argv: string[]) => {
      const code = await webhookVerifyCommand(argv, io);
      return { code, json: out.join('').startsWith('{') ? (JSON.parse(out.join('')) as Record<string, unknown>) : undefined,
        stdout: out.join(''), stderr: err.join('') };
    },
  };
}

describe('pnpm payqr webhook-verify', () => {
  it('valid: prints {"valid":true,"timestamp"} and exits 0 (body from a file or stdin)', async () => {
    const h = harness({ 'body.json': BODY });
    expect(await h.run('--secret', SECRET, '--header', HEADER, '--body', 'body.json', '--now', String(T + 10))).toMatchObject({
      code: 0,
      json: { valid: true, timestamp: T },
    });
    const s = harness({}, { stdin: BODY });
    expect((await s.run('--secret', SECRET, '--header', HEADER, '--body', '-', '--now', String(T))).json).toEqual({ valid: true, timestamp: T });
  });

  it('reads the secret from --secret-file (trailing newline ignored) or PAYQR_WEBHOOK_SECRET', async () => {
    const h = harness({ 'body.json': BODY, 'secret.txt': `${SECRET}\n` });
    expect((await h.run('--secret-file', 'secret.txt', '--header', HEADER, '--body', 'body.json', '--now', String(T))).code).toBe(0);
    const e = harness({ 'body.json': BODY }, { env: { PAYQR_WEBHOOK_SECRET: SECRET } });
    expect((await e.run('--header', HEADER, '--body', 'body.json', '--now', String(T))).code).toBe(0);
  });

  it('invalid: exits 1 with the reason', async () => {
    const h = harness({ 'body.json': BODY, 'nl.json': `${BODY}\n` });
    const wrong = await h.run('--secret', 'whsec_wrong_0000000000', '--header', HEADER, '--body', 'body.json', '--now', String(T));
    expect(wrong).toMatchObject({ code: 1, json: { valid: false, timestamp: T, reason: 'signature_mismatch' } });
    const nl = await harness({ 'nl.json': `${BODY}\n` }).run('--secret', SECRET, '--header', HEADER, '--body', 'nl.json', '--now', String(T));
    expect(nl.json?.message).toMatch(/ends with a newline/);
    const stale = await harness({ 'b': BODY }).run('--secret', SECRET, '--header', HEADER, '--body', 'b', '--now', String(T + 301));
    expect(stale).toMatchObject({ code: 1, json: { valid: false, reason: 'timestamp_outside_tolerance' } });
    const tolerant = await harness({ 'b': BODY }).run('--secret', SECRET, '--header', HEADER, '--body', 'b', '--now', String(T + 301), '--tolerance', '3600');
    expect(tolerant.code).toBe(0);
    const garbled = await harness({ 'b': BODY }).run('--secret', SECRET, '--header', 'v1=abc', '--body', 'b');
    expect(garbled).toMatchObject({ code: 1, json: { valid: false, timestamp: null, reason: 'malformed_header' } });
  });

  it('checks against the current time without --now', async () => {
    const now = Math.floor(Date.now() / 1000);
    const h = harness({ b: BODY });
    expect((await h.run('--secret', SECRET, '--header', signatureHeader(SECRET, BODY, now), '--body', 'b')).code).toBe(0);
    expect((await harness({ b: BODY }).run('--secret', SECRET, '--header', HEADER, '--body', 'b')).json?.reason).toBe('timestamp_outside_tolerance');
  });

  it.each([
    [['--header', HEADER, '--body', 'b'], /--secret or --secret-file is required/],
    [['--secret', SECRET, '--secret-file', 's', '--header', HEADER, '--body', 'b'], /either --secret or --secret-file/],
    [['--secret', SECRET, '--body', 'b'], /--header is required/],
    [['--secret', SECRET, '--header', HEADER], /--body is required/],
    [['--secret', SECRET, '--header', HEADER, '--body', 'missing.json'], /--body: cannot read missing\.json \(no such file\)/],
    [['--secret-file', 'nope', '--header', HEADER, '--body', 'b'], /--secret-file: cannot read nope/],
    [['--secret', SECRET, '--header', HEADER, '--body', 'b', '--tolerance=-1'], /--tolerance: expected a whole number/],
    [['--secret', SECRET, '--header', HEADER, '--body', 'b', '--now', '2026-01-01'], /--now: expected unix seconds/],
    [['--secret', SECRET, '--header', HEADER, '--body', 'b', '--bogus'], /bogus/],
    [['--secret', '', '--header', HEADER, '--body', 'b'], /--secret is empty/],
  ])('bad arguments %j → exit 2 naming the flag', async (argv, message) => {
    const r = await harness({ b: BODY }).run(...argv);
    expect(r.code).toBe(2);
    expect(r.json).toBeUndefined();
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('Usage: pnpm payqr webhook-verify');
  });

  it('--help prints the usage and exits 0; the secret is never printed', async () => {
    const h = harness();
    const help = await h.run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--secret-file/);
    const r = await harness({ b: BODY }).run('--secret', SECRET, '--header', HEADER, '--body', 'b', '--now', String(T + 999));
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });
});
