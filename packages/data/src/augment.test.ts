import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, Sequential} from '@trellis/core';
import {dense as denseLayer, flatten, randomFlip, randomRotation, rescaling} from '@trellis/layers';
import {expectNoTensorLeaks, plainSgd, tinyMse} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {fromTensors, type TensorBatch} from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Eight 3×4 one-channel images with distinct pixels, and their labels 0…7. */
function images() {
  const x = tf.tensor4d(
    Array.from({length: 8 * 12}, (_, i) => i),
    [8, 3, 4, 1],
  );
  const y = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32');
  return {x, y};
}

function read(batches: Iterable<TensorBatch>): {x: number[][]; y: number[]} {
  const out = {x: [] as number[][], y: [] as number[]};
  for (const batch of batches) {
    const rows = batch.x.shape[0]!;
    const values = Array.from(batch.x.dataSync());
    for (let r = 0; r < rows; r++) out.x.push(values.slice(r * 12, (r + 1) * 12));
    out.y.push(...Array.from(batch.y.dataSync()));
    tf.dispose(batch as unknown as tf.TensorContainer);
  }
  return out;
}

/** Image `i` of {@link images}, and its left-right mirror. */
const original = (i: number) => Array.from({length: 12}, (_, k) => i * 12 + k);
const mirrored = (i: number) => Array.from({length: 12}, (_, k) => i * 12 + Math.floor(k / 4) * 4 + (3 - (k % 4)));

describe('fromTensors with augment (ImageDataGenerator.flow)', () => {
  it('runs the layers in training mode on x only, in order, every batch', () => {
    const {x, y} = images();
    const {x: seen, y: labels} = read(
      fromTensors(x, y, {batchSize: 3, augment: [rescaling({scale: 2}), rescaling({scale: 1, offset: 1})]}),
    );
    expect(labels).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(seen).toEqual(labels.map((i) => original(i).map((v) => 2 * v + 1)));
    tf.dispose([x, y]);
  });

  it('flips each image or leaves it, a new draw per batch and pass, the same for the same seed', () => {
    const {x, y} = images();
    const make = (seed: number) => fromTensors(x, y, {batchSize: 4, shuffle: true, seed, augment: randomFlip({mode: 'horizontal'})});
    const a = make(3);
    const b = make(3);
    const passes = [read(a), read(a), read(a)];
    for (const {x: seen, y: labels} of passes) {
      seen.forEach((image, r) => expect([original(labels[r]!), mirrored(labels[r]!)]).toContainEqual(image));
    }
    const flips = (pass: {x: number[][]; y: number[]}) => pass.x.map((image, r) => image[0] !== original(pass.y[r]!)[0]);
    expect(new Set(passes.map((p) => flips(p).join())).size).toBeGreaterThan(1);
    expect(passes.some((pass) => flips(pass).some(Boolean))).toBe(true);
    expect(read(b)).toEqual(passes[0]);
    tf.dispose([x, y]);
  });

  it('trains through fitDataset with no tensor leaked across passes', async () => {
    const {x, y} = images();
    const target = tf.tidy(() => tf.oneHot(y, 8).cast('float32'));
    const model = new Sequential([flatten({inputShape: [3, 4, 1]}), denseLayer({units: 8})]);
    model.compile({optimizer: plainSgd(0.01), loss: tinyMse});
    const dataset = fromTensors(x, target, {batchSize: 4, augment: [randomRotation({factor: 0.05}), rescaling({scale: 1 / 96})]});
    const history = await model.fitDataset(dataset, {epochs: 1, verbose: 0});
    expect(Number.isFinite(history.history.loss![0])).toBe(true);
    await expectNoTensorLeaks(() => model.fitDataset(dataset, {epochs: 2, verbose: 0}), {times: 2});
    model.dispose();
    tf.dispose([x, y, target]);
  });

  it('refuses what is not a layer, and layers with weights', () => {
    const {x, y} = images();
    expect(() => fromTensors(x, y, {batchSize: 2, augment: 'flip' as never})).toThrow(ConfigError);
    expect(() => fromTensors(x, y, {batchSize: 2, augment: [randomFlip(), null as never]})).toThrow(/augment must be a layer/);
    const withWeights = fromTensors(tf.reshape(x, [8, 12]), y, {batchSize: 2, augment: denseLayer({units: 2})});
    expect(() => [...withWeights]).toThrow(/has weights; augmentation takes layers without weights/);
    tf.dispose([x, y]);
  });
});
