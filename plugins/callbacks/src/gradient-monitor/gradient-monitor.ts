/**
 * `gradientMonitor()`: watches gradients, weights and ReLUs during `fit` and
 * says, in plain words, when they go wrong.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {checkNumber, checkOptions, ConfigError, describeValue, optionKeys, type Callback, type Json} from '@trellis/core';
import {DEFAULT_LIMITS, diagnose, type DiagnosisLimits, type Trouble} from './diagnosis';
import {layerStatistics, statisticsFromValues, type LayerStatistics} from './layer-statistics';

/** Options of {@link gradientMonitor}. */
export type GradientMonitorOptions = {
  /** Inspect every `every`-th optimizer step, from the first (default 100). */
  readonly every?: number;
  /** Where warnings go (default `console.warn`). Each kind of trouble is reported once per fit. */
  readonly print?: (message: string) => void;
  /** Put the last inspected step's statistics in each epoch's logs (default true). */
  readonly log?: boolean;
  /** The limits of the warnings (see {@link DiagnosisLimits}); missing fields keep their defaults. */
  readonly limits?: Partial<DiagnosisLimits>;
};

/** One inspected step. */
export type GradientRecord = {
  /** The optimizer step within the fit, from 0. */
  readonly step: number;
  readonly epoch: number;
  /** One entry per layer with trainable weights, first layer first. */
  readonly layers: readonly LayerStatistics[];
};

/** The JSON config in a {@link gradientMonitor} spec (`print` is a function, so not in it). */
export type GradientMonitorConfig = {readonly every: number; readonly log: boolean; readonly limits: DiagnosisLimits};

/** The callback {@link gradientMonitor} returns, with what it saw. */
export type GradientMonitor = Callback & {
  readonly spec: {readonly id: 'trellis/gradientMonitor'; readonly config: GradientMonitorConfig};
  /** Every inspected step of the current (or last) fit, oldest first. */
  readonly records: readonly GradientRecord[];
  /** The warnings printed in the current (or last) fit. */
  readonly warnings: readonly string[];
};

const KEYS = optionKeys<GradientMonitorOptions>({every: true, print: true, log: true, limits: true});
const LIMIT_KEYS = optionKeys<DiagnosisLimits>({vanishingRatio: true, explodingNorm: true, deadRelu: true, updateRatio: true});

/**
 * A callback that, every `every` optimizer steps, takes from the step itself
 * (its gradients, the weights before and after the update, the layers'
 * outputs on the batch; no second backward pass) for each layer with weights:
 * the gradient norm, the weight norm, the update/weight ratio
 * `‖Δw‖ / ‖w‖`, the NaN/Inf count of the gradients and, for ReLU layers,
 * the fraction of units that output 0 on the whole batch ("dead").
 *
 * It warns once per fit and per kind, naming the layer and the usual cures,
 * when it sees vanishing gradients (the first layer's gradient below 1e-3 of
 * the last's, per weight), exploding ones (a norm above 1e3, or NaN/Inf), dead ReLUs (more
 * than half of a layer's units), or an update ratio far from the healthy
 * 1e-3 (below 1e-5 or above 1e-1). With `log`, each epoch's logs get the
 * last inspected step's values: `grad_norm/<layer>`, `grad_rms/<layer>`, `weight_norm/<layer>`,
 * `update_ratio/<layer>`, `dead_relu/<layer>`.
 *
 * Cost: nothing on the steps it skips; on an inspected step a few reductions
 * per layer and one readback (after the step, in `onBatchEnd`). Tensors: it
 * keeps one small vector between the step and the readback, and disposes it.
 *
 * @example
 * await model.fit(x, y, {epochs: 5, callbacks: [gradientMonitor({every: 50})]});
 * @throws ConfigError for unknown options, `every` not an integer >= 1, or bad limits.
 */
export function gradientMonitor(options: GradientMonitorOptions = {}): GradientMonitor {
  checkOptions('gradientMonitor', options, KEYS);
  const every = checkNumber('gradientMonitor', 'every', options.every ?? 100, {min: 1, integer: true});
  if (options.print !== undefined && typeof options.print !== 'function') {
    throw new ConfigError(`gradientMonitor: print must be a function (message: string) => void; got ${describeValue(options.print)}.`);
  }
  const print = options.print ?? ((message: string) => console.warn(message));
  const log = options.log ?? true;
  if (typeof log !== 'boolean') throw new ConfigError(`gradientMonitor: log must be true or false; got ${describeValue(log)}.`);
  const limits = checkLimits(options.limits ?? {});

  const records: GradientRecord[] = [];
  const warnings: string[] = [];
  const reported = new Set<Trouble>();
  let pending: {step: number; epoch: number; order: string[]; sizes: number[]; reluLayers: string[]; values: tf.Tensor1D}[] = [];

  const drop = () => {
    tf.dispose(pending.map((p) => p.values));
    pending = [];
  };
  const readPending = async () => {
    const taken = pending;
    pending = [];
    for (const p of taken) {
      let values: ArrayLike<number>;
      try {
        values = await p.values.data();
      } finally {
        p.values.dispose();
      }
      const layers = statisticsFromValues(p.order, p.sizes, p.reluLayers, values);
      records.push({step: p.step, epoch: p.epoch, layers});
      for (const {trouble, message} of diagnose(layers, limits)) {
        if (reported.has(trouble)) continue;
        reported.add(trouble);
        const text = `gradientMonitor (step ${p.step}): ${message}`;
        warnings.push(text);
        print(text);
      }
    }
  };

  return {
    name: 'gradientMonitor',
    spec: {id: 'trellis/gradientMonitor', config: {every, log, limits: {...limits, updateRatio: [...limits.updateRatio]}}},
    inspectEvery: every,
    get records() {
      return records;
    },
    get warnings() {
      return warnings;
    },
    onFitStart() {
      drop();
      records.length = 0;
      warnings.length = 0;
      reported.clear();
    },
    onStepInspect(context, inspection) {
      const {order, sizes, values, reluLayers} = layerStatistics(inspection);
      pending.push({step: context.step, epoch: context.epoch, order, sizes, reluLayers, values: tf.keep(values)});
    },
    async onBatchEnd() {
      if (pending.length > 0) await readPending();
    },
    async onEpochEnd(context) {
      await readPending();
      const last = records[records.length - 1];
      if (!log || !last) return;
      for (const s of last.layers) {
        context.setLog(`grad_norm/${s.layer}`, s.gradNorm);
        context.setLog(`grad_rms/${s.layer}`, s.gradRms);
        context.setLog(`weight_norm/${s.layer}`, s.weightNorm);
        context.setLog(`update_ratio/${s.layer}`, s.updateRatio);
        if (s.deadRelu !== null) context.setLog(`dead_relu/${s.layer}`, s.deadRelu);
      }
    },
    onFitEnd: drop,
    onError: drop,
    saveState(): Json {
      return {reported: [...reported]};
    },
    loadState(state: Json) {
      const list = (state as {reported?: unknown} | null)?.reported;
      if (!Array.isArray(list) || !list.every((t) => typeof t === 'string')) {
        throw new ConfigError(`gradientMonitor.loadState expects {reported: string[]} from saveState(); got ${describeValue(state)}.`);
      }
      reported.clear();
      for (const t of list) reported.add(t as Trouble);
    },
  };
}

function checkLimits(given: Partial<DiagnosisLimits>): DiagnosisLimits {
  checkOptions('gradientMonitor limits', given, LIMIT_KEYS);
  const positive = (key: 'vanishingRatio' | 'explodingNorm' | 'deadRelu') =>
    given[key] === undefined
      ? DEFAULT_LIMITS[key]
      : checkNumber('gradientMonitor', `limits.${key}`, given[key], {min: 0, minExclusive: true});
  const range = given.updateRatio ?? DEFAULT_LIMITS.updateRatio;
  if (!Array.isArray(range) || range.length !== 2 || !range.every((v) => typeof v === 'number' && v >= 0) || range[0] > range[1]) {
    throw new ConfigError(`gradientMonitor: limits.updateRatio must be [low, high] with 0 <= low <= high; got ${describeValue(range)}.`);
  }
  return {
    vanishingRatio: positive('vanishingRatio'),
    explodingNorm: positive('explodingNorm'),
    deadRelu: positive('deadRelu'),
    updateRatio: [range[0], range[1]],
  };
}
