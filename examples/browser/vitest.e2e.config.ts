import {defineConfig} from 'vitest/config';

// The end-to-end test: the built page (dist/) in Debian's Chromium, driven by playwright-core.
// `pnpm test:browser` at the repository root builds the page first.
export default defineConfig({
  test: {
    name: '@trellis/example-browser (Chromium)',
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
