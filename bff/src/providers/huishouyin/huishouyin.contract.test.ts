import type { Connector } from '../types';
import { micropayContractSuite } from '../testing/micropay-contract-suite';
import { startSandboxTestEnv } from '../testing/sandbox-env';
import { createHuishouyinConnector } from './connector';
import { createHuishouyinSimulator } from './simulator';

const appId = 'Contract0AppId000000000000000001';
const appSecret = 'Contract0Suite0Secret00000000001';

// Every scenario of the sandbox outcome table over real loopback HTTP, time scale 0.02 (the
// table's 5 s / 10 s become 100 / 200 ms: room for a cold first request). WeChat runs against answers as the seed prints them
// (unsigned); Alipay against signed answers, which exercises the connector's verification and
// the tampered-answer fault.
for (const [channel, signAnswers] of [
  ['wechat', false],
  ['alipay', true],
] as const) {
  micropayContractSuite({
    name: `huishouyin ${channel}${signAnswers ? ' (signed answers)' : ''}`,
    channel,
    notificationTrust: 'hint',
    skip: signAnswers
      ? {}
      : {
          responseTampered:
            "the seed's answers carry no sign, so nothing in them can tell an alteration apart: TLS to the configured BASE_URL is the protection (module.ts refuses plain http off loopback); covered by the signed-answers run",
        },
    async setup({ requestTimeoutMs }) {
      const env = await startSandboxTestEnv({ timeScale: 0.02 });
      // 汇收银's webhook URL is a merchant-backend setting, not a request field: the harness
      // routes each order's webhook to the notify URL its attempt was created with.
      const notifyUrls = new Map<string, string>();
      env.hub.register(
        createHuishouyinSimulator({ appId, appSecret, signAnswers, notifyUrl: (orderId) => notifyUrls.get(orderId) }, { ...env.deps, hub: env.hub }),
      );
      const inner = createHuishouyinConnector({ merchant: { appId }, appSecret, baseUrl: env.simulatorBaseUrl('huishouyin'), timeoutMs: requestTimeoutMs }, env.deps);
      const connector: Connector = {
        ...inner,
        createPayment(input) {
          notifyUrls.set(input.outTradeNo, input.notifyUrl);
          return inner.createPayment(input);
        },
      };
      return { connector, hub: env.hub, receiver: env.receiver, clock: env.deps.clock, notifyUrl: env.notifyUrl('huishouyin'), teardown: env.close };
    },
  });
}
