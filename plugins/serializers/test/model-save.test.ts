// model.save(url): Keras' spelling of saveModel, set up by serializersPlugin (createTrellis() runs it).
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Sequential, StateError, createRegistry, setModelSaver, setSeed} from '@trellis/core';
import {dense} from '@trellis/layers';
import {adam} from '@trellis/optimizers';
import {catchErrorAsync} from '@trellis/testing';
import {join} from 'node:path';
import {loadModel, serializersPlugin} from '../src/index';
import {data, removeDir, tempDir, testRegistry, tf, useCpu, values} from './helpers';

beforeAll(useCpu);

let dir = '';
afterAll(async () => {
  setModelSaver(undefined);
  if (dir) await removeDir(dir);
});

function trained(): Sequential {
  setSeed(3);
  const model = new Sequential([dense({units: 5, activation: 'relu', inputShape: [4]}), dense({units: 2})]);
  model.compile({optimizer: adam({learningRate: 0.01}), loss: 'meanSquaredError', registry: testRegistry()});
  return model;
}

describe('model.save(url)', () => {
  it('without a saver set up, is a StateError saying how to get one', async () => {
    setModelSaver(undefined);
    const model = trained();
    const error = await catchErrorAsync(() => model.save('/tmp/never-written'));
    expect(error).toBeInstanceOf(StateError);
    expect((error as Error).message).toMatch(/createTrellis\(\)|serializersPlugin|saveModel/);
    model.dispose();
  });

  it.each(['model', 'model.keras', 'model.h5'])(
    'writes what loadModel reads back (%s): same predictions and optimizer step',
    async (name) => {
      createRegistry(serializersPlugin);
      dir ||= await tempDir();
      const model = trained();
      const x = data([8, 4]);
      const y = data([8, 2], 2);
      await model.trainOnBatch(x, y);
      await model.save(join(dir, name));
      const loaded = await loadModel(join(dir, name), {registry: testRegistry()});
      expect(values(loaded.predict(x) as tf.Tensor)).toEqual(values(model.predict(x) as tf.Tensor));
      expect(loaded.optimizer.step).toBe(model.optimizer.step);
      tf.dispose([x, y]);
      model.dispose();
      loaded.dispose();
    },
  );

  it('takes saveModel options and refuses unknown ones', async () => {
    createRegistry(serializersPlugin);
    dir ||= await tempDir();
    const model = trained();
    await model.save(join(dir, 'no-optimizer.keras'), {includeOptimizer: false});
    const error = await catchErrorAsync(() => model.save(join(dir, 'x'), {inclideOptimizer: false}));
    expect((error as Error).message).toMatch(/includeOptimizer/);
    model.dispose();
  });
});
