// Weights and state on hostile input: setWeights with disposed, mistyped,
// misshapen, null or unknown values (all-or-nothing), optimizer.setState that
// does not fit, a disposed model, a layer shared by two models, and
// freezing / unfreezing across compiles.
import * as tf from '@tensorflow/tfjs-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {
  DTypeError,
  Sequential,
  ShapeError,
  StateError,
  TrellisError,
  adam,
  dense,
  meanSquaredError,
  setSeed,
  type Layer,
  type StateTree,
} from '../index';
import {describeError, expectRefused} from './expect-refused';
import {classifier, disposeAll, predictValues, regressor, setUpSuite, weightValues} from './fixtures';

let x: tf.Tensor2D;
let labels: tf.Tensor1D;
let targets: tf.Tensor2D;

beforeAll(async () => ({x, labels, targets} = await setUpSuite()));
afterAll(() => disposeAll(x, labels, targets));

/** A copy of every weight with `value` added: valid new values. */
function shifted(model: Sequential, value = 0.5): Record<string, tf.Tensor> {
  const weights = model.getWeights();
  const out = Object.fromEntries(Object.entries(weights).map(([k, t]) => [k, tf.add(t, value)]));
  tf.dispose(Object.values(weights));
  return out;
}

describe('setWeights refuses bad values and assigns nothing', {timeout: 10_000}, () => {
  let model: Sequential;
  let before: Record<string, number[]>;
  let predicted: number[];
  beforeAll(() => {
    model = regressor('target');
    before = weightValues(model);
    predicted = predictValues(model, x);
  });
  afterAll(() => model.dispose());

  /** Runs the refusal with valid values for every weight but `name`, which gets `bad`; then checks nothing changed. */
  async function refusesWith(name: string, bad: unknown, ErrorClass: Parameters<typeof expectRefused>[1], ...fragments: string[]) {
    const values: Record<string, unknown> = shifted(model);
    (values[name] as tf.Tensor).dispose();
    values[name] = bad;
    try {
      await expectRefused(() => model.setWeights(values as never), ErrorClass, ...fragments);
    } finally {
      tf.dispose(Object.values(values).filter((v): v is tf.Tensor => v instanceof tf.Tensor));
    }
    expect(weightValues(model), 'a refused setWeights must assign nothing').toEqual(before);
    expect(predictValues(model, x)).toEqual(predicted);
  }

  it("a disposed tensor for 'dense/kernel': a typed error, and the model still predicts as before", () => {
    const gone = tf.zeros([3, 4]);
    gone.dispose();
    return refusesWith('dense/kernel', gone, TrellisError, 'dense/kernel', 'disposed');
  });

  it("a disposed tensor for the last weight 'dense_1/bias' after valid ones", () => {
    const gone = tf.zeros([1]);
    gone.dispose();
    return refusesWith('dense_1/bias', gone, TrellisError, 'dense_1/bias', 'disposed');
  });

  it("an int32 tensor of the right shape for 'dense_1/kernel': a DTypeError", () =>
    refusesWith('dense_1/kernel', tf.zeros([4, 1], 'int32'), DTypeError, 'dense_1/kernel', 'int32'));

  it("a string tensor for 'dense/bias': a DTypeError", () =>
    refusesWith('dense/bias', tf.tensor(['a', 'b', 'c', 'd'], [4], 'string'), DTypeError, 'dense/bias', 'string'));

  it("a [4, 4] tensor for 'dense/kernel' [3, 4]: a ShapeError", () =>
    refusesWith('dense/kernel', tf.zeros([4, 4]), ShapeError, 'dense/kernel', '[4, 4]', '[3, 4]'));

  it("a wrong shape for the last weight 'dense_1/bias' after valid ones", () =>
    refusesWith('dense_1/bias', tf.zeros([2]), ShapeError, 'dense_1/bias', '[2]'));

  it("null for 'dense_1/bias' after valid ones", () => refusesWith('dense_1/bias', null, TrellisError, 'dense_1/bias'));

  it("a number for 'dense/bias'", () => refusesWith('dense/bias', 3, TrellisError, 'dense/bias'));

  it("a nested array of the wrong shape for 'dense/kernel'", () =>
    refusesWith(
      'dense/kernel',
      [
        [1, 2],
        [3, 4],
      ],
      TrellisError,
      'dense/kernel',
    ));

  it("an unknown name 'dense/kernal' (a typo)", async () => {
    const values: Record<string, tf.Tensor> = shifted(model);
    values['dense/kernal'] = values['dense/kernel']!;
    delete values['dense/kernel'];
    try {
      await expectRefused(() => model.setWeights(values, {strict: false}), StateError, 'dense/kernal');
    } finally {
      tf.dispose(Object.values(values));
    }
    expect(weightValues(model)).toEqual(before);
  });

  it("a missing weight 'dense_1/bias' (strict)", async () => {
    const values = shifted(model);
    values['dense_1/bias']!.dispose();
    delete values['dense_1/bias'];
    try {
      await expectRefused(() => model.setWeights(values), StateError, 'dense_1/bias');
    } finally {
      tf.dispose(Object.values(values));
    }
    expect(weightValues(model)).toEqual(before);
  });

  it('setWeights(null)', () => expectRefused(() => model.setWeights(null as never), TrellisError, 'null'));

  it("a nested JS array of the right shape for 'dense_1/bias': assigned as those numbers, or refused with a typed error and nothing assigned", () => {
    const values: Record<string, unknown> = model.getWeights();
    (values['dense_1/bias'] as tf.Tensor).dispose();
    values['dense_1/bias'] = [0.25];
    let error: unknown;
    try {
      model.setWeights(values as never);
    } catch (e) {
      error = e;
    } finally {
      tf.dispose(Object.values(values).filter((v): v is tf.Tensor => v instanceof tf.Tensor));
    }
    if (error === undefined) {
      expect(weightValues(model)['dense_1/bias']).toEqual([0.25]);
      const restored = Object.fromEntries(
        Object.entries(before).map(([k, v]) => [k, tf.tensor(v, model.weights.find((w) => w.name === k)!.variable.shape)]),
      );
      model.setWeights(restored);
      tf.dispose(Object.values(restored));
    } else {
      expect(TrellisError.is(error), `expected a Trellis error, got ${describeError(error)}`).toBe(true);
      expect((error as Error).message).toContain('dense_1/bias');
    }
    expect(weightValues(model)).toEqual(before);
  });
});

describe('optimizer.setState refuses state that does not fit', {timeout: 10_000}, () => {
  let model: Sequential;
  beforeAll(async () => {
    model = classifier('opt_state');
    await model.fit(x, labels, {epochs: 1, batchSize: 10});
  });
  afterAll(() => model.dispose());

  /** The record of slots keyed by variable name that holds `'dense/kernel'` (Adam's `mu`). */
  function slots(tree: StateTree): Record<string, StateTree> {
    const queue: unknown[] = [tree];
    while (queue.length) {
      const node = queue.shift();
      if (node === null || typeof node !== 'object' || node instanceof tf.Tensor) continue;
      if (!Array.isArray(node) && 'dense/kernel' in node) return node as Record<string, StateTree>;
      queue.push(...(Array.isArray(node) ? node : Object.values(node)));
    }
    throw new Error('no slots keyed by variable name in the optimizer state');
  }

  /**
   * Gets a copy of the state, lets `edit` spoil it, expects setState to
   * refuse it naming `fragments`, and checks that the state is unchanged.
   */
  async function refuses(edit: (saved: {step: number; state: StateTree}) => void, ...fragments: string[]) {
    const saved: {step: number; state: StateTree} = {...model.optimizer.getState()};
    const step = saved.step;
    const kernelSlot = Array.from((slots(saved.state)['dense/kernel'] as tf.Tensor).dataSync());
    const made = tensorsOf(saved.state);
    edit(saved);
    try {
      await expectRefused(() => model.optimizer.setState(saved as never), StateError, ...fragments);
    } finally {
      tf.dispose([...made, ...tensorsOf(saved.state)]);
    }
    const now = model.optimizer.getState();
    try {
      expect(now.step, 'a refused setState must leave the step').toBe(step);
      expect(Array.from((slots(now.state)['dense/kernel'] as tf.Tensor).dataSync()), 'a refused setState must leave the slots').toEqual(
        kernelSlot,
      );
    } finally {
      tf.dispose(tensorsOf(now.state));
    }
  }

  it("a slot of the wrong shape for 'dense/kernel'", () =>
    refuses(
      (s) => {
        slots(s.state)['dense/kernel'] = tf.zeros([1, 1]);
      },
      'dense/kernel',
      '[1, 1]',
    ));

  it("a slot for an unknown variable 'dense/kernal'", () =>
    refuses((s) => {
      slots(s.state)['dense/kernal'] = tf.zeros([3, 4]);
    }, 'dense/kernal'));

  it("a missing slot for 'dense/bias'", () =>
    refuses((s) => {
      delete slots(s.state)['dense/bias'];
    }, 'dense/bias'));

  it("an int32 slot for 'dense/kernel'", () =>
    refuses(
      (s) => {
        slots(s.state)['dense/kernel'] = tf.zeros([3, 4], 'int32');
      },
      'dense/kernel',
      'int32',
    ));

  it('step -1', () =>
    refuses((s) => {
      s.step = -1;
    }, '-1'));

  it('setState(null)', () => expectRefused(() => model.optimizer.setState(null as never), StateError, 'null'));
});

/** Every tensor in a tree (duplicates once). */
function tensorsOf(tree: unknown, out = new Set<tf.Tensor>()): tf.Tensor[] {
  if (tree instanceof tf.Tensor) out.add(tree);
  else if (tree !== null && typeof tree === 'object') for (const v of Object.values(tree)) tensorsOf(v, out);
  return [...out];
}

describe('a disposed model refuses every use, naming itself', {timeout: 10_000}, () => {
  let gone: Sequential;
  let values: Record<string, tf.Tensor>;
  beforeAll(() => {
    gone = classifier('retired');
    values = gone.getWeights();
    gone.dispose();
  });
  afterAll(() => tf.dispose(Object.values(values)));

  it.each([
    ['predict', () => gone.predict(x)],
    ['fit', () => gone.fit(x, labels)],
    ['evaluate', () => gone.evaluate(x, labels)],
    ['getWeights', () => gone.getWeights()],
    ['setWeights', () => gone.setWeights(values)],
    ['summary', () => gone.summary({print: false})],
    ['trainOnBatch', () => gone.trainOnBatch(x, labels)],
  ] as const)('%s after dispose()', async (_, use) => {
    await expectRefused(use, StateError, 'disposed', 'retired');
  });
});

describe('a layer shared by two models (Keras: one layer, one set of weights)', {timeout: 20_000}, () => {
  /** A: dense(4, relu) → dense(2); B: A's first layer → dense(1). */
  function pair() {
    setSeed(3);
    const a = new Sequential([dense({units: 4, activation: 'relu', inputShape: [3]}), dense({units: 2})], {name: 'A'});
    const predicted = predictValues(a, x);
    const b = new Sequential([...a.layers.slice(0, -1), dense({units: 1})], {name: 'B'});
    const kernel = `${a.layers[0]!.name}/kernel`;
    return {a, b, predicted, kernel};
  }

  /** Runs `test` on a fresh {@link pair}, then disposes B and A. */
  async function withPair(test: (models: ReturnType<typeof pair>) => unknown): Promise<void> {
    const models = pair();
    try {
      await test(models);
    } finally {
      models.b.dispose();
      models.a.dispose();
    }
  }

  it("B uses A's first-layer weights (same values under the same name)", () =>
    withPair(({a, b, kernel}) => {
      const inB = weightValues(b)[kernel];
      expect(inB, `B has no weight '${kernel}'`).toBeDefined();
      expect(inB).toEqual(weightValues(a)[kernel]);
    }));

  it("building B leaves A's predictions unchanged", () =>
    withPair(({a, b, predicted}) => {
      b.weights;
      expect(predictValues(a, x)).toEqual(predicted);
    }));

  it("training B with the shared layer frozen leaves A's predictions unchanged", () =>
    withPair(async ({a, b, predicted}) => {
      a.layers[0]!.trainable = false;
      b.compile({optimizer: adam({learningRate: 0.05}), loss: meanSquaredError()});
      await b.fit(x, targets, {epochs: 2, batchSize: 5});
      expect(predictValues(a, x)).toEqual(predicted);
    }));

  it('training B moves the shared kernel for both models (one variable, as in Keras)', () =>
    withPair(async ({a, b, kernel}) => {
      const start = weightValues(a)[kernel];
      b.compile({optimizer: adam({learningRate: 0.05}), loss: meanSquaredError()});
      await b.fit(x, targets, {epochs: 2, batchSize: 5});
      const inA = weightValues(a)[kernel];
      expect(inA).not.toEqual(start);
      expect(weightValues(b)[kernel]).toEqual(inA);
    }));

  it('after B.dispose(), A still predicts the same values', () => {
    const {a, b, predicted} = pair();
    try {
      b.weights;
      b.dispose();
      expect(predictValues(a, x)).toEqual(predicted);
    } finally {
      a.dispose();
    }
  });
});

describe('freeze, compile, fit, unfreeze, fit', {timeout: 20_000}, () => {
  it("does not throw, and layer 0's weights change only in the second fit", async () => {
    setSeed(5);
    const model = new Sequential([dense({units: 4, activation: 'tanh', inputShape: [3]}), dense({units: 1})], {name: 'thaw'});
    const first = model.layers[0] as Layer;
    const layer0 = (m: Sequential) =>
      Object.fromEntries(Object.entries(weightValues(m)).filter(([k]) => k.startsWith(`${first.name || 'dense'}/`)));
    try {
      first.trainable = false;
      model.compile({optimizer: adam({learningRate: 0.05}), loss: meanSquaredError()});
      const initial = layer0(model);
      await model.fit(x, targets, {epochs: 1, batchSize: 5});
      expect(layer0(model), 'a frozen layer must not train').toEqual(initial);
      first.trainable = true;
      await model.fit(x, targets, {epochs: 1, batchSize: 5});
      expect(layer0(model), 'the unfrozen layer must train').not.toEqual(initial);
    } finally {
      model.dispose();
    }
  });
});
