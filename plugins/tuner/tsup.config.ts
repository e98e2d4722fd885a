import {defineConfig} from 'tsup';
import {libraryConfig} from '../../tsup.shared';

// The library builds, with `shims` so that the CJS build has an `import.meta.url` to find the worker
// script by; and the worker thread's script, `dist/trial-worker.js`: one bundled ESM file (it awaits
// at top level), which imports the package's peers like any user module.
// `#node-builtins` (package.json "imports") is Node's builtins, or their browser stand-ins under the
// "browser" condition: both are entries of their own.
const library = libraryConfig({
  moreEntries: {'node-builtins': 'src/node-builtins.ts', 'node-builtins.browser': 'src/node-builtins.browser.ts'},
});

export default defineConfig([
  ...library.map((config) => ({...config, shims: true})),
  {
    entry: {'trial-worker': 'src/parallel/trial-worker.ts'},
    format: ['esm'],
    target: 'es2022',
    sourcemap: true,
    clean: false,
    dts: false,
    external: [/^#/],
  },
]);
