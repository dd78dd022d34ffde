import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'demo-server/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for a real condition; on a shared, loaded machine a page load or a reconnect can take seconds.
    expect: { poll: { timeout: 10_000 } },
    // Browser and multi-process tests start real servers; two cores are plenty busy with two files at once.
    maxWorkers: 2,
  },
});
