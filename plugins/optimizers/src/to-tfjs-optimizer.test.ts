// toTfjsOptimizer inside @tensorflow/tfjs-layers: compile/fit accept it, it
// trains like tfjs' own optimizers where the definitions coincide, follows
// Keras' formulas (float64 references) where they do not, and leaks nothing.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, ShapeError, StateError, StatefulOptimizer, withSpec, type GradientTransform, type StateTree} from '@trellis/core';
import {expectNoNewTensors, expectNoTensorLeaks} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {fixedGrad64, fixedGrads, initialValues, makeVariables, maxRelDiff, read, SHAPES, type Arrays} from '../test/fixtures';
import {adam} from './adam';
import {chain} from './chain';
import {scale} from './scale';
import {sgd} from './sgd';
import {toTfjsOptimizer, TrellisTfjsOptimizer} from './to-tfjs-optimizer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const decay = (initial: number, rate: number) =>
  withSpec({id: 'test/decay', config: {initial, rate}}, (step: number) => initial * rate ** step);

// 24 samples, 4 features, 3 classes; 3 batches of 8 per epoch.
const X = Array.from({length: 24}, (_, i) => Array.from({length: 4}, (_, j) => Math.sin(0.9 * i + 1.3 * j + 0.1)));
const LABELS = X.map((row) => (row[0]! + row[1]! > 0.3 ? 0 : row[2]! - row[3]! > 0 ? 1 : 2));

/** A 4-6-3 tfjs-layers MLP (relu, softmax) with fixed starting weights. */
function mlp(): tfl.Sequential {
  const model = tfl.sequential({
    layers: [tfl.layers.dense({units: 6, activation: 'relu', inputShape: [4]}), tfl.layers.dense({units: 3, activation: 'softmax'})],
  });
  const values = tf.tidy(() =>
    model.weights.map((w, i) => {
      const shape = w.shape as number[];
      const size = shape.reduce((a, b) => a * b, 1);
      return tf.tensor(
        Float32Array.from({length: size}, (_, k) => 0.4 * Math.cos(1.7 * k + i)),
        shape,
      );
    }),
  );
  model.setWeights(values);
  tf.dispose(values);
  return model;
}

/** The model's weights keyed by variable name, as float64 copies. */
function weightsOf(model: tfl.LayersModel): Arrays {
  return Object.fromEntries(model.weights.map((w) => [w.name, Float64Array.from(w.read().dataSync())]));
}

/** The inputs and one-hot targets (owned by the caller). */
function data(): [tf.Tensor2D, tf.Tensor2D] {
  return tf.tidy(() => [tf.tensor2d(X), tf.oneHot(tf.tensor1d(LABELS, 'int32'), 3) as tf.Tensor2D]);
}

async function train(model: tfl.LayersModel, optimizer: tf.Optimizer, epochs: number): Promise<number[]> {
  model.compile({optimizer, loss: 'categoricalCrossentropy'});
  const [x, y] = data();
  const history = await model.fit(x, y, {epochs, batchSize: 8, shuffle: false, verbose: 0});
  tf.dispose([x, y]);
  return history.history.loss as number[];
}

/** Disposes a model and the optimizer we gave it (tfjs-layers does not own it). */
function disposeAll(model: tfl.LayersModel, optimizer: tf.Optimizer): void {
  model.dispose();
  optimizer.dispose();
}

describe('toTfjsOptimizer in tfjs-layers', () => {
  it('is a tf.Optimizer that compile accepts, carrying the Trellis spec', () => {
    const optimizer = toTfjsOptimizer(adam({learningRate: 0.01}));
    expect(optimizer).toBeInstanceOf(tf.Optimizer);
    expect(optimizer).toBeInstanceOf(TrellisTfjsOptimizer);
    expect(optimizer.getClassName()).toBe('TrellisOptimizer');
    expect(optimizer.getConfig()).toEqual({id: 'trellis/adam', config: {...adam({learningRate: 0.01}).spec.config}});
    const model = mlp();
    model.compile({optimizer, loss: 'categoricalCrossentropy'});
    expect(model.optimizer).toBe(optimizer);
    disposeAll(model, optimizer);
  });

  it.each([false, true])('sgd({momentum: 0.9, nesterov: %s}) trains the MLP like tf.train.momentum (constant rate)', async (nesterov) => {
    // Keras: v = μv − lr·g, w += v. tfjs: a = μa + g, w −= lr·a. With a constant
    // rate v = −lr·a, so the two agree up to float32 rounding.
    const ours = mlp();
    const theirs = mlp();
    const optimizer = toTfjsOptimizer(sgd({learningRate: 0.1, momentum: 0.9, nesterov}));
    const reference = tf.train.momentum(0.1, 0.9, nesterov);
    const lossOurs = await train(ours, optimizer, 5);
    const lossTheirs = await train(theirs, reference, 5);
    const byPosition = (w: Arrays) => Object.fromEntries(Object.values(w).map((v, i) => [`w${i}`, v]));
    const error = maxRelDiff(byPosition(weightsOf(ours)), byPosition(weightsOf(theirs)));
    expect(error).toBeLessThan(1e-5);
    expect(maxRelDiff({loss: Float64Array.from(lossOurs)}, {loss: Float64Array.from(lossTheirs)})).toBeLessThan(1e-5);
    expect(lossOurs.at(-1)).toBeLessThan(lossOurs[0]! * 0.9);
    expect(optimizer.iterations).toBe(15);
    disposeAll(ours, optimizer);
    disposeAll(theirs, reference);
  });

  it('adam in fit equals StatefulOptimizer(adam()) fed the same gradients, bit for bit', async () => {
    const recorded: Record<string, tf.Tensor>[] = [];
    const inner = adam({learningRate: decay(0.01, 0.9)});
    const recording: GradientTransform = {
      init: (params) => inner.init(params),
      update(grads, state, params, extras) {
        recorded.push(Object.fromEntries(Object.entries(grads).map(([n, g]) => [n, tf.keep(tf.clone(g))])));
        return inner.update(grads, state as readonly StateTree[], params, extras);
      },
    };
    const model = mlp();
    const start = weightsOf(model);
    const optimizer = toTfjsOptimizer(recording);
    await train(model, optimizer, 3);
    expect(recorded).toHaveLength(9);

    const vars = tf.tidy(() =>
      Object.fromEntries(
        model.weights.map((w) => [w.name, tf.variable(tf.tensor(Float32Array.from(start[w.name]!), w.shape as number[]))]),
      ),
    );
    const reference = new StatefulOptimizer(adam({learningRate: decay(0.01, 0.9)}));
    for (const grads of recorded) reference.applyGradients(grads, vars);
    const ours = weightsOf(model);
    const theirs = read(vars);
    for (const name of Object.keys(theirs)) expect(Array.from(ours[name]!)).toEqual(Array.from(theirs[name]!));
    expect(maxRelDiff(ours, start)).toBeGreaterThan(1e-2);

    tf.dispose(recorded.flatMap((g) => Object.values(g)));
    tf.dispose(Object.values(vars));
    reference.dispose();
    disposeAll(model, optimizer);
  });

  it('leaks no tensor over several epochs of fit, and frees everything on dispose', async () => {
    for (const make of [() => adam(), () => sgd({momentum: 0.9, learningRate: decay(0.1, 0.95)})]) {
      const start = tf.memory().numTensors;
      const model = mlp();
      const optimizer = toTfjsOptimizer(make());
      model.compile({optimizer, loss: 'categoricalCrossentropy'});
      const [x, y] = data();
      await expectNoTensorLeaks(() => model.fit(x, y, {epochs: 2, batchSize: 8, shuffle: false, verbose: 0}), {times: 4});
      await expectNoTensorLeaks(() => optimizer.getWeights(), {times: 3});
      tf.dispose([x, y]);
      disposeAll(model, optimizer);
      expect(tf.memory().numTensors).toBe(start);
    }
  });
});

describe('schedules and momentum conventions', () => {
  it('calls the schedule once per step, with steps 0, 1, 2, ... (minimize)', () => {
    const steps: number[] = [];
    const schedule = withSpec({id: 'test/halving', config: {}}, (step: number) => {
      steps.push(step);
      return 0.1 * 0.5 ** step;
    });
    const optimizer = toTfjsOptimizer(sgd({learningRate: schedule}));
    const w = tf.tidy(() => tf.variable(tf.tensor1d([1, 2, 3])));
    const c = tf.tensor1d([0.5, -1, 2]);
    let expected = [1, 2, 3];
    for (let t = 0; t < 6; t++) {
      const cost = optimizer.minimize(() => tf.sum(tf.mul(w, c)), true)!;
      cost.dispose();
      expected = expected.map((v, k) => Math.fround(v - Math.fround(0.1 * 0.5 ** t) * [0.5, -1, 2][k]!));
      expect(Array.from(w.dataSync())).toEqual(expected);
    }
    expect(steps).toEqual([0, 1, 2, 3, 4, 5]);
    expect(optimizer.iterations).toBe(6);
    tf.dispose([w, c]);
    optimizer.dispose();
  });

  it('minimize hands the loss to the transform as extras.loss', () => {
    const losses: number[] = [];
    const inner = sgd({learningRate: 0.1});
    const spy: GradientTransform = {
      init: (params) => inner.init(params),
      update(grads, state, params, extras) {
        losses.push(extras!.loss!.dataSync()[0]!);
        return inner.update(grads, state as readonly StateTree[], params, extras);
      },
    };
    const optimizer = toTfjsOptimizer(spy);
    const w = tf.tidy(() => tf.variable(tf.tensor1d([1, 2])));
    const costs: number[] = [];
    for (let t = 0; t < 3; t++) {
      const cost = optimizer.minimize(() => tf.sum(tf.square(w)), true)!;
      costs.push(cost.dataSync()[0]!);
      cost.dispose();
    }
    expect(losses).toEqual(costs);
    expect(costs[2]).toBeLessThan(costs[0]!);
    w.dispose();
    optimizer.dispose();
  });

  it("sgd with momentum and a schedule follows Keras' v = μv − lr_t·g (float64), not tfjs' rescaled trace", () => {
    const names = Object.keys(SHAPES);
    const vars = makeVariables();
    const tfjsVars = makeVariables();
    const optimizer = toTfjsOptimizer(sgd({learningRate: decay(0.1, 0.8), momentum: 0.9}));
    const momentum = tf.train.momentum(0.1, 0.9);
    const ref = initialValues();
    const velocity = Object.fromEntries(names.map((n) => [n, new Float64Array(ref[n]!.length)]));
    for (let t = 0; t < 20; t++) {
      const lr = 0.1 * 0.8 ** t;
      const g = fixedGrads(t, names);
      optimizer.applyGradients(Object.fromEntries(names.map((n) => [vars[n]!.name, g[n]!])));
      momentum.setLearningRate(lr);
      momentum.applyGradients(names.map((n) => ({name: tfjsVars[n]!.name, tensor: g[n]!})));
      tf.dispose(Object.values(g));
      for (const n of names) {
        fixedGrad64(t, n).forEach((gk, k) => {
          velocity[n]![k] = 0.9 * velocity[n]![k]! - lr * gk;
          ref[n]![k] = ref[n]![k]! + velocity[n]![k]!;
        });
      }
    }
    expect(maxRelDiff(read(vars), ref)).toBeLessThan(1e-6);
    // tfjs multiplies the whole accumulated trace by the current rate.
    expect(maxRelDiff(read(tfjsVars), ref)).toBeGreaterThan(1e-2);
    tf.dispose([...Object.values(vars), ...Object.values(tfjsVars)]);
    optimizer.dispose();
    momentum.dispose();
  });
});

describe('state keyed by tfjs variable names', () => {
  /** Variables named by the fixture names, gradients keyed by the tfjs names. */
  const keyed = (vars: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>) =>
    Object.fromEntries(Object.entries(grads).map(([n, g]) => [vars[n]!.name, g]));

  it('a variable without a gradient keeps its value and slots; a new variable gets fresh ones', async () => {
    const vars = makeVariables();
    const refVars = makeVariables();
    const optimizer = toTfjsOptimizer(adam({learningRate: 0.01}));
    const reference = new StatefulOptimizer(adam({learningRate: 0.01}));
    const steps: (readonly string[])[] = [
      ['dense/kernel', 'dense/bias'],
      ['dense/kernel'],
      ['dense/kernel', 'dense/bias', 'scale/gamma'],
      ['scale/gamma'],
    ];
    reference.init(refVars);
    for (const [t, names] of steps.entries()) {
      const g = fixedGrads(t, names);
      const before = read(vars);
      optimizer.applyGradients(keyed(vars, g));
      reference.applyGradients(g, refVars);
      tf.dispose(Object.values(g));
      for (const n of Object.keys(SHAPES)) if (!names.includes(n)) expect(read(vars)[n]).toEqual(before[n]);
    }
    expect(optimizer.variableNames).toEqual(
      Object.values(vars)
        .map((v) => v.name)
        .sort(),
    );
    // Same as Keras-style slots created up front: 'scale/gamma' starts at zero moments.
    expect(maxRelDiff(read(vars), read(refVars))).toBe(0);
    const weights = await optimizer.getWeights();
    const kernelMu = weights.find((w) => w.name === `${vars['dense/kernel']!.name}/0.mu`)!.tensor;
    const refMu = (reference.getState().state as [{mu: Record<string, tf.Tensor>}])[0].mu;
    expect(Array.from(kernelMu.dataSync())).toEqual(Array.from(refMu['dense/kernel']!.dataSync()));
    tf.dispose(Object.values(refMu));
    tf.dispose([...Object.values(vars), ...Object.values(refVars)]);
    optimizer.dispose();
    reference.dispose();
  });

  it('keeps its state when stepped inside tf.tidy (as tfjs-layers does)', () => {
    const vars = makeVariables();
    const optimizer = toTfjsOptimizer(sgd({momentum: 0.9}));
    for (let t = 0; t < 3; t++) {
      tf.tidy(() => {
        const g = fixedGrads(t);
        optimizer.applyGradients(keyed(vars, g));
      });
    }
    expect(optimizer.iterations).toBe(3);
    tf.dispose(Object.values(vars));
    optimizer.dispose();
  });

  it('getWeights names the state; setWeights restores it and training continues bit for bit', async () => {
    const model = mlp();
    const optimizer = toTfjsOptimizer(adam({learningRate: 0.01}));
    await train(model, optimizer, 1);
    const weights = await optimizer.getWeights();
    const [kernel, bias] = [model.weights[0]!.name, model.weights[1]!.name];
    expect(weights[0]!.name).toBe('iter');
    expect(weights[0]!.tensor.dtype).toBe('int32');
    expect(Array.from(weights[0]!.tensor.dataSync())).toEqual([3]);
    expect(weights.map((w) => w.name)).toEqual(
      expect.arrayContaining(['0.count', '1.count', `${kernel}/0.mu`, `${kernel}/0.nu`, `${bias}/0.mu`]),
    );
    expect(weights).toHaveLength(1 + 2 + 2 * 4);
    const savedOptimizer = weights.map(({name, tensor}) => ({name, tensor: tf.clone(tensor)}));
    const savedModel = model.getWeights().map((w) => tf.clone(w));

    await train(model, optimizer, 2);
    const continued = weightsOf(model);

    model.setWeights(savedModel);
    const restored = toTfjsOptimizer(adam({learningRate: 0.01}));
    await restored.setWeights(savedOptimizer);
    expect(restored.iterations).toBe(3);
    await train(model, restored, 2);
    const resumed = weightsOf(model);
    for (const name of Object.keys(continued)) expect(Array.from(resumed[name]!)).toEqual(Array.from(continued[name]!));

    // A mismatch changes nothing and leaks nothing.
    const before = (await restored.getWeights()).map((w) => Array.from(w.tensor.dataSync()));
    await expectNoNewTensors(async () => {
      await expect(restored.setWeights(savedOptimizer.slice(0, -1))).rejects.toThrow(StateError);
      await expect(restored.setWeights(savedOptimizer.filter((w) => w.name !== 'iter'))).rejects.toThrow(/'iter'/);
      const reshaped = savedOptimizer.map((w) => (w.name === `${bias}/0.mu` ? {name: w.name, tensor: tf.zeros([7])} : w));
      await expect(restored.setWeights(reshaped)).rejects.toThrow(/must be \[6\] float32/);
      tf.dispose(reshaped.find((w) => w.name === `${bias}/0.mu`)!.tensor);
    });
    expect((await restored.getWeights()).map((w) => Array.from(w.tensor.dataSync()))).toEqual(before);

    tf.dispose([...savedModel, ...savedOptimizer.map((w) => w.tensor)]);
    restored.dispose();
    disposeAll(model, optimizer);
  });
});

describe('saving with tfjs-layers', () => {
  it('model.save({includeOptimizer: true}) writes the spec and the named state, leaking nothing', async () => {
    const model = mlp();
    const optimizer = toTfjsOptimizer(sgd({learningRate: 0.05, momentum: 0.9}));
    await train(model, optimizer, 1);
    let artifacts: tf.io.ModelArtifacts | undefined;
    const handler = tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
    });
    await expectNoTensorLeaks(() => model.save(handler, {includeOptimizer: true}), {times: 2});
    expect(artifacts!.trainingConfig!.optimizer_config).toEqual({class_name: 'TrellisOptimizer', config: optimizer.spec});
    const saved = artifacts!.weightSpecs!.filter((s) => s.group === 'optimizer');
    const kernel = model.weights[0]!.name;
    expect(saved.map((s) => s.name)).toEqual(['iter', '0.count', ...model.weights.map((w) => `${w.name}/1.trace`).sort()]);
    expect(saved.find((s) => s.name === `${kernel}/1.trace`)!.shape).toEqual([4, 6]);
    disposeAll(model, optimizer);
  });
});

describe('bad input', () => {
  it.each([
    ['a tfjs optimizer', () => tf.train.adam(0.1), /already a tf.Optimizer/],
    ['a number', () => 0.01, /got 0.01/],
    ['a plain object', () => ({learningRate: 0.01}), /Trellis optimizer/],
    ['null', () => null, /Trellis optimizer/],
  ])('%s is refused with a ConfigError', (_, make, message) => {
    const value = make();
    expect(() => toTfjsOptimizer(value as unknown as GradientTransform)).toThrow(ConfigError);
    expect(() => toTfjsOptimizer(value as unknown as GradientTransform)).toThrow(message);
    if (value !== null && typeof value === 'object' && value instanceof tf.Optimizer) value.dispose();
  });

  it('refuses bad gradients with typed errors and leaves no tensor behind', async () => {
    const vars = makeVariables();
    const optimizer = toTfjsOptimizer(adam());
    const kernel = vars['dense/kernel']!;
    await expectNoNewTensors(() => {
      expect(() => optimizer.applyGradients({[kernel.name]: [1, 2] as unknown as tf.Tensor})).toThrow(ConfigError);
      expect(() => optimizer.applyGradients(5 as unknown as tf.NamedTensorMap)).toThrow(ConfigError);
      expect(() => optimizer.applyGradients({})).toThrow(ConfigError);
      const g = tf.zeros([3, 2]);
      expect(() => optimizer.applyGradients({'no/such/variable': g})).toThrow(StateError);
      const wrong = tf.zeros([2, 3]);
      expect(() => optimizer.applyGradients({[kernel.name]: wrong})).toThrow(ShapeError);
      tf.dispose([g, wrong]);
    });
    expect(optimizer.iterations).toBe(0);
    tf.dispose(Object.values(vars));
    optimizer.dispose();
  });

  it('a transform without a spec trains but cannot give a config to save', () => {
    const optimizer = toTfjsOptimizer(chain(scale(-0.1)));
    expect(() => optimizer.getConfig()).toThrow(ConfigError);
    optimizer.dispose();
  });
});
