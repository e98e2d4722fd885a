import {defineConfig} from 'tsup';

// Two Node entry points: the orchestrator and the per-configuration worker it
// spawns. Dependencies stay external (tsup's default for package.json deps), so
// the worker measures the same tfjs and Trellis builds users install.
export default defineConfig({
  entry: {run: 'src/run.ts', worker: 'src/worker.ts'},
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: false,
});
