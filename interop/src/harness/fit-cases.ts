/**
 * Training cases for the `fit` kind: a small Sequential model trained by Keras'
 * `model.fit` and by Trellis from identical initial weights, without
 * shuffling, then compared loss by loss and weight by weight.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {setSeed, type Callback, type FitOptions, type Loss, type Optimizer, type Sequential} from 'trellis';
import {beforeAll} from 'vitest';
import {activate, toTensor} from './cases';
import {expectClose, field} from './compare';
import {kerasLayer, kerasLoss, kerasOptimizer} from './keras-config';
import {runKeras, type KerasCase} from './keras';
import {setWeightsPerLayer, weightsPerLayer} from './mnist-mlp';
import type {HostTensor, TreeIn, TreeOut} from './tensor-tree';

/** One training case. */
export type FitCase = {
  readonly model: () => Sequential;
  readonly inputShape: number[];
  readonly x: HostTensor;
  readonly y: HostTensor;
  readonly loss: () => Loss;
  readonly optimizer: () => Optimizer;
  readonly epochs: number;
  readonly batchSize: number;
};

/** Initial weights (one `{kernel, bias}` per layer) by case name. */
export type InitialWeights = Record<string, Record<string, HostTensor>[]>;

/**
 * Builds each case's model with seed `seedBase + i`, records its initial
 * weights, and returns them with the Keras `fit` cases; `extra(case)` adds
 * keys to a Keras case (e.g. `sampleWeight`, `evaluate`).
 */
export async function prepareFitCases<C extends FitCase>(
  cases: Readonly<Record<string, C>>,
  seedBase: number,
  extra: (c: C) => Record<string, TreeIn> = () => ({}),
): Promise<{initial: InitialWeights; kerasCases: Record<string, KerasCase>}> {
  const initial: InitialWeights = {};
  const kerasCases: Record<string, KerasCase> = {};
  for (const [i, [name, c]] of Object.entries(cases).entries()) {
    setSeed(seedBase + i);
    const model = c.model();
    model.build(c.inputShape);
    initial[name] = await weightsPerLayer(model);
    kerasCases[name] = {
      kind: 'fit',
      inputShape: c.inputShape,
      layers: model.layers.map(kerasLayer),
      weights: initial[name]!,
      x: c.x,
      y: c.y,
      loss: kerasLoss(c.loss()),
      optimizer: kerasOptimizer(c.optimizer()),
      epochs: c.epochs,
      batchSize: c.batchSize,
      ...extra(c),
    };
    model.dispose();
  }
  return {initial, kerasCases};
}

/**
 * A fit callback that appends the logged `loss` after every batch (the
 * running mean of the epoch, as Keras' `logs["loss"]`) to `losses`.
 */
export function runningLossRecorder(): {readonly losses: number[]; readonly recorder: Callback} {
  const losses: number[] = [];
  const recorder: Callback = {
    name: 'runningLoss',
    async onBatchEnd(context) {
      losses.push((await context.readLogs(['loss'])).loss!);
    },
  };
  return {losses, recorder};
}

/** The initial weights of fit cases and Keras' results for them, by case name. */
export type KerasFits = {readonly initial: InitialWeights; readonly keras: Record<string, TreeOut>};

/**
 * Registers a `beforeAll` hook (with `timeout` when given) that prepares the
 * cases on cpu ({@link prepareFitCases} with `seedBase` and `extra`) and runs
 * them in Keras as the batch `batch`. Returns the records the hook fills in,
 * empty until it has run.
 */
export function beforeAllKerasFits<C extends FitCase>(
  batch: string,
  cases: Readonly<Record<string, C>>,
  seedBase: number,
  extra?: (c: C) => Record<string, TreeIn>,
  timeout?: number,
): KerasFits {
  const fits: KerasFits = {initial: {}, keras: {}};
  beforeAll(async () => {
    await activate('cpu');
    const prepared = await prepareFitCases(cases, seedBase, extra);
    Object.assign(fits.initial, prepared.initial);
    Object.assign(fits.keras, await runKeras(batch, prepared.kerasCases));
  }, timeout);
  return fits;
}

/**
 * Trains `c` in Trellis from `initial` (`options` added to fit's) and checks
 * the loss of every epoch, the running loss after every batch and the final
 * weights against Keras' result within `tolerance`; then runs `after` on the
 * trained model (e.g. to compare `evaluate`). Frees everything it made.
 */
export async function expectSameFit(
  name: string,
  c: FitCase,
  initial: readonly Record<string, HostTensor>[],
  keras: TreeOut | undefined,
  tolerance: number,
  options: Partial<FitOptions> = {},
  after?: (model: Sequential, x: tf.Tensor, y: tf.Tensor) => Promise<void>,
): Promise<void> {
  const model = c.model();
  model.compile({optimizer: c.optimizer(), loss: c.loss()});
  setWeightsPerLayer(model, initial);
  const {losses: running, recorder} = runningLossRecorder();
  const [xs, ys] = [toTensor(c.x), toTensor(c.y)];
  try {
    const history = await model.fit(xs, ys, {epochs: c.epochs, batchSize: c.batchSize, shuffle: false, callbacks: [recorder], ...options});
    await expectClose(`${name} epoch losses`, history.history.loss!, field(keras, 'epochLosses') as number[], tolerance);
    await expectClose(`${name} running losses`, running, field(keras, 'runningLosses') as number[], tolerance);
    for (const [i, layer] of (await weightsPerLayer(model)).entries()) {
      for (const [weight, values] of Object.entries(layer)) {
        await expectClose(`${name} layer ${i} ${weight}`, values, field(keras, 'weights', i, weight), tolerance);
      }
    }
    await after?.(model, xs, ys);
  } finally {
    tf.dispose([xs, ys]);
    model.dispose();
  }
}
