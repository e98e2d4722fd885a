import {defaultClientConditions, defineConfig} from 'vite';
import {mnistAssets} from './build/mnist-assets.ts';
import {SHIPPED} from './src/protocol.ts';

// A static build in dist/: relative URLs (base './'), so it can be served from any folder. The MNIST subset
// and the wasm binaries are assets of the build; the worker is an ES module.
//
// Trellis packages resolve as an app installed from npm gets them: their built dist/ (turbo builds them
// first). TRELLIS_SOURCE=1 resolves them to their TypeScript sources instead (the `@trellis/source`
// export condition), for working on the packages and the page together without rebuilding.
const fromSources = process.env.TRELLIS_SOURCE === '1';

export default defineConfig({
  base: './',
  plugins: [mnistAssets(SHIPPED)],
  resolve: fromSources ? {conditions: ['@trellis/source', ...defaultClientConditions]} : {},
  worker: {format: 'es'},
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2048,
    reportCompressedSize: false,
  },
});
