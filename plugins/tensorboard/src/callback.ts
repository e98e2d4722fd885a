/**
 * `tensorBoard()`: Keras' TensorBoard callback for the Trellis fit loop.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, checkBoolean, checkOptions, describeValue, type Callback, type FitContext, type StepInspection} from '@trellis/core';
import {
  checkConfusionMatrix,
  confusionCounts,
  confusionMatrixImage,
  confusionMatrixMarkdown,
  type ConfusionMatrixOptions,
} from './confusion';
import type {GraphModel} from './graph';
import {checkLogDirOrSink} from './log-dir-or-sink';
import {SummaryWriter, type EventSink} from './writer';

/** Options of {@link tensorBoard}: exactly one of `logDir` and `sink`. */
export interface TensorBoardOptions {
  /** Node: the log directory; runs go to `logDir/train` and `logDir/validation`. */
  readonly logDir?: string;
  /** Anywhere (browsers): receives the event files' bytes, with `file.run` `'train'` or `'validation'`. */
  readonly sink?: EventSink;
  /**
   * `'epoch'` (default): epoch scalars only. `'batch'` or N: also
   * `batch_<metric>` scalars (the epoch's running values, as Keras 3 logs
   * them) every N optimizer steps, at step = steps done in this fit (one
   * readback each time).
   */
  readonly updateFreq?: 'epoch' | 'batch' | number;
  /** Weight histograms every N epochs (`<weight>/histogram`); 0 (default) for none. */
  readonly histogramFreq?: number;
  /**
   * With `histogramFreq`, also a histogram of each trainable weight's
   * gradient on the epoch's last step (`<weight>/gradient`), through
   * `onStepInspect`; default true.
   */
  readonly writeGradients?: boolean;
  /**
   * At fit start, in `train`: the model's layer graph for the Graphs
   * dashboard (a `GraphDef`, see `modelGraphDef`) and its summary table as
   * text (`model_summary`, step 0); default true.
   */
  readonly writeGraph?: boolean;
  /**
   * A confusion matrix of the model's predictions on `x` against `y` at
   * validation epochs, in the `validation` run: a heat map image tagged
   * `confusion_matrix` (white → blue, normalized per true class) and the
   * counts as a Markdown table tagged `confusion_matrix/counts`. See
   * {@link ConfusionMatrixOptions}.
   */
  readonly confusionMatrix?: ConfusionMatrixOptions;
  /** `epoch_steps_per_second` in the train run (Keras' `write_steps_per_second`); default false. */
  readonly writeStepsPerSecond?: boolean;
  /** Seconds between automatic flushes of the writers; default 5. */
  readonly flushSeconds?: number;
}

/** The JSON config of `trellis/tensorBoard`: a directory only (a sink is a function). */
export interface TensorBoardConfig {
  readonly logDir: string;
  readonly updateFreq: 'epoch' | number;
  readonly histogramFreq: number;
  readonly writeGradients: boolean;
  readonly writeGraph: boolean;
  readonly writeStepsPerSecond: boolean;
  readonly flushSeconds: number;
}

/** What {@link tensorBoard} returns: a fit callback, with a spec when it writes to a directory. */
export type TensorBoardCallback = Callback & {readonly spec?: {readonly id: 'trellis/tensorBoard'; readonly config: TensorBoardConfig}};

const WHO = 'tensorBoard';
const KEYS = [
  'logDir',
  'sink',
  'updateFreq',
  'histogramFreq',
  'writeGradients',
  'writeGraph',
  'writeStepsPerSecond',
  'flushSeconds',
  'confusionMatrix',
];

function nonNegativeInteger(key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ConfigError(`${WHO}: ${key} must be an integer >= 0; got ${describeValue(value)}.`);
  }
  return value;
}

/**
 * Keras' `TensorBoard` callback: writes TensorBoard event files while a
 * model trains, in Keras 3's layout, so TensorBoard's dashboards show a
 * Trellis run as they show a Keras one.
 *
 * - Runs `logDir/train` and `logDir/validation` (new event files each fit).
 * - Each epoch, at step = epoch (from 0): `epoch_<key>` for every log key
 *   (`epoch_loss`, `epoch_accuracy`, …) and `epoch_learning_rate` (the
 *   optimizer's rate for the next step, `context.learningRate`) in `train`;
 *   the `val_` keys, prefix stripped, as `epoch_<key>` in `validation`, with
 *   `evaluation_<key>_vs_iterations` at step = optimizer steps, as Keras 3's
 *   `on_test_end` writes them.
 * - `updateFreq` `'batch'` or N: `batch_<key>` in `train` every N steps.
 * - `histogramFreq` N: every N epochs, a histogram of every weight
 *   (`dense/kernel/histogram`; Keras 3 writes `kernel/histogram`, which
 *   collides between layers, so the layer is kept in the tag) and, beyond
 *   Keras, unless `writeGradients: false`, of every trainable weight's gradient on
 *   the epoch's last step (`dense/kernel/gradient`), taken through
 *   `onStepInspect`: only the
 *   epoch's last step is inspected, its gradients are copied and read back
 *   at epoch end, then disposed.
 * - `writeGraph`: the model's layer graph (a TensorFlow `GraphDef`: one
 *   node per layer, `op` its class, `input` its inbound layers) for the
 *   Graphs dashboard, and the model summary table as Markdown text, at fit
 *   start in `train`.
 * - `confusionMatrix: {x, y, labels?}`: at each validation epoch (epochs
 *   with `val_` logs; every epoch when the fit has no validation data),
 *   predicts on `x` and writes the confusion matrix against `y` as a heat
 *   map image `confusion_matrix` (and a table `confusion_matrix/counts`)
 *   in `validation`. Counted with tfjs ops (`tf.math.confusionMatrix`).
 *
 * The readback is the one `context.readLogs()` each epoch (and every
 * `updateFreq` steps) plus the weights and gradients on histogram epochs.
 * The writers are closed in `onFitEnd` and `onError`. No tensor outlives a
 * hook, except the gradient copies between the last step and the epoch end.
 *
 * @example
 * await model.fit(x, y, {epochs: 10, validationSplit: 0.1,
 *   callbacks: [tensorBoard({logDir: 'runs/mnist', histogramFreq: 1})]});
 * // then: tensorboard --logdir runs
 *
 * @throws ConfigError for an unknown option, neither or both of `logDir`
 *   and `sink`, or a bad value (ShapeError for `confusionMatrix` data of
 *   the wrong shape); the fit fails at its start (a `ConfigError`)
 *   when `logDir` cannot be created.
 */
export function tensorBoard(options: TensorBoardOptions): TensorBoardCallback {
  checkOptions(WHO, options, KEYS);
  const {logDir, sink} = options ?? {};
  checkLogDirOrSink(WHO, logDir, sink, "tensorBoard({logDir: 'runs/exp1'})");
  const rawFreq = options.updateFreq ?? 'epoch';
  let updateFreq: number | 'epoch';
  if (rawFreq === 'epoch') updateFreq = 'epoch';
  else if (rawFreq === 'batch') updateFreq = 1;
  else if (typeof rawFreq === 'number' && Number.isInteger(rawFreq) && rawFreq >= 1) updateFreq = rawFreq;
  else
    throw new ConfigError(
      `${WHO}: updateFreq must be 'epoch', 'batch' or an integer >= 1 (steps between batch logs); got ${describeValue(rawFreq)}.`,
    );
  const histogramFreq = nonNegativeInteger('histogramFreq', options.histogramFreq ?? 0);
  const writeGradients = checkBoolean(WHO, 'writeGradients', options.writeGradients ?? true) && histogramFreq > 0;
  const writeGraph = checkBoolean(WHO, 'writeGraph', options.writeGraph ?? true);
  const writeStepsPerSecond = checkBoolean(WHO, 'writeStepsPerSecond', options.writeStepsPerSecond ?? false);
  const flushSeconds = options.flushSeconds ?? 5;
  if (typeof flushSeconds !== 'number' || !(flushSeconds > 0)) {
    throw new ConfigError(`${WHO}: flushSeconds must be a number > 0; got ${describeValue(flushSeconds)}.`);
  }
  const confusion = options.confusionMatrix === undefined ? null : checkConfusionMatrix(options.confusionMatrix);

  let train: SummaryWriter | null = null;
  let validation: SummaryWriter | null = null;
  let epochStarted = 0;
  let confusionSeen = 0;
  let inspectNext = false;
  let gradients: Record<string, tf.Tensor> | null = null;

  const writer = (run: 'train' | 'validation') =>
    new SummaryWriter(
      sink ? {sink, runName: run, flushSeconds} : {logDir: `${logDir!.replace(/[\\/]+$/, '')}/${run}`, runName: run, flushSeconds},
    );
  const histogramEpoch = (epoch: number) => histogramFreq > 0 && epoch % histogramFreq === 0;
  const dropGradients = () => {
    if (gradients) tf.dispose(Object.values(gradients));
    gradients = null;
  };
  const closeAll = async (status: 'success' | 'failed') => {
    const writers = [train, validation].filter((w): w is SummaryWriter => w !== null);
    train = null;
    validation = null;
    dropGradients();
    await Promise.all(writers.map((w) => w.close(status)));
  };

  const callback: TensorBoardCallback & Record<string, unknown> = {
    name: WHO,
    // A sink and confusion-matrix data (tensors) are not JSON: no spec then.
    ...(logDir === undefined || confusion !== null
      ? {}
      : {
          spec: {
            id: 'trellis/tensorBoard' as const,
            config: {
              logDir,
              updateFreq,
              histogramFreq,
              writeGradients: options.writeGradients ?? true,
              writeGraph,
              writeStepsPerSecond,
              flushSeconds,
            },
          },
        }),

    async onFitStart(context: FitContext) {
      await closeAll('success');
      confusionSeen = 0;
      train = writer('train');
      await train.open();
      if (writeGraph) {
        try {
          train.graph(context.model as unknown as GraphModel);
        } catch {
          // not a model the graph can be read from (a custom TrainingModel): no graph
        }
        const model = context.model as unknown as {summary?: (o: {print: false}) => {lines?: readonly string[]}};
        if (typeof model.summary === 'function') {
          let lines: readonly string[] | undefined;
          try {
            lines = model.summary({print: false}).lines;
          } catch {
            lines = undefined; // an unbuilt or custom model: no summary to show
          }
          if (lines) train.text('model_summary', lines.map((l) => `    ${l}`).join('\n'), 0);
        }
      }
    },

    onEpochStart() {
      epochStarted = performance.now();
    },

    async onEpochEnd(context: FitContext) {
      if (!train) return;
      const logs = await context.readLogs();
      const trainLogs: Record<string, number> = {};
      const valLogs: Record<string, number> = {};
      for (const [k, v] of Object.entries(logs)) {
        if (k.startsWith('val_')) valLogs[k.slice(4)] = v;
        else trainLogs[k] = v;
      }
      if (!('learning_rate' in trainLogs) && typeof context.learningRate === 'number') trainLogs.learning_rate = context.learningRate;
      if (writeStepsPerSecond) {
        const seconds = (performance.now() - epochStarted) / 1000;
        trainLogs.steps_per_second = seconds > 0 ? (context.batch + 1) / seconds : 0;
      }
      const epoch = context.epoch;
      train.scalars(Object.fromEntries(Object.entries(trainLogs).map(([k, v]) => [`epoch_${k}`, v])), epoch);
      if (Object.keys(valLogs).length > 0) {
        validation ??= writer('validation');
        validation.scalars(Object.fromEntries(Object.entries(valLogs).map(([k, v]) => [`epoch_${k}`, v])), epoch);
        validation.scalars(
          Object.fromEntries(Object.entries(valLogs).map(([k, v]) => [`evaluation_${k}_vs_iterations`, v])),
          context.model.optimizer.step,
        );
      }
      const validated = Object.keys(valLogs).length > 0 || !(context.params.validationSamples > 0);
      if (confusion && validated) {
        // Validation epochs are counted to honour `every` (epoch % every when every epoch validates).
        if (confusionSeen++ % confusion.every === 0) {
          const counts = await confusionCounts(context.model, confusion);
          const image = confusionMatrixImage(counts, {cellSize: confusion.cellSize});
          validation ??= writer('validation');
          try {
            validation.image('confusion_matrix', image, epoch);
          } finally {
            image.dispose();
          }
          validation.text('confusion_matrix/counts', confusionMatrixMarkdown(counts, confusion.labels), epoch);
        }
      }
      if (histogramEpoch(epoch)) {
        const weights = context.model.getWeights();
        try {
          for (const [name, t] of Object.entries(weights)) train.histogram(`${name}/histogram`, (await t.data()) as Float32Array, epoch);
        } finally {
          tf.dispose(Object.values(weights));
        }
        const grads = gradients as Record<string, tf.Tensor> | null;
        gradients = null;
        if (grads) {
          try {
            for (const [name, g] of Object.entries(grads)) train.histogram(`${name}/gradient`, (await g.data()) as Float32Array, epoch);
          } finally {
            tf.dispose(Object.values(grads));
          }
        }
      }
    },

    async onFitEnd() {
      await closeAll('success');
    },

    async onError() {
      await closeAll('failed').catch(() => undefined);
    },
  };

  if (updateFreq !== 'epoch') {
    const every = updateFreq;
    callback.onBatchEnd = async (context: FitContext) => {
      if (!train || context.step % every !== 0) return;
      const logs = await context.readLogs();
      const batch: Record<string, number> = {};
      // Keras 3 logs the epoch's running values; the per-batch `batch_*` keys of the Trellis logs are left out.
      for (const [k, v] of Object.entries(logs)) if (!k.startsWith('batch_') && !k.startsWith('val_')) batch[`batch_${k}`] = v;
      train.scalars(batch, context.step);
    };
  }

  if (writeGradients) {
    // Inspect only the epoch's last step of a histogram epoch: the loop asks
    // `inspectEvery` before each step, after onBatchStart. With an unknown
    // epoch length every step of such an epoch is inspected and the last
    // copy kept.
    callback.onBatchStart = (context: FitContext) => {
      const steps = context.params.stepsPerEpoch;
      const last = Number.isFinite(steps) && steps > 0 ? context.batch === steps - 1 : true;
      inspectNext = histogramEpoch(context.epoch) && last;
    };
    Object.defineProperty(callback, 'inspectEvery', {get: () => (inspectNext ? 1 : Number.MAX_SAFE_INTEGER), enumerable: true});
    callback.onStepInspect = (_context: FitContext, inspection: StepInspection) => {
      if (!inspectNext) return;
      dropGradients();
      gradients = tf.tidy(() => Object.fromEntries(Object.entries(inspection.gradients).map(([k, g]) => [k, tf.keep(tf.clone(g))])));
    };
  }

  return callback;
}
