/**
 * `node dist/metric-overhead.js [--backend wasm|cpu] [--epochs N] [--samples N]`
 * (or `pnpm bench:overhead` at the repository root): the main job's MLP
 * (784-512-128-10, Adam 1e-3, batch 128; one-hot targets) on real MNIST, trained from the same
 * weights with three sets of extras, and each run's epoch time relative to the
 * first:
 *
 * - `accuracy`: the main job's metrics;
 * - `+ precision, recall, auc`: three confusion-count metrics more (AUC with
 *   200 thresholds) over the 10 classes (one-hot targets, categorical
 *   crossentropy, as Keras users compile them), streamed on the device,
 *   read once per epoch;
 * - `+ gradientMonitor(every 100)`: the gradient monitor inspecting every
 *   100th step;
 * - `+ tensorBoard(epoch)`: the TensorBoard callback with `updateFreq:
 *   'epoch'` (epoch scalars, the graph and the summary at fit start) into a
 *   temporary directory;
 * - `+ tensorBoard(histogramFreq 1)`: the same with weight and gradient
 *   histograms every epoch.
 *
 * Each epoch is its own `fit` call (`initialEpoch`), so the TensorBoard
 * variants also open new event files and write the graph every epoch, which
 * a single long fit does once.
 *
 * The runs are interleaved epoch by epoch (A, B, C, A, B, C, …) and each
 * variant's ratio is the median over rounds of its epoch time over the
 * baseline's in the same round, so that a slow stretch of the machine
 * shifts a round, not the result; the first round is a warm-up.
 * @module
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseArgs} from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import {
  Sequential,
  accuracy,
  adam,
  callbacks,
  categoricalCrossentropy,
  createTrellis,
  dense,
  loadMnist,
  metrics,
  setSeed,
  type Callback,
  type Metric,
} from 'trellis';

type Variant = {readonly name: string; readonly metrics: () => Metric[]; readonly callbacks: () => Callback[]};

const VARIANTS: readonly Variant[] = [
  {name: 'accuracy', metrics: () => [accuracy()], callbacks: () => []},
  {
    name: '+ precision, recall, auc',
    metrics: () => [accuracy(), metrics.precision(), metrics.recall(), metrics.auc()],
    callbacks: () => [],
  },
  {
    name: '+ gradientMonitor(every 100)',
    metrics: () => [accuracy()],
    callbacks: () => [callbacks.gradientMonitor({every: 100, print: () => {}})],
  },
  {
    name: '+ tensorBoard(epoch)',
    metrics: () => [accuracy()],
    callbacks: () => [callbacks.tensorBoard({logDir: join(logRoot(), 'epoch'), updateFreq: 'epoch'})],
  },
  {
    name: '+ tensorBoard(histogramFreq 1)',
    metrics: () => [accuracy()],
    callbacks: () => [callbacks.tensorBoard({logDir: join(logRoot(), 'histograms'), updateFreq: 'epoch', histogramFreq: 1})],
  },
];

/** The TensorBoard variants' temporary log directory, made on first use and removed at the end. */
let logs: string | null = null;
function logRoot(): string {
  logs ??= mkdtempSync(join(tmpdir(), 'trellis-bench-tensorboard-'));
  return logs;
}

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {
      backend: {type: 'string', default: 'wasm'},
      epochs: {type: 'string', default: '8'},
      samples: {type: 'string', default: '60000'},
    },
  });
  const backend = values.backend === 'cpu' ? 'cpu' : 'wasm';
  const epochs = Number(values.epochs);
  const samples = Number(values.samples);
  if (!Number.isInteger(epochs) || epochs < 2 || !Number.isInteger(samples) || samples < 1000) {
    console.error('--epochs must be an integer >= 2 and --samples an integer >= 1000.');
    process.exitCode = 2;
    return;
  }
  await createTrellis({backend});
  const {train: sparse} = await loadMnist({split: 'train', samples});
  // One-hot targets, as Keras users compile precision, recall and AUC: every class counted, micro-averaged.
  const train = {x: sparse.x, y: tf.oneHot(tf.cast(sparse.y, 'int32'), 10)};
  sparse.y.dispose();
  const models = VARIANTS.map((variant) => {
    setSeed(1);
    const model = new Sequential([
      dense({units: 512, activation: 'relu', inputShape: [784]}),
      dense({units: 128, activation: 'relu'}),
      dense({units: 10, activation: 'softmax'}),
    ]);
    model.compile({optimizer: adam({learningRate: 1e-3}), loss: categoricalCrossentropy(), metrics: variant.metrics()});
    return {variant, model, callbacks: variant.callbacks(), seconds: [] as number[]};
  });
  console.log(`Metric and callback overhead · MNIST MLP · ${backend} · ${samples} samples, batch 128 · ${epochs} epochs each, interleaved`);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const run of models) {
      const start = performance.now();
      await run.model.fit(train.x, train.y, {epochs: epoch + 1, initialEpoch: epoch, batchSize: 128, verbose: 0, callbacks: run.callbacks});
      run.seconds.push((performance.now() - start) / 1000);
    }
  }
  // Each round's ratio to the baseline's epoch of the same round, then the median over rounds
  // (the first round is a warm-up): a slow stretch of a shared machine hits one round, not the verdict.
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const base = models[0]!.seconds;
  for (const run of models) {
    const ratios = run.seconds.slice(1).map((s, i) => s / base[i + 1]!);
    const ratio = median(ratios);
    const mean = median(run.seconds.slice(1));
    console.log(
      `${run.variant.name.padEnd(32)} ${mean.toFixed(2)} s/epoch (median)  ×${ratio.toFixed(3)} (${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%, median of ${ratios.length} rounds)`,
    );
    run.model.dispose();
  }
  tf.dispose([train.x, train.y]);
  if (logs) rmSync(logs, {recursive: true, force: true});
}

await main();
