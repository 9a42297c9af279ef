import { loadRsaPrivateKey, loadRsaPublicKey } from '../../crypto/rsa';
import { fixture } from '../testing/fixtures';
import { micropayContractSuite } from '../testing/micropay-contract-suite';
import { startSandboxTestEnv } from '../testing/sandbox-env';
import { createUmfSpConnector } from './connector';
import { createUmfSpSimulator } from './simulator';

const merchantKey = loadRsaPrivateKey(fixture('rsa1024.pkcs8.der'));
const platformKey = loadRsaPrivateKey(fixture('rsa2048.pkcs8.der'));
const merchant = { acqSpId: 'Y000000001', acqMerId: '30000064', goodsId: 'payqr' };

// Every scenario of the sandbox outcome table, for each wallet, over real loopback HTTP. Time
// scale 0.01: the table's 5 s / 10 s become 50 / 100 ms, UMF's +30 s retry 300 ms.
for (const channel of ['wechat', 'alipay', 'unionpay'] as const) {
  micropayContractSuite({
    name: `umf-sp ${channel}`,
    channel,
    async setup({ requestTimeoutMs }) {
      const env = await startSandboxTestEnv({ timeScale: 0.01 });
      env.hub.register(
        createUmfSpSimulator(
          { acqSpId: merchant.acqSpId, acqMerId: merchant.acqMerId, merchantPublicKey: loadRsaPublicKey(fixture('rsa1024.cert.pem')), platformPrivateKey: platformKey },
          { ...env.deps, hub: env.hub },
        ),
      );
      const connector = createUmfSpConnector(
        { merchant, merchantKey, platformKey: loadRsaPublicKey(fixture('rsa2048.cert.der')), baseUrl: env.simulatorBaseUrl('umf-sp'), timeoutMs: requestTimeoutMs },
        env.deps,
      );
      return { connector, hub: env.hub, receiver: env.receiver, clock: env.deps.clock, notifyUrl: env.notifyUrl('umf-sp'), teardown: env.close };
    },
  });
}
