/** Every provider PayQR can talk to. Order is irrelevant: routing decides who serves what. */
import { chaoyingModule } from './chaoying/module';
import type { ProviderModule } from './types';

export const PROVIDER_MODULES: ReadonlyArray<ProviderModule<any>> = [chaoyingModule];
