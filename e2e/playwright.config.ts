/**
 * End-to-end tests against the production build (`next start`; `pnpm build` runs first — the
 * root `pnpm test` does it). Each run starts its servers on a fresh data directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { SANDBOX_TIME_SCALE, SERVERS, type E2eServer } from './fixtures/servers';

// The config is loaded by the runner and again by every worker: create the data directory once
// (workers inherit the runner's environment).
process.env.PAYQR_E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-e2e-'));
const dataRoot = process.env.PAYQR_E2E_DATA_DIR;

/** Chromium from Debian; never `playwright install`. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The shop page is served as http://shop.test (page.route) and the BFF listens on loopback:
  // Chromium's Private/Local Network Access would block a non-secure "public" page from
  // fetching a loopback address. Real shops are https pages talking to a public BFF, where this
  // check does not apply; here it only gets in the way of the cross-origin test setup.
  '--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,LocalNetworkAccessChecks',
];

function webServer(s: E2eServer) {
  return {
    name: s.name,
    command: 'pnpm start',
    cwd: path.resolve(import.meta.dirname, '../bff'),
    url: `${s.url}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    // E2E_SERVER_LOG=1 shows the servers' logs
    stdout: process.env.E2E_SERVER_LOG ? ('pipe' as const) : ('ignore' as const),
    stderr: 'pipe' as const,
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 3000 },
    env: {
      NEXT_TELEMETRY_DISABLED: '1',
      NODE_ENV: 'production',
      PORT: String(s.port),
      PAYQR_MODE: 'sandbox',
      PAYQR_PUBLIC_URL: s.url,
      PAYQR_API_KEY: s.apiKey,
      PAYQR_DATA_DIR: path.join(dataRoot, s.name),
      PAYQR_SANDBOX_TIME_SCALE: SANDBOX_TIME_SCALE,
      PAYQR_SWEEP_INTERVAL_MS: '200',
      PAYQR_ROUTING: s.routing ?? '',
    },
  };
}

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]] : [['list']],
  globalTeardown: './fixtures/global-teardown.ts',
  use: {
    ...devices['Desktop Chrome'],
    baseURL: SERVERS.main.url,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1200, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
  },
  projects: [{ name: 'desktop-chromium' }],
  webServer: [webServer(SERVERS.main), webServer(SERVERS.alt)],
});
