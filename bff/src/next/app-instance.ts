/**
 * One App per server process. Next.js may load route modules in separate bundles, so the
 * instance lives on globalThis rather than in a module variable.
 */
import { createApp, type App } from '../app';
import { loadConfig, type AppConfig } from '../config/load';
import { ConfigError } from '../config/env';
import { PROVIDER_MODULES } from '../providers/registry';
import { describeWechat } from '../wechat/config';

const KEY = Symbol.for('payqr.app');
type Holder = { [KEY]?: Promise<App> };

export function getApp(): Promise<App> {
  const g = globalThis as Holder;
  g[KEY] ??= boot().catch((err: unknown) => {
    delete g[KEY];
    throw err;
  });
  return g[KEY];
}

async function boot(): Promise<App> {
  let config;
  try {
    config = loadConfig(process.env, PROVIDER_MODULES);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const app = await createApp(config);
  app.startBackground();
  const lines = [
    `PayQR ${config.mode} mode — ledger: ${config.databaseUrl ? 'PostgreSQL' : `SQLite ${config.sqlitePath}`}`,
    `  demo shop:   ${config.publicUrl}/`,
    `  health:      ${config.publicUrl}/api/health`,
    `  widget:      ${config.publicUrl}/widget/pay-qr.js   (cashier: ${config.publicUrl}/widget/pay-scan.js)`,
  ];
  if (config.mode === 'sandbox') {
    lines.push(`  cashier:     ${config.publicUrl}/cashier`);
    lines.push(`  sandbox:     ${config.publicUrl}/sandbox`);
    // Printed on purpose (contract: sandbox mode prints its generated key); live keys never are.
    if (config.apiKeyGenerated) lines.push(`  API key:     ${config.apiKey}   (sandbox; kept in ${config.dataDir})`);
  }
  lines.push(consoleLine(config));
  lines.push(`  providers:   ${[...app.connectors.keys()].join(', ')}`);
  lines.push(`  WeChat OAuth: ${Object.entries(describeWechat(app.wechat)).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  console.log(lines.join('\n'));
  return app;
}

/** The console's line: its URL and, in sandbox mode, the generated password (like the API key). */
export function consoleLine(config: AppConfig): string {
  const c = config.console;
  if (!c) return '  console:     off — set PAYQR_CONSOLE_PASSWORD or PAYQR_CONSOLE_PASSWORD_HASH to turn it on';
  // Printed on purpose: a generated sandbox password, kept in the data dir; a chosen one never is.
  if (c.generated && 'plain' in c.password) return `  console:     ${config.publicUrl}/console   password: ${c.password.plain}   (sandbox; kept in ${config.dataDir})`;
  return `  console:     ${config.publicUrl}/console`;
}
