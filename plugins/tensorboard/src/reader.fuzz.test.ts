// Property-based fuzzing of the event-file reader: files written by SummaryWriter (scalars,
// histograms, images, text, hparams, a graph), damaged (bytes flipped, cut, lengthened; records
// replaced by protobuf garbage with valid checksums) and random. Reading, and decoding every
// value and graph read, must give a result or a TrellisError, in time.
// Cases per property: TRELLIS_FUZZ_RUNS (the `fuzz` script at the root sets 10,000).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import {isTrellisError} from '@trellis/core';
import {applyByteEdit, byteEdits, fuzzRuns} from '@trellis/testing/fuzz';
import {beforeAll, describe, expect, it} from 'vitest';
import {decodeGraphDef, decodeValue, readEvents} from './reader';
import {frameRecord, scanRecords} from './record';
import {SummaryWriter} from './writer';

const RUNS = fuzzRuns(50);
const MAX_MS = 5000;
let file = new Uint8Array(0);
let records: Uint8Array[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  const chunks: Uint8Array[] = [];
  const w = new SummaryWriter({sink: (b) => void chunks.push(b.slice()), flushSeconds: Infinity});
  w.scalar('loss', 0.5, 1);
  w.scalars({a: Number.NaN, b: -0}, 2);
  w.histogram('weights', [0.1, -2, 3, 3, 0.5], 2);
  const image = tf.ones([1, 2, 2, 3]);
  w.image('input', image, 3);
  image.dispose();
  w.text('notes', '# hello\n*world*', 3);
  w.hparams({lr: 0.01, optimizer: 'adam', decay: true}, {metrics: ['epoch_loss']});
  w.graph({name: 'm', layers: [{name: 'dense', spec: {id: 'trellis/dense', config: {units: 2}}}]});
  await w.close();
  file = new Uint8Array(chunks.flatMap((c) => Array.from(c)));
  records = scanRecords(file).records.map((r) => r.slice());
});

/** Reads `bytes` as an event file and decodes everything in it; only TrellisErrors may come out. */
async function readAll(bytes: Uint8Array): Promise<number> {
  const start = performance.now();
  let decoded = 0;
  try {
    for await (const event of readEvents(bytes)) {
      if (event.what.case === 'summary') {
        for (const value of event.what.value.value) {
          try {
            decodeValue(value);
            decoded++;
          } catch (error) {
            if (!isTrellisError(error)) throw error;
          }
        }
      } else if (event.what.case === 'graphDef') {
        try {
          decodeGraphDef(event.what.value);
          decoded++;
        } catch (error) {
          if (!isTrellisError(error)) throw error;
        }
      }
    }
  } catch (error) {
    if (!isTrellisError(error)) throw error;
  }
  expect(performance.now() - start).toBeLessThan(MAX_MS);
  return decoded;
}

const byteEdit = byteEdits();

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('fuzzing readEvents', () => {
  it(`a file with damaged bytes (${RUNS} cases)`, async () => {
    expect(await readAll(file)).toBeGreaterThan(5);
    await fc.assert(
      fc.asyncProperty(byteEdit, async (m) => {
        await readAll(applyByteEdit(file, m));
      }),
      {numRuns: RUNS},
    );
  });

  it(`records with damaged protobuf and valid checksums (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), byteEdit), {minLength: 1, maxLength: 3}),
        fc.option(fc.uint8Array({maxLength: 64}), {nil: undefined}),
        async (edits, garbage) => {
          const damaged = records.slice();
          for (const [which, m] of edits) damaged[which % damaged.length] = applyByteEdit(damaged[which % damaged.length]!, m);
          if (garbage) damaged.push(garbage);
          await readAll(concat(damaged.map(frameRecord)));
        },
      ),
      {numRuns: RUNS},
    );
  });

  it(`random bytes, framed or not (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({maxLength: 512}), fc.boolean(), async (bytes, framed) => {
        await readAll(framed ? frameRecord(bytes) : bytes);
      }),
      {numRuns: RUNS},
    );
  });
});
