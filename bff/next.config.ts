import type { NextConfig } from 'next';

const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Native and Node-only modules stay outside the bundle.
  serverExternalPackages: ['better-sqlite3', 'pg', 'node-forge', 'kysely'],
  // The workspace's @payqr/node is TypeScript source (its exports point at src/): compile it here.
  transpilePackages: ['@payqr/node'],
  typescript: { ignoreBuildErrors: false },
};

export default config;
