import {trellisProject} from '../../vitest.shared.ts';

// Unit tests of the page's pure parts (src/**/*.test.ts, build/**/*.test.ts). The end-to-end test in a real
// Chromium is e2e/page.e2e.ts, run by vitest.e2e.config.ts (`pnpm test:browser` at the root).
export default trellisProject('@trellis/example-browser');
