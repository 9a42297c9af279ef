/**
 * What every payment use-case works with. Built once by the app container (src/app.ts);
 * tests build it with a FakeClock, a seeded Random and simulators on loopback.
 */
import type { AppConfig } from '../config/load';
import type { Clock } from '../core/clock';
import type { ProviderId } from '../core/domain';
import type { Logger } from '../core/log';
import type { Random } from '../core/random';
import type { Ledger } from '../ledger/ledger';
import type { Connector } from '../providers/types';

export interface PaymentContext {
  config: Pick<
    AppConfig,
    'publicUrl' | 'routing' | 'orderTtlSeconds' | 'attemptTtlSeconds' | 'apiKey' | 'mode'
  >;
  ledger: Ledger;
  connectors: ReadonlyMap<ProviderId, Connector>;
  clock: Clock;
  random: Random;
  log: Logger;
}
