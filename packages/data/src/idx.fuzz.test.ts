// Property-based fuzzing of the IDX parser and the MNIST and Fashion-MNIST loaders: valid small
// files, damaged (bytes flipped, cut, lengthened; header fields replaced) and random. Every call
// must give checked data or a TrellisError, in time, without leaking tensors.
// Cases per property: TRELLIS_FUZZ_RUNS (the `fuzz` script at the root sets 10,000).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import {mkdtempSync, rmSync, writeFileSync, mkdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {isTrellisError} from '@trellis/core';
import {applyByteEdit, byteEdits, fuzzRuns} from '@trellis/testing/fuzz';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseIdx, type IdxKind} from './idx';
import {loadFashionMnist} from './load-fashion-mnist';
import {loadMnist} from './load-mnist';

const RUNS = fuzzRuns(50);
const MAX_MS = 5000;
const root = mkdtempSync(join(tmpdir(), 'trellis-idx-fuzz-'));
let cases = 0;

beforeAll(() => tf.setBackend('cpu'));
afterAll(() => rmSync(root, {recursive: true, force: true}));

/** A valid IDX file: 3 images of 28 × 28, or 3 labels. */
function idx(kind: IdxKind, count = 3): Uint8Array {
  const dims = kind === 'images' ? [count, 28, 28] : [count];
  const header = 4 + 4 * dims.length;
  const bytes = new Uint8Array(header + dims.reduce((a, b) => a * b, 1));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, kind === 'images' ? 0x803 : 0x801, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = header; i < bytes.length; i++) bytes[i] = (i * 7) % (kind === 'images' ? 256 : 10);
  return bytes;
}

const byteEdit = byteEdits({headerWords: 4});

/** Runs `load`; a result is disposed. Only TrellisErrors may come out, in time, with no tensor left. */
async function survives(load: () => unknown): Promise<void> {
  const before = tf.memory().numTensors;
  const start = performance.now();
  try {
    tf.dispose((await load()) as tf.TensorContainer);
  } catch (error) {
    if (!isTrellisError(error)) throw error;
  }
  expect(performance.now() - start).toBeLessThan(MAX_MS);
  expect(tf.memory().numTensors).toBe(before);
}

describe('fuzzing parseIdx', () => {
  it(`damaged and random files (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<IdxKind>('images', 'labels'),
        fc.oneof(byteEdit, fc.uint8Array({maxLength: 64})),
        fc.record({count: fc.option(fc.nat(5), {nil: undefined}), rows: fc.option(fc.constantFrom(28, 1), {nil: undefined})}),
        async (kind, damage, expected) => {
          const bytes = damage instanceof Uint8Array ? damage : applyByteEdit(idx(kind), damage);
          await survives(() => {
            const parsed = parseIdx(bytes, {kind, file: 'f', ...expected});
            const dims = parsed.kind === 'images' ? parsed.count * parsed.rows * parsed.cols : parsed.count;
            expect(parsed.data.length).toBe(dims);
            return undefined;
          });
        },
      ),
      {numRuns: RUNS},
    );
  });
});

describe('fuzzing loadMnist', () => {
  it(`a folder of damaged IDX files (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(byteEdit, {nil: undefined}),
        fc.option(byteEdit, {nil: undefined}),
        fc.record(
          {validationSplit: fc.constantFrom(0, 0.5, 0.9), flatten: fc.boolean(), samples: fc.integer({min: 1, max: 4})},
          {requiredKeys: ['validationSplit', 'flatten']},
        ),
        async (images, labels, options) => {
          const dir = join(root, `mnist-${(cases += 1)}`);
          mkdirSync(dir);
          writeFileSync(join(dir, 'train-images-idx3-ubyte'), images ? applyByteEdit(idx('images'), images) : idx('images'));
          writeFileSync(join(dir, 'train-labels-idx1-ubyte'), labels ? applyByteEdit(idx('labels'), labels) : idx('labels'));
          await survives(() => loadMnist({split: 'train', dir, ...options}));
          rmSync(dir, {recursive: true, force: true});
        },
      ),
      {numRuns: RUNS},
    );
  });
});

describe('fuzzing loadFashionMnist', () => {
  it(`a folder whose first class file is damaged JSON (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json(),
          fc.string(),
          fc.jsonValue().map((data) => JSON.stringify({data})),
        ),
        async (text) => {
          const dir = join(root, `fashion-${(cases += 1)}`);
          mkdirSync(dir);
          writeFileSync(join(dir, '0.json'), text);
          await survives(() => loadFashionMnist({split: 'test', dir}));
          rmSync(dir, {recursive: true, force: true});
        },
      ),
      {numRuns: RUNS},
    );
  });
});
