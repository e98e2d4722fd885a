import type {PlotEvent} from '@trellis/plots';

/**
 * The messages between the page (`main.ts`) and the training worker
 * (`worker.ts`). Everything crosses `postMessage` as plain data: numbers,
 * strings, arrays and typed arrays, never tensors.
 */

/** The backends the page offers. */
export const BACKENDS = ['wasm', 'webgpu', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** The optimizers the page offers, with the learning rate each starts from. */
export const OPTIMIZERS = {
  adam: {label: 'Adam', learningRate: 1e-3},
  adamw: {label: 'AdamW (weight decay 0.004)', learningRate: 1e-3},
  rmsprop: {label: 'RMSprop', learningRate: 1e-3},
  sgd: {label: 'SGD (momentum 0.9)', learningRate: 0.05},
  adagrad: {label: 'Adagrad', learningRate: 0.05},
} as const;
export type OptimizerName = keyof typeof OPTIMIZERS;

/** Sizes of the MNIST subset the page ships (first N images of each IDX file). */
export const SHIPPED = {train: 10_000, test: 2_000} as const;

/** How many test images the prediction check shows (and compares after a reload). */
export const PROBE_IMAGES = 12;

/** What the user chose in the form. */
export type TrainConfig = {
  readonly backend: BackendName;
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  readonly epochs: number;
  readonly batchSize: number;
  /** Training images used (the last 10% of them validate). */
  readonly samples: number;
};

/** One misclassified test image. */
export type Mistake = {
  readonly index: number;
  readonly label: number;
  readonly predicted: number;
  readonly confidence: number;
  /** 784 grey levels 0..255, row by row. */
  readonly pixels: Uint8Array;
};

/** The model measured on the shipped test images. */
export type Evaluation = {
  readonly accuracy: number;
  readonly loss: number;
  readonly samples: number;
  /** `[true][predicted]` counts, 10 × 10. */
  readonly confusion: number[][];
  /** The first misclassified images, in test-set order. */
  readonly mistakes: Mistake[];
  /** Class probabilities of the first {@link PROBE_IMAGES} test images. */
  readonly probe: number[][];
  /** Their true labels. */
  readonly probeLabels: number[];
  /** Their pixels: 784 grey levels 0..255 each. */
  readonly probePixels: Uint8Array[];
  /** Tensors the worker holds (`tf.memory().numTensors`): the model's weights and optimizer state. */
  readonly tensors: number;
};

/** Page → worker. */
export type Request =
  | {readonly type: 'init'; readonly dataUrl: string}
  | {readonly type: 'train'; readonly config: TrainConfig}
  | {readonly type: 'pause'}
  | {readonly type: 'resume'}
  | {readonly type: 'stop'}
  | {readonly type: 'classify'; readonly id: number; readonly pixels: Float32Array}
  | {readonly type: 'save'; readonly url: string}
  | {readonly type: 'export'; readonly name: string}
  | {readonly type: 'load'; readonly url: string; readonly backend: BackendName}
  | {readonly type: 'import'; readonly files: File[]; readonly backend: BackendName};

/** Worker → page. */
export type Reply =
  | {readonly type: 'status'; readonly text: string}
  | {readonly type: 'data'; readonly train: number; readonly test: number}
  | {
      readonly type: 'fit-start';
      readonly backend: string;
      readonly epochs: number;
      readonly stepsPerEpoch: number;
      readonly trainSamples: number;
      readonly validationSamples: number;
      readonly model: string;
    }
  /** The fit's logs for the charts and the progress bar (`logFeed` of `@trellis/plots`). */
  | {readonly type: 'plot'; readonly event: PlotEvent}
  | {readonly type: 'fit-end'; readonly stopped: boolean; readonly seconds: number}
  | {readonly type: 'evaluation'; readonly source: string; readonly evaluation: Evaluation}
  | {readonly type: 'classified'; readonly id: number; readonly probabilities: number[]; readonly tensors: number}
  | {readonly type: 'saved'; readonly url: string}
  | {readonly type: 'exported'; readonly files: {readonly name: string; readonly bytes: ArrayBuffer; readonly mime: string}[]}
  | {readonly type: 'error'; readonly message: string};
