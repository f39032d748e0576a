import { defineConfig } from 'vitest/config';

// The server suite runs twice, once per database; the runner (scripts/test.mjs) decides whether
// the PostgreSQL project can run here and says so when it cannot.
// A stray `.only` fails the run unless SHINCHOKU_ALLOW_ONLY=1 is set for a local session.
const allowOnly = process.env.SHINCHOKU_ALLOW_ONLY === '1';

export default defineConfig({
  test: {
    allowOnly,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/domain/**/*.test.ts', 'src/web/**/*.test.ts'],
          environment: 'node',
          allowOnly,
        },
      },
      {
        test: {
          name: 'api-sqlite',
          include: ['src/server/**/*.test.ts'],
          env: { TEST_DB: 'sqlite' },
          allowOnly,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'api-postgres',
          include: ['src/server/**/*.test.ts'],
          env: { TEST_DB: 'postgres' },
          allowOnly,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
