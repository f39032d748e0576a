import { defineConfig } from 'vitest/config';

// The server suite runs twice, once per database; the runner (scripts/test.mjs) decides whether
// the PostgreSQL project can run here and says so when it cannot.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['src/domain/**/*.test.ts', 'src/web/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'api-sqlite', include: ['src/server/**/*.test.ts'], env: { TEST_DB: 'sqlite' }, testTimeout: 30_000, hookTimeout: 60_000 } },
      { test: { name: 'api-postgres', include: ['src/server/**/*.test.ts'], env: { TEST_DB: 'postgres' }, testTimeout: 30_000, hookTimeout: 60_000 } },
    ],
  },
});
