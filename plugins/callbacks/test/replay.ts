// A fit without a model: drives callbacks through the hooks of the fit loop with recorded logs, as
// Keras' callbacks are driven from Python in the interop suite. The "weights" are one scalar holding
// the epoch whose end they were taken at, so a restore says which epoch came back.
import * as tf from '@tensorflow/tfjs-core';
import type {Callback, FitContext, FitParams, TrainingModel} from '@trellis/core';

/** What a replay saw. */
export type Replay = {
  /** The epochs that ran. */
  readonly epochs: number[];
  /** The epoch (from 0) after which a callback stopped the fit, or null. */
  readonly stoppedAt: number | null;
  readonly stopReason: string | null;
  /** The learning rate in force during each epoch that ran. */
  readonly rates: number[];
  /** Each epoch's logs after every onEpochEnd (with what callbacks added). */
  readonly logs: Record<string, number>[];
  /** The epoch whose weights were set back by the last setWeights, or null. */
  readonly restoredEpoch: number | null;
  /** How many times setWeights was called. */
  readonly restores: number;
};

export type ReplayOptions = {
  /** Epochs to run (default: all of `logs`). */
  readonly epochs?: number;
  readonly initialEpoch?: number;
  /** The optimizer's rate at the start (default 0.01). */
  readonly learningRate?: number;
  /** Batches per epoch; each batch's `batch_loss` comes from `batchLosses` when given. */
  readonly stepsPerEpoch?: number;
  readonly batchLosses?: readonly (readonly number[])[];
  /** Carried over from an earlier replay (a resumed run). */
  readonly model?: FakeModel;
};

/** The model of a replay: a learning rate, and weights that name an epoch. */
export class FakeModel implements TrainingModel {
  readonly name = 'fake';
  readonly trainableWeights = [];
  readonly history = null;
  step = 0;
  rate: number;
  /** The epoch the current weights belong to (-1: the initial weights). */
  weightsEpoch = -1;
  restoredEpoch: number | null = null;
  restores = 0;
  readonly optimizer;

  constructor(rate: number) {
    this.rate = rate;
    const model = this;
    this.optimizer = {
      get step() {
        return model.step;
      },
      get learningRate() {
        return model.rate;
      },
      setLearningRate(rate: number) {
        if (!Number.isFinite(rate) || rate < 0) throw new Error(`bad rate ${rate}`);
        model.rate = rate;
      },
      // The replayed callbacks never back up; an optimizer state is the host's business.
      getState(): never {
        throw new Error('the replay has no optimizer state');
      },
      setState(): never {
        throw new Error('the replay has no optimizer state');
      },
    };
  }

  getWeights(): Record<string, tf.Tensor> {
    return {w: tf.scalar(this.weightsEpoch)};
  }

  setWeights(values: Record<string, tf.Tensor>): void {
    const epoch = values.w!.dataSync()[0]!;
    this.weightsEpoch = epoch;
    this.restoredEpoch = epoch;
    this.restores++;
  }
}

/** Runs `callbacks` over the epochs of `logs` (one record per epoch, indexed from epoch 0). */
export async function replay(
  callbacks: readonly Callback[],
  logs: readonly Record<string, number>[],
  options: ReplayOptions = {},
): Promise<Replay & {model: FakeModel}> {
  const initialEpoch = options.initialEpoch ?? 0;
  const epochs = options.epochs ?? logs.length;
  const model = options.model ?? new FakeModel(options.learningRate ?? 0.01);
  const stepsPerEpoch = options.stepsPerEpoch ?? 1;
  const params: FitParams = {epochs, initialEpoch, batchSize: 8, samples: 8 * stepsPerEpoch, stepsPerEpoch, validationSamples: 0};
  let epoch = initialEpoch;
  let batch = 0;
  let phase: 'epochEnd' | 'batchEnd' | 'other' = 'other';
  let current: Record<string, number> = {};
  let stop: {reason: string} | null = null;
  const context: FitContext = {
    get epoch() {
      return epoch;
    },
    get batch() {
      return batch;
    },
    get step() {
      return model.step;
    },
    params,
    model,
    get stopRequested() {
      return stop;
    },
    get learningRate() {
      return model.rate;
    },
    async readLogs(keys) {
      const source =
        phase === 'batchEnd' ? {batch_loss: options.batchLosses?.[epoch]?.[batch] ?? 0.5} : phase === 'epochEnd' ? current : {};
      if (!keys) return {...source};
      return Object.fromEntries(keys.filter((k) => k in source).map((k) => [k, source[k]!]));
    },
    setLog(key, value) {
      if (phase !== 'epochEnd') throw new Error('setLog outside onEpochEnd');
      current[key] = value;
    },
    stop(reason = 'stop() was called') {
      stop ??= {reason};
    },
    // Resuming is the loop's business; the replay checks callbacks' own saveState/loadState instead.
    trainingState(): never {
      throw new Error('trainingState is not replayed');
    },
    resume(): never {
      throw new Error('resume is not replayed');
    },
  };
  const call = async (hook: 'onFitStart' | 'onEpochStart' | 'onBatchStart' | 'onBatchEnd' | 'onEpochEnd' | 'onFitEnd') => {
    for (const c of callbacks) await c[hook]?.(context);
  };
  const ran: number[] = [];
  const rates: number[] = [];
  const seen: Record<string, number>[] = [];
  await call('onFitStart');
  for (; epoch < epochs && !stop; epoch++) {
    await call('onEpochStart');
    rates.push(model.rate);
    for (batch = 0; batch < stepsPerEpoch; batch++) {
      await call('onBatchStart');
      model.step++;
      phase = 'batchEnd';
      await call('onBatchEnd');
      phase = 'other';
      if (stop) break;
    }
    if (batch === stepsPerEpoch) batch--;
    model.weightsEpoch = epoch;
    current = {...logs[epoch]!};
    phase = 'epochEnd';
    await call('onEpochEnd');
    phase = 'other';
    seen.push(current);
    ran.push(epoch);
  }
  const stoppedAt = stop ? ran[ran.length - 1]! : null;
  await call('onFitEnd');
  return {
    epochs: ran,
    stoppedAt,
    stopReason: stop ? (stop as {reason: string}).reason : null,
    rates,
    logs: seen,
    restoredEpoch: model.restoredEpoch,
    restores: model.restores,
    model,
  };
}

/** `values` as epoch logs under `key`. */
export function series(key: string, values: readonly number[]): Record<string, number>[] {
  return values.map((v) => ({loss: v, [key]: v}));
}
