/** Every provider PayQR can talk to. Order is irrelevant: routing decides who serves what. */
import { chaoyingModule } from './chaoying/module';
import { huishouyinModule } from './huishouyin/module';
import { scanforpayModule } from './scanforpay/module';
import type { ProviderModule } from './module';
import { umfMofunModule } from './umf-mofun/module';
import { umfSpModule } from './umf-sp/module';

export const PROVIDER_MODULES: ReadonlyArray<ProviderModule<any>> = [
  chaoyingModule,
  umfMofunModule,
  scanforpayModule,
  umfSpModule,
  huishouyinModule,
];
