import {defineConfig} from 'vitest/config';

// `pnpm vitest run` at the root runs every project in one process; `pnpm test`
// (turbo) runs each package's own `vitest run`.
export default defineConfig({
  test: {
    projects: ['packages/*', 'plugins/*', 'examples/*', 'benchmarks'],
  },
});
