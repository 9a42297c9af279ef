import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Ledger tests share one PostgreSQL database; files run in parallel workers but each
    // test suite uses its own schema, see src/ledger/test-db.ts.
    pool: 'forks',
  },
});
