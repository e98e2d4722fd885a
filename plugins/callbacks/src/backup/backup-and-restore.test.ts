import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {ConfigError, DataError, Sequential, StateError, setSeed} from '@trellis/core';
import {dense, dropout, meanSquaredError} from '@trellis/layers';
import {adam} from '@trellis/optimizers';
import {expectUnknownOptionRefused, misspell} from '@trellis/testing';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {earlyStopping} from '../early-stopping';
import {backupAndRestore} from './backup-and-restore';

beforeAll(() => tf.setBackend('cpu'));
const root = mkdtempSync(join(tmpdir(), 'trellis-backup-'));
afterAll(() => rmSync(root, {recursive: true, force: true}));
let folders = 0;
const freshDir = () => join(root, `run-${(folders += 1)}`);

function data() {
  setSeed(11);
  return {x: tf.randomNormal([36, 3], 0, 1, 'float32', 5), y: tf.randomNormal([36, 2], 0, 1, 'float32', 6)};
}

function makeModel(seed: number): Sequential {
  setSeed(seed);
  const model = new Sequential([dense({units: 6, activation: 'relu', inputShape: [3]}), dropout({rate: 0.25}), dense({units: 2})]);
  model.compile({optimizer: adam({learningRate: 0.02}), loss: meanSquaredError()});
  return model;
}

function weightsOf(model: Sequential): Record<string, number[]> {
  const w = model.getWeights();
  const out = Object.fromEntries(Object.entries(w).map(([k, t]) => [k, Array.from(t.dataSync())]));
  tf.dispose(Object.values(w));
  return out;
}

const OPTIONS = {epochs: 5, batchSize: 8, validationSplit: 0.25};

/** Throws once, at `epoch`/`batch`: a crash in the middle of a run. */
function crashAt(epoch: number, batch: number) {
  return {
    name: 'crash',
    onBatchEnd: (c: {epoch: number; batch: number}) => {
      if (c.epoch === epoch && c.batch === batch) throw new Error('simulated crash');
    },
  };
}

async function uninterrupted(): Promise<Record<string, number[]>> {
  const {x, y} = data();
  const model = makeModel(7);
  await model.fit(x, y, {...OPTIONS, callbacks: [earlyStopping({patience: 10, monitor: 'val_loss'})]});
  const weights = weightsOf(model);
  model.dispose();
  tf.dispose([x, y]);
  return weights;
}

/**
 * A one-epoch run of a seed-3 model that keeps its backup in a fresh folder:
 * the data, the model, a seed-4 model to resume into (`fresh`), the folder, the
 * backup's folder name (`latest`), its header's path and parsed content, and
 * `dispose()` freeing both models and the data.
 */
async function keptBackup() {
  const dir = freshDir();
  const {x, y} = data();
  const model = makeModel(3);
  await model.fit(x, y, {...OPTIONS, epochs: 1, callbacks: [backupAndRestore({backupDir: dir, deleteCheckpoint: false})]});
  const latest = readFileSync(join(dir, 'latest'), 'utf8');
  const headerPath = join(dir, latest, 'header.json');
  const header = JSON.parse(readFileSync(headerPath, 'utf8'));
  const fresh = makeModel(4);
  const dispose = () => {
    model.dispose();
    fresh.dispose();
    tf.dispose([x, y]);
  };
  return {dir, x, y, fresh, latest, headerPath, header, dispose};
}

/** Fits `model` for {@link OPTIONS} resuming from the backups in `dir`. */
const resumeFrom = (model: Sequential, x: tf.Tensor, y: tf.Tensor, dir: string) =>
  model.fit(x, y, {...OPTIONS, callbacks: [backupAndRestore({backupDir: dir})]});

describe('backupAndRestore', () => {
  for (const saveFreq of ['epoch', 2] as const) {
    it(`a crashed run restarted in a fresh model ends with the uninterrupted weights, bit for bit (saveFreq ${saveFreq})`, async () => {
      const reference = await uninterrupted();
      const dir = freshDir();
      const {x, y} = data();
      const crashed = makeModel(7);
      const before = tf.memory().numTensors;
      await expect(
        crashed.fit(x, y, {
          ...OPTIONS,
          callbacks: [earlyStopping({patience: 10}), backupAndRestore({backupDir: dir, saveFreq}), crashAt(3, 1)],
        }),
      ).rejects.toThrow('simulated crash');
      expect(tf.memory().numTensors).toBe(before);
      crashed.dispose();
      expect(existsSync(join(dir, 'latest'))).toBe(true);
      const restarted = makeModel(12345);
      await restarted.fit(x, y, {...OPTIONS, callbacks: [earlyStopping({patience: 10}), backupAndRestore({backupDir: dir, saveFreq})]});
      expect(weightsOf(restarted)).toEqual(reference);
      // A run that ends normally deletes its backups.
      expect(existsSync(dir)).toBe(false);
      restarted.dispose();
      tf.dispose([x, y]);
    });
  }

  it('keeps the newest `keep` backups and leaves no temporary files', async () => {
    const dir = freshDir();
    const {x, y} = data();
    const model = makeModel(3);
    await model.fit(x, y, {...OPTIONS, callbacks: [backupAndRestore({backupDir: dir, saveFreq: 1, keep: 2, deleteCheckpoint: false})]});
    const entries = readdirSync(dir).sort();
    expect(entries.filter((e) => e.startsWith('ckpt-'))).toHaveLength(2);
    expect(entries.filter((e) => e.startsWith('.tmp'))).toEqual([]);
    expect(entries).toContain('latest');
    model.dispose();
    tf.dispose([x, y]);
  });

  it('refuses a truncated or corrupt backup with a DataError naming it, touching nothing', async () => {
    const {dir, x, y, fresh, latest, headerPath, dispose} = await keptBackup();
    const blobPath = join(dir, latest, 'tensors.bin');
    const blob = readFileSync(blobPath);
    const untouched = weightsOf(fresh);
    writeFileSync(blobPath, blob.subarray(0, blob.length - 8));
    await expect(resumeFrom(fresh, x, y, dir)).rejects.toThrow(DataError);
    writeFileSync(blobPath, blob);
    writeFileSync(headerPath, '{"format": "trellis/check');
    await expect(resumeFrom(fresh, x, y, dir)).rejects.toThrow(/not JSON/);
    writeFileSync(join(dir, 'latest'), '../../etc/passwd');
    await expect(resumeFrom(fresh, x, y, dir)).rejects.toThrow(/not a checkpoint/);
    expect(weightsOf(fresh)).toEqual(untouched);
    dispose();
  });

  it('a backup the fit refuses after onFitStart (a damaged data state) leaves the model as it was', async () => {
    const {dir, x, y, fresh, headerPath, header, dispose} = await keptBackup();
    tf.tidy(() => fresh.predict(x));
    const untouched = weightsOf(fresh);
    const tensors = tf.memory().numTensors;
    for (const damage of [
      (h: any) => delete h.training.data.rows, // refused by the loop after onFitStart (found by fuzzing)
      (h: any) => (h.training.batch = -1), // refused by resume
      (h: any) => (h.optimizer.step = -1), // refused by the optimizer, after the weights were set
    ]) {
      const damaged = structuredClone(header);
      damage(damaged);
      writeFileSync(headerPath, JSON.stringify(damaged));
      const error = await resumeFrom(fresh, x, y, dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StateError);
      expect(weightsOf(fresh)).toEqual(untouched);
      expect(fresh.optimizer.step).toBe(0);
      expect(tf.memory().numTensors).toBe(tensors);
    }
    dispose();
  });

  // A saved batch order must be a permutation of the rows (found by checkpoint-codec.fuzz.test.ts).
  it('a batch order naming a missing row is a StateError', async () => {
    const {dir, x, y, fresh, headerPath, header, dispose} = await keptBackup();
    header.training.data.rows.order[0] = 2147483648;
    writeFileSync(headerPath, JSON.stringify(header));
    const error = await resumeFrom(fresh, x, y, dir).catch((e: unknown) => e);
    dispose();
    expect(error).toBeInstanceOf(StateError);
  });

  it('refuses bad options', async () => {
    expect(() => backupAndRestore({} as never)).toThrow(ConfigError);
    expect(() => backupAndRestore({backupDir: ''})).toThrow(/backupDir/);
    expect(() => backupAndRestore({backupDir: 'x', saveFreq: 0})).toThrow(/saveFreq/);
    expect(() => backupAndRestore({backupDir: 'x', saveFreq: 'batch' as never})).toThrow(/saveFreq/);
    expect(() => backupAndRestore({backupDir: 'x', keep: 0})).toThrow(/keep/);
    await expectUnknownOptionRefused(() => backupAndRestore({backupDir: 'x', [misspell('keep')]: 1} as never), 'backupAndRestore', 'keep');
  });
});
