import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The CLI tests run the built command; building happens once in globalSetup.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
  },
});
