/**
 * One provider as PayQR assembles it: its settings, its sandbox defaults, and the factories for
 * its connector, its sandbox twin and its signing tool. Unlike the provider contract (types.ts),
 * this knows the sandbox: it is where a provider and its simulator meet.
 */
import type { z } from 'zod';
import type { ProviderId } from '../core/domain';
import type { ProviderSimulator, SimulatorDeps } from '../sandbox/hub';
import type { Connector, ProviderDeps, SigningTool } from './types';

/**
 * One provider module: its configuration (env `PAYQR_<PROVIDER>_<SETTING>`), its sandbox
 * defaults, and factories for the connector, the simulator and the signing tool.
 */
export interface ProviderModule<C = unknown> {
  readonly id: ProviderId;
  /** env prefix, e.g. PAYQR_CHAOYING_ */
  readonly envPrefix: string;
  /** zod schema for the settings with the prefix removed (e.g. { MCH_ID, KEY, BASE_URL }) */
  readonly settingsSchema: z.ZodType<C>;
  /** Generated-once sandbox settings (keys kept in the data dir); `sandboxBaseUrl` is the simulator. */
  sandboxSettings(ctx: SandboxSettingsContext): C;
  /** A short description of the settings for `doctor` and error messages. */
  describe(config: C): Record<string, string>;
  createConnector(config: C, deps: ProviderDeps): Connector;
  createSimulator?(config: C, deps: SimulatorDeps): ProviderSimulator;
  signingTool?(config: C): SigningTool;
}

export interface SandboxSettingsContext {
  /** base URL of this provider's simulator, e.g. http://host:3000/sandbox/chaoying */
  simulatorBaseUrl: string;
  /** Returns a stable generated value kept in the data dir (created on first use). */
  secret(name: string, generate: () => string): string;
}
