/** Every provider PayQR can talk to. Order is irrelevant: routing decides who serves what. */
import type { ProviderModule } from './types';

export const PROVIDER_MODULES: ReadonlyArray<ProviderModule<any>> = [];
