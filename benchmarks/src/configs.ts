/**
 * What the benchmark measures: the models, the contenders and the list of
 * configurations (model × contender × backend), each run in its own process.
 * @module
 */

/** A dense classifier: 784 inputs, relu hidden layers, 10 classes. */
export type ModelSpec = {
  readonly id: 'A' | 'B';
  /** Shown in the table. */
  readonly label: string;
  /** Input features (MNIST pixels). */
  readonly inputs: number;
  /** Units of every dense layer, the last being the classes. Hidden layers use relu. */
  readonly units: readonly number[];
};

/** Model A is the main job; model B is small enough that per-kernel and per-step overheads dominate. */
export const MODELS: Readonly<Record<ModelSpec['id'], ModelSpec>> = {
  A: {id: 'A', label: 'MLP 784-512-128-10', inputs: 784, units: [512, 128, 10]},
  B: {id: 'B', label: 'tiny 784-32-10', inputs: 784, units: [32, 10]},
};

/** The ways of training the same model. */
export type ContenderId = 'trellis-fit' | 'tfjs-layers-fit' | 'loop-stock' | 'loop-trellis-kernels';

/** Table labels of the contenders. */
export const CONTENDERS: Readonly<Record<ContenderId, string>> = {
  'trellis-fit': 'Trellis fit',
  'tfjs-layers-fit': 'tfjs-layers fit',
  'loop-stock': 'hand-written loop, stock kernels',
  'loop-trellis-kernels': 'hand-written loop, Trellis kernels',
};

export type BackendName = 'wasm' | 'cpu';

/** One measured configuration; `id` is `<model>/<backend>/<contender>`. */
export type BenchConfig = {
  readonly id: string;
  readonly model: ModelSpec['id'];
  readonly backend: BackendName;
  readonly contender: ContenderId;
};

function config(model: ModelSpec['id'], backend: BackendName, contender: ContenderId): BenchConfig {
  return {id: `${model}/${backend}/${contender}`, model, backend, contender};
}

const wasmContenders: readonly ContenderId[] = ['trellis-fit', 'tfjs-layers-fit', 'loop-stock', 'loop-trellis-kernels'];
// The cpu backend is ≈ 40× slower than wasm on these shapes: only the small model, and no Trellis
// kernels to swap in (Trellis' cpu plugin registers none).
const cpuContenders: readonly ContenderId[] = ['trellis-fit', 'tfjs-layers-fit', 'loop-stock'];

/** Every configuration, in run order. */
export const CONFIGS: readonly BenchConfig[] = [
  ...wasmContenders.map((c) => config('A', 'wasm', c)),
  ...wasmContenders.map((c) => config('B', 'wasm', c)),
  ...cpuContenders.map((c) => config('B', 'cpu', c)),
];

/** How long and how often to measure. Passed to each worker as JSON. */
export type Timing = {
  /** Measurement windows; the result is their median. */
  readonly windows: number;
  /** Minimum length of a window in ms (a window ends at the first epoch/chunk boundary past it). */
  readonly windowMs: number;
  /** Untimed steps before measuring (kernel setup, XNNPACK packing, optimizer slots). */
  readonly warmupSteps: number;
  /** Samples per step. */
  readonly batchSize: number;
  /** Adam learning rate. */
  readonly learningRate: number;
};

export const FULL_TIMING: Timing = {windows: 3, windowMs: 2000, warmupSteps: 16, batchSize: 128, learningRate: 1e-3};
export const QUICK_TIMING: Timing = {windows: 1, windowMs: 1000, warmupSteps: 6, batchSize: 128, learningRate: 1e-3};
