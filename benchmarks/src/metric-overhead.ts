/**
 * `node dist/metric-overhead.js [--backend wasm|cpu] [--epochs N] [--samples N]`
 * (or `pnpm bench:overhead` at the repository root): the main job's MLP
 * (784-512-128-10, Adam 1e-3, batch 128) on real MNIST, trained from the same
 * weights with three sets of extras, and each run's epoch time relative to the
 * first:
 *
 * - `accuracy`: the main job's metrics;
 * - `+ precision, recall, auc`: three confusion-count metrics more (AUC with
 *   200 thresholds) over the 10 classes one-hot, streamed on the device,
 *   read once per epoch;
 * - `+ gradientMonitor(every 100)`: the gradient monitor inspecting every
 *   100th step.
 *
 * The runs are interleaved epoch by epoch (A, B, C, A, B, C, …) so that a
 * slow stretch of the machine hits all three; the first epoch of each is a
 * warm-up and not counted.
 * @module
 */
import {parseArgs} from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import {
  Sequential,
  accuracy,
  adam,
  auc,
  createTrellis,
  dense,
  gradientMonitor,
  loadMnist,
  precision,
  recall,
  setSeed,
  sparseCategoricalCrossentropy,
  type Callback,
  type Metric,
} from 'trellis';

type Variant = {readonly name: string; readonly metrics: () => Metric[]; readonly callbacks: () => Callback[]};

/**
 * Precision, recall and AUC compare same-shaped targets and predictions: the
 * labels one-hot against the softmax's 10 columns, as Keras users compile
 * them with one-hot targets (every class counted, micro-averaged).
 */
function oneHotTargets(metric: Metric): Metric {
  return {
    ...metric,
    update: (state, yTrue, yPred, w) => {
      const targets = tf.tidy(() => tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), 10));
      try {
        return metric.update(state, targets, yPred, w);
      } finally {
        targets.dispose();
      }
    },
  };
}

const VARIANTS: readonly Variant[] = [
  {name: 'accuracy', metrics: () => [accuracy()], callbacks: () => []},
  {name: '+ precision, recall, auc', metrics: () => [accuracy(), oneHotTargets(precision()), oneHotTargets(recall()), oneHotTargets(auc())], callbacks: () => []},
  {name: '+ gradientMonitor(every 100)', metrics: () => [accuracy()], callbacks: () => [gradientMonitor({every: 100, print: () => {}})]},
];

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {backend: {type: 'string', default: 'wasm'}, epochs: {type: 'string', default: '4'}, samples: {type: 'string', default: '60000'}},
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
  const {train} = await loadMnist({split: 'train', samples});
  const models = VARIANTS.map((variant) => {
    setSeed(1);
    const model = new Sequential([
      dense({units: 512, activation: 'relu', inputShape: [784]}),
      dense({units: 128, activation: 'relu'}),
      dense({units: 10, activation: 'softmax'}),
    ]);
    model.compile({optimizer: adam({learningRate: 1e-3}), loss: sparseCategoricalCrossentropy(), metrics: variant.metrics()});
    return {variant, model, callbacks: variant.callbacks(), seconds: [] as number[]};
  });
  console.log(`Metric and callback overhead · MNIST MLP · ${backend} · ${samples} samples, batch 128 · ${epochs} epochs each, interleaved`);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const run of models) {
      const start = performance.now();
      await run.model.fit(train.x, train.y, {epochs: epoch + 1, initialEpoch: epoch, batchSize: 128, callbacks: run.callbacks});
      run.seconds.push((performance.now() - start) / 1000);
    }
  }
  const counted = (s: number[]) => s.slice(1).reduce((a, b) => a + b, 0) / (s.length - 1);
  const base = counted(models[0]!.seconds);
  for (const run of models) {
    const mean = counted(run.seconds);
    console.log(`${run.variant.name.padEnd(32)} ${mean.toFixed(2)} s/epoch  ×${(mean / base).toFixed(3)}  (+${((mean / base - 1) * 100).toFixed(1)}%)`);
    run.model.dispose();
  }
  tf.dispose([train.x, train.y]);
}

await main();
