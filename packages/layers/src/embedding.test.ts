import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, DTypeError, DataError, Sequential, ShapeError, createRegistry, setSeed} from '@trellis/core';
import {catchError, expectNoTensorLeaks, plainSgd, randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {dense, embedding, flatten, layersPlugin, meanSquaredError} from './index';
import {callContext, closeness, uniform} from '../test/testing';
import {contextsDisposedAfterEach} from '../test/build-contexts';

const context = contextsDisposedAfterEach('embedding');

const VOCAB = 7;
const DIM = 3;
const table = uniform(randomGenerator(5), VOCAB * DIM, -1, 1);

function built(inputShape: number[]) {
  const layer = embedding({inputDim: VOCAB, outputDim: DIM, name: 'emb'});
  expect(layer.build(inputShape, context())).toEqual([...inputShape, DIM]);
  layer.embeddings!.assign(tf.tensor2d(table, [VOCAB, DIM]));
  return layer;
}

describe('embedding', () => {
  it('looks up rows, and the table gradient sums the cotangents of each id (float64 reference)', () => {
    const layer = built([4]);
    const ids = [0, 3, 3, 6, 1, 0, 2, 3];
    const dys = uniform(randomGenerator(6), ids.length * DIM, -1, 1);
    const x = tf.tensor2d(ids, [2, 4], 'int32');
    const dy = tf.tensor3d(dys, [2, 4, DIM]);
    const y = layer.call(x, callContext(false));
    expect(y.shape).toEqual([2, 4, DIM]);
    expect(y.dtype).toBe('float32');
    expect(Array.from(y.dataSync())).toEqual(ids.flatMap((id) => table.slice(id * DIM, (id + 1) * DIM)));
    const {grads} = tf.variableGrads(() => tf.sum(tf.mul(dy, layer.call(x, callContext(true)))) as tf.Scalar, [layer.embeddings!]);
    const expected = new Array<number>(VOCAB * DIM).fill(0);
    ids.forEach((id, i) => {
      for (let d = 0; d < DIM; d++) expected[id * DIM + d]! += dys[i * DIM + d]!;
    });
    expect(closeness(grads[layer.embeddings!.name]!.dataSync(), expected, 1e-6, 1e-7)).toBeLessThanOrEqual(1);
    tf.dispose([x, dy, y, ...Object.values(grads)]);
  });

  it("matches tfjs-layers' embedding, and truncates float ids to int32 as Keras does", () => {
    const layer = built([3]);
    const oracle = tfl.layers.embedding({inputDim: VOCAB, outputDim: DIM, weights: [tf.tensor2d(table, [VOCAB, DIM])]});
    const ids = tf.tensor2d([1, 5, 6, 0, 2, 4], [2, 3], 'int32');
    const floats = tf.tensor2d([1.9, 5.2, 6.99, 0.3, 2, 4.5], [2, 3]);
    const ours = layer.call(ids, callContext(false));
    const fromFloats = layer.call(floats, callContext(false));
    const theirs = oracle.apply(ids) as tf.Tensor;
    expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
    expect(Array.from(fromFloats.dataSync())).toEqual(Array.from(ours.dataSync()));
    tf.dispose([ids, floats, ours, fromFloats, theirs]);
    oracle.dispose();
  });

  it('throws a DataError naming the id and where it is for ids out of range or NaN, leaking nothing', async () => {
    const layer = built([3]);
    for (const [values, dtype, shown] of [
      [[1, 7, 2], 'int32', 'id 7 at flat index 1'],
      [[-1, 0, 2], 'int32', 'id -1 at flat index 0'],
      [[1, 2, 7.5], 'float32', 'id 7.5 at flat index 2'],
      [[1, NaN, 2], 'float32', 'id NaN at flat index 1'],
    ] as const) {
      const x = tf.tensor2d([...values], [1, 3], dtype);
      const before = tf.memory().numTensors;
      const error = catchError(() => layer.call(x, callContext(false)));
      expect(tf.memory().numTensors).toBe(before);
      expect(DataError.is(error)).toBe(true);
      expect((error as Error).message).toContain("embedding layer 'emb' has a vocabulary of inputDim 7");
      expect((error as Error).message).toContain(shown);
      expect((error as Error).message).toContain('[1, 3]');
      x.dispose();
    }
    const bools = tf.tensor2d([true, false, true], [1, 3], 'bool');
    expect(DTypeError.is(catchError(() => layer.call(bools, callContext(false))))).toBe(true);
    bools.dispose();
  });

  it('defaults to U(-0.05, 0.05) (Keras "uniform") and round-trips its spec', () => {
    setSeed(3);
    const layer = embedding({inputDim: 50, outputDim: 20});
    const c = context();
    layer.build([2], c);
    const values = Array.from(layer.embeddings!.dataSync());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-0.05);
    expect(Math.max(...values)).toBeLessThan(0.05);
    expect(Math.abs(values.reduce((a, b) => a + b, 0) / values.length)).toBeLessThan(0.005);
    expect(layer.spec.config.embeddingsInitializer).toEqual({id: 'trellis/randomUniform', config: {minval: -0.05, maxval: 0.05}});
    const registry = createRegistry(layersPlugin);
    for (const l of [layer, embedding({inputDim: 4, outputDim: 2, name: 'e', inputShape: [5]})]) {
      expect(registry.resolve('layer', l.spec).spec).toEqual(l.spec);
    }
  });

  it('rejects bad options and shapes with typed errors', () => {
    for (const options of [{inputDim: 0, outputDim: 2}, {inputDim: 3, outputDim: 1.5}, {inputDim: 3}, null]) {
      expect(ConfigError.is(catchError(() => embedding(options as never)))).toBe(true);
    }
    const layer = built([3]);
    const x = tf.tensor2d([1, 2], [1, 2], 'int32');
    const error = catchError(() => layer.call(x, callContext(false)));
    expect(ShapeError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/embedding layer 'emb'.*\[batch, 3\].*\[1, 2\]/);
    x.dispose();
  });

  it('trains inside a Sequential model on the float ids fit passes, without leaks', async () => {
    setSeed(9);
    const model = new Sequential([embedding({inputDim: VOCAB, outputDim: DIM, inputShape: [2]}), flatten(), dense({units: 1})]);
    model.compile({optimizer: plainSgd(0.1), loss: meanSquaredError()});
    const x = tf.tensor2d([0, 1, 2, 3, 4, 5, 6, 0], [4, 2], 'int32');
    const y = tf.tensor2d([1, -1, 0.5, 0], [4, 1]);
    const before = model.getWeights();
    await expectNoTensorLeaks(() => model.fit(x, y, {epochs: 2, batchSize: 2}));
    const after = model.getWeights();
    expect(Array.from(after['embedding/embeddings']!.dataSync())).not.toEqual(Array.from(before['embedding/embeddings']!.dataSync()));
    tf.dispose([x, y, ...Object.values(before), ...Object.values(after)]);
    model.dispose();
  });
});
