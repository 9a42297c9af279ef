/**
 * `pnpm payqr <command>` (contract.md "Command line"):
 *   sign    --provider <id> --params <file|-> [--key <file>] [--passphrase <p>] [--kind request|response|notify]
 *   verify  --provider <id> --params <file|-> --signature <sig> [--key|--cert <file>] [--kind …]
 *   doctor
 *   webhook-verify …   (see src/webhooks/README.md)
 *   console-hash       the scrypt hash of a console password, for PAYQR_CONSOLE_PASSWORD_HASH
 * Integrators settle "签名错误" disputes with sign/verify, so `canonical` is exactly what was signed.
 * Relative paths are resolved against the directory pnpm was started from (INIT_CWD).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config/env';
import { DEFAULT_COST, hashPassword } from '../console-auth/password';
import { loadConfig, type AppConfig } from '../config/load';
import { systemClock } from '../core/clock';
import { isProviderId, PROVIDER_IDS } from '../core/domain';
import { createLogger } from '../core/log';
import { cryptoRandom } from '../core/random';
import { openDatabase } from '../ledger/db';
import { PROVIDER_MODULES } from '../providers/registry';
import { ParamsText, paramsObject } from '../providers/signing-params';
import type { KeyMaterial } from '../providers/types';
import { describeWechat, loadWechatConfig } from '../wechat/config';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => Promise<Buffer>;
  /** on a terminal: read a line without echoing it (console-hash) */
  readHidden?: (prompt: string) => Promise<string>;
  env: Record<string, string | undefined>;
  cwd: string;
  fetch: typeof fetch;
}

export class UsageError extends Error {}

const USAGE = `Usage: pnpm payqr <command>
  sign    --provider <id> --params <file|-> [--key <file>] [--passphrase <p>] [--kind request|response|notify]
  verify  --provider <id> --params <file|-> --signature <sig> [--key <file> | --cert <file>] [--kind …]
  doctor  check configuration, keys, database and each provider's reachability
  webhook-verify --secret <s>|--secret-file <f> --header '<PayQR-Signature>' --body <file|-> [--tolerance 300]
  console-hash [--cost 15]   prints the scrypt hash of the console password read from stdin (or asked for)
Providers: ${PROVIDER_IDS.join(', ')}`;

export async function run(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'sign':
      case 'verify':
        return await signOrVerify(command, rest, io);
      case 'doctor':
        return await doctor(io);
      case 'console-hash':
        return await consoleHash(rest, io);
      case 'webhook-verify': {
        const { webhookVerifyCommand } = await import('./webhook-verify');
        // Sandbox mode keeps its generated webhook secret in the data dir, not the environment.
        let env = io.env;
        if (!env.PAYQR_WEBHOOK_SECRET && !rest.some((a) => a.startsWith('--secret'))) {
          env = { ...env, PAYQR_WEBHOOK_SECRET: configFor(io).webhookSecret };
        }
        return await webhookVerifyCommand(rest, {
          stdin: process.stdin,
          stdout: process.stdout,
          stderr: process.stderr,
          readFile: (f: string) => fs.promises.readFile(path.resolve(io.cwd, f)),
          env,
        });
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      io.stderr(`payqr: ${err.message}\n\n${err instanceof UsageError ? USAGE : ''}\n`);
      return 2;
    }
    io.stderr(`payqr: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Record<string, string | undefined>;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

async function readSource(src: string, io: Io, what: string): Promise<Buffer> {
  if (src === '-') return io.readStdin();
  const file = path.resolve(io.cwd, src);
  if (!fs.existsSync(file)) throw new UsageError(`${what}: no such file ${file}`);
  return fs.readFileSync(file);
}

function configFor(io: Io): AppConfig {
  return loadConfig(io.env, PROVIDER_MODULES);
}

async function signOrVerify(command: 'sign' | 'verify', args: string[], io: Io): Promise<number> {
  const v = parse(args, {
    provider: { type: 'string' },
    params: { type: 'string' },
    key: { type: 'string' },
    cert: { type: 'string' },
    passphrase: { type: 'string' },
    kind: { type: 'string' },
    signature: { type: 'string' },
  });
  if (!v.provider) throw new UsageError('--provider is required');
  if (!isProviderId(v.provider)) throw new UsageError(`--provider: one of ${PROVIDER_IDS.join(', ')} (got "${v.provider}")`);
  if (!v.params) throw new UsageError('--params is required (a JSON file of the wire fields, or - for stdin)');
  if (command === 'verify' && !v.signature) throw new UsageError('--signature is required');
  if (command === 'sign' && v.cert) throw new UsageError('--cert is for verify; sign takes --key');
  if (v.key && v.cert) throw new UsageError('give either --key or --cert, not both');

  const module = PROVIDER_MODULES.find((m) => m.id === v.provider);
  if (!module?.signingTool) throw new UsageError(`--provider ${v.provider}: signing is not available for this provider yet`);

  // The exact text goes to the tool (signing-params.ts): a dispute is about bytes.
  const params = new ParamsText((await readSource(v.params, io, '--params')).toString('utf8'));
  try {
    paramsObject(params);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }

  const keyFile = v.key ?? v.cert;
  const key: KeyMaterial | undefined = keyFile
    ? { bytes: await readSource(keyFile, io, v.key ? '--key' : '--cert'), ...(v.passphrase ? { passphrase: v.passphrase } : {}) }
    : undefined;

  // Without --key/--cert the configured key is used (in sandbox mode: the generated one).
  const config = configFor(io);
  const settings = config.providers[v.provider]?.settings;
  if (settings === undefined) throw new UsageError(`--provider ${v.provider} is not configured; pass --key`);
  const tool = module.signingTool(settings);
  const kind = v.kind ?? tool.defaultKind;
  if (!(tool.kinds as readonly string[]).includes(kind)) throw new UsageError(`--kind: one of ${tool.kinds.join(', ')} for ${v.provider}`);

  if (command === 'sign') {
    const r = tool.sign(params, kind, key);
    io.stdout(`${JSON.stringify({ canonical: r.canonical, signature: r.signature })}\n`);
    return 0;
  }
  const r = tool.verify(params, v.signature as string, kind, key);
  io.stdout(`${JSON.stringify({ canonical: r.canonical, valid: r.valid })}\n`);
  return r.valid ? 0 : 1;
}

/**
 * `console-hash`: the password from a terminal (not echoed) or stdin (its first line), checked
 * against the same rule as PAYQR_CONSOLE_PASSWORD, hashed with scrypt. Only the hash goes to
 * stdout, so `… | pnpm payqr console-hash > hash.txt` works.
 */
async function consoleHash(args: string[], io: Io): Promise<number> {
  const v = parse(args, { cost: { type: 'string' } });
  const ln = v.cost === undefined ? DEFAULT_COST.ln : Number(v.cost);
  if (!Number.isInteger(ln) || ln < 14 || ln > 20) throw new UsageError('--cost: log2 of scrypt N, 14–20 (default 15)');
  const typed = io.readHidden ? await io.readHidden('Console password: ') : (await io.readStdin()).toString('utf8').split(/\r?\n/)[0];
  const password = typed ?? '';
  if (password.length < 12) throw new UsageError('the password must be at least 12 characters');
  if (password.length > 256) throw new UsageError('the password must be at most 256 characters');
  io.stdout(`${await hashPassword(password, { ...DEFAULT_COST, ln })}\n`);
  io.stderr("Set it as PAYQR_CONSOLE_PASSWORD_HASH='<the line above>' (single quotes: it contains $).\n");
  return 0;
}

async function doctor(io: Io): Promise<number> {
  let ok = true;
  const line = (good: boolean, what: string, detail = '') => {
    if (!good) ok = false;
    io.stdout(`${good ? '✓' : '✗'} ${what}${detail ? ` — ${detail}` : ''}\n`);
  };
  let config: AppConfig;
  try {
    config = configFor(io);
    line(true, `configuration (${config.mode} mode)`, `public URL ${config.publicUrl}`);
  } catch (err) {
    if (err instanceof ConfigError) {
      line(false, 'configuration', '');
      for (const p of err.problems) io.stdout(`    ${p}\n`);
      return 1;
    }
    throw err;
  }

  try {
    const started = Date.now();
    const db = await openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
    await db.db.selectFrom('orders').select('id').limit(1).execute();
    await db.close();
    line(true, `database ${config.databaseUrl ? 'PostgreSQL' : 'SQLite'}`, `migrated, ${Date.now() - started} ms`);
  } catch (err) {
    line(false, 'database', String(err instanceof Error ? err.message : err));
  }

  const c = config.console;
  line(
    true,
    `operator console ${c ? 'on' : 'off'}`,
    c
      ? `${c.generated ? 'sandbox password (kept in the data dir, printed at start-up)' : 'hash' in c.password ? 'password from PAYQR_CONSOLE_PASSWORD_HASH' : 'password from PAYQR_CONSOLE_PASSWORD'}, sessions last ${c.sessionTtlSeconds} s`
      : 'set PAYQR_CONSOLE_PASSWORD or PAYQR_CONSOLE_PASSWORD_HASH to turn it on; the operator API takes the API key meanwhile',
  );

  try {
    const wechat = loadWechatConfig(io.env, config);
    const what = Object.entries(describeWechat(wechat)).map(([k, v]) => `${k}=${v}`).join(' ');
    line(true, `WeChat OAuth (official-account pay)${wechat?.sandbox ? ' — sandbox simulator' : ''}`, what);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    line(false, 'WeChat OAuth', '');
    for (const p of err.problems) io.stdout(`    ${p}\n`);
  }

  for (const [id, p] of Object.entries(config.providers)) {
    if (!p) continue;
    try {
      const desc = p.module.describe(p.settings);
      // Building the connector loads and checks its keys (PEM/DER/PKCS#12, lengths…).
      p.module.createConnector(p.settings, { clock: systemClock, random: cryptoRandom, fetch: io.fetch, log: createLogger({ level: 'error' }) });
      line(true, `${id} keys`, Object.entries(desc).map(([k, v]) => `${k}=${v}`).join(' '));
      const base = (p.settings as { BASE_URL?: unknown }).BASE_URL;
      if (typeof base === 'string') {
        try {
          const res = await io.fetch(base, { method: 'GET', signal: AbortSignal.timeout(5000) });
          line(true, `${id} reachable`, `${base} answered HTTP ${res.status}`);
        } catch (err) {
          const hint = config.mode === 'sandbox' ? ' (sandbox: is the server running? pnpm start)' : '';
          line(false, `${id} reachable`, `${base}: ${(err as Error).message}${hint}`);
        }
      }
    } catch (err) {
      line(false, `${id} keys`, String(err instanceof Error ? err.message : err));
    }
  }
  return ok ? 0 : 1;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const io: Io = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    },
    ...(process.stdin.isTTY ? { readHidden } : {}),
    env: process.env,
    cwd: process.env.INIT_CWD ?? process.cwd(),
    fetch: globalThis.fetch,
  };
  run(process.argv.slice(2), io).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(2);
    },
  );
}

/** A line from the terminal, not echoed (raw mode); Ctrl-C aborts. */
function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let text = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UsageError('canceled'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
  });
}
