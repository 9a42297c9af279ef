import { connectorContractSuite } from '../testing/contract-suite';
import { startSandboxTestEnv } from '../testing/sandbox-env';
import { createScanforpayConnector } from './connector';
import { createScanforpaySimulator } from './simulator';

const signKey = 'Contract0Suite0Key0000000000000A';

/**
 * The seed documents no close endpoint: an unpaid QR stops being payable only when its own
 * window lapses at the provider, so `closePayment` right after create truthfully answers
 * `closed: false` (and the payer page still pays). connector.test.ts covers the close path with
 * a fake clock: not closed before the lapse, closed after it, alreadyPaid when paid.
 */
const NO_CLOSE_ENDPOINT = 'scanforpay has no close endpoint (docs/providers/scanforpay.md "Close"): an unpaid QR is unpayable only after its own expiry; see connector.test.ts';

for (const [channel, currency, amount] of [
  ['wechat', 'CNY', 1999],
  ['alipay', 'CNY', 1999],
  // a cross-border store settling in yen (0 decimals): orderAmount 2000 is ¥2000
  ['alipay', 'JPY', 2000],
] as const) {
  const merchant = { partnerNo: '10001', storeNo: currency === 'JPY' ? '100010000000003' : '100010000000002', currency };
  connectorContractSuite({
    name: `scanforpay ${channel} × qr (${currency} store)`,
    channel,
    scene: 'qr',
    money: { amount, currency },
    skip: { closed: NO_CLOSE_ENDPOINT },
    async setup({ requestTimeoutMs }) {
      const env = await startSandboxTestEnv({ timeScale: 0.001 });
      const simulator = createScanforpaySimulator({ ...merchant, signKey }, { ...env.deps, hub: env.hub });
      env.hub.register(simulator);
      const connector = createScanforpayConnector({ merchant, signKey, baseUrl: env.simulatorBaseUrl('scanforpay'), timeoutMs: requestTimeoutMs }, env.deps);
      return {
        connector,
        hub: env.hub,
        receiver: env.receiver,
        clock: env.deps.clock,
        notifyUrl: env.notifyUrl('scanforpay'),
        refund: (outTradeNo) => {
          if (!simulator.refund(outTradeNo)) throw new Error(`cannot refund ${outTradeNo}`);
        },
        teardown: env.close,
      };
    },
  });
}
