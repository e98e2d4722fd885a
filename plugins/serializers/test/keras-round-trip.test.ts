// Keras 3 `.keras` and legacy `.h5` files through saveModel / loadModel: round trips predict
// bit for bit, training continues exactly, and the weights-only `.weights.h5` file.
import {describe, expect, it} from 'vitest';
import {FunctionalModel, Sequential, setSeed} from '@trellis/core';
import {batchNormalization, dense} from '@trellis/layers';
import {adam, adamw, nadam, rmsprop, sgd, adagrad, adadelta, adamax, lion} from '@trellis/optimizers';
import {readKerasFile, readLegacyH5File} from '@trellis/keras-files';
import {join} from 'node:path';
import {cnn, mlp, twoInputs} from './models';
import {loadModel, loadWeights, saveModel, saveWeights} from '../src/index';
import {data, testRegistry, tf, values} from './helpers';
import {scratchDir, useScratchFolders} from './scratch';

const registry = testRegistry();
let dir = '';

useScratchFolders();

type Case = {
  name: string;
  make: () => Sequential | FunctionalModel;
  x: () => tf.Tensor | tf.Tensor[];
  y: () => tf.Tensor;
  loss: string;
  metric: string;
};

const oneHot = (n: number, k: number) =>
  tf.tidy(() =>
    tf.cast(
      tf.oneHot(
        tf.tensor1d(
          Array.from({length: n}, (_, i) => (i * 7) % k),
          'int32',
        ),
        k,
      ),
      'float32',
    ),
  );

const CASES: Case[] = [
  {name: 'MLP', make: mlp, x: () => data([24, 8]), y: () => oneHot(24, 4), loss: 'categoricalCrossentropy', metric: 'accuracy'},
  {
    name: 'CNN with batch norm and dropout',
    make: cnn,
    x: () => data([12, 8, 8, 1], 2),
    y: () => oneHot(12, 3),
    loss: 'categoricalCrossentropy',
    metric: 'accuracy',
  },
  {
    name: 'two-input functional',
    make: twoInputs,
    x: () => [data([16, 5], 3), data([16, 3], 4)],
    y: () => data([16, 2], 5),
    loss: 'meanSquaredError',
    metric: 'meanAbsoluteError',
  },
];

describe.each(['keras', 'h5'] as const)('saveModel / loadModel as .%s (cpu, bit for bit)', (format) => {
  it.each(CASES)('$name: same predictions, weights, compile settings and optimizer state', async ({make, x, y, loss, metric}) => {
    dir = await scratchDir();
    setSeed(4);
    const model = make();
    model.compile({optimizer: adam({learningRate: 0.01}), loss, metrics: [metric], registry});
    const xs = x();
    const ys = y();
    await model.fit(xs, ys, {epochs: 2, batchSize: 8, verbose: 0} as never);
    const path = join(dir, `model.${format}`);
    await saveModel(model, path);
    const loaded = await loadModel(path, {registry});
    expect(loaded.constructor).toBe(model.constructor);
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect(Array.from(values(loaded.predict(xs as never)))).toEqual(Array.from(values(model.predict(xs as never))));
    expect(loaded.weights.map((w) => w.name)).toEqual(model.weights.map((w) => w.name));
    expect(loaded.optimizer.spec).toEqual(model.optimizer.spec);
    expect(loaded.optimizer.step).toBe(model.optimizer.step);
    const a = model.optimizer.getState();
    const b = loaded.optimizer.getState();
    const flat = (s: unknown): number[] =>
      s instanceof tf.Tensor ? Array.from(s.dataSync()) : typeof s === 'number' ? [s] : Object.values(s as object).flatMap(flat);
    expect(flat(b.state)).toEqual(flat(a.state));
    tf.dispose([...tensors(a.state), ...tensors(b.state)]);
    tf.dispose([xs, ys].flat());
    model.dispose();
    loaded.dispose();
  });
});

function tensors(s: unknown): tf.Tensor[] {
  return s instanceof tf.Tensor ? [s] : typeof s === 'object' && s !== null ? Object.values(s).flatMap(tensors) : [];
}

/** Trains `model` on fixed batches, one step each. */
async function steps(model: Sequential, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    const x = data([8, 8], 100 + i);
    const y = tf.tidy(() =>
      tf.cast(
        tf.oneHot(
          tf.tensor1d(
            [0, 1, 2, 3, 3, 2, 1, 0].map((v) => (v + i) % 4),
            'int32',
          ),
          4,
        ),
        'float32',
      ),
    );
    await model.trainOnBatch(x, y);
    tf.dispose([x, y]);
  }
}

function mlpNoDropout(): Sequential {
  return new Sequential([
    dense({units: 6, activation: 'relu', inputShape: [8]}),
    batchNormalization(),
    dense({units: 4, activation: 'softmax'}),
  ]);
}

const OPTIMIZERS = [
  ['adam', () => adam({learningRate: 0.01})],
  ['adam (amsgrad)', () => adam({learningRate: 0.01, amsgrad: true})],
  ['adamw', () => adamw({learningRate: 0.01})],
  ['sgd with momentum', () => sgd({learningRate: 0.05, momentum: 0.9})],
  ['sgd (nesterov)', () => sgd({learningRate: 0.05, momentum: 0.9, nesterov: true})],
  ['rmsprop (centered, momentum)', () => rmsprop({learningRate: 0.01, momentum: 0.5, centered: true})],
  ['adagrad', () => adagrad({learningRate: 0.05})],
  ['adadelta', () => adadelta({learningRate: 0.5})],
  ['adamax', () => adamax({learningRate: 0.01})],
  ['nadam', () => nadam({learningRate: 0.01})],
  ['lion', () => lion({learningRate: 0.001})],
] as const;

describe.each(['keras', 'h5'] as const)('training continues from a .%s exactly (cpu)', (format) => {
  it.each(OPTIMIZERS)('%s: save after 3 steps, load, 3 more = 6 uninterrupted steps, bit for bit', async (_name, make) => {
    dir = await scratchDir();
    const path = join(dir, `model.${format}`);
    setSeed(9);
    const straight = mlpNoDropout();
    straight.compile({optimizer: make(), loss: 'categoricalCrossentropy', registry});
    setSeed(9);
    const first = mlpNoDropout();
    first.compile({optimizer: make(), loss: 'categoricalCrossentropy', registry});
    await steps(straight, 0, 6);
    await steps(first, 0, 3);
    await saveModel(first, path);
    first.dispose();
    const before = tf.memory().numTensors;
    const resumed = (await loadModel(path, {registry})) as Sequential;
    expect(resumed.optimizer.step).toBe(3);
    await steps(resumed, 3, 6);
    for (const w of straight.weights) {
      expect(
        Array.from(
          resumed.getLayer(w.name.split('/')[0]!) ? values(tf.clone(resumed.weights.find((v) => v.name === w.name)!.variable)) : [],
        ),
        w.name,
      ).toEqual(Array.from(values(tf.clone(w.variable))));
    }
    resumed.dispose();
    expect(tf.memory().numTensors).toBe(before);
    straight.dispose();
  });
});

describe('Keras files: options and refusals', () => {
  it('writes the optimizer state in Keras order and names (iteration, learning_rate, interleaved slots)', async () => {
    dir = await scratchDir();
    setSeed(2);
    const model = mlpNoDropout();
    model.compile({optimizer: adam({learningRate: 0.01}), loss: 'categoricalCrossentropy', registry});
    await steps(model, 0, 2);
    await saveModel(model, join(dir, 'm.keras'));
    await saveModel(model, join(dir, 'm.h5'));
    const archive = await readKerasFile(join(dir, 'm.keras'));
    const vars = archive.optimizer.vars['optimizer']!;
    expect(vars.map((v) => [...v.shape])).toEqual([[], [], [8, 6], [8, 6], [6], [6], [6], [6], [6], [6], [6, 4], [6, 4], [4], [4]]);
    expect(Number(vars[0]!.values[0])).toBe(2);
    expect(vars[1]!.values[0]).toBe(Math.fround(0.01));
    const m = model.optimizer.getState().state as [{mu: Record<string, tf.Tensor>; nu: Record<string, tf.Tensor>}, unknown];
    expect(Array.from(vars[2]!.values as Float32Array)).toEqual(Array.from(m[0].mu['dense/kernel']!.dataSync()));
    expect(Array.from(vars[3]!.values as Float32Array)).toEqual(Array.from(m[0].nu['dense/kernel']!.dataSync()));
    tf.dispose(tensors(m));
    expect(Object.keys(archive.weights.layers).sort()).toEqual(['', 'layers/batch_normalization', 'layers/dense', 'layers/dense_1']);
    expect(archive.weights.layers['layers/batch_normalization']!.map((a) => [...a.shape])).toEqual([[6], [6], [6], [6]]);
    const config = archive.config as {class_name: string; module: string; compile_config: {optimizer: {class_name: string}; loss: unknown}};
    expect([config.module, config.class_name]).toEqual(['keras', 'Sequential']);
    expect(config.compile_config.optimizer.class_name).toBe('Adam');
    expect(config.compile_config.loss).toMatchObject({module: 'keras.losses', class_name: 'CategoricalCrossentropy'});
    const legacy = await readLegacyH5File(join(dir, 'm.h5'));
    expect(legacy.optimizerWeights!.slice(0, 4).map((w) => w.name)).toEqual([
      'adam/iteration',
      'adam/learning_rate',
      'adam/dense_kernel_momentum',
      'adam/dense_kernel_velocity',
    ]);
    expect(legacy.layers.map((l) => l.name)).toEqual(['dense', 'batch_normalization', 'dense_1']);
    model.dispose();
  });

  it('includeOptimizer: false writes no compile config or optimizer state; the model loads uncompiled', async () => {
    dir = await scratchDir();
    const model = mlpNoDropout();
    model.compile({optimizer: adam(), loss: 'categoricalCrossentropy', registry});
    await steps(model, 0, 1);
    await saveModel(model, join(dir, 'm.keras'), {includeOptimizer: false});
    const archive = await readKerasFile(join(dir, 'm.keras'));
    expect('compile_config' in (archive.config as object)).toBe(false);
    expect(archive.optimizer.vars).toEqual({});
    const loaded = await loadModel(join(dir, 'm.keras'), {registry});
    expect(() => loaded.optimizer).toThrow();
    model.dispose();
    loaded.dispose();
  });

  it('refuses an optimizer or option Keras cannot represent, naming it, unless includeOptimizer is false', async () => {
    dir = await scratchDir();
    const model = mlpNoDropout();
    model.compile({optimizer: adam({clipNorm: 1}), loss: 'categoricalCrossentropy', registry});
    await expect(saveModel(model, join(dir, 'm.keras'))).rejects.toThrow(/clipNorm/);
    await saveModel(model, join(dir, 'm.keras'), {includeOptimizer: false});
    model.dispose();
  });

  it("format: 'keras' and 'h5' override the extension; .weights.h5 round-trips the weights", async () => {
    dir = await scratchDir();
    setSeed(3);
    const model = mlpNoDropout();
    await saveModel(model, join(dir, 'model.bin'), {format: 'keras'});
    const loaded = await loadModel(join(dir, 'model.bin'), {format: 'keras', registry});
    const x = data([4, 8]);
    expect(Array.from(values(loaded.predict(x)))).toEqual(Array.from(values(model.predict(x))));
    setSeed(4);
    const other = mlpNoDropout();
    void other.weights;
    await saveWeights(model, join(dir, 'model.weights.h5'));
    await loadWeights(other, join(dir, 'model.weights.h5'));
    expect(Array.from(values(other.predict(x)))).toEqual(Array.from(values(model.predict(x))));
    tf.dispose(x);
    model.dispose();
    loaded.dispose();
    other.dispose();
  });
});
