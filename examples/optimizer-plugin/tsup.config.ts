import {defineConfig} from 'tsup';

// ESM + CJS + .d.ts; peer dependencies (tfjs-core, @trellis/*) stay external.
export default defineConfig({
  entry: {index: 'src/index.ts'},
  format: ['esm', 'cjs'],
  dts: {compilerOptions: {composite: false}},
  sourcemap: true,
  target: 'es2022',
  clean: false,
  treeshake: true,
});
