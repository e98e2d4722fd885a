import {defineConfig} from 'tsup';

// Node entry points: the orchestrator, the per-configuration worker it spawns,
// and the memory soak. Dependencies stay external (tsup's default for
// package.json deps), so the worker measures the same tfjs and Trellis builds
// users install.
export default defineConfig({
  entry: {
    run: 'src/run.ts',
    worker: 'src/worker.ts',
    'memory-soak': 'src/memory-soak.ts',
    'metric-overhead': 'src/metric-overhead.ts',
    'lr-finder-mnist': 'src/lr-finder-mnist.ts',
  },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: false,
});
