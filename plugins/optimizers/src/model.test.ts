// The optimizers inside @trellis/core's fit loop: model.compile accepts them
// by object or by id, and model.optimizer exposes their state by name.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {Sequential, StatefulOptimizer, createRegistry, type StateTree} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {tinyDense, tinyMse} from '@trellis/testing';
import {adam} from './adam';
import {optimizersPlugin} from './plugin';
import {sgd} from './sgd';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function data() {
  return tf.tidy(() => {
    const x = tf.tensor2d(Array.from({length: 32}, (_, i) => [Math.sin(i), Math.cos(0.5 * i)]));
    const y = tf.add(tf.matMul(x, tf.tensor2d([[2], [-1]])), 0.5);
    return {x, y};
  });
}

describe('with Sequential', () => {
  it('fit with adam equals a hand-written loop with the same optimizer', async () => {
    const {x, y} = data();
    const model = new Sequential([tinyDense(1, [2])]);
    model.compile({optimizer: adam({learningRate: 0.05}), loss: tinyMse});
    await model.fit(x, y, {epochs: 3, batchSize: 8, shuffle: false});

    // Oracle: the same batches through tf.variableGrads and a StatefulOptimizer.
    const vars = {
      [model.trainableWeights[0]!.name]: tf.variable(tf.fill([2, 1], 0.1)),
      [model.trainableWeights[1]!.name]: tf.variable(tf.zeros([1])),
    };
    const [kName, bName] = model.trainableWeights.map((w) => w.name) as [string, string];
    const opt = new StatefulOptimizer(adam({learningRate: 0.05}));
    for (let epoch = 0; epoch < 3; epoch++) {
      for (let s = 0; s < 32; s += 8) {
        const {grads} = tf.tidy(() => {
          const xb = tf.slice(x, [s, 0], [8, 2]);
          const yb = tf.slice(y, [s, 0], [8, 1]);
          return tf.variableGrads(
            () => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(xb, vars[kName]!), vars[bName]!), yb))) as tf.Scalar,
            [vars[kName]!, vars[bName]!],
          );
        });
        const named = {[kName]: grads[vars[kName]!.name]!, [bName]: grads[vars[bName]!.name]!};
        opt.applyGradients(named, vars);
        tf.dispose(Object.values(grads));
      }
    }
    const weights = model.getWeights();
    const got = Array.from(weights[kName]!.dataSync());
    const want = Array.from(vars[kName]!.dataSync());
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    expect(Math.abs(got[0]! - 0.1)).toBeGreaterThan(0.1);

    // model.optimizer exposes the slots under the weight names.
    const saved = model.optimizer.getState();
    expect(saved.step).toBe(12);
    const moments = (saved.state as Record<string, StateTree>[])[0]!;
    expect(Object.keys(moments.mu as object).sort()).toEqual([bName, kName].sort());
    expect(kName).toMatch(/\/kernel$/);
    model.optimizer.setState(saved);
    tf.dispose([x, y, ...Object.values(weights), ...Object.values(vars)]);
    opt.dispose();
    model.dispose();
  });

  it("compiles with 'sgd' resolved through a registry and learns", async () => {
    const {x, y} = data();
    const model = new Sequential([tinyDense(1, [2])]);
    model.compile({
      optimizer: {id: 'trellis/sgd', config: {learningRate: 0.1, momentum: 0.9}},
      loss: tinyMse,
      registry: createRegistry(optimizersPlugin),
    });
    expect(model.optimizer.spec).toEqual(sgd({learningRate: 0.1, momentum: 0.9}).spec);
    const history = await model.fit(x, y, {epochs: 20, batchSize: 8, shuffle: false});
    const losses = history.history.loss as number[];
    expect(losses[losses.length - 1]!).toBeLessThan(1e-3 * losses[0]!);
    tf.dispose([x, y]);
    model.dispose();
  });
});
