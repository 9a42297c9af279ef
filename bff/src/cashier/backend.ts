/**
 * The demo till's server side: it calls PayQR over HTTP with @payqr/node and the API key — the
 * pattern a shop copies (the browser talks to the shop's server, only that server holds the key).
 * In this demo the "shop server" is PayQR's own process, so it calls itself on
 * `config.internalUrl`; a real shop uses its PayQR URL and its `PAYQR_API_KEY`.
 */
import { PayQr } from '@payqr/node';
import { getApp } from '../next/app-instance';
import { createScanEndpoint } from './scan-endpoint';

export interface TillBackend {
  sandbox: boolean;
  /** provider time × this = sandbox time (shown next to the sandbox codes) */
  timeScale: number;
  payqr: PayQr;
  scanEndpoint: ReturnType<typeof createScanEndpoint>;
}

export async function tillBackend(): Promise<TillBackend> {
  const app = await getApp();
  // The till's server calls PayQR over HTTP like any shop would, with the key from its config.
  const payqr = new PayQr({ baseUrl: app.config.internalUrl, apiKey: app.config.apiKey });
  const sandbox = app.config.mode === 'sandbox';
  return {
    sandbox,
    timeScale: app.config.sandboxTimeScale,
    payqr,
    scanEndpoint: createScanEndpoint({ payqr, sandbox, log: app.deps.log.child('cashier') }),
  };
}
