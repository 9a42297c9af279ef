/**
 * `pnpm payqr webhook-verify`: check a shop webhook the way a shop's server should, to settle
 * "our signature check fails" questions (see src/webhooks/README.md).
 *
 *   pnpm payqr webhook-verify --secret <s> | --secret-file <f>  --header '<PayQR-Signature value>'
 *                             --body <file|-> [--tolerance 300] [--now <unix seconds>]
 *
 * Prints {"valid":true|false,"timestamp":…,"reason"?:…,"message"?:…}; exit 0 when valid, 1 when
 * not, 2 on bad arguments. Without --secret/--secret-file, PAYQR_WEBHOOK_SECRET is used.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_TOLERANCE_SECONDS, verifyWebhook, WebhookSignatureError } from '../webhooks/signature';

export interface WebhookVerifyIo {
  /** read when --body is "-" */
  stdin: AsyncIterable<Uint8Array | string>;
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  readFile(path: string): Promise<Uint8Array | string>;
  env: Record<string, string | undefined>;
}

export const WEBHOOK_VERIFY_USAGE = `Usage: pnpm payqr webhook-verify (--secret <s> | --secret-file <f>) --header '<PayQR-Signature value>' --body <file|-> [--tolerance <seconds>] [--now <unix seconds>]
  --secret       the webhook secret (default: PAYQR_WEBHOOK_SECRET); prefer --secret-file, a command line is visible to others
  --secret-file  a file holding the secret (one trailing newline is ignored)
  --header       the PayQR-Signature header exactly as received, e.g. 't=1763776800,v1=5f0c…'
  --body         the raw request body as received, from a file or - for stdin (byte for byte: no added newline)
  --tolerance    how far the header's t may be from now, in seconds (default ${DEFAULT_TOLERANCE_SECONDS})
  --now          the time to check against, in unix seconds (default: the current time), e.g. the time it was received
Prints {"valid":true|false,"timestamp":…,"reason"?:…}; exit status 0 when valid, 1 when not, 2 on bad arguments.`;

class ArgumentError extends Error {}

export async function webhookVerifyCommand(argv: string[], io: WebhookVerifyIo): Promise<number> {
  try {
    return await verifyCommand(argv, io);
  } catch (err) {
    if (err instanceof ArgumentError) {
      io.stderr.write(`payqr webhook-verify: ${err.message}\n\n${WEBHOOK_VERIFY_USAGE}\n`);
      return 2;
    }
    throw err;
  }
}

async function verifyCommand(argv: string[], io: WebhookVerifyIo): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        secret: { type: 'string' },
        'secret-file': { type: 'string' },
        header: { type: 'string' },
        body: { type: 'string' },
        tolerance: { type: 'string' },
        now: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new ArgumentError((err as Error).message);
  }
  if (values.help) {
    io.stdout.write(`${WEBHOOK_VERIFY_USAGE}\n`);
    return 0;
  }
  const str = (name: string) => values[name] as string | undefined;

  // ── secret ──
  if (str('secret') !== undefined && str('secret-file') !== undefined) throw new ArgumentError('give either --secret or --secret-file, not both');
  let secret: string | undefined;
  if (str('secret') !== undefined) {
    secret = str('secret');
    if (!secret) throw new ArgumentError('--secret is empty');
  } else if (str('secret-file') !== undefined) {
    const file = str('secret-file') as string;
    if (!file) throw new ArgumentError('--secret-file: a file name is required');
    secret = text(await readOrFail(io, file, '--secret-file')).replace(/\r?\n$/, '');
    if (!secret) throw new ArgumentError(`--secret-file: ${file} is empty`);
  } else {
    secret = io.env.PAYQR_WEBHOOK_SECRET;
    if (!secret) throw new ArgumentError('--secret or --secret-file is required (or set PAYQR_WEBHOOK_SECRET)');
  }

  // ── header, body, times ──
  const header = str('header');
  if (header === undefined) throw new ArgumentError("--header is required: the PayQR-Signature header value, e.g. 't=1763776800,v1=5f0c…'");
  const bodySource = str('body');
  if (!bodySource) throw new ArgumentError('--body is required: a file holding the raw request body, or - for stdin');
  const tolerance = integerFlag(str('tolerance'), '--tolerance', 'a whole number of seconds ≥ 0, e.g. 300') ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = integerFlag(str('now'), '--now', 'unix seconds, e.g. 1763776800');
  const body = bodySource === '-' ? await readStdin(io.stdin) : bytes(await readOrFail(io, bodySource, '--body'));

  try {
    const { timestamp } = verifyWebhook({
      rawBody: body,
      header,
      secret,
      toleranceSeconds: tolerance,
      now: nowSeconds === undefined ? Date.now() : nowSeconds * 1000,
    });
    io.stdout.write(`${JSON.stringify({ valid: true, timestamp })}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof WebhookSignatureError)) throw err;
    let message = err.message;
    if (err.reason === 'signature_mismatch' && body.at(-1) === 0x0a) {
      message += ' The body ends with a newline: if the file gained one that was not in the request, remove it.';
    }
    io.stdout.write(`${JSON.stringify({ valid: false, timestamp: err.timestamp ?? null, reason: err.reason, message })}\n`);
    return 1;
  }
}

function integerFlag(value: string | undefined, flag: string, expected: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,12}$/.test(value)) throw new ArgumentError(`${flag}: expected ${expected} (got ${JSON.stringify(value)})`);
  return Number(value);
}

async function readOrFail(io: WebhookVerifyIo, file: string, flag: string): Promise<Uint8Array | string> {
  try {
    return await io.readFile(file);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new ArgumentError(`${flag}: cannot read ${file}${code === 'ENOENT' ? ' (no such file)' : code ? ` (${code})` : ''}`);
  }
}

async function readStdin(stdin: WebhookVerifyIo['stdin']): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function bytes(v: Uint8Array | string): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v);
}

function text(v: Uint8Array | string): string {
  return typeof v === 'string' ? v : Buffer.from(v).toString('utf8');
}
