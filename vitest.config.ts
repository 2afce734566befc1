import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Browser suites start a server and Chromium, and seed a registry, before their tests.
    hookTimeout: 60_000,
    // Gives the tests a PostgreSQL server (RELIEF_TEST_POSTGRES_URL or a throwaway cluster); see test/helpers/databases.ts.
    globalSetup: ['test/setup/postgres-global.ts'],
    // The JSON report lets .ci/run print a plain "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'build/test-results.json' },
  },
});
