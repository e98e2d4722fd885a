// Random damage to valid files: byte flips, truncations, both. Every outcome must be a result or
// a KerasFileError, quickly; nothing may hang, crash or throw anything else.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {KerasFileError, readKerasArchive, readKerasWeightsH5, readLegacyH5, writeKerasArchive} from '../src/index';
import {openZip} from '../src/zip';
import {DEFAULT_LIMITS} from '../src/limits';

const fixtures = join(import.meta.dirname, 'fixtures');

/** A mutation: flips (position as a fraction of the length, xor mask) and an optional cut. */
const mutation = fc.record({
  flips: fc.array(fc.tuple(fc.double({min: 0, max: 1, maxExcluded: true, noNaN: true}), fc.integer({min: 1, max: 255})), {
    minLength: 0,
    maxLength: 4,
  }),
  cut: fc.option(fc.double({min: 0, max: 1, maxExcluded: true, noNaN: true}), {nil: undefined}),
});

function mutate(bytes: Uint8Array, m: {flips: Array<[number, number]>; cut: number | undefined}): Uint8Array {
  const out = bytes.slice(0, m.cut === undefined ? bytes.length : Math.floor(m.cut * bytes.length));
  for (const [at, mask] of m.flips) {
    if (out.length > 0) out[Math.floor(at * out.length)]! ^= mask;
  }
  return out;
}

async function survives(
  read: (bytes: Uint8Array) => Promise<unknown>,
  bytes: Uint8Array,
  runs: number,
  seed: number,
): Promise<{ok: number; refused: Record<string, number>}> {
  const refused: Record<string, number> = {};
  let ok = 0;
  await fc.assert(
    fc.asyncProperty(mutation, async (m) => {
      const start = performance.now();
      try {
        await read(mutate(bytes, m));
        ok++;
      } catch (error) {
        if (!KerasFileError.is(error)) throw error;
        const problem = (error as KerasFileError).problem;
        refused[problem] = (refused[problem] ?? 0) + 1;
      }
      expect(performance.now() - start).toBeLessThan(5000);
    }),
    {numRuns: runs, seed, endOnFailure: true},
  );
  return {ok, refused};
}

describe('fuzzing the readers', () => {
  it('a .keras written by Keras: 300 damaged copies', async () => {
    const bytes = new Uint8Array(readFileSync(join(fixtures, 'mlp.keras')));
    const result = await survives((b) => readKerasArchive(b), bytes, 300, 1);
    expect(result.ok + Object.values(result.refused).reduce((a, b) => a + b, 0)).toBe(300);
    expect(result.refused['truncated'] ?? 0).toBeGreaterThan(0);
  });

  it('its model.weights.h5 alone: 300 damaged copies', async () => {
    const zip = openZip(
      await writeKerasArchive({
        config: {class_name: 'Sequential', config: {}},
        weights: {layers: {'layers/dense': [{dtype: 'float32', shape: [4, 3], values: new Float32Array(12).fill(0.5)}]}},
      }),
      'm',
      DEFAULT_LIMITS,
    );
    const keras = new Uint8Array(readFileSync(join(fixtures, 'mlp.keras')));
    for (const h5 of [zip.read('model.weights.h5')!, openZip(keras, 'm', DEFAULT_LIMITS).read('model.weights.h5')!]) {
      await survives((b) => readKerasWeightsH5(b), h5, 150, 2);
    }
  });

  it('a legacy .h5 written by Keras: 300 damaged copies', async () => {
    const bytes = new Uint8Array(readFileSync(join(fixtures, 'mlp.h5')));
    await survives((b) => readLegacyH5(b), bytes, 300, 3);
  });
});

describe('after a WebAssembly trap in the HDF5 library', () => {
  it('reports a typed error and reads the next file normally', async () => {
    const good = new Uint8Array(readFileSync(join(fixtures, 'mlp.h5')));
    // Damaged heap references of string attributes: the HDF5 library reads out of its memory.
    for (const [at, mask] of [
      [5009, 247],
      [19031, 250],
      [1954, 205],
    ] as const) {
      const bad = good.slice();
      bad[at]! ^= mask;
      await readLegacyH5(bad).catch((error: unknown) => {
        if (!KerasFileError.is(error)) throw error;
      });
      expect((await readLegacyH5(good)).layers.map((l) => l.name)).toEqual(['dense', 'dropout', 'dense_1']);
    }
  });
});
