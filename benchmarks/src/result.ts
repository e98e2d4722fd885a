/**
 * What a worker reports to the orchestrator: one JSON line on stdout,
 * prefixed so that anything else a library prints cannot be mistaken for it.
 * @module
 */
import type {BackendName, ContenderId, ModelId} from './configs';
import type {Window} from './measure';

export const RESULT_PREFIX = '@@trellis-bench-result ';

/** A measured configuration. */
export type WorkerResult = {
  readonly id: string;
  readonly model: ModelId;
  readonly backend: BackendName;
  readonly contender: ContenderId;
  /**
   * Whose kernels ran: Trellis' (its backend plugin's, on top of the stock
   * ones), the stock tfjs ones, or XLA's (Keras on JAX).
   */
  readonly kernels: 'trellis' | 'stock' | 'xla';
  /**
   * What computed, when it is not plain from the backend: the WebGPU adapter
   * (e.g. `mesa software llvmpipe …`, a software rasteriser on the CPU), the
   * libtensorflow version, or the Keras, JAX and Python versions.
   */
  readonly device?: string;
  /** True when the "GPU" is a software implementation running on the CPU (Mesa's lavapipe). */
  readonly software?: boolean;
  /** Median over the windows of wall-clock ms per training step. */
  readonly msPerStep: number;
  /** `batchSize / msPerStep`, in samples per second. */
  readonly samplesPerSecond: number;
  readonly windows: readonly Window[];
  readonly batchSize: number;
  /** `fit` contenders: training samples per epoch (an epoch is one window or more). */
  readonly samplesPerEpoch: number | null;
  /** Loop contenders: steps between readbacks. */
  readonly chunkSteps: number | null;
  /** The warm-up's estimate, used to size epochs and chunks. */
  readonly warmupMsPerStep: number;
  /** `fit`: the last epoch's mean loss; loops: the last step's loss (a sanity check that training happened). */
  readonly finalLoss: number;
  /** `tf.memory().numTensors` after the measurement minus before it: 0 when nothing leaks (null for Keras). */
  readonly tensorGrowth: number | null;
  /** Training images loaded for the measurement (the data's share of the RSS: 3,136 bytes each as float32). */
  readonly images: number;
  /** The worker process' peak resident set size, MB. */
  readonly peakRssMB: number;
  /** Wall time of the whole worker, s (data loading, warm-up, measurement). */
  readonly seconds: number;
  /** The machine's 1-minute load average when the configuration started (set by the runner). */
  readonly loadAverage?: number;
};

/**
 * A configuration without a time. `failed`: its worker threw or died (a bug,
 * the run exits with 1); `cannot train`: the library lacks something the
 * model's training needs on that backend (e.g. a gradient kernel), an
 * expected outcome; `unavailable`: the backend or runtime is not installed on
 * this machine (the native addon, a WebGPU adapter, the Keras virtualenv).
 */
export type WorkerFailure = {
  readonly id: string;
  readonly status: 'failed' | 'cannot train' | 'unavailable';
  /** Why, and for `unavailable` how to install what is missing. */
  readonly error: string;
};

/** True for a measured configuration. */
export function isMeasured(r: WorkerResult | WorkerFailure): r is WorkerResult {
  return 'msPerStep' in r;
}
