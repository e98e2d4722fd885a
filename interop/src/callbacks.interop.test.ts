// Keras' EarlyStopping and ReduceLROnPlateau against Trellis' earlyStopping and reduceLROnPlateau:
// both replay the same recorded epoch logs (val_loss, val_accuracy...) through the callbacks, Keras
// with a stub model in Python, Trellis with a fake fit context, and every decision must agree
// exactly: the epochs that ran, where training stopped, which epoch's weights came back, the
// learning rate of every epoch (float32, as Keras stores it), the logs the callbacks added, the
// warnings about a missing key, and the callbacks' counters at the end. No tolerance: these are
// decisions, and the values they carry are copied, not computed.
//
// Then real fits (kind `callbackFit`): the same small model trained by Keras' model.fit and by
// Trellis from identical weights, without shuffling, with validation data and EarlyStopping
// (restoring the best weights) alone and behind ReduceLROnPlateau: the epochs that ran and the
// learning rates exactly, every loss and the final (restored) weights within 1e-4.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Sequential, callbacks, dense, earlyStopping, meanSquaredError, sgd, type Callback} from 'trellis';
import type {EarlyStoppingOptions, ReduceLROnPlateauOptions} from '@trellis/callbacks';
import {replay} from '../../plugins/callbacks/test/replay';
import {BACKENDS, activate, toTensor, uniformTensor} from './harness/cases';
import {expectClose, field, worstErrors} from './harness/compare';
import {beforeAllKerasFits, type FitCase} from './harness/fit-cases';
import {runKeras, type KerasCase} from './harness/keras';
import {setWeightsPerLayer, weightsPerLayer} from './harness/mnist-mlp';
import type {HostTensor, TreeOut} from './harness/tensor-tree';

type Made =
  | {readonly kind: 'EarlyStopping'; readonly options: EarlyStoppingOptions}
  | {readonly kind: 'ReduceLROnPlateau'; readonly options: ReduceLROnPlateauOptions};

type ReplayCase = {
  readonly callbacks: readonly Made[];
  readonly logs: readonly Record<string, number>[];
  readonly learningRate?: number;
  readonly initialEpoch?: number;
  /** Keras metric classes the stub model reports as compiled (for mode 'auto'). */
  readonly metrics?: readonly string[];
};

const es = (options: EarlyStoppingOptions = {}): Made => ({kind: 'EarlyStopping', options});
const rlr = (options: ReduceLROnPlateauOptions = {}): Made => ({kind: 'ReduceLROnPlateau', options});

/** A seeded random walk of `n` float32 values from `start` (downhill drift, then noise). */
function walk(seed: number, n: number, start: number, drift: number, noise: number): number[] {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const out: number[] = [];
  let v = start;
  for (let i = 0; i < n; i++) {
    out.push(Math.fround(v));
    v = v * (1 - drift * Math.exp(-i / 6)) + (next() - 0.5) * noise;
  }
  return out;
}

const key = (name: string, values: readonly number[]) => values.map((v) => ({loss: v * 0.9, [name]: v}));
const both = (loss: readonly number[], accuracy: readonly number[]) =>
  loss.map((v, i) => ({loss: v * 0.9, val_loss: v, val_accuracy: accuracy[i]!}));

const noisy = walk(7, 30, 1.2, 0.25, 0.08);
const noisyAccuracy = walk(11, 30, 0.4, -0.12, 0.05).map((v) => Math.fround(Math.min(v, 0.99)));
const plateau = [1, 0.8, 0.7, 0.69995, 0.7, 0.7001, 0.69, 0.6899, 0.6898, 0.6897, 0.6896, 0.6895, 0.7, 0.71, 0.72, 0.73].map(Math.fround);

const cases: Readonly<Record<string, ReplayCase>> = {
  esDefaults: {callbacks: [es()], logs: key('val_loss', [1, 0.9, 0.95, 0.8])},
  esPatience3: {callbacks: [es({patience: 3})], logs: key('val_loss', noisy)},
  esMinDelta: {callbacks: [es({patience: 2, minDelta: 0.01})], logs: key('val_loss', noisy)},
  esNegativeMinDelta: {callbacks: [es({patience: 2, minDelta: -0.01})], logs: key('val_loss', noisy)},
  esMinDeltaPlateau: {callbacks: [es({patience: 1, minDelta: 1e-4})], logs: key('val_loss', plateau)},
  esBaselineNeverBeaten: {callbacks: [es({patience: 2, baseline: 0.1, restoreBestWeights: true})], logs: key('val_loss', noisy)},
  esBaselineBeaten: {callbacks: [es({patience: 2, baseline: 0.75})], logs: key('val_loss', noisy)},
  esBaselineImproving: {callbacks: [es({patience: 1, baseline: 0.01})], logs: key('val_loss', [1, 0.9, 0.8, 0.7, 0.6, 0.65])},
  esModeMax: {callbacks: [es({monitor: 'val_accuracy', mode: 'max', patience: 2})], logs: both(noisy, noisyAccuracy)},
  esModeMaxBaseline: {
    callbacks: [es({monitor: 'val_accuracy', mode: 'max', patience: 1, baseline: 0.5})],
    logs: both(noisy, noisyAccuracy),
  },
  esAutoAccuracy: {callbacks: [es({monitor: 'val_accuracy', patience: 1})], logs: both(noisy, noisyAccuracy), metrics: ['Accuracy']},
  esAutoAuc: {callbacks: [es({monitor: 'val_auc', patience: 0})], logs: key('val_auc', [0.5, 0.6, 0.65, 0.64]), metrics: ['AUC']},
  esAutoMse: {
    callbacks: [es({monitor: 'val_mean_squared_error', patience: 1})],
    logs: key('val_mean_squared_error', [3, 2, 2.5, 2.6]),
    metrics: ['MeanSquaredError'],
  },
  esModeMinOnLoss: {callbacks: [es({monitor: 'loss', mode: 'min', patience: 2})], logs: key('val_loss', noisy)},
  esStartFromEpoch: {
    callbacks: [es({startFromEpoch: 3, patience: 1, restoreBestWeights: true})],
    logs: key('val_loss', [0.1, 0.2, 0.3, 1, 0.9, 0.95, 0.96]),
  },
  esRestoreWithStop: {callbacks: [es({patience: 3, restoreBestWeights: true})], logs: key('val_loss', noisy)},
  esRestoreRanThrough: {callbacks: [es({patience: 100, restoreBestWeights: true})], logs: key('val_loss', noisy)},
  esRestoreBestIsLast: {callbacks: [es({patience: 100, restoreBestWeights: true})], logs: key('val_loss', [1, 0.9, 0.8])},
  esRestoreFirstOnly: {callbacks: [es({patience: 1, restoreBestWeights: true})], logs: key('val_loss', [1, 2, 3])},
  esFloat32Ties: {callbacks: [es({patience: 1})], logs: key('val_loss', [0.3, 0.3 - 1e-9, 0.3 - 2e-9, 0.29, 0.29])},
  esFloat32TiesMinDelta: {callbacks: [es({patience: 0, minDelta: 0.1})], logs: key('val_loss', [0.7, 0.6 - 1e-9, 0.5 - 3e-9])},
  esMissingKey: {
    callbacks: [es({patience: 0})],
    logs: [
      {loss: 1, accuracy: 0.5},
      {loss: 2, accuracy: 0.4},
      {loss: 3, accuracy: 0.3},
    ],
  },
  esInitialEpoch: {
    callbacks: [es({patience: 1, restoreBestWeights: true})],
    logs: key('val_loss', [9, 9, 1, 0.9, 0.95, 0.97]),
    initialEpoch: 2,
  },
  rlrPlateau: {callbacks: [rlr({patience: 2, factor: 0.5, cooldown: 1})], logs: key('val_loss', plateau)},
  rlrDefaults: {callbacks: [rlr()], logs: key('val_loss', walk(3, 40, 1, 0.3, 0.05))},
  rlrMinLr: {callbacks: [rlr({patience: 1, factor: 0.1, minLr: 0.005})], logs: key('val_loss', plateau), learningRate: 0.1},
  rlrMinLrNotFloat32: {callbacks: [rlr({patience: 1, factor: 0.3, minLr: 1e-4})], logs: key('val_loss', plateau), learningRate: 1e-3},
  rlrCooldown3: {callbacks: [rlr({patience: 1, factor: 0.5, cooldown: 3})], logs: key('val_loss', noisy)},
  rlrMinDelta: {callbacks: [rlr({patience: 2, factor: 0.2, minDelta: 0.05})], logs: key('val_loss', noisy), learningRate: 0.3},
  rlrZeroMinDelta: {callbacks: [rlr({patience: 1, factor: 0.5, minDelta: 0})], logs: key('val_loss', plateau)},
  rlrModeMax: {
    callbacks: [rlr({monitor: 'val_accuracy', mode: 'max', patience: 1, factor: 0.2, cooldown: 2})],
    logs: both(noisy, noisyAccuracy),
  },
  rlrAutoAccuracy: {
    callbacks: [rlr({monitor: 'val_accuracy', patience: 2, factor: 0.5})],
    logs: both(noisy, noisyAccuracy),
    metrics: ['Accuracy'],
  },
  rlrPatience0: {callbacks: [rlr({patience: 0, factor: 0.9})], logs: key('val_loss', [1, 1, 1, 1, 0.5, 0.5])},
  rlrMissingKey: {callbacks: [rlr({patience: 1})], logs: [{loss: 1}, {loss: 1}, {loss: 1}]},
  rlrThenEs: {
    callbacks: [rlr({patience: 1, factor: 0.5, cooldown: 1}), es({patience: 4, restoreBestWeights: true})],
    logs: key('val_loss', noisy),
    learningRate: 0.05,
  },
  esThenRlrMissing: {callbacks: [es({monitor: 'val_loss'}), rlr({monitor: 'val_loss'})], logs: [{loss: 1}, {loss: 0.5}]},
};

const SNAKE: Record<string, string> = {
  minDelta: 'min_delta',
  restoreBestWeights: 'restore_best_weights',
  startFromEpoch: 'start_from_epoch',
  minLr: 'min_lr',
};

function kerasConfig(options: object): Record<string, number | string | boolean> {
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [SNAKE[k] ?? k, v as number | string | boolean]));
}

beforeAll(() => tf.setBackend('cpu'));

describe('callbacks vs keras.callbacks (replayed logs)', () => {
  let keras: Record<string, TreeOut>;
  beforeAll(async () => {
    const kerasCases: Record<string, KerasCase> = {};
    for (const [name, c] of Object.entries(cases)) {
      kerasCases[name] = {
        kind: 'callbackReplay',
        callbacks: c.callbacks.map((m) => ({class_name: m.kind, config: kerasConfig(m.options)})),
        logs: c.logs,
        learningRate: c.learningRate ?? 0.01,
        initialEpoch: c.initialEpoch ?? 0,
        ...(c.metrics ? {metrics: c.metrics} : {}),
      };
    }
    keras = await runKeras('callbacks', kerasCases);
  }, 300_000);
  afterAll(() => console.log(`callbacks: ${Object.keys(cases).length} replays, every decision identical to Keras`));

  for (const [name, c] of Object.entries(cases)) {
    it(name, async () => {
      const k = keras[name] as {
        epochs: number[];
        stopped: boolean;
        rates: number[];
        logs: Record<string, number>[];
        restoredEpoch: number | null;
        restores: number;
        warnings: string[];
        state: Record<string, number | null>[];
      };
      const warnings: string[] = [];
      const print = (m: string) => void warnings.push(m);
      const made = c.callbacks.map((m) =>
        m.kind === 'EarlyStopping' ? earlyStopping({...m.options, print}) : callbacks.reduceLROnPlateau({...m.options, print}),
      );
      const ours = await replay(made, c.logs, {learningRate: c.learningRate ?? 0.01, initialEpoch: c.initialEpoch ?? 0});
      expect(ours.epochs, 'epochs that ran').toEqual(k.epochs);
      expect(ours.stoppedAt !== null, 'stopped').toBe(k.stopped);
      expect(ours.rates.map(Math.fround), 'learning rate of each epoch').toEqual(k.rates);
      expect(ours.logs, 'logs after the callbacks').toEqual(k.logs);
      expect(ours.restoredEpoch, 'restored epoch').toBe(k.restoredEpoch);
      expect(ours.restores, 'restores').toBe(k.restores);
      expect(warnings, 'warnings (Keras repeats them every epoch)').toEqual([...new Set(k.warnings)]);
      made.forEach((callback, i) => {
        const state = k.state[i]!;
        if ('bestEpoch' in callback) {
          expect(
            {wait: callback.wait, best: callback.best, bestEpoch: callback.bestEpoch, stoppedEpoch: callback.stoppedEpoch},
            `${name} earlyStopping state`,
          ).toEqual({wait: state.wait, best: state.best, bestEpoch: state.best_epoch, stoppedEpoch: state.stopped_epoch});
        } else {
          expect(
            {wait: callback.wait, best: callback.best, cooldownCounter: callback.cooldownCounter},
            `${name} reduceLROnPlateau state`,
          ).toEqual({
            wait: state.wait,
            best: state.best,
            cooldownCounter: state.cooldown_counter,
          });
        }
      });
      if (c.callbacks.some((m) => m.kind === 'EarlyStopping' && m.options.restoreBestWeights)) expect(k.restores).toBeGreaterThan(0);
    });
  }

  it('the cases are not all alike: some stop, some run through, some reduce, some restore', () => {
    const results = Object.values(keras) as {stopped: boolean; restores: number; rates: number[]}[];
    expect(results.filter((r) => r.stopped).length).toBeGreaterThan(8);
    expect(results.filter((r) => !r.stopped).length).toBeGreaterThan(8);
    expect(results.filter((r) => r.restores > 0).length).toBeGreaterThan(5);
    expect(results.filter((r) => new Set(r.rates).size > 2).length).toBeGreaterThan(5);
  });
});

// Real fits. The validation targets follow another function than the training targets, so
// val_loss turns up after a few epochs and the callbacks act.
type CallbackFitCase = FitCase & {
  readonly xVal: HostTensor;
  readonly yVal: HostTensor;
  readonly callbacks: readonly Made[];
};

const FIT_TOLERANCE = 1e-4;

const fitCases: Readonly<Record<string, CallbackFitCase>> = {
  'earlyStopping restoring the best weights': {
    model: () => new Sequential([dense({units: 8, activation: 'tanh', inputShape: [3]}), dense({units: 1})]),
    inputShape: [3],
    x: uniformTensor([24, 3], 1200, -1, 1),
    y: uniformTensor([24, 1], 1201, -1, 1),
    xVal: uniformTensor([12, 3], 1202, -1, 1),
    yVal: uniformTensor([12, 1], 1203, -1, 1),
    loss: () => meanSquaredError(),
    optimizer: () => sgd({learningRate: 0.03}),
    epochs: 40,
    batchSize: 5,
    callbacks: [es({patience: 3, restoreBestWeights: true})],
  },
  'reduceLROnPlateau then earlyStopping (momentum)': {
    model: () => new Sequential([dense({units: 6, activation: 'relu', inputShape: [4]}), dense({units: 2})]),
    inputShape: [4],
    x: uniformTensor([30, 4], 1210, -1, 1),
    y: uniformTensor([30, 2], 1211, -1, 1),
    xVal: uniformTensor([10, 4], 1212, -1, 1),
    yVal: uniformTensor([10, 2], 1213, -1, 1),
    loss: () => meanSquaredError(),
    optimizer: () => sgd({learningRate: 0.1, momentum: 0.9}),
    epochs: 40,
    batchSize: 8,
    callbacks: [rlr({patience: 1, factor: 0.5, minDelta: 1e-3}), es({patience: 5, restoreBestWeights: true})],
  },
};

describe('callbacks in model.fit vs Keras', () => {
  const {initial, keras} = beforeAllKerasFits(
    'callback-fits',
    fitCases,
    77,
    (c) => ({
      kind: 'callbackFit',
      xVal: c.xVal,
      yVal: c.yVal,
      callbacks: c.callbacks.map((m) => ({class_name: m.kind, config: kerasConfig(m.options)})),
    }),
    300_000,
  );

  describe.each(BACKENDS)('on %s', (backend) => {
    beforeAll(() => activate(backend));
    afterAll(() => console.log(`callback fits ${backend}: ${worstErrors()}`));

    it.each(Object.keys(fitCases))('%s: same epochs, rates and restored weights', async (name) => {
      const c = fitCases[name]!;
      const k = keras[name] as {epochs: number[]; history: Record<string, number[]>; state: Record<string, number | null>[]};
      const model = c.model();
      model.compile({optimizer: c.optimizer(), loss: c.loss()});
      setWeightsPerLayer(model, initial[name]!);
      const made = c.callbacks.map((m) =>
        m.kind === 'EarlyStopping'
          ? earlyStopping({...m.options, print: () => undefined})
          : callbacks.reduceLROnPlateau({...m.options, print: () => undefined}),
      );
      const [x, y, xVal, yVal] = [toTensor(c.x), toTensor(c.y), toTensor(c.xVal), toTensor(c.yVal)];
      try {
        const history = await model.fit(x, y, {
          epochs: c.epochs,
          batchSize: c.batchSize,
          shuffle: false,
          validationData: [xVal, yVal],
          callbacks: made as Callback[],
        });
        expect(history.epoch, 'epochs that ran').toEqual(k.epochs);
        expect(k.epochs.length, 'Keras stopped early').toBeLessThan(c.epochs);
        expect(Object.keys(history.history).sort()).toEqual(Object.keys(k.history).sort());
        if (k.history.learning_rate) expect(history.history.learning_rate, 'learning rates').toEqual(k.history.learning_rate);
        await expectClose(`${name} loss`, history.history.loss!, k.history.loss!, FIT_TOLERANCE);
        await expectClose(`${name} val_loss`, history.history.val_loss!, k.history.val_loss!, FIT_TOLERANCE);
        const stopper = made.find((m) => 'bestEpoch' in m) as ReturnType<typeof earlyStopping>;
        const kerasStopper = k.state[c.callbacks.findIndex((m) => m.kind === 'EarlyStopping')]!;
        expect([stopper.bestEpoch, stopper.stoppedEpoch]).toEqual([kerasStopper.best_epoch, kerasStopper.stopped_epoch]);
        for (const [i, layer] of (await weightsPerLayer(model)).entries()) {
          for (const [weight, values] of Object.entries(layer)) {
            await expectClose(`${name} restored layer ${i} ${weight}`, values, field(keras[name], 'weights', i, weight), FIT_TOLERANCE);
          }
        }
      } finally {
        tf.dispose([x, y, xVal, yVal]);
        model.dispose();
      }
    });
  });
});
