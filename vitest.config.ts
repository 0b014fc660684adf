import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Two test files at a time even on 2 cores (vitest's default is cores - 1 = 1 there): most
    // files wait on one compiler or simulator process at a time, so a second file fills the idle core.
    maxWorkers: 2,
  },
});
