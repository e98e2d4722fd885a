import {createRequire} from 'node:module';
import {dirname, relative, sep} from 'node:path';
import {defineConfig, type Options} from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

/** The part of esbuild's API used here (the copy tsup itself builds with). */
type Esbuild = {
  buildSync(options: Record<string, unknown>): {metafile: {inputs: Record<string, unknown>}};
};

const requireHere = createRequire(import.meta.url);
const esbuild = requireHere(requireHere.resolve('esbuild', {paths: [dirname(requireHere.resolve('tsup'))]})) as Esbuild;

/** Options of {@link libraryConfig}. */
export type LibraryOptions = {
  /** Output name → source file; default `{index: 'src/index.ts'}`. */
  readonly entry?: Record<string, string>;
  /**
   * Inline tfjs-core's extensionless side-effect modules (gradient
   * registrations) for Node, which cannot import them, and add a bundler
   * build (`dist/bundler/`, the `"module"` and `"browser"` export conditions)
   * that keeps them as imports of the app's own tfjs-core.
   */
  readonly inlineTfjsInternals?: boolean;
  /**
   * `false`: one bundled ESM file per entry. Default `true`: the ESM build
   * keeps one output module per source module (see {@link libraryConfig}).
   */
  readonly modules?: boolean;
  /** More packages to keep external (besides dependencies and peers, which always are). */
  readonly external?: readonly (string | RegExp)[];
  /**
   * More source files that are entries of their own in every build, such as
   * the targets of the package's `imports` field (`#local-files` →
   * `src/local-files.ts`, `src/local-files.browser.ts`).
   */
  readonly moreEntries?: Record<string, string>;
  /** `false`: no declaration files (the package writes its own). Default `true`: `.d.ts` and `.d.cts` of `entry`. */
  readonly dts?: boolean;
};

/**
 * ESM + CJS + .d.ts for a library package. Workspace packages and tfjs stay
 * external (peers); `#` imports (the package's own `imports` field) stay
 * imports, resolved by Node or the app's bundler with their export conditions.
 *
 * The ESM build keeps the source's module structure: one output module per
 * source module (imports rewritten to `./file.js`), so that a bundler drops
 * every module an app does not use (the packages are `sideEffects: false`);
 * a single bundled file keeps every top-level statement of the package
 * alive once anything of it is imported. Node, which gains nothing from that
 * and pays for every file it loads, gets one bundled ESM file per entry in
 * `dist/node/` (the `node` condition of the package's `import` export). The
 * CJS build stays one file.
 */
export function libraryConfig(opts: LibraryOptions = {}): Options[] {
  const entry = opts.entry ?? {index: 'src/index.ts'};
  const allEntries = {...entry, ...opts.moreEntries};
  const external = [/^#/, ...(opts.external ?? [])];
  const shared: Options = {sourcemap: true, target: 'es2022', clean: false, external};
  const dts = {compilerOptions: {composite: false}};
  const modular = opts.modules ?? true;
  const esmModules = (outDir: string): Options => ({
    ...shared,
    entry: moduleEntries(Object.values(allEntries)),
    outDir,
    format: ['esm'],
    treeshake: false,
    splitting: false,
    esbuildPlugins: [keepModules()],
    // Drop an import whose names are only used as types (`import {type X} from './x'`, which
    // verbatimModuleSyntax keeps as `import './x'`): between separate modules of a side-effect-free
    // package it would be a no-op import that bundlers warn about. Bare imports (`import './x'`) stay.
    // (The one tsconfig setting besides it that changes esbuild's output is kept: class fields as ES2022 defines them.)
    esbuildOptions(options) {
      delete options.tsconfig;
      options.tsconfigRaw = {compilerOptions: {verbatimModuleSyntax: false, useDefineForClassFields: true}};
    },
    dts: false,
  });

  const types = (base: Options): Options[] =>
    opts.dts === false ? [] : [{...base, entry, format: ['esm', 'cjs'], dts: {...dts, only: true}}];

  if (!opts.inlineTfjsInternals) {
    return [
      modular ? esmModules('dist') : {...shared, entry: allEntries, format: ['esm'], treeshake: true, dts: false},
      // Node loads the modular build's hundreds of files one by one (about a second for the umbrella package);
      // the `node` export condition picks one bundled file per entry instead.
      ...(modular ? [{...shared, entry, outDir: 'dist/node', format: ['esm'], dts: false} satisfies Options] : []),
      {...shared, entry: allEntries, format: ['cjs'], treeshake: true, dts: false},
      ...types(shared),
    ];
  }
  const inlined: Options = {
    ...shared,
    entry: allEntries,
    treeshake: true,
    external: [/^@tensorflow\/tfjs-core$/, ...external],
    noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
  };
  return [
    {...inlined, format: ['esm', 'cjs'], dts: false},
    ...types(inlined),
    modular
      ? esmModules('dist/bundler')
      : {
          ...shared,
          entry: Object.fromEntries(Object.entries(allEntries).map(([k, v]) => [`${k}.bundler`, v])),
          format: ['esm'],
          treeshake: true,
          dts: false,
        },
  ];
}

/** A Node command-line program (an example's `src/main.ts` → `dist/main.js`, ESM). */
export function programConfig() {
  return defineConfig({entry: {main: 'src/main.ts'}, format: ['esm'], target: 'node20', platform: 'node', sourcemap: true, clean: false});
}

/** Every source module the entries reach through relative imports, as tsup entries (`'layers/dense'` → `'src/layers/dense.ts'`). */
function moduleEntries(entries: readonly string[]): Record<string, string> {
  const {metafile} = esbuild.buildSync({
    entryPoints: [...entries],
    bundle: true,
    write: false,
    metafile: true,
    packages: 'external',
    external: ['#*'],
    platform: 'neutral',
    format: 'esm',
    outdir: 'dist',
    logLevel: 'silent',
  });
  const modules = Object.keys(metafile.inputs).filter((file) => file.startsWith('src/') && /\.tsx?$/.test(file));
  return Object.fromEntries(modules.map((file) => [file.slice('src/'.length).replace(/\.tsx?$/, ''), file]));
}

const KEEP = Symbol('keep-modules');

/** Keeps relative imports of TypeScript modules as imports of their outputs (`./layers/dense.js`) instead of bundling them. */
function keepModules(): EsbuildPlugin {
  return {
    name: 'trellis-keep-modules',
    setup(build) {
      build.onResolve({filter: /^\.\.?(\/|$)/}, async (args) => {
        if (args.kind === 'entry-point' || args.pluginData === KEEP) return undefined;
        const target = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: KEEP,
        });
        if (target.errors.length > 0 || !/\.tsx?$/.test(target.path)) return undefined;
        const path = relative(dirname(args.importer), target.path)
          .split(sep)
          .join('/')
          .replace(/\.tsx?$/, '.js');
        return {path: path.startsWith('.') ? path : `./${path}`, external: true};
      });
    },
  };
}
