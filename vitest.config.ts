import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // e2e tests drive Chromium against the built renderer; they skip when Chromium is missing.
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
