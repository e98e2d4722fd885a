// Shared models and data of the hostile-input suite. Every model is built
// (its first layer declares inputShape) and compiled when returned, so its
// variables and optimizer slots exist before a test measures tensors.
import * as tf from '@tensorflow/tfjs-core';
import {expectRefused, type TrellisErrorClass} from './expect-refused';
import {
  DTypeError,
  DataError,
  Sequential,
  ShapeError,
  adam,
  createTrellis,
  dense,
  meanSquaredError,
  setSeed,
  sgd,
  sparseCategoricalCrossentropy,
  type Registry,
} from '../index';

/** The cpu backend and the default registry, with a fixed seed. */
export async function setUp(): Promise<Registry> {
  const {registry} = await createTrellis({backend: 'cpu'});
  setSeed(42);
  return registry;
}

/**
 * A suite's registry, shared tensors and models, made once before its tests:
 * sets up ({@link setUp}, which gives the registry), then makes the 20 {@link samples} and then the models
 * `makeModels` builds (in its order). Free them with {@link disposeAll}.
 */
export async function setUpSuite<M extends object = object>(
  makeModels: () => M = () => ({}) as M,
): Promise<{registry: Registry} & ReturnType<typeof samples> & M> {
  const registry = await setUp();
  const data = samples(20);
  return {registry, ...data, ...makeModels()};
}

/** Disposes each tensor and model of a suite ({@link setUpSuite}). */
export function disposeAll(...items: readonly {dispose(): void}[]): void {
  for (const item of items) item.dispose();
}

/** 3 features → 10 classes (softmax), sparse crossentropy, Adam. */
export function classifier(name?: string): Sequential {
  setSeed(7);
  const model = new Sequential(
    [dense({units: 4, activation: 'relu', inputShape: [3]}), dense({units: 10, activation: 'softmax'})],
    name === undefined ? {} : {name},
  );
  model.compile({optimizer: adam({learningRate: 0.01}), loss: sparseCategoricalCrossentropy()});
  return model;
}

/** 3 features → 1 value, mean squared error, SGD. */
export function regressor(name?: string): Sequential {
  setSeed(7);
  const model = new Sequential(
    [dense({units: 4, activation: 'tanh', inputShape: [3]}), dense({units: 1})],
    name === undefined ? {} : {name},
  );
  model.compile({optimizer: sgd({learningRate: 0.05}), loss: meanSquaredError()});
  return model;
}

/** `n` samples: features `[n, 3]`, class ids `[n]` (int32, 0..9) and regression targets `[n, 1]`. The caller disposes them. */
export function samples(n = 20): {x: tf.Tensor2D; labels: tf.Tensor1D; targets: tf.Tensor2D} {
  return {
    x: tf.randomUniform([n, 3], -1, 1, 'float32', 1),
    labels: tf.tensor1d(
      Array.from({length: n}, (_, i) => i % 10),
      'int32',
    ),
    targets: tf.randomUniform([n, 1], -1, 1, 'float32', 2),
  };
}

/** Every weight of `model` as plain numbers, by name. */
export {weightValues} from '../../test/weight-values';

/** `model.predict(x)` as plain numbers (the prediction is disposed). */
export function predictValues(model: {predict(x: tf.Tensor): tf.Tensor | tf.Tensor[]}, x: tf.Tensor): number[] {
  const out = model.predict(x) as tf.Tensor;
  const values = Array.from(out.dataSync());
  out.dispose();
  return values;
}

/** Runs `body` with tensors `make` creates (before the test measures tensors) and disposes them after. */
export async function withTensors<T extends tf.TensorContainer>(make: () => T, body: (t: T) => Promise<unknown>): Promise<void> {
  const made = make();
  try {
    await body(made);
  } finally {
    tf.dispose(made);
  }
}

/**
 * Tensors a test makes with `make`, for {@link withTensors}: `refuses(run,
 * error, ...parts)` expects `run` on them to be refused with `error` and a
 * message naming every fragment of `parts` ({@link expectRefused}), then
 * disposes them.
 */
export function given<T extends tf.TensorContainer>(
  make: () => T,
): {
  refuses(
    run: (made: T) => unknown,
    error: TrellisErrorClass | readonly TrellisErrorClass[],
    ...parts: readonly (string | number)[]
  ): Promise<void>;
} {
  return {refuses: (run, error, ...parts) => withTensors(make, (made) => expectRefused(() => run(made), error, ...parts))};
}

/** A string tensor of `shape` holding `value` everywhere (a dtype no model takes). The caller disposes it. */
export function stringTensor(shape: readonly number[], value: string): tf.Tensor {
  return tf.tensor(
    Array.from({length: tf.util.sizeFromShape([...shape])}, () => value),
    [...shape],
    'string',
  );
}

/** A bad `sampleWeight` for 20 samples: fit and evaluate refuse each with `error`, naming `parts`. */
export type BadSampleWeight = {
  readonly name: string;
  readonly make: () => tf.Tensor;
  readonly error: TrellisErrorClass;
  readonly parts: readonly string[];
};

const weightsWith = (at: number, value: number) => () => tf.tensor1d(Array.from({length: 20}, (_, i) => (i === at ? value : 1)));

/** The sample weights fit and evaluate refuse before computing. */
export const badSampleWeights: readonly BadSampleWeight[] = [
  {
    name: 'a string tensor',
    make: () => stringTensor([20], 'w'),
    error: DTypeError,
    parts: ['string'],
  },
  {name: 'with 19 entries for 20 samples', make: () => tf.ones([19]), error: ShapeError, parts: ['19']},
  {name: 'with 21 entries for 20 samples', make: () => tf.ones([21]), error: ShapeError, parts: ['21']},
  {name: 'of shape [20, 2]', make: () => tf.ones([20, 2]), error: ShapeError, parts: ['[20, 2]']},
  {name: 'with a negative weight (-1 at sample 3)', make: weightsWith(3, -1), error: DataError, parts: ['-1', '3']},
  {name: 'with a negative weight (-0.5)', make: weightsWith(9, -0.5), error: DataError, parts: ['-0.5']},
  {name: 'holding NaN', make: weightsWith(2, NaN), error: DataError, parts: ['NaN']},
];
