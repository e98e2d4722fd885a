// Property-based fuzzing of backup decoding: checkpoints written by backupAndRestore, damaged
// (the header edited field by field or byte by byte, the tensor blob flipped, cut or lengthened,
// `latest` rewritten) and random. Decoding must give a well-formed checkpoint or a TrellisError,
// in time, without leaking tensors; a fit resuming from a damaged backup must either run or fail
// with a TrellisError leaving the model's weights as they were.
// Cases per property: TRELLIS_FUZZ_RUNS (the `fuzz` script at the root sets 10,000).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import {applyByteEdit, applyJsonEdits, byteEdits, fuzzRuns, hostileJson, jsonEdits, jsonText} from '@trellis/testing/fuzz';
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Sequential, isTrellisError, setSeed} from '@trellis/core';
import {dense, dropout, meanSquaredError} from '@trellis/layers';
import {adam} from '@trellis/optimizers';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {earlyStopping} from '../early-stopping';
import {backupAndRestore} from './backup-and-restore';
import {BackupFolder} from './backup-folder';
import {decodeCheckpoint} from './checkpoint-codec';

const RUNS = fuzzRuns(30);
const MAX_MS = 5000;
const root = mkdtempSync(join(tmpdir(), 'trellis-backup-fuzz-'));
let valid = '';
let header: Record<string, unknown> = {};
let headerText = '';
let blob = new Uint8Array(0);
let cases = 0;

function makeModel(seed: number): Sequential {
  setSeed(seed);
  const model = new Sequential([dense({units: 4, activation: 'relu', inputShape: [3]}), dropout({rate: 0.25}), dense({units: 2})]);
  model.compile({optimizer: adam({learningRate: 0.02}), loss: meanSquaredError()});
  return model;
}

function data() {
  return {x: tf.randomNormal([12, 3], 0, 1, 'float32', 5), y: tf.randomNormal([12, 2], 0, 1, 'float32', 6)};
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  valid = join(root, 'valid');
  const {x, y} = data();
  const model = makeModel(7);
  await model.fit(x, y, {
    epochs: 1,
    batchSize: 4,
    callbacks: [earlyStopping({patience: 3, monitor: 'loss'}), backupAndRestore({backupDir: valid, deleteCheckpoint: false})],
  });
  model.dispose();
  tf.dispose([x, y]);
  const found = (await new BackupFolder(valid).read())!;
  headerText = found.header;
  header = JSON.parse(headerText) as Record<string, unknown>;
  blob = found.blob.slice();
});
afterAll(() => rmSync(root, {recursive: true, force: true}));

// ---- mutations ------------------------------------------------------------------------------

/** Values that break a checkpoint header's assumptions: the shared hostile values and the format's own words. */
const hostileValue = hostileJson([
  -4,
  4,
  'trellis/checkpoint',
  {$tensor: 0},
  {$tensor: -1},
  {$tensor: 99},
  {name: 'earlyStopping', state: null},
  {rng: 1, rows: null},
  {shape: null, dtype: 'float32', offset: 0, bytes: 0},
]);
const edit = jsonEdits(hostileValue);
const byteEdit = byteEdits();

/** The parts of a header edits aim at (`''`: anywhere). */
const FOCUS = ['', 'training', 'weights', 'optimizer', 'tensors'] as const;

const damage = fc.record({
  header: fc.option(
    fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({
          kind: fc.constant('edits' as const),
          focus: fc.constantFrom(...FOCUS),
          edits: fc.array(edit, {minLength: 1, maxLength: 4}),
        }),
      },
      {weight: 2, arbitrary: byteEdit.map((bytes) => ({kind: 'bytes' as const, bytes}))},
      {weight: 1, arbitrary: fc.oneof(fc.string(), fc.json()).map((text) => ({kind: 'random' as const, text}))},
    ),
    {nil: undefined, freq: 4},
  ),
  blob: fc.option(byteEdit, {nil: undefined, freq: 2}),
});
type Damage = typeof damage extends fc.Arbitrary<infer T> ? T : never;

function damaged(d: Damage): {header: string; blob: Uint8Array} {
  const h = d.header;
  const text =
    h === undefined
      ? headerText
      : h.kind === 'edits'
        ? jsonText(applyJsonEdits(header, h.edits, h.focus))
        : h.kind === 'random'
          ? h.text
          : new TextDecoder().decode(applyByteEdit(new TextEncoder().encode(headerText), h.bytes));
  return {header: text, blob: d.blob ? applyByteEdit(blob, d.blob) : blob};
}

// ---- the properties -------------------------------------------------------------------------

function tensorsOf(container: unknown): tf.Tensor[] {
  const out: tf.Tensor[] = [];
  const walk = (node: unknown) => {
    if (node instanceof tf.Tensor) out.push(node);
    else if (node !== null && typeof node === 'object') for (const v of Object.values(node)) walk(v);
  };
  walk(container);
  return out;
}

function weightValues(model: Sequential): Record<string, number[]> {
  return Object.fromEntries(model.weights.map((w) => [w.name, Array.from(w.variable.dataSync())]));
}

describe('fuzzing decodeCheckpoint', () => {
  it(`damaged checkpoints: a checkpoint or a TrellisError, no tensor left (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(damage, (d) => {
        const {header: text, blob: bytes} = damaged(d);
        const before = tf.memory().numTensors;
        const start = performance.now();
        try {
          const checkpoint = decodeCheckpoint(text, bytes, 'ckpt');
          const tensors = tensorsOf([checkpoint.weights, checkpoint.optimizer.state]);
          expect(Number.isInteger(checkpoint.optimizer.step)).toBe(true);
          expect(typeof checkpoint.training).toBe('object');
          for (const t of tensors) expect(t.isDisposed).toBe(false);
          tf.dispose(tensors);
        } catch (error) {
          if (!isTrellisError(error)) throw error;
        }
        expect(performance.now() - start).toBeLessThan(MAX_MS);
        expect(tf.memory().numTensors).toBe(before);
      }),
      {numRuns: RUNS},
    );
  });

  it(`random bytes: a TrellisError (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), fc.uint8Array({maxLength: 256}), (text, bytes) => {
        const before = tf.memory().numTensors;
        try {
          tf.dispose(tensorsOf(decodeCheckpoint(text, bytes, 'ckpt')));
        } catch (error) {
          if (!isTrellisError(error)) throw error;
        }
        expect(tf.memory().numTensors).toBe(before);
      }),
      {numRuns: RUNS},
    );
  });
});

describe('fuzzing a resume from a damaged backup folder', () => {
  it(`the fit runs, or fails with a TrellisError leaving the weights as they were (${Math.ceil(RUNS / 5)} cases)`, async () => {
    const {x, y} = data();
    const model = makeModel(4);
    tf.tidy(() => model.predict(x));
    await fc.assert(
      fc.asyncProperty(damage, fc.option(fc.string(), {nil: undefined, freq: 8}), async (d, latest) => {
        const dir = join(root, `case-${(cases += 1)}`);
        cpSync(valid, dir, {recursive: true});
        const name = readFileSync(join(dir, 'latest'), 'utf8').trim();
        const {header: text, blob: bytes} = damaged(d);
        writeFileSync(join(dir, name, 'header.json'), text);
        writeFileSync(join(dir, name, 'tensors.bin'), bytes);
        if (latest !== undefined) writeFileSync(join(dir, 'latest'), latest);
        const weights = weightValues(model);
        const before = tf.memory().numTensors;
        const start = performance.now();
        try {
          await model.fit(x, y, {
            epochs: 2,
            batchSize: 4,
            callbacks: [earlyStopping({patience: 3, monitor: 'loss'}), backupAndRestore({backupDir: dir, deleteCheckpoint: false})],
          });
        } catch (error) {
          if (!isTrellisError(error)) throw error;
          expect(weightValues(model)).toEqual(weights);
        }
        expect(performance.now() - start).toBeLessThan(MAX_MS);
        expect(tf.memory().numTensors).toBe(before);
        rmSync(dir, {recursive: true, force: true});
      }),
      {numRuns: Math.ceil(RUNS / 5)},
    );
    model.dispose();
    tf.dispose([x, y]);
  });
});
