// A browser bundle of the umbrella, as a web page's bundler makes it from the built packages
// (esbuild, platform browser, no shims): it builds, and no Node builtin is left in it; packages
// with a Node-only part resolve their "browser" variant (@trellis/data's file loaders) and
// @trellis/core its bundler build (tfjs-core's gradients as imports of the app's one tfjs-core).
// Needs the packages built (turbo's test task builds dependencies first). Sizes are measured by
// benchmarks/src/bundle-size.ts, not here.
import {builtinModules} from 'node:module';
import {fileURLToPath} from 'node:url';
import {build, type Metafile} from 'esbuild';
import {beforeAll, expect, it} from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const repository = fileURLToPath(new URL('../../..', import.meta.url));
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

let metafile: Metafile;
let code: string;
let warnings: string[];

beforeAll(async () => {
  const result = await build({
    stdin: {
      contents: "export * from 'trellis';\nexport {wasm} from '@trellis/backend-wasm';\n",
      resolveDir: here,
      loader: 'js',
    },
    // Paths in the metafile are relative to this: packages/data/dist/..., node_modules/.pnpm/...
    absWorkingDir: repository,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    splitting: true,
    outdir: 'out',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  metafile = result.metafile;
  code = result.outputFiles.map((file) => file.text).join('\n');
  warnings = result.warnings.map((w) => `${w.location?.file ?? ''}: ${w.text}`);
});

/** The Trellis modules in the bundle (workspace packages, by path). */
const trellisInputs = () => Object.keys(metafile.inputs).filter((file) => /^(packages|plugins)\/[^/]+\/dist\//.test(file));

it('bundles with esbuild for the browser without errors or warnings', () => {
  expect(warnings).toEqual([]);
  expect(trellisInputs().length).toBeGreaterThan(50);
});

it('leaves no Node builtin import in the bundle', () => {
  const imported = Object.values(metafile.outputs).flatMap((output) => output.imports.map((i) => i.path));
  expect(imported.filter((path) => builtins.has(path) || path.startsWith('node:'))).toEqual([]);
  const fromTrellis = trellisInputs().flatMap((file) => metafile.inputs[file]!.imports.map((i) => i.path));
  expect(fromTrellis.filter((path) => builtins.has(path) || path.startsWith('node:') || path.startsWith('(disabled):'))).toEqual([]);
  expect(code).not.toMatch(/\b(?:from|import|require)\s*\(?\s*["']node:/);
});

it("takes @trellis/data's browser file loaders and @trellis/core's bundler build", () => {
  const inputs = trellisInputs();
  expect(inputs.some((file) => file.endsWith('data/dist/local-files.browser.js'))).toBe(true);
  expect(inputs.some((file) => file.endsWith('data/dist/local-files.js'))).toBe(false);
  expect(inputs.some((file) => file.includes('core/dist/bundler/'))).toBe(true);
  expect(inputs.filter((file) => /core\/dist\/index\.c?js$/.test(file))).toEqual([]);
  // tfjs-core's gradients come from the app's tfjs-core, once.
  expect(Object.keys(metafile.inputs).filter((file) => file.endsWith('tfjs-core/dist/register_all_gradients.js'))).toHaveLength(1);
  expect(code.match(/function registerGradient\(/g)).toHaveLength(1);
});
