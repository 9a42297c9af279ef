/** The demo till's server side, wired to this process's PayQR app (see payqr-client.ts). */
import { getApp } from '../next/app-instance';
import { createPayQrServerClient, type PayQrServerClient } from './payqr-client';
import { createScanEndpoint } from './scan-endpoint';

export interface TillBackend {
  sandbox: boolean;
  /** provider time × this = sandbox time (shown next to the sandbox codes) */
  timeScale: number;
  payqr: PayQrServerClient;
  scanEndpoint: ReturnType<typeof createScanEndpoint>;
}

export async function tillBackend(): Promise<TillBackend> {
  const app = await getApp();
  // The till's server calls PayQR over HTTP like any shop would, with the key from its config.
  const payqr = createPayQrServerClient({ baseUrl: app.config.internalUrl, apiKey: app.config.apiKey });
  const sandbox = app.config.mode === 'sandbox';
  return {
    sandbox,
    timeScale: app.config.sandboxTimeScale,
    payqr,
    scanEndpoint: createScanEndpoint({ payqr, sandbox, log: app.deps.log.child('cashier') }),
  };
}
