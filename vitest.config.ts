import { defineConfig } from 'vitest/config';

// Unit and integration tests sit beside the code they specify (*.test.ts). The end-to-end suites
// under test/e2e drive real browsers and run through `npm run test:e2e` instead.
export default defineConfig({
  test: {
    include: ['{common,services,scanner-drivers,workers,electron,renderer,test}/**/*.test.{ts,tsx}'],
    exclude: ['test/e2e/**', 'node_modules/**', 'dist/**'],
    environment: 'node',
    // Two cores: OCR tests start worker threads of their own.
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
