/**
 * Training cases for the `fit` kind: a small Sequential model trained by Keras'
 * `model.fit` and by Trellis from identical initial weights, without
 * shuffling, then compared loss by loss and weight by weight.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {setSeed, type Callback, type FitOptions, type Loss, type NamedTensors, type Optimizer, type Sequential} from 'trellis';
import {toTensor} from './cases';
import {expectClose, field} from './compare';
import {kerasLayer, kerasLoss, kerasOptimizer} from './keras-config';
import type {KerasCase} from './keras';
import {namedWeights, weightsPerLayer} from './mnist-mlp';
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
  model.setWeights(
    tf.tidy(() => Object.fromEntries(Object.entries(namedWeights(model, initial)).map(([w, v]) => [w, toTensor(v)]))) as NamedTensors,
  );
  const running: number[] = [];
  const recorder: Callback = {
    name: 'runningLoss',
    async onBatchEnd(context) {
      running.push((await context.readLogs(['loss'])).loss!);
    },
  };
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
