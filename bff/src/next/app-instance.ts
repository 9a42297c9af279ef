/**
 * One App per server process. Next.js may load route modules in separate bundles, so the
 * instance lives on globalThis rather than in a module variable.
 */
import { createApp, type App } from '../app';
import { loadConfig } from '../config/load';
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
  lines.push(`  providers:   ${[...app.connectors.keys()].join(', ')}`);
  lines.push(`  WeChat OAuth: ${Object.entries(describeWechat(app.wechat)).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  console.log(lines.join('\n'));
  return app;
}
