import { connectorContractSuite } from '../testing/contract-suite';
import { startSandboxTestEnv } from '../testing/sandbox-env';
import { createUmfMofunConnector } from './connector';
import { createUmfMofunSimulator } from './simulator';
import { MERCHANT, merchantKey, merchantPublicKey, platformKey, platformPrivateKey } from './test-keys';

/**
 * Declared skips — cases the 联动优势 魔方 protocol cannot express (docs/providers/umf-mofun.md):
 * - `closed`: there is no close API; an unpaid order lapses after expairTime. closePayment's
 *   "query, then lapsed-by-time" behaviour is covered with a driven clock in connector.test.ts.
 * - `refunded`: apisync (2.6) has no refunded state and the simulator has no refund API.
 */
const skip = {
  closed: 'umf-mofun has no close API (docs/providers/umf-mofun.md): the order lapses after expairTime — see connector.test.ts',
  refunded: 'apisync (2.6) reports no refunded state',
} as const;

for (const [channel, scene] of [
  ['wechat', 'qr'],
  ['alipay', 'qr'],
  ['unionpay', 'qr'],
  ['unionpay', 'h5'],
] as const) {
  connectorContractSuite({
    name: `umf-mofun ${channel} × ${scene}`,
    channel,
    scene,
    skip,
    async setup({ requestTimeoutMs }) {
      const env = await startSandboxTestEnv({ timeScale: 0.001 });
      env.hub.register(createUmfMofunSimulator({ ...MERCHANT, merchantPublicKey, platformPrivateKey }, { ...env.deps, hub: env.hub }));
      const connector = createUmfMofunConnector(
        { merchant: MERCHANT, merchantKey, platformKey, baseUrl: env.simulatorBaseUrl('umf-mofun'), timeoutMs: requestTimeoutMs },
        env.deps,
      );
      return { connector, hub: env.hub, receiver: env.receiver, clock: env.deps.clock, notifyUrl: env.notifyUrl('umf-mofun'), teardown: env.close };
    },
  });
}
