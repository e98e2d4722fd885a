/**
 * What a worker reports to the orchestrator: one JSON line on stdout,
 * prefixed so that anything else a library prints cannot be mistaken for it.
 * @module
 */
import type {BackendName, ContenderId, ModelSpec} from './configs';
import type {Window} from './measure';

export const RESULT_PREFIX = '@@trellis-bench-result ';

/** A measured configuration. */
export type WorkerResult = {
  readonly id: string;
  readonly model: ModelSpec['id'];
  readonly backend: BackendName;
  readonly contender: ContenderId;
  /** Which matmul kernels were registered on the backend while measuring. */
  readonly kernels: 'trellis' | 'stock';
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
  /** `tf.memory().numTensors` after the measurement minus before it: 0 when nothing leaks. */
  readonly tensorGrowth: number;
  /** MNIST images loaded for the measurement (the data's share of the RSS: 3,136 bytes each on the backend). */
  readonly images: number;
  /** The worker process' peak resident set size, MB. */
  readonly peakRssMB: number;
  /** Wall time of the whole worker, s (data loading, warm-up, measurement). */
  readonly seconds: number;
};

/** A configuration that failed (its worker threw or died). */
export type WorkerFailure = {
  readonly id: string;
  readonly error: string;
};
