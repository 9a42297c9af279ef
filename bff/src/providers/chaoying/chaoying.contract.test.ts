import { connectorContractSuite } from '../testing/contract-suite';
import { startSandboxTestEnv } from '../testing/sandbox-env';
import { createChaoyingConnector } from './connector';
import { createChaoyingSimulator } from './simulator';

const merchant = { agentId: '13000000000000000', mchId: '00000001', pid: 'payqr' };
const key = 'Contract0Suite0Key0000000000000A';

for (const [channel, scene] of [
  ['wechat', 'qr'],
  ['alipay', 'h5'],
  ['ecny', 'qr'],
] as const) {
  connectorContractSuite({
    name: `chaoying ${channel} × ${scene}`,
    channel,
    scene,
    async setup({ requestTimeoutMs }) {
      const env = await startSandboxTestEnv({ timeScale: 0.001 });
      const simulator = createChaoyingSimulator({ agentId: merchant.agentId, mchId: merchant.mchId, key }, { ...env.deps, hub: env.hub });
      env.hub.register(simulator);
      const connector = createChaoyingConnector({ merchant, key, baseUrl: env.simulatorBaseUrl('chaoying'), timeoutMs: requestTimeoutMs }, env.deps);
      return {
        connector,
        hub: env.hub,
        receiver: env.receiver,
        clock: env.deps.clock,
        notifyUrl: env.notifyUrl('chaoying'),
        refund: (outTradeNo) => {
          if (!simulator.refund(outTradeNo)) throw new Error(`cannot refund ${outTradeNo}`);
        },
        teardown: env.close,
      };
    },
  });
}
