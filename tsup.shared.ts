import {defineConfig, type Options} from 'tsup';

/**
 * ESM + CJS + .d.ts for a library package. Workspace packages and tfjs stay
 * external (peers); `inlineTfjsInternals` inlines tfjs-core's extensionless
 * side-effect modules (gradient registrations) that plain Node cannot import,
 * and adds a bundler build that keeps them as imports.
 */
export function libraryConfig(opts: {entry?: Record<string, string>; inlineTfjsInternals?: boolean} = {}) {
  const entry = opts.entry ?? {index: 'src/index.ts'};
  const shared: Options = {entry, sourcemap: true, target: 'es2022', clean: false, treeshake: true};
  if (!opts.inlineTfjsInternals) {
    return defineConfig({...shared, format: ['esm', 'cjs'], dts: {compilerOptions: {composite: false}}});
  }
  return defineConfig([
    {
      ...shared,
      format: ['esm', 'cjs'],
      external: [/^@tensorflow\/tfjs-core$/],
      noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
      dts: {compilerOptions: {composite: false}},
    },
    {
      ...shared,
      entry: Object.fromEntries(Object.entries(entry).map(([k, v]) => [`${k}.bundler`, v])),
      format: ['esm'],
      dts: false,
    },
  ]);
}

/** A Node command-line program (an example's `src/main.ts` → `dist/main.js`, ESM). */
export function programConfig() {
  return defineConfig({entry: {main: 'src/main.ts'}, format: ['esm'], target: 'node20', platform: 'node', sourcemap: true, clean: false});
}
