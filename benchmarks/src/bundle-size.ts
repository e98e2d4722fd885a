/**
 * `node dist/bundle-size.js` (or `pnpm bundle-size` at the repository root,
 * which builds the packages first): how many bytes Trellis adds to a web page.
 *
 * Two apps are bundled from the built packages as a page's bundler would
 * (esbuild, `platform: 'browser'`, ESM, minified; no shims, no settings):
 *
 * - `minimal`: the smallest training app: `Sequential` of `dense` layers,
 *   `adam`, `sparseCategoricalCrossentropy`, `accuracy`, on the wasm backend;
 * - `page`: the browser example's job through the umbrella: the default
 *   assembly (`createTrellis`), MNIST from the page's origin, a choice of
 *   optimizers and backends, early stopping and a progress callback, a
 *   confusion matrix, predictions, saving to IndexedDB and as a download, and
 *   loading back.
 *
 * Trellis' code is what the bundle holds besides tfjs (every `@tensorflow/*`
 * package) and wasm binaries (tfjs' `.wasm` files are fetched at run time and
 * never bundled; `h5wasm`, which embeds its binary, is left out as one): the
 * apps are bundled a second time with those external, and that bundle is
 * measured, minified and gzipped (level 9). It includes what Trellis loads
 * with a dynamic `import()` (the Keras-file reader, for instance), which a
 * bundler inlines without code splitting. (With esbuild's code splitting an
 * `import()` in tree-shaken code still makes a chunk, and a chunk of a module
 * that is also re-exported, as the umbrella re-exports every package, is
 * imported by the entry chunk: the count would include packages the app never
 * runs.) The complete bundle gives the whole page's size for scale, and its
 * metafile the bytes of each package.
 *
 * The goals (gzip, Trellis' code): `minimal` ≤ 25 KB, `page` ≤ 60 KB. Prints a
 * table and writes `results/bundle-size.json`. A measurement, not a test: it
 * exits 0 whether or not a goal is met.
 * @module
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import {build, type Metafile} from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const KB = 1024;

/** The apps, as a page's entry module; `goalGzipKB` is the gzip goal of Trellis' code. */
const APPS = {
  minimal: {
    goalGzipKB: 25,
    source: `
import * as tf from '@tensorflow/tfjs-core';
import {Sequential, accuracy, adam, dense, sparseCategoricalCrossentropy, useBackend} from 'trellis';
import {wasm} from '@trellis/backend-wasm';

await useBackend(wasm());
const model = new Sequential([
  dense({units: 128, activation: 'relu', inputShape: [784]}),
  dense({units: 10, activation: 'softmax'}),
]);
model.compile({optimizer: adam({learningRate: 1e-3}), loss: sparseCategoricalCrossentropy(), metrics: [accuracy()]});
const x = tf.randomUniform([256, 784]);
const y = tf.randomUniform([256], 0, 10, 'int32');
const history = await model.fit(x, y, {epochs: 2, batchSize: 64});
document.body.textContent = JSON.stringify(history.history);
`,
  },
  page: {
    goalGzipKB: 60,
    source: `
import * as tf from '@tensorflow/tfjs-core';
import {
  Sequential, accuracy, backends, callbacks, createTrellis, dense, dropout, earlyStopping, loadMnist, loadModel,
  metrics, optimizers, saveModel, sparseCategoricalCrossentropy, useBackend,
} from 'trellis';

const ask = new URLSearchParams(location.search);
await createTrellis({backend: false});
await useBackend(ask.get('backend') === 'cpu' ? backends.cpu() : backends.wasm());
const {train, validation, test} = await loadMnist({url: new URL('mnist/', location.href).href, samples: 10000, validationSplit: 0.1});
const pick = {adam: optimizers.adam, sgd: optimizers.sgd, rmsprop: optimizers.rmsprop}[ask.get('optimizer') ?? 'adam'];
const model = new Sequential([
  dense({units: 128, activation: 'relu', inputShape: [784]}),
  dropout({rate: 0.2}),
  dense({units: 10, activation: 'softmax'}),
]);
model.compile({optimizer: pick({learningRate: Number(ask.get('lr') ?? 1e-3)}), loss: sparseCategoricalCrossentropy(), metrics: [accuracy()]});
const progress = {name: 'progress', onEpochEnd: async (ctx) => postMessage({epoch: ctx.epoch, logs: await ctx.readLogs()})};
await model.fit(train.x, train.y, {
  epochs: Number(ask.get('epochs') ?? 3), batchSize: 128, validationData: [validation.x, validation.y],
  callbacks: [earlyStopping({patience: 2}), callbacks.terminateOnNaN(), progress],
});
const predicted = model.predict(test.x);
const matrix = metrics.computeMetric(metrics.confusionMatrix({numClasses: 10}), test.y, predicted);
await saveModel(model, 'indexeddb://mnist');
await saveModel(model, 'downloads://mnist');
const again = await loadModel('indexeddb://mnist');
postMessage({matrix, same: tf.all(tf.equal(tf.argMax(again.predict(test.x), -1), tf.argMax(predicted, -1))).dataSync()[0]});
`,
  },
} as const;

type AppId = keyof typeof APPS;

/** Sizes of a bundle, bytes. */
type Size = {readonly minified: number; readonly gzip: number};

type AppResult = {
  readonly goalGzipKB: number;
  readonly meetsGoal: boolean;
  /** Trellis' code: the app bundled with tfjs and wasm binaries external. */
  readonly trellis: Size;
  /** The complete bundle (tfjs included, wasm binaries not), for scale. */
  readonly whole: Size;
  /** Minified bytes of each package in the complete bundle, largest first (`@tensorflow/*` and what only they import grouped as tfjs). */
  readonly byPackage: Record<string, number>;
};

/** Bundles an app into one minified file: its text and esbuild's metafile. */
async function bundle(app: AppId, external: string[]) {
  const result = await build({
    stdin: {contents: APPS[app].source, resolveDir: root, sourcefile: `${app}.js`, loader: 'js'},
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    absWorkingDir: root,
    outfile: join('dist', 'bundle-size', `${app}.js`),
    write: false,
    metafile: true,
    external,
    logLevel: 'error',
  });
  const text = result.outputFiles.find((file) => file.path.endsWith('.js'))!.text;
  const size: Size = {minified: Buffer.byteLength(text), gzip: gzipSync(text, {level: 9}).length};
  return {size, metafile: result.metafile};
}

/** The package an input file belongs to: `@trellis/core`, `@tensorflow/tfjs-core`, `h5wasm`, … */
function packageOf(input: string): string {
  const modules = input.lastIndexOf('node_modules/');
  if (input.startsWith('(disabled):') && modules === -1) return '(disabled)'; // a builtin a package's "browser" field maps to nothing
  if (modules === -1) {
    const workspace = /(?:^|\/)(packages|plugins)\/([^/]+)\//.exec(input);
    if (workspace) return workspace[1] === 'packages' && workspace[2] === 'trellis' ? 'trellis' : `@trellis/${workspace[2]}`;
    return '(app)';
  }
  const rest = input
    .replace(/^\(disabled\):/, '')
    .slice(modules + 'node_modules/'.length)
    .split('/');
  return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
}

/**
 * The packages that are tfjs': `@tensorflow/*` and the packages only they
 * import (tfjs-core's `long`, `seedrandom`, …).
 */
function tfjsPackages(inputs: Metafile['inputs']): Set<string> {
  const importers = new Map<string, Set<string>>();
  for (const [file, {imports}] of Object.entries(inputs)) {
    for (const {path} of imports) {
      const name = packageOf(path);
      if (name !== packageOf(file)) importers.set(name, (importers.get(name) ?? new Set()).add(packageOf(file)));
    }
  }
  const tfjs = new Set([...importers.keys()].filter((name) => name.startsWith('@tensorflow/')));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, by] of importers) {
      const ours = name === 'trellis' || name.startsWith('@trellis/') || name === '(app)';
      if (!ours && !tfjs.has(name) && [...by].every((p) => tfjs.has(p))) {
        tfjs.add(name);
        grew = true;
      }
    }
  }
  return tfjs;
}

async function measure(app: AppId): Promise<AppResult> {
  const whole = await bundle(app, []);
  const tfjs = tfjsPackages(whole.metafile.inputs);
  const byPackage: Record<string, number> = {};
  for (const output of Object.values(whole.metafile.outputs)) {
    for (const [input, {bytesInOutput}] of Object.entries(output.inputs)) {
      const name = tfjs.has(packageOf(input)) ? 'tfjs' : packageOf(input);
      if (bytesInOutput > 0) byPackage[name] = (byPackage[name] ?? 0) + bytesInOutput;
    }
  }
  const own = await bundle(app, ['@tensorflow/*', 'h5wasm']);
  return {
    goalGzipKB: APPS[app].goalGzipKB,
    meetsGoal: own.size.gzip <= APPS[app].goalGzipKB * KB,
    trellis: own.size,
    whole: whole.size,
    byPackage: Object.fromEntries(Object.entries(byPackage).sort((x, y) => y[1] - x[1])),
  };
}

const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;

const results = {} as Record<AppId, AppResult>;
for (const app of Object.keys(APPS) as AppId[]) results[app] = await measure(app);

const rows = (Object.entries(results) as [AppId, AppResult][]).map(([app, r]) => [
  app,
  kb(r.trellis.minified),
  kb(r.trellis.gzip),
  `≤ ${r.goalGzipKB} KB`,
  r.meetsGoal ? 'met' : `missed by ${kb(r.trellis.gzip - r.goalGzipKB * KB)}`,
  `${kb(r.whole.minified)} / ${kb(r.whole.gzip)}`,
]);
const header = ['app', 'Trellis min', 'Trellis gzip', 'goal (gzip)', 'verdict', 'whole bundle min / gzip'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(line(header));
for (const row of rows) console.log(line(row));
for (const [app, r] of Object.entries(results)) {
  const parts = Object.entries(r.byPackage)
    .filter(([name]) => name !== 'tfjs')
    .map(([name, bytes]) => `${name} ${kb(bytes)}`);
  console.log(`\n${app}, minified bytes by package (tfjs ${kb(r.byPackage.tfjs ?? 0)} not counted): ${parts.join(', ')}`);
}

const out = join(root, 'results', 'bundle-size.json');
mkdirSync(dirname(out), {recursive: true});
const report = {
  date: new Date().toISOString(),
  bundler: 'esbuild, platform browser, ESM, one minified file; gzip level 9',
  excluded: '@tensorflow/* (external; by package: with what only they import), h5wasm (embedded wasm binary)',
  apps: results,
};
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nWritten to ${out}`);
