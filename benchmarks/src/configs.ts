/**
 * What the benchmark measures: the models, the contenders and the list of
 * configurations (model × backend × contender), each run in its own process.
 * @module
 */

/** Short ids of the models; configuration ids start with them (`A/wasm/trellis-fit`). */
export type ModelId = 'A' | 'B' | 'C' | 'D';

/** What `--models` accepts (besides the ids). */
export type ModelName = 'mlp' | 'tiny' | 'cnn' | 'fashion-cnn';

type ModelCommon = {
  readonly id: ModelId;
  readonly name: ModelName;
  /** Shown in the table. */
  readonly label: string;
  /** Samples per training step. */
  readonly batchSize: number;
  /**
   * Weights of the model (trainable and not), the same in every library: a
   * check that the contenders build the same network.
   */
  readonly parameters: number;
};

/** A dense classifier on flattened MNIST: 784 inputs, relu hidden layers, 10 classes. */
export type DenseSpec = ModelCommon & {
  readonly kind: 'dense';
  readonly dataset: 'mnist';
  /** Input features (MNIST pixels). */
  readonly inputs: number;
  /** Units of every dense layer, the last being the classes. Hidden layers use relu. */
  readonly units: readonly number[];
};

/**
 * A convolutional network on `[28, 28, 1]` images. `cnn`: conv 32 (3×3, relu,
 * valid) → max-pool 2 → conv 64 (3×3, relu, valid) → max-pool 2 → flatten →
 * dense 128 relu → dense 10 softmax. `fashion-cnn`: the network of
 * `examples/fashion-cnn` (random flip and translation, two conv-batch
 * norm-relu-pool blocks with `same` padding and no conv bias, dropout 0.3,
 * dense 128, dense 10).
 */
export type ConvSpec = ModelCommon & {
  readonly kind: 'cnn' | 'fashion-cnn';
  readonly dataset: 'mnist' | 'fashion-mnist';
};

export type ModelSpec = DenseSpec | ConvSpec;

/**
 * Model A is the main job; model B is small enough that per-kernel and
 * per-step overheads dominate; C is the classic small MNIST convnet; D the
 * Fashion-MNIST example's network, with augmentation and batch norm.
 */
export const MODELS: Readonly<Record<ModelId, ModelSpec>> = {
  A: {
    id: 'A',
    name: 'mlp',
    kind: 'dense',
    dataset: 'mnist',
    label: 'MLP 784-512-128-10',
    batchSize: 128,
    parameters: 468_874,
    inputs: 784,
    units: [512, 128, 10],
  },
  B: {
    id: 'B',
    name: 'tiny',
    kind: 'dense',
    dataset: 'mnist',
    label: 'tiny 784-32-10',
    batchSize: 128,
    parameters: 25_450,
    inputs: 784,
    units: [32, 10],
  },
  C: {id: 'C', name: 'cnn', kind: 'cnn', dataset: 'mnist', label: 'CNN c32-p-c64-p-d128-10', batchSize: 64, parameters: 225_034},
  D: {
    id: 'D',
    name: 'fashion-cnn',
    kind: 'fashion-cnn',
    dataset: 'fashion-mnist',
    label: 'Fashion CNN',
    batchSize: 64,
    parameters: 421_930,
  },
};

/** The ways of training a model. */
export type ContenderId = 'trellis-fit' | 'tfjs-layers-fit' | 'loop-stock' | 'loop-trellis-kernels' | 'keras-fit';

/** Table labels of the contenders. */
export const CONTENDERS: Readonly<Record<ContenderId, string>> = {
  'trellis-fit': 'Trellis fit',
  'tfjs-layers-fit': 'tfjs-layers fit',
  'loop-stock': 'hand-written loop, stock kernels',
  'loop-trellis-kernels': 'hand-written loop, Trellis kernels',
  'keras-fit': 'Keras 3 fit',
};

/**
 * Where a contender computes: the tfjs backends `wasm`, `cpu`, `tensorflow`
 * (native libtensorflow through `@trellis/backend-node`) and `webgpu`
 * (`@trellis/backend-webgpu`), or `jax` (Keras 3 on JAX, CPU).
 */
export type BackendName = 'wasm' | 'cpu' | 'tensorflow' | 'webgpu' | 'jax';

/** One measured configuration; `id` is `<model>/<backend>/<contender>`. */
export type BenchConfig = {
  readonly id: string;
  readonly model: ModelId;
  readonly backend: BackendName;
  readonly contender: ContenderId;
  /** The `--contenders` name that selects it, e.g. `trellis-native`. */
  readonly selector: SelectorName;
};

/** The `--contenders` names: a library (or loop) on a backend. */
export const SELECTORS = {
  keras: {backend: 'jax', contender: 'keras-fit'},
  'trellis-wasm': {backend: 'wasm', contender: 'trellis-fit'},
  'trellis-native': {backend: 'tensorflow', contender: 'trellis-fit'},
  'trellis-webgpu': {backend: 'webgpu', contender: 'trellis-fit'},
  'tfjs-layers-wasm': {backend: 'wasm', contender: 'tfjs-layers-fit'},
  'loop-stock-wasm': {backend: 'wasm', contender: 'loop-stock'},
  'loop-trellis-wasm': {backend: 'wasm', contender: 'loop-trellis-kernels'},
  'trellis-cpu': {backend: 'cpu', contender: 'trellis-fit'},
  'tfjs-layers-cpu': {backend: 'cpu', contender: 'tfjs-layers-fit'},
  'loop-stock-cpu': {backend: 'cpu', contender: 'loop-stock'},
} as const satisfies Record<string, {backend: BackendName; contender: ContenderId}>;

export type SelectorName = keyof typeof SELECTORS;

/**
 * Which models each contender runs. The loops are written for dense models
 * only; the cpu backend is ≈ 40× slower than wasm on these shapes (and would
 * take minutes a step on the convnets), so only the small model runs there.
 */
const MODELS_OF: Readonly<Record<SelectorName, readonly ModelId[]>> = {
  keras: ['A', 'B', 'C', 'D'],
  'trellis-wasm': ['A', 'B', 'C', 'D'],
  'trellis-native': ['A', 'B', 'C', 'D'],
  'trellis-webgpu': ['A', 'B', 'C', 'D'],
  'tfjs-layers-wasm': ['A', 'B', 'C', 'D'],
  'loop-stock-wasm': ['A', 'B'],
  'loop-trellis-wasm': ['A', 'B'],
  'trellis-cpu': ['B'],
  'tfjs-layers-cpu': ['B'],
  'loop-stock-cpu': ['B'],
};

function config(model: ModelId, selector: SelectorName): BenchConfig {
  const {backend, contender} = SELECTORS[selector];
  return {id: `${model}/${backend}/${contender}`, model, backend, contender, selector};
}

/** Every configuration, in run order: model by model, the contenders in {@link SELECTORS} order. */
export const CONFIGS: readonly BenchConfig[] = (Object.keys(MODELS) as ModelId[]).flatMap((model) =>
  (Object.keys(SELECTORS) as SelectorName[]).filter((s) => MODELS_OF[s].includes(model)).map((s) => config(model, s)),
);

/** How long and how often to measure. Passed to each worker as JSON. */
export type Timing = {
  /** Measurement windows; the result is their median. */
  readonly windows: number;
  /** Minimum length of a window in ms (a window ends at the first epoch/chunk boundary past it). */
  readonly windowMs: number;
  /** Untimed steps before measuring (kernel setup, XNNPACK packing, optimizer slots). */
  readonly warmupSteps: number;
  /** Adam learning rate. */
  readonly learningRate: number;
};

export const FULL_TIMING: Timing = {windows: 3, windowMs: 2000, warmupSteps: 16, learningRate: 1e-3};
export const QUICK_TIMING: Timing = {windows: 1, windowMs: 1000, warmupSteps: 6, learningRate: 1e-3};

/**
 * The timing of one configuration: WebGPU on a software adapter (Mesa's
 * lavapipe) takes up to 2 s a step on the convnets, so it warms up on fewer
 * steps.
 */
export function timingFor(config: BenchConfig, timing: Timing): Timing {
  return config.backend === 'webgpu' ? {...timing, warmupSteps: Math.min(timing.warmupSteps, 4)} : timing;
}
