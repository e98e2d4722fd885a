// context.trainingState() / context.resume(): a fit stopped part-way and continued in a fresh model
// ends with the weights of an uninterrupted run, bit for bit on cpu (shuffling, dropout, a schedule,
// a learning rate reduced on plateaus and callback state included).
import * as tf from '@tensorflow/tfjs-core';
import {describe, expect, it} from 'vitest';
import {onCpu} from '../test/cpu';
import {
  Sequential,
  StateError,
  adam,
  callbacks,
  data,
  dense,
  dropout,
  meanSquaredError,
  schedules,
  setSeed,
  type Callback,
  type OptimizerState,
  type TrainingState,
} from './index';

onCpu();

const EPOCHS = 4;

function xy() {
  setSeed(123);
  return {x: tf.randomNormal([40, 3], 0, 1, 'float32', 1), y: tf.randomNormal([40, 2], 0, 1, 'float32', 2)};
}

/** A model with dropout and an Adam on a schedule, made from the global seed. */
function makeModel(seed: number): Sequential {
  setSeed(seed);
  const model = new Sequential([dense({units: 8, activation: 'relu', inputShape: [3]}), dropout({rate: 0.3}), dense({units: 2})]);
  model.compile({
    optimizer: adam({learningRate: schedules.exponentialDecay({initialLearningRate: 0.05, decaySteps: 3, decayRate: 0.8})}),
    loss: meanSquaredError(),
  });
  return model;
}

type Saved = {state: TrainingState; weights: Record<string, tf.Tensor>; optimizer: OptimizerState};

/** Takes everything needed to continue at `epoch`/`batch` (batch null: at the epoch's end), then stops the fit. */
function interrupter(epoch: number, batch: number | null, into: {saved?: Saved}): Callback {
  const take: Callback['onBatchEnd'] = (context) => {
    into.saved = {
      state: context.trainingState(),
      weights: context.model.getWeights(),
      optimizer: (context.model as Sequential).optimizer.getState(),
    };
    context.stop('interrupted');
  };
  return batch === null
    ? {name: 'interrupter', onEpochEnd: (c) => (c.epoch === epoch ? take(c) : undefined)}
    : {name: 'interrupter', onBatchEnd: (c) => (c.epoch === epoch && c.batch === batch ? take(c) : undefined)};
}

function weightsOf(model: Sequential): Record<string, number[]> {
  const w = model.getWeights();
  const out = Object.fromEntries(Object.entries(w).map(([k, t]) => [k, Array.from(t.dataSync())]));
  tf.dispose(Object.values(w));
  return out;
}

async function uninterrupted(): Promise<{weights: Record<string, number[]>; lr: number[]}> {
  const {x, y} = xy();
  const model = makeModel(7);
  const history = await model.fit(x, y, {
    epochs: EPOCHS,
    batchSize: 8,
    validationSplit: 0.2,
    callbacks: [callbacks.reduceLROnPlateau({patience: 0, factor: 0.5})],
  });
  const weights = weightsOf(model);
  model.dispose();
  tf.dispose([x, y]);
  return {weights, lr: history.history.learning_rate!};
}

async function interruptedAndResumed(epoch: number, batch: number | null): Promise<{weights: Record<string, number[]>; lr: number[]}> {
  const {x, y} = xy();
  const first = makeModel(7);
  const into: {saved?: Saved} = {};
  const options = {epochs: EPOCHS, batchSize: 8, validationSplit: 0.2};
  await first.fit(x, y, {
    ...options,
    callbacks: [callbacks.reduceLROnPlateau({patience: 0, factor: 0.5}), interrupter(epoch, batch, into)],
  });
  first.dispose();
  const saved = into.saved!;
  // A fresh model from another seed (as after a restart), given the saved weights and optimizer state.
  const second = makeModel(999);
  if (!second.built) second.build([3]);
  second.setWeights(saved.weights);
  second.optimizer.setState(saved.optimizer);
  const history = await second.fit(x, y, {
    ...options,
    callbacks: [
      callbacks.reduceLROnPlateau({patience: 0, factor: 0.5}),
      {name: 'restore', onFitStart: (c) => c.resume(JSON.parse(JSON.stringify(saved.state)))},
    ],
  });
  const weights = weightsOf(second);
  second.dispose();
  tf.dispose([x, y, ...Object.values(saved.weights), saved.optimizer.state as tf.TensorContainer]);
  return {weights, lr: history.history.learning_rate!};
}

describe('resuming a fit', () => {
  it('mid-epoch: the final weights equal an uninterrupted run bit for bit', async () => {
    const reference = await uninterrupted();
    const resumed = await interruptedAndResumed(1, 2);
    expect(resumed.weights).toEqual(reference.weights);
    // The continued fit logs epochs 1..3; the rates follow the same plateau decisions.
    expect(resumed.lr).toEqual(reference.lr.slice(1));
  });

  it('at an epoch end: the same', async () => {
    const reference = await uninterrupted();
    const resumed = await interruptedAndResumed(2, null);
    expect(resumed.weights).toEqual(reference.weights);
    expect(resumed.lr).toEqual(reference.lr.slice(3));
  });

  it('without resume the continued run differs (the test can fail)', async () => {
    const reference = await uninterrupted();
    const {x, y} = xy();
    const model = makeModel(999);
    await model.fit(x, y, {epochs: EPOCHS, batchSize: 8, validationSplit: 0.2});
    expect(weightsOf(model)).not.toEqual(reference.weights);
    model.dispose();
    tf.dispose([x, y]);
  });

  it("refuses trainingState outside onBatchEnd/onEpochEnd and after an epoch's last batch, resume outside onFitStart, and a bad state", async () => {
    const {x, y} = xy();
    const model = makeModel(1);
    const errors: unknown[] = [];
    const attempt = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        errors.push(error);
      }
    };
    await model.fit(x, y, {
      epochs: 1,
      batchSize: 8,
      callbacks: [
        {
          name: 'probe',
          onFitStart: (c) => attempt(() => c.trainingState()),
          onEpochStart: (c) => attempt(() => c.resume({} as TrainingState)),
          onBatchEnd: (c) => (c.batch === 4 ? attempt(() => c.trainingState()) : undefined),
        },
      ],
    });
    expect(errors).toHaveLength(3);
    for (const e of errors) expect(e).toBeInstanceOf(StateError);
    expect(String((errors[2] as Error).message)).toMatch(/last batch/);
    await expect(
      model.fit(x, y, {
        epochs: 1,
        batchSize: 8,
        callbacks: [{name: 'bad', onFitStart: (c) => c.resume({version: 1, epoch: 0, batch: 99, step: 0, data: null, callbacks: []})}],
      }),
    ).rejects.toThrow(StateError);
    model.dispose();
    tf.dispose([x, y]);
  });

  it('fitDataset resumes at epoch ends, and refuses mid-epoch', async () => {
    const {x, y} = xy();
    const dataset = () => data.fromTensors(x, y, {batchSize: 8});
    const model = makeModel(3);
    let midEpoch: unknown;
    let atEnd: TrainingState | undefined;
    await model.fitDataset(dataset(), {
      epochs: 2,
      callbacks: [
        {
          name: 'probe',
          onBatchEnd: (c) => {
            if (c.batch !== 0) return;
            try {
              c.trainingState();
            } catch (error) {
              midEpoch = error;
            }
          },
          onEpochEnd: (c) => void (atEnd ??= c.trainingState()),
        },
      ],
    });
    expect(midEpoch).toBeInstanceOf(StateError);
    expect(atEnd).toMatchObject({version: 1, epoch: 1, batch: 0, step: 5});
    model.dispose();
    tf.dispose([x, y]);
  });
});
