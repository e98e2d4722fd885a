import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {beforeAll, describe, expect, it} from 'vitest';
import {constantInit, mse, sgd, testDense} from '../../test/fixtures';
import {Sequential, StateError, setSeed, type Layer} from '../index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

let counters = 0;

/**
 * Counts its training calls in a non-trainable `calls` weight through
 * `updateState`, and records the value of `calls` each forward pass saw.
 * `plain` layers use only ops that save no tensor for the backward pass
 * (`fill`, `clone`): tfjs keeps those saved tensors when a forward pass
 * throws, which would hide what the step itself leaks.
 */
function counter(options: {inputShape?: number[]; target?: 'own' | 'foreign' | 'trainable'; shape?: number[]; plain?: boolean} = {}) {
  const name = `counter_${++counters}`;
  let calls: tf.Variable;
  let scale: tf.Variable;
  const foreign = tf.variable(tf.tensor1d([0]), false);
  const seen: number[] = [];
  const layer: Layer = {
    name,
    ...(options.inputShape ? {inputShape: options.inputShape} : {}),
    spec: {id: 'test/counter', config: {}},
    build(inputShape, context) {
      scale = context.addWeight({name: 'scale', shape: [1], initializer: constantInit(1)});
      calls = context.addWeight({name: 'calls', shape: [1], initializer: constantInit(0), trainable: false});
      return inputShape;
    },
    call(input, context) {
      seen.push(calls.dataSync()[0]!);
      if (context.training && context.updateState) {
        const target = options.target === 'foreign' ? foreign : options.target === 'trainable' ? scale : calls;
        context.updateState(target, options.plain ? tf.fill(options.shape ?? [1], 7) : tf.add(calls, tf.ones([1])));
      }
      return options.plain ? tf.clone(input) : tf.mul(input, scale);
    },
  };
  return {layer, seen, calls: () => calls.dataSync()[0], foreign};
}

function data() {
  return {x: tf.tensor2d([1, 2, 3, 4, 5, 6], [6, 1]), y: tf.tensor2d([2, 4, 6, 8, 10, 12], [6, 1])};
}

describe('CallContext.updateState', () => {
  it('applies the updates after each training step; the forward pass sees the old values', async () => {
    setSeed(1);
    const c = counter({inputShape: [1]});
    const model = new Sequential([c.layer, testDense(1)]);
    model.compile({optimizer: sgd(0.01), loss: mse});
    const {x, y} = data();
    await model.fit(x, y, {epochs: 2, batchSize: 2, shuffle: false});
    expect(c.calls()).toBe(6);
    expect(c.seen).toEqual([0, 1, 2, 3, 4, 5]);
    await model.evaluate(x, y);
    tf.dispose(model.predict(x));
    expect(c.calls()).toBe(6);
    expect(model.trainableWeights.map((w) => w.name)).toEqual([`${c.layer.name}/scale`, 'dense/kernel', 'dense/bias']);
    tf.dispose([x, y]);
    model.dispose();
  });

  for (const [target, shape, text] of [
    ['foreign', [1], 'not a non-trainable weight of this model'],
    ['trainable', [1], 'not a non-trainable weight of this model'],
    ['own', [2], 'needs a tensor [1] float32; got [2] float32'],
  ] as const) {
    it(`throws a StateError for a bad update (${target} variable, shape [${shape}]) and leaks nothing`, async () => {
      setSeed(1);
      const c = counter({target, shape: [...shape], plain: true});
      const {x, y} = data();
      // A valid update recorded before the bad one is dropped too.
      const valid = counter({inputShape: [1], plain: true});
      const before = tf.memory().numTensors;
      const model = new Sequential([valid.layer, c.layer, testDense(1)]);
      model.compile({optimizer: sgd(0.01), loss: mse});
      const error = await model.fit(x, y, {epochs: 1, batchSize: 2}).catch((e: unknown) => e);
      expect(StateError.is(error)).toBe(true);
      expect((error as Error).message).toContain(text);
      expect(c.calls()).toBe(0);
      expect(valid.calls()).toBe(0);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, y, c.foreign, valid.foreign]);
    });
  }
});
