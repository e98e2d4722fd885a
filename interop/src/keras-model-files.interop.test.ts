// Trellis models as Keras 3 files, both directions, through saving.saveModel / saving.loadModel:
// Keras trains small models (an MLP with Dropout, a CNN with BatchNormalization and Dropout, a
// two-input functional model; the dropout rate is 0 in the files trained further, as two libraries
// cannot draw the same masks) for k Adam steps and saves them as .keras and .h5; Trellis loads
// them, predicts the same and continues training exactly where Keras would. Trellis builds and
// trains the same architectures, saves .keras and .h5, and Keras' load_model predicts the same;
// a model Trellis continued and saved continues in Keras as it does in Trellis. Keras'
// MobileNetV2 and ResNet50 (weights=None, 32×32×3, seeded) load from .keras and .h5, predict the same and fine-tune
// with the base frozen (on the wasm backend).
import * as tf from '@tensorflow/tfjs-core';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Sequential, createTrellis, input, layers, model, optimizers, saving, setSeed} from 'trellis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {toTensor} from './harness/cases';
import {expectClose, field, worstErrors} from './harness/compare';
import {runPythonCheck} from './harness/python-check';
import {toHost, type HostTensor, type TreeIn, type TreeOut} from './harness/tensor-tree';

/** Predictions after loading (relative): both sides run the same float32 arithmetic in another order; 2.1e-7 seen. */
const PREDICT = 1e-6;
/** Weights after m more Adam steps from a loaded file. */
const TRAIN = 1e-5;
/** The applications' predictions: about 50 convolutions deep, the same float32 tolerance holds. */
const DEEP = 1e-5;
const LEGACY_COMPILE_NOTE =
  'Compiled the loaded model, but the compiled metrics have yet to be built. `model.compile_metrics` will be empty until you train or evaluate the model.';
const K = 3;
const M = 3;
const BATCH = 16;
const SEED = 11;
const NAMES = ['mlp', 'cnn', 'two'] as const;
type Name = (typeof NAMES)[number];
/** The models Keras continues training from Trellis' file (each costs Keras a compiled train step). */
const REVERSE: readonly Name[] = ['cnn', 'two'];
type AnyModel = Awaited<ReturnType<typeof saving.loadModel>>;

const tensorOf = (t: TreeOut): tf.Tensor | tf.Tensor[] =>
  Array.isArray(t) ? t.map((x) => toTensor(x as HostTensor)) : toTensor(t as HostTensor);

/** The weights in Keras' `get_weights()` order: layer by layer (Keras' order), trainable ones first. */
function kerasOrderWeights(m: AnyModel): Promise<HostTensor[]> {
  const names = m.summary({print: false}).layers.map((row) => row.name);
  const ordered = names.flatMap((name) => {
    const own = m.weights.filter((w) => w.name.slice(0, w.name.lastIndexOf('/')) === name);
    return [...own.filter((w) => w.trainable), ...own.filter((w) => !w.trainable)];
  });
  return Promise.all(ordered.map((w) => toHost(w.variable)));
}

async function predictHost(m: AnyModel, x: tf.Tensor | tf.Tensor[]): Promise<HostTensor> {
  const out = m.predict(x as never) as tf.Tensor;
  const host = await toHost(out);
  out.dispose();
  return host;
}

/** The Trellis twins of the Keras models (same layer classes and names as Keras gives them). */
function trellisModel(name: Name, rate: number) {
  if (name === 'mlp') {
    return new Sequential([
      layers.dense({units: 16, activation: 'relu', inputShape: [12]}),
      layers.dropout({rate}),
      layers.dense({units: 8, activation: 'tanh'}),
      layers.dense({units: 3, activation: 'softmax'}),
    ]);
  }
  if (name === 'cnn') {
    return new Sequential([
      layers.conv2d({filters: 4, kernelSize: 3, padding: 'same', useBias: false, inputShape: [8, 8, 2]}),
      layers.batchNormalization(),
      layers.relu(),
      layers.maxPooling2d({poolSize: 2}),
      layers.dropout({rate}),
      layers.conv2d({filters: 6, kernelSize: 2, useBias: false}),
      layers.batchNormalization(),
      layers.flatten(),
      layers.dense({units: 3, activation: 'softmax'}),
    ]);
  }
  const a = input({shape: [5], name: 'a'});
  const b = input({shape: [3], name: 'b'});
  const shared = layers.dense({units: 4, activation: 'tanh', name: 'shared'});
  const ha = shared.apply(layers.dense({units: 5, name: 'pre_a'}).apply(a));
  const hb = shared.apply(layers.dropout({rate, name: 'drop_b'}).apply(layers.dense({units: 5, name: 'pre_b'}).apply(b)));
  const joined = layers.concatenate({name: 'join'}).apply([ha, hb]);
  return model({inputs: [a, b], outputs: layers.dense({units: 2, name: 'out'}).apply(joined), name: 'two_inputs'});
}

describe('Keras files of Trellis models against Keras 3', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-keras-model-files-'));
  let made: TreeOut;
  let loaded: TreeOut;
  const ours: Record<string, HostTensor | HostTensor[]> = {};
  const fineTuneLosses: Record<string, number[]> = {};
  const timings: string[] = [];

  beforeAll(async () => {
    let t0 = Date.now();
    const {registry} = await createTrellis({backend: 'cpu'});
    made = await runPythonCheck('keras_model_files', 'make', {step: 'make', seed: SEED, k: K, m: M, batch: BATCH});
    timings.push(`Keras make ${Date.now() - t0} ms ${JSON.stringify(field(made, 'timings'))}`);
    t0 = Date.now();
    const folder = field(made, 'folder') as string;
    const files: Record<string, Uint8Array> = {};
    const toLoad: Record<string, TreeIn> = {};
    for (const name of NAMES) {
      const report = field(made, name);
      const batches = (field(report, 'batches') as TreeOut[]).map((b) => ({x: tensorOf(field(b, 'x')), y: tensorOf(field(b, 'y'))}));
      const x = tensorOf(field(report, 'x'));
      const loss = field(report, 'loss') === 'mse' ? 'meanSquaredError' : 'sparseCategoricalCrossentropy';
      for (const ext of ['keras', 'h5']) {
        // (b) Keras' files in Trellis: predictions.
        const m = await saving.loadModel(join(folder, `${name}.${ext}`), {registry});
        ours[`${name}.${ext}`] = await predictHost(m, x);
        // (c) Keras trained k steps; Trellis continues m steps from the file.
        for (const b of batches.slice(K, K + M)) await m.trainOnBatch(b.x as never, b.y as never);
        ours[`${name}.${ext}:after`] = await kerasOrderWeights(m);
        if (ext === 'keras' && REVERSE.includes(name)) {
          // The reverse: Trellis saves here, Keras continues m more steps; Trellis does the same.
          const path = join(dir, `${name}-trellis-k.keras`);
          await saving.saveModel(m, path);
          files[`${name}-trellis-k.keras`] = new Uint8Array(readFileSync(path));
          const next = batches.slice(K + M, K + 2 * M);
          toLoad[`${name}-trellis-k.keras`] = {
            x: field(report, 'x'),
            batches: (field(report, 'batches') as TreeOut[]).slice(K + M, K + 2 * M),
          };
          for (const b of next) await m.trainOnBatch(b.x as never, b.y as never);
          ours[`${name}-trellis-k.keras:after`] = await kerasOrderWeights(m);
        }
        m.dispose();
      }
      // (a) Trellis' own models: built, trained k steps, saved as .keras and .h5.
      setSeed(SEED);
      const own = trellisModel(name, 0.25);
      own.compile({optimizer: optimizers.adam({learningRate: 0.01}), loss, registry});
      for (const b of batches.slice(0, K)) await own.trainOnBatch(b.x as never, b.y as never);
      ours[`${name}-trellis`] = await predictHost(own, x);
      for (const ext of ['keras', 'h5']) {
        const path = join(dir, `${name}-trellis.${ext}`);
        await saving.saveModel(own, path);
        files[`${name}-trellis.${ext}`] = new Uint8Array(readFileSync(path));
        toLoad[`${name}-trellis.${ext}`] = {x: field(report, 'x')};
      }
      own.dispose();
      tf.dispose([x, ...batches.flatMap((b) => [b.x, b.y].flat())]);
    }
    timings.push(`Trellis small models ${Date.now() - t0} ms`);
    // (d) Keras applications: load, predict, fine-tune a new head with the base frozen, on the wasm
    // backend (XNNPACK's convolutions; the frozen base needs no convolution gradients).
    const wasm = (await createTrellis({backend: 'wasm'})).registry;
    for (const name of ['mobilenetv2', 'resnet50']) {
      t0 = Date.now();
      const report = field(made, name);
      const images = toTensor(field(report, 'x') as HostTensor);
      // The legacy .h5 holds the same architecture and weights: it must predict the same.
      const legacy = await saving.loadModel(join(folder, `${name}.h5`), {registry: wasm});
      ours[`${name}.h5`] = await predictHost(legacy, images);
      legacy.dispose();
      timings.push(`${name} .h5 load and predict ${Date.now() - t0} ms`);
      const base = await saving.loadModel(join(folder, `${name}.keras`), {registry: wasm});
      ours[`${name}.keras`] = await predictHost(base, images);
      timings.push(`${name} .keras load and predict ${Date.now() - t0} ms`);
      for (const layer of base.layers) (layer as {trainable: boolean}).trainable = false;
      // The applications are functional models: their symbolic inputs and outputs make the new graph.
      const graph = base as unknown as {readonly inputs: Parameters<typeof model>[0]['inputs']; readonly outputs: readonly never[]};
      const head = layers.dense({units: 3, activation: 'softmax', name: 'head'}).apply(graph.outputs[0]!);
      const tuned = model({inputs: graph.inputs, outputs: head, name: `${name}_tuned`});
      tuned.compile({optimizer: optimizers.adam({learningRate: 0.05}), loss: 'sparseCategoricalCrossentropy', registry: wasm});
      // Two images: the frozen base's forward pass is most of the time on the cpu backend.
      const few = tf.slice(images, [0, 0, 0, 0], [2, 32, 32, 3]);
      const labels = tf.tensor1d([0, 2], 'int32');
      fineTuneLosses[name] = [];
      for (let step = 0; step < 3; step++) {
        const logs = await tuned.trainOnBatch(few, labels);
        fineTuneLosses[name].push((logs as Record<string, number>).loss!);
      }
      tf.dispose([images, few, labels]);
      tuned.dispose();
      timings.push(`Trellis ${name} ${Date.now() - t0} ms`);
    }
    t0 = Date.now();
    loaded = await runPythonCheck('keras_model_files', 'load', {step: 'load', files: toLoad}, files);
    timings.push(`Keras load ${Date.now() - t0} ms`);
  });

  afterAll(() => {
    rmSync(dir, {recursive: true, force: true});
    console.log(`${worstErrors()}\n${timings.join('; ')}`);
  });

  describe.each(NAMES)('%s', (name) => {
    it.each(['keras', 'h5'])(`Trellis loads Keras' .%s and predicts the same (within ${PREDICT})`, async (ext) => {
      await expectClose(
        `${name}.${ext} predictions`,
        ours[`${name}.${ext}`] as HostTensor,
        field(field(made, name), 'predictions'),
        PREDICT,
      );
    });

    it.each(['keras', 'h5'])(`continues Keras' Adam training from the .%s as Keras does (weights within ${TRAIN})`, async (ext) => {
      const theirs = field(field(made, name), 'weightsAfter') as HostTensor[];
      const mine = ours[`${name}.${ext}:after`] as HostTensor[];
      expect(mine.length).toBe(theirs.length);
      for (const [i, w] of mine.entries()) await expectClose(`${name}.${ext} weight ${i} after ${M} more steps`, w, theirs[i], TRAIN);
    });

    it.each(['keras', 'h5'])(`Keras loads Trellis' .%s and predicts the same (within ${PREDICT}), without warnings`, async (ext) => {
      const report = field(loaded, `${name}-trellis.${ext}`);
      await expectClose(`${name}-trellis.${ext} predictions`, ours[`${name}-trellis`] as HostTensor, field(report, 'predictions'), PREDICT);
      // Keras' legacy loader compiles from training_config and says so, for its own .h5 files too.
      const expected = ext === 'h5' ? [LEGACY_COMPILE_NOTE] : [];
      expect(field(report, 'warnings')).toEqual(expected);
    });
  });

  describe.each(REVERSE)('%s, the other way round', (name) => {
    it(`Keras continues the Adam training Trellis saved, as Trellis does (weights within ${TRAIN})`, async () => {
      const report = field(loaded, `${name}-trellis-k.keras`);
      expect(field(report, 'iterations')).toBe(K + M);
      expect(field(report, 'warnings')).toEqual([]);
      const theirs = field(report, 'weightsAfter') as HostTensor[];
      const mine = ours[`${name}-trellis-k.keras:after`] as HostTensor[];
      expect(mine.length).toBe(theirs.length);
      for (const [i, w] of mine.entries()) await expectClose(`${name}-trellis-k weight ${i} after Keras' ${M} steps`, w, theirs[i], TRAIN);
    });
  });

  describe.each(['mobilenetv2', 'resnet50'])('keras.applications %s (weights=None, 32×32×3)', (name) => {
    it.each(['keras', 'h5'])(`loads from Keras' .%s and predicts the same (within ${DEEP})`, async (ext) => {
      await expectClose(`${name}.${ext} predictions`, ours[`${name}.${ext}`] as HostTensor, field(field(made, name), 'predictions'), DEEP);
    });

    it('fine-tunes a new Dense head with the base frozen: the loss falls', () => {
      const losses = fineTuneLosses[name]!;
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
    });
  });
});
