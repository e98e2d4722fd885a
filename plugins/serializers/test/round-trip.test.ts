import {describe, expect, it} from 'vitest';
import {FunctionalModel, Sequential, applyLayer, input, model as functional, setSeed} from '@trellis/core';
import {dense} from '@trellis/layers';
import {adam, sgd} from '@trellis/optimizers';
import {accuracy} from '@trellis/metrics';
import {l2} from '@trellis/regularizers';
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {cnn, mlp, twoInputs} from './models';
import {loadModel, saveModel} from '../src/index';
import {data, filesIn, testRegistry, tf, values} from './helpers';
import {scratchDir, useScratchFolders} from './scratch';

const registry = testRegistry();
let dir = '';

useScratchFolders();

async function expectSamePredictions(
  original: {predict(x: never): tf.Tensor | tf.Tensor[]},
  loaded: {predict(x: never): tf.Tensor | tf.Tensor[]},
  x: tf.Tensor | tf.Tensor[],
) {
  const a = values(original.predict(x as never));
  const b = values(loaded.predict(x as never));
  expect(Array.from(b)).toEqual(Array.from(a));
}

describe('saveModel / loadModel round trips (cpu, bit for bit)', () => {
  it('a Sequential MLP: same layers, names, weights and predictions', async () => {
    dir = await scratchDir();
    setSeed(1);
    const model = mlp(l2({l2: 1e-3}));
    model.compile({optimizer: adam({learningRate: 0.01}), loss: 'categoricalCrossentropy', metrics: [accuracy()], registry});
    const x = data([32, 8]);
    const y = tf.cast(
      tf.oneHot(
        tf.tensor1d(
          Array.from({length: 32}, (_, i) => i % 4),
          'int32',
        ),
        4,
      ),
      'float32',
    );
    await model.fit(x, y, {epochs: 2, batchSize: 8});
    await saveModel(model, `file://${dir}`);
    const loaded = await loadModel(dir, {registry});
    expect(loaded).toBeInstanceOf(Sequential);
    expect(loaded.name).toBe(model.name);
    expect((loaded as Sequential).layers.map((l) => l.spec)).toEqual(model.layers.map((l) => l.spec));
    await expectSamePredictions(model, loaded, x);
    expect(loaded.compiled.metrics.map((m) => m.name)).toEqual(model.compiled.metrics.map((m) => m.name));
    const before = tf.memory().numTensors;
    loaded.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
    tf.dispose([x, y]);
  });

  it('a CNN with batch normalization and dropout, trained (moving statistics included)', async () => {
    dir = await scratchDir();
    setSeed(2);
    const model = cnn();
    model.compile({optimizer: sgd({learningRate: 0.05, momentum: 0.9}), loss: 'sparseCategoricalCrossentropy', registry});
    const x = data([16, 8, 8, 1], 3);
    const y = tf.tensor1d(
      Array.from({length: 16}, (_, i) => i % 3),
      'int32',
    );
    await model.fit(x, y, {epochs: 2, batchSize: 4});
    await saveModel(model, dir);
    const loaded = await loadModel(`file://${dir}`, {registry});
    const mean = loaded.weights.find((w) => w.name.endsWith('/moving_mean'))!;
    expect(Array.from(mean.variable.dataSync())).toEqual(Array.from(model.weights.find((w) => w.name === mean.name)!.variable.dataSync()));
    expect(Array.from(mean.variable.dataSync()).some((v) => v !== 0)).toBe(true);
    await expectSamePredictions(model, loaded, x);
    loaded.dispose();
    model.dispose();
    tf.dispose([x, y]);
  });

  it('a two-input functional model with a shared layer', async () => {
    dir = await scratchDir();
    setSeed(3);
    const model = twoInputs();
    model.compile({optimizer: 'adam', loss: 'meanSquaredError', registry});
    const xa = data([10, 5], 4);
    const xb = data([10, 3], 5);
    await saveModel(model, dir);
    const loaded = await loadModel(dir, {registry});
    expect(loaded).toBeInstanceOf(FunctionalModel);
    expect(loaded.inputNames).toEqual(['a', 'b']);
    expect((loaded as FunctionalModel).layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect(loaded.weights.map((w) => w.name)).toEqual(model.weights.map((w) => w.name));
    await expectSamePredictions(model, loaded, [xa, xb]);
    loaded.dispose();
    model.dispose();
    tf.dispose([xa, xb]);
  });

  it('a two-output functional model keeps its per-output losses, loss weights and metrics', async () => {
    dir = await scratchDir();
    setSeed(4);
    const x = input({shape: [4], name: 'x'});
    const h = applyLayer(dense({units: 6, activation: 'relu'}), x);
    const score = applyLayer(dense({units: 1, name: 'score'}), h);
    const label = applyLayer(dense({units: 3, activation: 'softmax', name: 'label'}), h);
    const model = functional({inputs: x, outputs: [score, label]});
    model.compile({
      optimizer: adam(),
      loss: ['meanSquaredError', 'sparseCategoricalCrossentropy'],
      lossWeights: [0.5, 1],
      metrics: {label: [accuracy()]},
      registry,
    });
    await saveModel(model, dir);
    const loaded = await loadModel(dir, {registry});
    expect(loaded.multiOutput).toBe(true);
    expect(loaded.outputNames).toEqual(['score', 'label']);
    expect(loaded.compiled.lossWeights).toEqual([0.5, 1]);
    expect(loaded.compiled.losses.map((l) => l.spec.id)).toEqual(['trellis/meanSquaredError', 'trellis/sparseCategoricalCrossentropy']);
    expect(loaded.compiled.metrics.map((m) => m.name)).toEqual(model.compiled.metrics.map((m) => m.name));
    const xs = data([5, 4], 8);
    const [a, b] = [model.predict(xs) as tf.Tensor[], loaded.predict(xs) as tf.Tensor[]];
    expect(Array.from(b[1]!.dataSync())).toEqual(Array.from(a[1]!.dataSync()));
    tf.dispose([...a, ...b, xs]);
    loaded.dispose();
    model.dispose();
  });

  it('restores the optimizer state by name: training on equals training without the save, bit for bit', async () => {
    dir = await scratchDir();
    const x = data([24, 8], 6);
    const y = tf.cast(
      tf.oneHot(
        tf.tensor1d(
          Array.from({length: 24}, (_, i) => (i * 7) % 4),
          'int32',
        ),
        4,
      ),
      'float32',
    );
    const make = () => {
      const m = new Sequential([dense({units: 12, activation: 'relu', inputShape: [8]}), dense({units: 4, activation: 'softmax'})]);
      m.compile({optimizer: adam({learningRate: 0.01}), loss: 'categoricalCrossentropy', registry});
      return m;
    };
    setSeed(7);
    const model = make();
    await model.fit(x, y, {epochs: 2, batchSize: 6, shuffle: false});
    await saveModel(model, dir);
    const loaded = await loadModel(dir, {registry});
    expect(loaded.optimizer.step).toBe(model.optimizer.step);
    setSeed(8);
    await model.fit(x, y, {epochs: 2, batchSize: 6});
    setSeed(8);
    await loaded.fit(x, y, {epochs: 2, batchSize: 6});
    for (const w of model.weights) {
      const twin = loaded.weights.find((v) => v.name === w.name)!;
      expect(Array.from(twin.variable.dataSync()), w.name).toEqual(Array.from(w.variable.dataSync()));
    }
    // Without the optimizer state, the continuation differs (Adam's moments restart).
    const fresh = await loadModel(dir, {registry, compile: false});
    fresh.compile({optimizer: adam({learningRate: 0.01}), loss: 'categoricalCrossentropy', registry});
    setSeed(8);
    await fresh.fit(x, y, {epochs: 2, batchSize: 6});
    expect(Array.from(fresh.weights[0]!.variable.dataSync())).not.toEqual(Array.from(model.weights[0]!.variable.dataSync()));
    for (const m of [model, loaded, fresh]) m.dispose();
    tf.dispose([x, y]);
  });

  it('writes tfjs-layers names, a trellis metadata block and 4 MB shards', async () => {
    dir = await scratchDir();
    setSeed(9);
    const model = new Sequential([dense({units: 1100, inputShape: [1000], name: 'big'}), dense({units: 2, name: 'head'})]);
    model.compile({optimizer: 'sgd', loss: 'meanSquaredError', registry});
    await saveModel(model, dir);
    const files = await filesIn(dir);
    expect(files.filter((f) => f.endsWith('.bin'))).toHaveLength(2);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology.keras_version).toBe('tfjs-layers 4.22.0');
    expect(json.modelTopology.backend).toBe('tensor_flow.js');
    expect(json.weightsManifest[0].paths).toHaveLength(2);
    expect(json.weightsManifest[0].paths[0]).toMatch(/^group1-shard1of2\.[0-9a-f]{8}\.bin$/);
    expect(json.weightsManifest[0].weights.map((w: {name: string}) => w.name).slice(0, 4)).toEqual([
      'big/kernel',
      'big/bias',
      'head/kernel',
      'head/bias',
    ]);
    const block = json.userDefinedMetadata.trellis;
    expect(block).toMatchObject({format: 'trellis/v1', kind: 'model', backend: 'cpu', compile: {optimizer: {id: 'trellis/sgd'}}});
    expect(typeof block.version).toBe('string');
    expect(Number.isNaN(Date.parse(block.date))).toBe(false);
    const {size} = await import('node:fs/promises').then((fs) => fs.stat(join(dir, json.weightsManifest[0].paths[0])));
    expect(size).toBe(4 * 1024 * 1024);
    model.dispose();
  });

  it('leaks no tensors in save and load', async () => {
    dir = await scratchDir();
    const model = cnn();
    model.compile({optimizer: adam(), loss: 'sparseCategoricalCrossentropy', registry});
    await saveModel(model, dir);
    const before = tf.memory().numTensors;
    await saveModel(model, dir);
    const loaded = await loadModel(dir, {registry});
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
