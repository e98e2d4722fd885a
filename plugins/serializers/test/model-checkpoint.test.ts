import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ConfigError, Sequential, createRegistry, setSeed} from '@trellis/core';
import {dense, meanSquaredError} from '@trellis/layers';
import {sgd} from '@trellis/optimizers';
import {existsSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {expectUnknownOptionRefused, misspell} from '@trellis/testing';
import {fillTemplate} from '../src/filepath-template';
import {loadModel, loadWeights, modelCheckpoint, serializersPlugin} from '../src/index';
import {removeDir, tempDir, testRegistry, tf, useCpu, values} from './helpers';

const registry = testRegistry();
let dir: string;
beforeAll(async () => {
  await useCpu();
  dir = await tempDir();
});
afterAll(() => removeDir(dir));

function data() {
  setSeed(4);
  return {x: tf.randomNormal([32, 3], 0, 1, 'float32', 8), y: tf.randomNormal([32, 1], 0, 1, 'float32', 9)};
}

function makeModel(): Sequential {
  setSeed(3);
  const model = new Sequential([dense({units: 4, activation: 'relu', inputShape: [3]}), dense({units: 1})]);
  model.compile({optimizer: sgd({learningRate: 0.05}), loss: meanSquaredError()});
  return model;
}

describe('filepath templates', () => {
  it('fills {epoch:02d}, {val_loss:.4f} and friends as Python formats them', () => {
    const logs = {val_loss: 0.123456, loss: 12.5, acc: 0.5};
    expect(fillTemplate('ckpt-{epoch:02d}-{val_loss:.4f}', {epoch: 3, logs})).toBe('ckpt-03-0.1235');
    expect(fillTemplate('{epoch}/{loss:.2e}/{acc:.1%}/{loss:6.1f}', {epoch: 12, logs})).toBe('12/1.25e+01/50.0%/  12.5');
    expect(() => fillTemplate('{val_acc:.2f}', {epoch: 1, logs})).toThrow(/val_acc.*val_loss, loss, acc/);
  });
});

describe('modelCheckpoint', () => {
  it('saves every epoch to templated folders, keeps the newest keepLast, and what it saved loads and predicts the same', async () => {
    const {x, y} = data();
    const model = makeModel();
    const callback = modelCheckpoint({filepath: join(dir, 'every', 'ckpt-{epoch:02d}-{val_loss:.4f}'), keepLast: 2});
    const history = await model.fit(x, y, {epochs: 4, batchSize: 8, validationSplit: 0.25, callbacks: [callback]});
    const folders = readdirSync(join(dir, 'every')).sort();
    expect(folders).toHaveLength(2);
    expect(folders[1]).toBe(`ckpt-04-${history.history.val_loss![3]!.toFixed(4)}`);
    const loaded = await loadModel(join(dir, 'every', folders[1]!), {registry});
    expect(values(loaded.predict(x) as tf.Tensor)).toEqual(values(model.predict(x) as tf.Tensor));
    loaded.dispose();
    model.dispose();
    tf.dispose([x, y]);
  });

  it("saveBestOnly saves only improvements of the monitored value: the folder holds the best epoch's weights", async () => {
    const {x, y} = data();
    const model = makeModel();
    const path = join(dir, 'best');
    const snapshots: Float32Array[] = [];
    const history = await model.fit(x, y, {
      epochs: 6,
      batchSize: 8,
      validationSplit: 0.25,
      callbacks: [
        modelCheckpoint({filepath: path, monitor: 'val_loss', saveBestOnly: true, saveWeightsOnly: true}),
        {name: 'snapshot', onEpochEnd: () => void snapshots.push(values(model.predict(x) as tf.Tensor))},
      ],
    });
    const losses = history.history.val_loss!;
    const bestEpoch = losses.indexOf(Math.min(...losses));
    const fresh = makeModel();
    await loadWeights(fresh, path);
    expect(values(fresh.predict(x) as tf.Tensor)).toEqual(snapshots[bestEpoch]);
    fresh.dispose();
    model.dispose();
    tf.dispose([x, y]);
  });

  it('initialValueThreshold must be beaten first; a missing monitor key warns once and saves nothing', async () => {
    const {x, y} = data();
    const model = makeModel();
    const lines: string[] = [];
    const never = modelCheckpoint({
      filepath: join(dir, 'never'),
      saveBestOnly: true,
      initialValueThreshold: 1e-9,
      print: (l) => lines.push(l),
    });
    const missing = modelCheckpoint({
      filepath: join(dir, 'missing'),
      monitor: 'val_accuracy',
      saveBestOnly: true,
      print: (l) => lines.push(l),
    });
    await model.fit(x, y, {epochs: 3, batchSize: 8, validationSplit: 0.25, callbacks: [never, missing]});
    expect(existsSync(join(dir, 'never'))).toBe(false);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
    expect(lines.filter((l) => l.includes('val_accuracy'))).toHaveLength(1);
    expect(never.saved).toEqual([]);
    model.dispose();
    tf.dispose([x, y]);
  });

  it('keeps its best value and saved paths through saveState/loadState', () => {
    const a = modelCheckpoint({filepath: join(dir, 'x'), saveBestOnly: true});
    const b = modelCheckpoint({filepath: join(dir, 'x'), saveBestOnly: true});
    a.loadState!({best: 0.25, saved: ['p1']});
    b.loadState!(JSON.parse(JSON.stringify(a.saveState!())));
    expect(b.best).toBe(0.25);
    expect(b.saved).toEqual(['p1']);
    expect(() => b.loadState!({best: 'x'})).toThrow();
  });

  it('is registered as trellis/modelCheckpoint and rebuilt from its spec', () => {
    const made = modelCheckpoint({filepath: 'runs/{epoch}', saveBestOnly: true, keepLast: 3});
    const rebuilt = createRegistry(serializersPlugin).resolve('callback', JSON.parse(JSON.stringify(made.spec)));
    expect((rebuilt as typeof made).spec).toEqual(made.spec);
  });

  it('refuses bad options', async () => {
    expect(() => modelCheckpoint({} as never)).toThrow(ConfigError);
    expect(() => modelCheckpoint({filepath: 'a/{epoch:xyz}'})).toThrow(/format/);
    expect(() => modelCheckpoint({filepath: 'a', saveFreq: 0})).toThrow(/saveFreq/);
    expect(() => modelCheckpoint({filepath: 'a', keepLast: 0})).toThrow(/keepLast/);
    expect(() => modelCheckpoint({filepath: 'a', mode: 'up' as never})).toThrow(/mode/);
    expect(() => modelCheckpoint({filepath: 'a', monitor: 'custom', saveBestOnly: true})).toThrow(/mode 'auto'/);
    await expectUnknownOptionRefused(
      () => modelCheckpoint({filepath: 'a', [misspell('keepLast')]: 1} as never),
      'modelCheckpoint',
      'keepLast',
    );
  });
});
