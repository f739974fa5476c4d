import { defineConfig } from 'vitest/config';

// End-to-end suites: the built app (`npm run build`) driven through real browsers. One file at a
// time, since each starts its own host and browser on a 2-core machine.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
