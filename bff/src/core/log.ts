/**
 * Structured, tagged logging: `[chaoying][notify] verified {"order":"ord_…","attempt":"att_…"}`.
 * Never pass keys, secrets, client secrets or full payer codes to a logger; `redact` masks
 * the obvious ones if they slip into a context object anyway.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  child(tag: string): Logger;
  debug(msg: string, ctx?: Record<string, unknown>): void;
  info(msg: string, ctx?: Record<string, unknown>): void;
  warn(msg: string, ctx?: Record<string, unknown>): void;
  error(msg: string, ctx?: Record<string, unknown>): void;
}

const SECRET_KEY = /(key|secret|sign|signature|password|passphrase|token|authorization|auth_?code|pay_?code)$/i;

export function redact(ctx: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ctx)) {
    if (SECRET_KEY.test(k) && typeof v === 'string') out[k] = maskCode(v);
    else out[k] = v;
  }
  return out;
}

/** 134919586213926735 → 1349…6735 (enough to correlate, not enough to reuse). */
export function maskCode(v: string): string {
  if (v.length <= 8) return '***';
  return `${v.slice(0, 4)}…${v.slice(-4)}`;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(opts: { level?: LogLevel; tags?: string[]; sink?: (line: string, level: LogLevel) => void } = {}): Logger {
  const level = opts.level ?? ((process.env.PAYQR_LOG_LEVEL as LogLevel | undefined) ?? 'info');
  const tags = opts.tags ?? [];
  const sink =
    opts.sink ??
    ((line: string, lvl: LogLevel) => {
      if (lvl === 'error' || lvl === 'warn') console.error(line);
      else console.log(line);
    });
  const prefix = tags.map((t) => `[${t}]`).join('');
  const emit = (lvl: LogLevel, msg: string, ctx?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const tail = ctx && Object.keys(ctx).length ? ` ${JSON.stringify(redact(ctx))}` : '';
    sink(`${prefix}${prefix ? ' ' : ''}${msg}${tail}`, lvl);
  };
  return {
    child: (tag) => createLogger({ level, tags: [...tags, tag], sink }),
    debug: (m, c) => emit('debug', m, c),
    info: (m, c) => emit('info', m, c),
    warn: (m, c) => emit('warn', m, c),
    error: (m, c) => emit('error', m, c),
  };
}

/** A logger that keeps lines in memory, for tests that assert nothing secret is logged. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (l) => lines.push(l) });
  return Object.assign(logger, { lines });
}
