/**
 * The kernel-coverage cases: every layer of `@trellis/layers` in a training
 * step (forward, and the gradients of its weights and input), every loss,
 * every optimizer update, and the computations of activations, pooling,
 * augmentation and metrics written with tfjs-core ops. A backend's tests run
 * them to check that each kernel they need is registered and that the
 * numbers match the cpu backend's.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {checkOptions, type GradientTransform, type Layer, type Loss} from '@trellis/core';
import {callContext, createBuildContext, type TestBuildContext} from './layer-contexts';

/** A factory taking an options object (checked loosely: the cases pass literal options). */
type Factory<T> = {bivarianceHack(options?: Record<string, unknown>): T}['bivarianceHack'];

/** The layer factories the cases build (pass the `layers` namespace of `@trellis/layers`). */
export type CoverageLayers = Readonly<Record<(typeof LAYER_NAMES)[number], Factory<Layer>>>;

/** The optimizer factories the cases step (pass `import * as optimizers from '@trellis/optimizers'`). */
export type CoverageOptimizers = Readonly<Record<(typeof OPTIMIZER_NAMES)[number], Factory<GradientTransform>>>;

/** What the cases are made of: the packages under test, passed in so this package depends on none of them. */
export type CoverageVocabulary = {
  /** `layers` from `@trellis/layers`. */
  readonly layers: CoverageLayers;
  /** `getLoss` and `lossNames` from `@trellis/layers`: every loss by name. */
  readonly losses: {readonly lossNames: readonly string[]; getLoss(name: string): Loss};
  /** `@trellis/optimizers` (its module namespace). */
  readonly optimizers: CoverageOptimizers;
};

/** One computation: `run()` gives the same tensors (values, gradients) each time it is called, on any backend. */
export type CoverageCase = {
  /** The group it belongs to (`losses`, `every layer of @trellis/layers …`). */
  readonly group: string;
  readonly name: string;
  /** Runs the computation; call it inside `tf.tidy` (the caller owns the tensors). */
  run(): tf.Tensor[];
};

const LAYER_NAMES = [
  'activation',
  'alphaDropout',
  'averagePooling1d',
  'averagePooling2d',
  'batchNormalization',
  'conv1d',
  'conv2d',
  'conv2dTranspose',
  'cropping2d',
  'dense',
  'depthwiseConv2d',
  'dropout',
  'elu',
  'embedding',
  'flatten',
  'gaussianDropout',
  'gaussianNoise',
  'globalAveragePooling1d',
  'globalAveragePooling2d',
  'globalMaxPooling1d',
  'globalMaxPooling2d',
  'layerNormalization',
  'leakyRelu',
  'maxPooling1d',
  'maxPooling2d',
  'normalization',
  'permute',
  'prelu',
  'randomBrightness',
  'randomContrast',
  'randomCrop',
  'randomFlip',
  'randomRotation',
  'randomTranslation',
  'randomZoom',
  'relu',
  'rescaling',
  'reshape',
  'separableConv2d',
  'softmax',
  'spatialDropout1d',
  'spatialDropout2d',
  'upSampling2d',
  'zeroPadding2d',
] as const;

const OPTIMIZER_NAMES = ['adadelta', 'adagrad', 'adam', 'adamax', 'adamw', 'lamb', 'lion', 'nadam', 'rmsprop', 'sgd'] as const;

/**
 * What tfjs records for an op with a custom gradient (`logSoftmax__op`,
 * `fusedConv2d__op`): a wrapper, not a kernel; the kernels it runs are
 * recorded on their own.
 */
const customGradientWrapper = /__op$/;

/** The names of the kernels `run` runs on the current backend (unique, sorted; custom-gradient wrappers left out). */
export async function kernelsRunBy(run: () => tf.Tensor | tf.Tensor[]): Promise<string[]> {
  const info = await tf.profile(() => {
    tf.tidy(() => {
      const out = run();
      for (const t of Array.isArray(out) ? out : [out]) t.dataSync();
    });
    return [];
  });
  return [...new Set(info.kernelNames)].filter((name) => !customGradientWrapper.test(name)).sort();
}

type Computation = readonly [name: string, run: () => tf.Tensor | tf.Tensor[]];

/**
 * Weights from −1 to 1 over `shape`, computed in JavaScript: the same bits on
 * every backend (the cpu backend's `linspace` accumulates rounding errors of
 * about 1e-5 by the end of a few hundred values; the weights of the test
 * objectives must not differ between the backends compared).
 */
function ramp(shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({length: size}, (_, i) => (size === 1 ? 0 : -1 + (2 * i) / (size - 1))),
    shape,
  );
}

/**
 * Every case, grouped. Inputs come from seeded tfjs-core random ops (computed
 * in JavaScript, the same on every backend), and each case restarts its seeds,
 * so a case gives the same inputs on every run and every backend.
 *
 * @param vocabulary - the layer, loss and optimizer factories under test.
 * @throws {ConfigError} for a key other than `layers`, `losses`, `optimizers`.
 */
export function kernelCoverageCases(vocabulary: CoverageVocabulary): CoverageCase[] {
  checkOptions('kernelCoverageCases', vocabulary, ['layers', 'losses', 'optimizers']);
  const L = vocabulary.layers;
  let seed = 7;
  const rand = (shape: number[], low = -1, high = 1) => tf.randomUniform(shape, low, high, 'float32', seed++);
  const grads = (f: (...xs: tf.Tensor[]) => tf.Scalar, xs: tf.Tensor[]) => tf.grads(f)(xs);
  /** `f`'s value and its gradient with respect to `x` (a training step through an element-wise op). */
  const valueAndGrad = (f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor) => {
    const {value, grad} = tf.valueAndGrad((t: tf.Tensor) => {
      const y = f(t);
      return tf.sum(tf.mul(y, ramp(y.shape)));
    })(x);
    return [value, grad];
  };
  const as4d = (t: tf.Tensor) => t as tf.Tensor4D;

  const image = () => rand([2, 8, 8, 3]);

  const convolutions: Computation[] = [
    [
      'conv1d (same, stride 1) with bias',
      () =>
        grads(
          (x, w, b) => tf.sum(tf.square(tf.add(tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, 1, 'same'), b))),
          [rand([2, 10, 3]), rand([3, 3, 4]), rand([4])],
        ),
    ],
    [
      'conv1d (valid, stride 2)',
      () =>
        grads((x, w) => tf.sum(tf.square(tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, 2, 'valid'))), [rand([2, 11, 3]), rand([3, 3, 4])]),
    ],
    [
      'conv2d (valid, stride 1) with bias',
      () =>
        grads((x, w, b) => tf.sum(tf.square(tf.add(tf.conv2d(as4d(x), as4d(w), 1, 'valid'), b))), [image(), rand([3, 3, 3, 4]), rand([4])]),
    ],
    [
      'conv2d (same, stride 2)',
      () => grads((x, w) => tf.sum(tf.square(tf.conv2d(as4d(x), as4d(w), 2, 'same'))), [image(), rand([3, 3, 3, 4])]),
    ],
    [
      'conv2d (same, strides [1, 2], 5×3 kernel)',
      () => grads((x, w) => tf.sum(tf.square(tf.conv2d(as4d(x), as4d(w), [1, 2], 'same'))), [image(), rand([5, 3, 3, 4])]),
    ],
    // tfjs-core has no gradient for dilated convolutions on any backend: forward only.
    ['conv2d (same, dilation 2), forward', () => tf.conv2d(as4d(image()), as4d(rand([3, 3, 3, 4])), 1, 'same', 'NHWC', 2)],
    [
      'fused conv2d + bias + relu (inference)',
      () =>
        tf.fused.conv2d({x: as4d(image()), filter: as4d(rand([3, 3, 3, 4])), strides: 1, pad: 'same', bias: rand([4]), activation: 'relu'}),
    ],
    [
      'conv2dTranspose (same, stride 2)',
      () =>
        grads(
          (x, w) => tf.sum(tf.square(tf.conv2dTranspose(as4d(x), as4d(w), [2, 8, 8, 5], 2, 'same'))),
          [rand([2, 4, 4, 3]), rand([3, 3, 5, 3])],
        ),
    ],
    [
      'conv2dTranspose (valid, stride 1)',
      () =>
        grads(
          (x, w) => tf.sum(tf.square(tf.conv2dTranspose(as4d(x), as4d(w), [2, 6, 6, 5], 1, 'valid'))),
          [rand([2, 4, 4, 3]), rand([3, 3, 5, 3])],
        ),
    ],
    [
      'depthwiseConv2d (same, multiplier 2)',
      () => grads((x, w) => tf.sum(tf.square(tf.depthwiseConv2d(as4d(x), as4d(w), 1, 'same'))), [image(), rand([3, 3, 3, 2])]),
    ],
    [
      'depthwiseConv2d (valid, stride 2)',
      () => grads((x, w) => tf.sum(tf.square(tf.depthwiseConv2d(as4d(x), as4d(w), 2, 'valid'))), [image(), rand([3, 3, 3, 1])]),
    ],
    [
      'separableConv2d (same)',
      () =>
        grads(
          (x, d, p) => tf.sum(tf.square(tf.separableConv2d(as4d(x), as4d(d), as4d(p), 1, 'same'))),
          [image(), rand([3, 3, 3, 1]), rand([1, 1, 3, 4])],
        ),
    ],
    [
      'dense (matMul + bias) and flatten',
      () =>
        grads(
          (x, w, b) => tf.sum(tf.square(tf.add(tf.matMul(tf.reshape(x, [2, -1]), w as tf.Tensor2D), b))),
          [image(), rand([192, 5]), rand([5])],
        ),
    ],
  ];

  const pool1d = (op: 'maxPool' | 'avgPool', pad: 'same' | 'valid') => (x: tf.Tensor) =>
    tf.reshape((op === 'maxPool' ? tf.maxPool : tf.avgPool)(tf.reshape(x, [2, 1, 10, 3]) as tf.Tensor4D, [1, 3], [1, 2], pad), [2, -1, 3]);

  const pooling: Computation[] = [
    ['maxPool1d via 2d (same, pool 3, stride 2)', () => valueAndGrad(pool1d('maxPool', 'same'), rand([2, 10, 3]))],
    ['avgPool1d via 2d (valid, pool 3, stride 2)', () => valueAndGrad(pool1d('avgPool', 'valid'), rand([2, 10, 3]))],
    ['maxPool2d (valid, 2×2)', () => valueAndGrad((x) => tf.maxPool(as4d(x), 2, 2, 'valid'), image())],
    ['maxPool2d (same, 3×3, stride 2)', () => valueAndGrad((x) => tf.maxPool(as4d(x), 3, 2, 'same'), image())],
    ['avgPool2d (valid, 2×2)', () => valueAndGrad((x) => tf.avgPool(as4d(x), 2, 2, 'valid'), image())],
    ['avgPool2d (same, 3×3, stride 1)', () => valueAndGrad((x) => tf.avgPool(as4d(x), 3, 1, 'same'), image())],
    ['globalAveragePooling2d (mean over axes 1, 2)', () => valueAndGrad((x) => tf.mean(x, [1, 2]), image())],
    ['globalMaxPooling2d (max over axes 1, 2)', () => valueAndGrad((x) => tf.max(x, [1, 2]), image())],
    [
      'globalAveragePooling1d / globalMaxPooling1d',
      () => [...valueAndGrad((x) => tf.mean(x, 1), rand([2, 10, 3])), ...valueAndGrad((x) => tf.max(x, 1), rand([2, 10, 3]))],
    ],
  ];

  const reshaping: Computation[] = [
    [
      'zeroPadding2d (pad)',
      () =>
        valueAndGrad(
          (x) =>
            tf.pad(x, [
              [0, 0],
              [1, 2],
              [2, 1],
              [0, 0],
            ]),
          image(),
        ),
    ],
    ['cropping2d (slice)', () => valueAndGrad((x) => tf.slice(x, [0, 1, 2, 0], [-1, 5, 4, -1]), image())],
    [
      'upSampling2d nearest (resizeNearestNeighbor ×2)',
      () => valueAndGrad((x) => tf.image.resizeNearestNeighbor(as4d(x), [16, 16]), image()),
    ],
    ['upSampling2d bilinear (resizeBilinear ×2)', () => valueAndGrad((x) => tf.image.resizeBilinear(as4d(x), [16, 16]), image())],
    ['reshape', () => valueAndGrad((x) => tf.reshape(x, [2, 64, 3]), image())],
    ['permute (transpose)', () => valueAndGrad((x) => tf.transpose(x, [0, 3, 1, 2]), image())],
    ['repeatVector / tile', () => valueAndGrad((x) => tf.tile(tf.expandDims(x, 1), [1, 3, 1]), rand([2, 5]))],
    ['concatenate', () => grads((a, b) => tf.sum(tf.square(tf.concat([a, b], -1))), [image(), image()])],
  ];

  const normalization: Computation[] = [
    [
      'dropout (randomUniform mask, mul, scale)',
      () =>
        valueAndGrad(
          (x) => tf.div(tf.mul(x, tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', 3), 0.3), 'float32')), 0.7),
          image(),
        ),
    ],
    ['dropout (tf.dropout)', () => valueAndGrad((x) => tf.dropout(x, 0.3, undefined, 5), image())],
    ['gaussianNoise (randomNormal)', () => valueAndGrad((x) => tf.add(x, tf.randomNormal(x.shape, 0, 0.1, 'float32', 9)), image())],
    [
      'batchNormalization, training (moments + batchNorm + moving averages)',
      () => {
        const [x, gamma, beta] = [image(), rand([3], 0.5, 1.5), rand([3])];
        const movingMean = tf.zeros([3]);
        const step = grads(
          (a, g, b) => {
            const {mean, variance} = tf.moments(a, [0, 1, 2]);
            return tf.sum(tf.square(tf.batchNorm(a, mean, variance, b, g, 1e-3)));
          },
          [x, gamma, beta],
        );
        const {mean} = tf.moments(x, [0, 1, 2]);
        return [...step, tf.add(tf.mul(movingMean, 0.99), tf.mul(mean, 0.01))];
      },
    ],
    [
      'batchNormalization, inference (moving statistics)',
      () => tf.batchNorm(image(), rand([3]), rand([3], 0.5, 1.5), rand([3]), rand([3], 0.5, 1.5), 1e-3),
    ],
    [
      'layerNormalization',
      () =>
        grads(
          (x, g, b) => {
            const {mean, variance} = tf.moments(x, -1, true);
            return tf.sum(tf.square(tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-3))), g), b)));
          },
          [rand([4, 6]), rand([6], 0.5, 1.5), rand([6])],
        ),
    ],
    [
      'embedding (gather and its gradient)',
      () =>
        valueAndGrad(
          (table) =>
            tf.gather(
              table,
              tf.tensor2d(
                [
                  [1, 4],
                  [4, 9],
                ],
                [2, 2],
                'int32',
              ),
            ),
          rand([10, 3]),
        ),
    ],
  ];

  const augmentation: Computation[] = (() => {
    const angle = 0.3;
    const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
    const rotation = [cos, -sin, 4 - 4 * cos + 4 * sin, sin, cos, 4 - 4 * sin - 4 * cos, 0, 0];
    const zoom = [1.2, 0, -0.8, 0, 1.2, -0.8, 0, 0];
    const translation = [1, 0, 1.5, 0, 1, -2, 0, 0];
    const transform = (m: number[], interpolation: 'bilinear' | 'nearest', fill: 'constant' | 'reflect' | 'wrap' | 'nearest') => () =>
      tf.image.transform(as4d(image()), tf.tensor2d([m, m], [2, 8]), interpolation, fill);
    return [
      ['randomRotation (image.transform, bilinear, reflect)', transform(rotation, 'bilinear', 'reflect')],
      ['randomZoom (image.transform, bilinear, constant)', transform(zoom, 'bilinear', 'constant')],
      [
        'randomTranslation (image.transform, nearest, wrap / nearest fill)',
        () => [transform(translation, 'nearest', 'wrap')(), transform(translation, 'nearest', 'nearest')()],
      ],
      ['randomFlip (image.flipLeftRight, reverse)', () => [tf.image.flipLeftRight(as4d(image())), tf.reverse(image(), 1)]],
      ['randomCrop (slice)', () => tf.slice(image(), [0, 1, 2, 0], [2, 6, 6, 3])],
      [
        'randomContrast (per-image mean, scale, clip)',
        () => {
          const x = image();
          const mean = tf.mean(x, [1, 2], true);
          return tf.clipByValue(tf.add(tf.mul(tf.sub(x, mean), 1.4), mean), 0, 1);
        },
      ],
      ['randomBrightness (add delta, clip)', () => tf.clipByValue(tf.add(image(), 0.2), 0, 1)],
      ['rescaling (mul, add)', () => tf.add(tf.mul(image(), 1 / 255), -0.5)],
    ] as Computation[];
  })();

  const activations: Computation[] = (
    [
      ['relu', tf.relu],
      ['relu6', tf.relu6],
      ['leakyRelu', (x) => tf.leakyRelu(x, 0.3)],
      ['prelu', (x) => tf.prelu(x, tf.fill([6], 0.25))],
      ['elu', tf.elu],
      ['selu', tf.selu],
      ['softplus', tf.softplus],
      ['softsign', (x) => tf.div(x, tf.add(tf.abs(x), 1))],
      ['sigmoid', tf.sigmoid],
      ['hardSigmoid (relu6(x + 3) / 6)', (x) => tf.div(tf.relu6(tf.add(x, 3)), 6)],
      ['tanh', tf.tanh],
      ['softmax', (x) => tf.softmax(x)],
      ['logSoftmax', (x) => tf.logSoftmax(x)],
      ['gelu exact (erf)', (x) => tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))))],
      [
        'gelu tanh approximation',
        (x) => tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))))))),
      ],
      ['swish / silu', (x) => tf.mul(x, tf.sigmoid(x))],
      ['mish', (x) => tf.mul(x, tf.tanh(tf.softplus(x)))],
      ['exponential', tf.exp],
      ['linear', (x) => x],
    ] as [string, (x: tf.Tensor) => tf.Tensor][]
  ).map(([name, f]) => [`activation ${name}`, () => valueAndGrad(f, rand([4, 6], -3, 3))] as const);

  const yTrue = () => rand([4, 6], 0, 1);
  const losses: Computation[] = (
    [
      [
        'binaryCrossentropy (clip, log)',
        (p, t) =>
          tf.neg(
            tf.mean(
              tf.add(
                tf.mul(t, tf.log(tf.clipByValue(p, 1e-7, 1 - 1e-7))),
                tf.mul(tf.sub(1, t), tf.log(tf.sub(1, tf.clipByValue(p, 1e-7, 1 - 1e-7)))),
              ),
            ),
          ),
      ],
      [
        'sigmoid crossentropy with logits',
        (z, t) => tf.mean(tf.add(tf.sub(tf.relu(z), tf.mul(z, t)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))))),
      ],
      ['tf.losses.sigmoidCrossEntropy', (z, t) => tf.losses.sigmoidCrossEntropy(t, z)],
      [
        'categoricalCrossentropy (probabilities: sum, div, clip, log)',
        (p, t) =>
          tf.neg(tf.mean(tf.sum(tf.mul(t, tf.log(tf.clipByValue(tf.div(tf.abs(p), tf.sum(tf.abs(p), -1, true)), 1e-7, 1 - 1e-7))), -1))),
      ],
      ['categoricalCrossentropy (logits: logSoftmax)', (z, t) => tf.neg(tf.mean(tf.sum(tf.mul(t, tf.logSoftmax(z)), -1)))],
      [
        'sparseCategoricalCrossentropy (logSoftmax, oneHot)',
        (z) => tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(tf.tensor1d([0, 5, 2, 2], 'int32'), 6), tf.logSoftmax(z)), -1))),
      ],
      [
        'sparseCategoricalCrossentropy (gather along the class axis)',
        (z) => tf.neg(tf.mean(tf.gather(tf.reshape(tf.logSoftmax(z), [-1]), tf.tensor1d([0, 11, 14, 20], 'int32')))),
      ],
      ['meanSquaredError (squaredDifference)', (p, t) => tf.mean(tf.squaredDifference(p, t))],
      ['meanAbsoluteError (abs)', (p, t) => tf.mean(tf.abs(tf.sub(p, t)))],
      [
        'meanAbsolutePercentageError (div, maximum)',
        (p, t) => tf.mul(100, tf.mean(tf.abs(tf.div(tf.sub(t, p), tf.maximum(tf.abs(t), 1e-7))))),
      ],
      ['meanSquaredLogarithmicError (log1p, relu)', (p, t) => tf.mean(tf.square(tf.sub(tf.log1p(tf.relu(p)), tf.log1p(t))))],
      // Written with minimum: a tf.where whose condition depends on the prediction
      // has no gradient in tfjs-core (LessEqual has none registered).
      [
        'huber (abs, minimum)',
        (p, t) => {
          const e = tf.abs(tf.sub(p, t));
          const quadratic = tf.minimum(e, 1);
          return tf.mean(tf.add(tf.mul(0.5, tf.square(quadratic)), tf.sub(e, quadratic)));
        },
      ],
      ['where with a fixed condition (masking)', (p, t) => tf.mean(tf.where(tf.greater(t, 0.5), p, tf.neg(p)))],
      [
        'logCosh (cosh, log; softplus form)',
        (p, t) => {
          const d = tf.sub(p, t);
          return tf.add(tf.mean(tf.log(tf.cosh(d))), tf.mean(tf.sub(tf.add(d, tf.softplus(tf.mul(-2, d))), Math.LN2)));
        },
      ],
      [
        'kullbackLeiblerDivergence',
        (p, t) => tf.sum(tf.mul(t, tf.log(tf.div(tf.clipByValue(t, 1e-7, 1), tf.clipByValue(tf.sigmoid(p), 1e-7, 1))))),
      ],
      ['poisson (expm1, log)', (p, t) => tf.mean(tf.sub(tf.exp(p), tf.mul(t, tf.log(tf.add(tf.exp(p), 1e-7)))))],
      [
        'hinge / squaredHinge (maximum)',
        (p, t) => tf.add(tf.mean(tf.maximum(tf.sub(1, tf.mul(t, p)), 0)), tf.mean(tf.square(tf.maximum(tf.sub(1, tf.mul(t, p)), 0)))),
      ],
      [
        'categoricalHinge (max, sum)',
        (p, t) => tf.mean(tf.maximum(tf.add(tf.sub(tf.max(tf.mul(tf.sub(1, t), p), -1), tf.sum(tf.mul(t, p), -1)), 1), 0)),
      ],
      [
        'cosineSimilarity (l2 normalize: rsqrt, maximum)',
        (p, t) => {
          const l2 = (x: tf.Tensor) => tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), -1, true), 1e-12)));
          return tf.neg(tf.mean(tf.sum(tf.mul(l2(p), l2(t)), -1)));
        },
      ],
      [
        'expm1, sign, floor, round, sqrt, pow (assorted)',
        (p) =>
          tf.mean(
            tf.add(
              tf.add(tf.expm1(p), tf.mul(tf.sign(p), tf.floor(p))),
              tf.add(tf.round(p), tf.add(tf.sqrt(tf.abs(p)), tf.pow(tf.abs(p), 1.5))),
            ),
          ),
      ],
    ] as [string, (prediction: tf.Tensor, target: tf.Tensor) => tf.Tensor][]
  ).map(
    ([name, loss]) =>
      [
        `loss ${name}`,
        () => {
          const target = yTrue();
          return tf.grads((p: tf.Tensor) => loss(p, target) as tf.Scalar)([rand([4, 6], -2, 2)]);
        },
      ] as const,
  );

  const training: Computation[] = [
    [
      'sgd with momentum update',
      () => {
        const [w, g, v] = [rand([5, 4]), rand([5, 4]), rand([5, 4])];
        const velocity = tf.sub(tf.mul(v, 0.9), tf.mul(g, 0.01));
        return [velocity, tf.add(w, velocity)];
      },
    ],
    [
      'adam update (sqrt, div, pow)',
      () => {
        const [w, g, m, v] = [rand([5, 4]), rand([5, 4]), rand([5, 4]), rand([5, 4], 0, 1)];
        const m1 = tf.add(tf.mul(m, 0.9), tf.mul(g, 0.1));
        const v1 = tf.add(tf.mul(v, 0.999), tf.mul(tf.square(g), 0.001));
        const lr = tf.div(tf.mul(1e-3, tf.sqrt(tf.sub(1, tf.pow(tf.scalar(0.999), 3)))), tf.sub(1, tf.pow(tf.scalar(0.9), 3)));
        return [m1, v1, tf.sub(w, tf.div(tf.mul(lr, m1), tf.add(tf.sqrt(v1), 1e-7)))];
      },
    ],
    [
      'accuracy metrics (argMax, equal, cast, mean, greater)',
      () => {
        const [p, t] = [rand([4, 6]), rand([4, 6])];
        return [
          tf.mean(tf.cast(tf.equal(tf.argMax(p, -1), tf.argMax(t, -1)), 'float32')),
          tf.mean(tf.cast(tf.equal(tf.greater(p, 0.5), tf.greater(t, 0.5)), 'float32')),
        ];
      },
    ],
    [
      'gradient clipping (clipByValue, global norm)',
      () => {
        const g = rand([5, 4], -3, 3);
        const norm = tf.sqrt(tf.sum(tf.square(g)));
        return [tf.clipByValue(g, -1, 1), tf.mul(g, tf.div(1, tf.maximum(norm, 1)))];
      },
    ],
  ];

  /**
   * A training step through a real layer of @trellis/layers: build it for
   * `inputShape`, call it in training mode, and take the gradients of the
   * trainable weights and (for float inputs) of the input. The layer's
   * variables are disposed before the outputs are returned.
   */
  function layerStep(make: () => Layer, inputShape: number[], input: () => tf.Tensor = () => rand([2, ...inputShape])): Computation[1] {
    return () => {
      const layer = make();
      const context = createBuildContext(layer.spec.id.replace('trellis/', ''));
      try {
        return stepThrough(layer, context, inputShape, input());
      } finally {
        context.dispose();
      }
    };
  }

  /** Builds `layer` in `context`, runs it in training mode on `x`, returns the loss and gradients. */
  function stepThrough(layer: Layer, context: TestBuildContext, inputShape: number[], x: tf.Tensor): tf.Tensor[] {
    layer.build(inputShape, context);
    const trainable = [...context.weights.values()].filter((v) => v.trainable);
    const objective = (input: tf.Tensor) => {
      const y = layer.call(input, callContext(true));
      return tf.sum(tf.mul(y, ramp(y.shape))) as tf.Scalar;
    };
    const out: tf.Tensor[] = [];
    if (trainable.length) {
      const {value, grads} = tf.variableGrads(() => objective(x), trainable);
      out.push(value, ...Object.values(grads));
    }
    if (x.dtype === 'float32') out.push(tf.grad(objective)(x));
    if (!out.length) out.push(objective(x));
    return out;
  }

  const layers: Computation[] = coverageLayers(L).map(([name, {make, inputShape, ids}]) => [
    name,
    layerStep(make, inputShape, ids ? coverageIds : undefined),
  ]);

  const groups: [string, Computation[]][] = [
    ['every layer of @trellis/layers (forward and backward, training mode)', layers],
    ['convolutions', convolutions],
    ['pooling', pooling],
    ['reshaping layers', reshaping],
    ['normalization, dropout, noise, embedding', normalization],
    ['augmentation', augmentation],
    ['activations', activations],
    ['losses', losses],
    ['optimizer updates and metrics', training],
  ];

  groups.push(['losses of @trellis/layers (value and gradient of every loss by name)', lossCases(vocabulary.losses, rand)]);
  groups.push(['optimizers of @trellis/optimizers (three updates of every optimizer)', optimizerCases(vocabulary.optimizers, rand)]);
  return groups.flatMap(([group, computations]) =>
    computations.map(([name, run]) => ({
      group,
      name,
      run() {
        seed = 7;
        const out = run();
        return Array.isArray(out) ? out : [out];
      },
    })),
  );
}

type Rand = (shape: number[], low?: number, high?: number) => tf.Tensor;

/** Each loss by name, on targets of its kind, with the gradient with respect to the logits. */
function lossCases(vocabulary: CoverageVocabulary['losses'], rand: Rand): Computation[] {
  return vocabulary.lossNames.map((name) => [
    `loss ${name}`,
    () => {
      const loss = vocabulary.getLoss(name);
      const classes = [0, 5, 2, 3];
      const targets: Record<Loss['targetKind'], () => tf.Tensor> = {
        sparse: () => tf.tensor1d(classes, 'int32'),
        categorical: () => tf.cast(tf.oneHot(tf.tensor1d(classes, 'int32'), 6), 'float32'),
        binary: () => tf.cast(tf.greater(rand([4, 6]), 0), 'float32'),
        regression: () => rand([4, 6], 0, 2),
      };
      const yTrue = targets[loss.targetKind]();
      const toPrediction = (z: tf.Tensor) =>
        loss.fromLogits
          ? z
          : loss.targetKind === 'regression'
            ? tf.softplus(z)
            : loss.targetKind === 'binary'
              ? tf.sigmoid(z)
              : tf.softmax(z);
      const {value, grad} = tf.valueAndGrad((z: tf.Tensor) => tf.sum(loss(yTrue, toPrediction(z))) as tf.Scalar)(rand([4, 6], -2, 2));
      return [value, grad];
    },
  ]);
}

/** Three updates of each optimizer on two parameters with fixed gradients: the updated parameters and the updates. */
function optimizerCases(optimizers: CoverageOptimizers, rand: Rand): Computation[] {
  const options: Record<(typeof OPTIMIZER_NAMES)[number], Record<string, unknown>> = {
    adadelta: {learningRate: 1},
    adagrad: {learningRate: 0.1},
    adam: {learningRate: 0.01, amsgrad: true},
    adamax: {learningRate: 0.01},
    adamw: {learningRate: 0.01, weightDecay: 0.01},
    lamb: {learningRate: 0.01},
    lion: {learningRate: 0.001},
    nadam: {learningRate: 0.01},
    rmsprop: {learningRate: 0.01, momentum: 0.9, centered: true},
    sgd: {learningRate: 0.01, momentum: 0.9, nesterov: true},
  };
  return OPTIMIZER_NAMES.map((name) => [
    `optimizer ${name} ${JSON.stringify(options[name])}`,
    () => {
      const optimizer = optimizers[name](options[name]);
      let params: Record<string, tf.Tensor> = {'dense/kernel': rand([5, 4]), 'dense/bias': rand([4])};
      const grads = {'dense/kernel': rand([5, 4]), 'dense/bias': rand([4])};
      let state = optimizer.init(params);
      const out: tf.Tensor[] = [];
      for (let step = 0; step < 3; step++) {
        const result = optimizer.update(grads, state, params);
        state = result.state;
        params = Object.fromEntries(Object.entries(params).map(([key, p]) => [key, tf.add(p, result.updates[key]!)]));
        out.push(...Object.values(result.updates));
      }
      return [...out, ...Object.values(params)];
    },
  ]);
}

/** A layer of the coverage table: how to make it, its input shape (without the batch), and whether it takes integer ids. */
export type CoverageLayer = readonly [
  name: string,
  layer: {readonly make: () => Layer; readonly inputShape: number[]; readonly ids?: true},
];

/** The `[2, 5]` int32 ids an embedding case takes. */
export const coverageIds = (): tf.Tensor =>
  tf.tensor2d(
    [
      [1, 4, 0, 9, 3],
      [2, 2, 7, 5, 8],
    ],
    [2, 5],
    'int32',
  );

/**
 * Every layer of `@trellis/layers` in the coverage table, with the options that reach its distinct kernels
 * (`same` and `valid` padding, strides, dilation, bilinear up-sampling…). The kernel-coverage cases take one
 * gradient through each; a backend's own tests may train each for several steps.
 */
export function coverageLayers(layers: CoverageLayers): CoverageLayer[] {
  return [
    ['dense (relu)', {make: () => layers.dense({units: 4, activation: 'relu'}), inputShape: [5]}],
    ['conv1d (same)', {make: () => layers.conv1d({filters: 4, kernelSize: 3, padding: 'same'}), inputShape: [10, 3]}],
    [
      'conv2d (same, stride 2)',
      {make: () => layers.conv2d({filters: 4, kernelSize: 3, strides: 2, padding: 'same'}), inputShape: [8, 8, 3]},
    ],
    ['conv2d (valid, dilation 2)', {make: () => layers.conv2d({filters: 4, kernelSize: 3, dilationRate: 2}), inputShape: [8, 8, 3]}],
    [
      'conv2dTranspose (same, stride 2)',
      {make: () => layers.conv2dTranspose({filters: 4, kernelSize: 3, strides: 2, padding: 'same'}), inputShape: [4, 4, 3]},
    ],
    ['depthwiseConv2d (multiplier 2)', {make: () => layers.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2}), inputShape: [8, 8, 3]}],
    ['separableConv2d (same)', {make: () => layers.separableConv2d({filters: 4, kernelSize: 3, padding: 'same'}), inputShape: [8, 8, 3]}],
    ['maxPooling1d', {make: () => layers.maxPooling1d({poolSize: 2}), inputShape: [10, 3]}],
    ['averagePooling1d', {make: () => layers.averagePooling1d({poolSize: 2}), inputShape: [10, 3]}],
    ['maxPooling2d (same)', {make: () => layers.maxPooling2d({poolSize: 2, padding: 'same'}), inputShape: [7, 7, 3]}],
    ['averagePooling2d (same)', {make: () => layers.averagePooling2d({poolSize: 2, padding: 'same'}), inputShape: [7, 7, 3]}],
    ['globalAveragePooling1d', {make: () => layers.globalAveragePooling1d(), inputShape: [6, 3]}],
    ['globalMaxPooling1d', {make: () => layers.globalMaxPooling1d(), inputShape: [6, 3]}],
    ['globalAveragePooling2d', {make: () => layers.globalAveragePooling2d(), inputShape: [4, 4, 3]}],
    ['globalMaxPooling2d', {make: () => layers.globalMaxPooling2d(), inputShape: [4, 4, 3]}],
    ['flatten', {make: () => layers.flatten(), inputShape: [4, 4, 3]}],
    ['reshape', {make: () => layers.reshape({targetShape: [-1, 3]}), inputShape: [4, 6]}],
    ['permute', {make: () => layers.permute({dims: [2, 1]}), inputShape: [4, 6]}],
    ['zeroPadding2d', {make: () => layers.zeroPadding2d({padding: 1}), inputShape: [5, 5, 3]}],
    ['cropping2d', {make: () => layers.cropping2d({cropping: 1}), inputShape: [6, 6, 3]}],
    ['upSampling2d (nearest)', {make: () => layers.upSampling2d({size: 2}), inputShape: [3, 4, 2]}],
    ['upSampling2d (bilinear)', {make: () => layers.upSampling2d({size: 2, interpolation: 'bilinear'}), inputShape: [3, 4, 2]}],
    ['dropout', {make: () => layers.dropout({rate: 0.5}), inputShape: [6]}],
    ['spatialDropout1d', {make: () => layers.spatialDropout1d({rate: 0.5}), inputShape: [6, 3]}],
    ['spatialDropout2d', {make: () => layers.spatialDropout2d({rate: 0.5}), inputShape: [4, 4, 3]}],
    ['gaussianNoise', {make: () => layers.gaussianNoise({stddev: 0.1}), inputShape: [6]}],
    ['gaussianDropout', {make: () => layers.gaussianDropout({rate: 0.3}), inputShape: [6]}],
    ['alphaDropout', {make: () => layers.alphaDropout({rate: 0.3}), inputShape: [6]}],
    ['batchNormalization', {make: () => layers.batchNormalization(), inputShape: [4, 4, 3]}],
    ['layerNormalization', {make: () => layers.layerNormalization(), inputShape: [6]}],
    ['embedding', {make: () => layers.embedding({inputDim: 10, outputDim: 4}), inputShape: [5], ids: true}],
    ['rescaling', {make: () => layers.rescaling({scale: 1 / 255, offset: -0.5}), inputShape: [6]}],
    ['normalization', {make: () => layers.normalization({mean: 0.5, variance: 2}), inputShape: [6]}],
    ['activation (gelu)', {make: () => layers.activation({activation: 'gelu'}), inputShape: [6]}],
    ['layers.leakyRelu', {make: () => layers.leakyRelu(), inputShape: [6]}],
    ['prelu', {make: () => layers.prelu(), inputShape: [6]}],
    ['layers.elu', {make: () => layers.elu(), inputShape: [6]}],
    ['layers.relu (maxValue 6)', {make: () => layers.relu({maxValue: 6}), inputShape: [6]}],
    ['layers.softmax', {make: () => layers.softmax(), inputShape: [6]}],
    ['randomFlip', {make: () => layers.randomFlip(), inputShape: [6, 6, 3]}],
    ['randomRotation', {make: () => layers.randomRotation({factor: 0.1}), inputShape: [6, 6, 3]}],
    ['randomTranslation', {make: () => layers.randomTranslation({heightFactor: 0.1, widthFactor: 0.1}), inputShape: [6, 6, 3]}],
    ['randomZoom', {make: () => layers.randomZoom({heightFactor: 0.1}), inputShape: [6, 6, 3]}],
    ['randomCrop', {make: () => layers.randomCrop({height: 4, width: 4}), inputShape: [6, 6, 3]}],
    ['randomContrast', {make: () => layers.randomContrast({factor: 0.2}), inputShape: [6, 6, 3]}],
    ['randomBrightness', {make: () => layers.randomBrightness({factor: 0.2}), inputShape: [6, 6, 3]}],
  ];
}
