// Training cases beyond the kernel-coverage table: every loss of
// @trellis/layers and every optimizer of @trellis/optimizers for a few steps,
// and products, convolutions and reductions large enough to take the
// webgpu backend's other code paths (tiled and split products, multi-pass
// reductions), still small enough for a software Vulkan driver.
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform, Loss} from '@trellis/core';
import * as L from '@trellis/layers';
import * as O from '@trellis/optimizers';
import {as4d, rand, type Computation} from './cases';

const STEPS = 3;

/** What the predictions of a loss are made of: a free parameter `z` [4, 6] through this map. */
type Head = 'probabilities' | 'sigmoid' | 'logits' | 'identity' | 'positive';
/** What the targets look like. */
type Targets = 'oneHot' | 'binary' | 'sparse' | 'signs' | 'real' | 'positive';

const head: Record<Head, (z: tf.Tensor) => tf.Tensor> = {
  probabilities: (z) => tf.softmax(z),
  sigmoid: (z) => tf.sigmoid(z),
  logits: (z) => z,
  identity: (z) => z,
  positive: (z) => tf.softplus(z),
};

const targets: Record<Targets, () => tf.Tensor> = {
  oneHot: () => tf.oneHot(tf.tensor1d([0, 5, 2, 2], 'int32'), 6),
  binary: () => tf.cast(tf.greater(rand([4, 6]), 0), 'float32'),
  sparse: () => tf.tensor1d([0, 5, 2, 2], 'int32'),
  signs: () => tf.sign(rand([4, 6])),
  real: () => rand([4, 6]),
  positive: () => rand([4, 6], 0.1, 2),
};

const lossCases: [string, () => Loss, Head, Targets][] = [
  ['binaryCrossentropy', () => L.binaryCrossentropy(), 'sigmoid', 'binary'],
  ['binaryCrossentropy (fromLogits)', () => L.binaryCrossentropy({fromLogits: true}), 'logits', 'binary'],
  ['binaryFocalCrossentropy', () => L.binaryFocalCrossentropy(), 'sigmoid', 'binary'],
  ['binaryFocalCrossentropy (fromLogits)', () => L.binaryFocalCrossentropy({fromLogits: true}), 'logits', 'binary'],
  ['categoricalCrossentropy', () => L.categoricalCrossentropy(), 'probabilities', 'oneHot'],
  ['categoricalCrossentropy (fromLogits)', () => L.categoricalCrossentropy({fromLogits: true}), 'logits', 'oneHot'],
  ['categoricalFocalCrossentropy', () => L.categoricalFocalCrossentropy(), 'probabilities', 'oneHot'],
  ['categoricalFocalCrossentropy (fromLogits)', () => L.categoricalFocalCrossentropy({fromLogits: true}), 'logits', 'oneHot'],
  ['sparseCategoricalCrossentropy', () => L.sparseCategoricalCrossentropy(), 'probabilities', 'sparse'],
  ['sparseCategoricalCrossentropy (fromLogits)', () => L.sparseCategoricalCrossentropy({fromLogits: true}), 'logits', 'sparse'],
  ['categoricalHinge', () => L.categoricalHinge(), 'identity', 'oneHot'],
  ['hinge', () => L.hinge(), 'identity', 'signs'],
  ['squaredHinge', () => L.squaredHinge(), 'identity', 'signs'],
  ['cosineSimilarity', () => L.cosineSimilarity(), 'identity', 'real'],
  ['huber', () => L.huber(), 'identity', 'real'],
  ['logCosh', () => L.logCosh(), 'identity', 'real'],
  ['meanSquaredError', () => L.meanSquaredError(), 'identity', 'real'],
  ['meanAbsoluteError', () => L.meanAbsoluteError(), 'identity', 'real'],
  ['meanAbsolutePercentageError', () => L.meanAbsolutePercentageError(), 'identity', 'positive'],
  ['meanSquaredLogarithmicError', () => L.meanSquaredLogarithmicError(), 'positive', 'positive'],
  ['kullbackLeiblerDivergence', () => L.kullbackLeiblerDivergence(), 'probabilities', 'oneHot'],
  ['poisson', () => L.poisson(), 'positive', 'positive'],
];

/**
 * Every loss: `STEPS` gradient-descent steps (learning rate 0.5) on the
 * predictions' parameter; returns the per-sample losses of every step and the
 * final parameter.
 */
export const losses: Computation[] = lossCases.map(([name, make, headName, targetKind]) => [
  `loss ${name}`,
  () => {
    const loss = make();
    const yTrue = targets[targetKind]();
    let z = rand([4, 6], -2, 2);
    const out: tf.Tensor[] = [];
    for (let step = 0; step < STEPS; step++) {
      const perSample = loss(yTrue, head[headName](z));
      out.push(perSample);
      const grad = tf.grad((p: tf.Tensor) => tf.mean(loss(yTrue, head[headName](p))) as tf.Scalar)(z);
      z = tf.sub(z, tf.mul(grad, 0.5));
    }
    return [...out, z];
  },
]);

/** Every tensor in an optimizer state (nested objects and arrays), in key order. */
function tensorsIn(state: unknown): tf.Tensor[] {
  if (state instanceof tf.Tensor) return [state];
  if (Array.isArray(state)) return state.flatMap(tensorsIn);
  if (state != null && typeof state === 'object')
    return Object.keys(state)
      .sort()
      .flatMap((k) => tensorsIn((state as Record<string, unknown>)[k]));
  return [];
}

const optimizerCases: [string, () => GradientTransform][] = [
  ['sgd', () => O.sgd({learningRate: 0.1})],
  ['sgd (momentum 0.9)', () => O.sgd({learningRate: 0.1, momentum: 0.9})],
  ['sgd (nesterov)', () => O.sgd({learningRate: 0.1, momentum: 0.9, nesterov: true})],
  ['adam', () => O.adam({learningRate: 0.05})],
  ['adamw', () => O.adamw({learningRate: 0.05})],
  ['adamax', () => O.adamax({learningRate: 0.05})],
  ['nadam', () => O.nadam({learningRate: 0.05})],
  ['adagrad', () => O.adagrad({learningRate: 0.1})],
  ['adadelta', () => O.adadelta({learningRate: 1})],
  ['rmsprop', () => O.rmsprop({learningRate: 0.01})],
  ['lamb', () => O.lamb({learningRate: 0.05})],
  ['lion', () => O.lion({learningRate: 0.01})],
  ['chain(clipByGlobalNorm, adam)', () => O.chain(O.clipByGlobalNorm(1), O.adam({learningRate: 0.05}))],
];

/**
 * Every optimizer: `STEPS` steps of a least-squares fit of a dense layer
 * (`[8, 5] · w [5, 4] + b`), pure `init`/`update` with `params + updates`;
 * returns the loss of every step, the final parameters and the final state.
 */
export const optimizers: Computation[] = optimizerCases.map(([name, make]) => [
  `optimizer ${name}`,
  () => {
    const optimizer = make();
    const x = rand([8, 5]);
    const target = rand([8, 4]);
    let params: Record<string, tf.Tensor> = {w: rand([5, 4], -0.5, 0.5), b: tf.zeros([4])};
    let state = optimizer.init(params);
    const out: tf.Tensor[] = [];
    const objective = (w: tf.Tensor, b: tf.Tensor) => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), target))) as tf.Scalar;
    for (let step = 0; step < STEPS; step++) {
      const {value, grads} = tf.valueAndGrads(objective)([params.w!, params.b!]);
      out.push(value);
      const result = optimizer.update({w: grads[0]!, b: grads[1]!}, state, params);
      state = result.state;
      params = {w: tf.add(params.w!, result.updates.w!), b: tf.add(params.b!, result.updates.b!)};
    }
    return [...out, params.w!, params.b!, ...tensorsIn(state)];
  },
]);

const shift = [1, 0, 1.5, 0, 1, -0.5, 0, 0];

/** Shapes past the smallest programs: tiled and batched products, wider convolutions, long reductions. */
export const larger: (readonly [name: string, run: Computation[1], cpuRun?: Computation[1]])[] = [
  [
    'matMul [33, 70]·[70, 17] and the transposed products of its gradient',
    () => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.matMul(a, b))) as tf.Scalar)([rand([33, 70]), rand([70, 17])]),
  ],
  [
    'batched matMul [3, 9, 40]·[3, 40, 11], transposeB',
    () =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.matMul(a, b, false, true))) as tf.Scalar)([
        rand([3, 9, 40]),
        rand([3, 11, 40]),
      ]),
  ],
  [
    'matMul with a long shared dimension [4, 2048]·[2048, 40] (split-K product, atomic sums) and its gradients',
    () => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.matMul(a, b))) as tf.Scalar)([rand([4, 2048]), rand([2048, 40])]),
  ],
  [
    'fused matMul + bias + relu (dense layer forward)',
    () => tf.fused.matMul({a: rand([16, 30]) as tf.Tensor2D, b: rand([30, 12]) as tf.Tensor2D, bias: rand([12]), activation: 'relu'}),
  ],
  [
    'conv2d [2, 12, 12, 8] → 16, 3×3 same, and its gradients',
    () =>
      tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.conv2d(as4d(x), as4d(w), 1, 'same'))) as tf.Scalar)([
        rand([2, 12, 12, 8]),
        rand([3, 3, 8, 16], -0.3, 0.3),
      ]),
  ],
  [
    'conv2d 5×5 stride 2 valid [2, 15, 15, 4] → 6, and its gradients',
    () =>
      tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.conv2d(as4d(x), as4d(w), 2, 'valid'))) as tf.Scalar)([
        rand([2, 15, 15, 4]),
        rand([5, 5, 4, 6], -0.3, 0.3),
      ]),
  ],
  [
    'maxPool 2×2 and avgPool 3×3 on [2, 14, 14, 8], gradients',
    () =>
      tf.grads(
        (x: tf.Tensor) =>
          tf.add(tf.sum(tf.square(tf.maxPool(as4d(x), 2, 2, 'valid'))), tf.sum(tf.square(tf.avgPool(as4d(x), 3, 2, 'same')))) as tf.Scalar,
      )([rand([2, 14, 14, 8])]),
  ],
  [
    'reductions over 5000 values: sum, mean, max, min, argMax, logSumExp',
    () => {
      const x = rand([2, 5000]);
      return [tf.sum(x), tf.mean(x, 1), tf.max(x, 1), tf.min(x), tf.argMax(x, 1), tf.argMin(x, 1), tf.logSumExp(x, 1)];
    },
  ],
  [
    'softmax cross-entropy over 1000 classes, gradient',
    () =>
      tf.grad((z: tf.Tensor) => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d([3, 999, 500], 'int32'), 1000), z) as tf.Scalar)(
        rand([3, 1000], -3, 3),
      ),
  ],
  [
    'batch normalization statistics over [64, 40] (moments and gradient)',
    () =>
      tf.grads((x: tf.Tensor, g: tf.Tensor) => {
        const {mean, variance} = tf.moments(x, 0);
        return tf.sum(tf.square(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3))), g))) as tf.Scalar;
      })([rand([64, 40]), rand([40], 0.5, 1.5)]),
  ],
  [
    'gather of 300 rows from [50, 16] and its gradient (UnsortedSegmentSum)',
    () => {
      const ids = tf.tensor1d(
        Array.from({length: 300}, (_, i) => (i * 37) % 50),
        'int32',
      );
      return tf.grad((table: tf.Tensor) => tf.sum(tf.square(tf.gather(table, ids))) as tf.Scalar)(rand([50, 16]));
    },
  ],
  [
    'image.transform with one matrix for a batch of 3 (cpu: image by image, its kernel stops after the first)',
    () => tf.image.transform(as4d(rand([3, 6, 7, 2])), tf.tensor2d([shift], [1, 8]), 'nearest', 'constant'),
    () =>
      tf.concat(
        tf.split(rand([3, 6, 7, 2]), 3).map((one) => tf.image.transform(as4d(one), tf.tensor2d([shift], [1, 8]), 'nearest', 'constant')),
        0,
      ),
  ],
];
