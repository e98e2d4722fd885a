// h5wasm throws HDF5 errors through its WebAssembly frames: without the sessions' clean-up, each
// error leaves about 1 KiB of its shadow stack (which then runs into the library's static data)
// and a descriptor open (4,096 in all).
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {KerasFileError, readKerasArchive, readLegacyH5, writeKerasArchive, writeLegacyH5} from '../src/index';
import {h5State, setHeapBound} from '../src/h5-instance';
import {sampleArchive, sampleLegacy} from './helpers';

const fixtures = join(import.meta.dirname, 'fixtures');
const legacy = new Uint8Array(readFileSync(join(fixtures, 'mlp.h5')));
const LAYERS = ['dense', 'dropout', 'dense_1'];

/** `mlp.h5` cut at `n` lengths spread over the file: HDF5 refuses each with errors. */
function truncations(n: number): Uint8Array[] {
  return Array.from({length: n}, (_, i) => legacy.slice(0, 8 + Math.floor(((legacy.length - 64) * i) / n)));
}

describe('the h5wasm instance', () => {
  it('is left as it was by 400 damaged files: same stack pointer, no descriptor or file left open', async () => {
    const before = await h5State();
    expect(before.stackPointer).toBeTypeOf('number');
    let refusedByHdf5 = 0;
    for (const bytes of truncations(400)) {
      try {
        await readLegacyH5(bytes);
      } catch (error) {
        expect(KerasFileError.is(error), String(error)).toBe(true);
        if ((error as Error).message.includes('cannot open as HDF5')) refusedByHdf5++;
      }
    }
    expect(refusedByHdf5).toBeGreaterThan(200);
    const after = await h5State();
    expect(after.generation).toBe(before.generation);
    // Each HDF5 error printed its message to a temporary file, closed by the session.
    expect(after.leaks - before.leaks).toBeGreaterThanOrEqual(refusedByHdf5);
    expect(after.stackPointer).toBe(before.stackPointer);
    expect(after.openDescriptors).toBe(before.openDescriptors);
    expect(after.files).toEqual(before.files);
    expect((await readLegacyH5(legacy)).layers.map((l) => l.name)).toEqual(LAYERS);
  });

  it('writes and reads valid files without a single HDF5 error (absent optional groups are looked up in listings)', async () => {
    const keras = new Uint8Array(readFileSync(join(fixtures, 'mlp.keras')));
    const before = await h5State();
    const written = await writeLegacyH5(sampleLegacy());
    // No optimizer_weights group (a model saved without its optimizer).
    const withoutOptimizer = await writeLegacyH5({...sampleLegacy(), optimizerWeights: []});
    await readLegacyH5(legacy);
    await readLegacyH5(written);
    expect((await readLegacyH5(withoutOptimizer)).optimizerWeights).toBeUndefined();
    await readKerasArchive(keras);
    await readKerasArchive(await writeKerasArchive(sampleArchive()));
    const after = await h5State();
    expect(after.generation).toBe(before.generation);
    expect(after.leaks).toBe(before.leaks);
  });

  it('is replaced once its memory passes the bound, also under concurrent reads', async () => {
    const previous = setHeapBound(1);
    try {
      const first = (await h5State()).generation;
      const results = await Promise.all([readLegacyH5(legacy), readLegacyH5(legacy), readLegacyH5(legacy)]);
      for (const model of results) expect(model.layers.map((l) => l.name)).toEqual(LAYERS);
      expect((await h5State()).generation).toBe(first + 3);
    } finally {
      setHeapBound(previous);
    }
    const state = await h5State();
    expect(state.stackPointer).toBeTypeOf('number');
    expect((await readLegacyH5(legacy)).layers.map((l) => l.name)).toEqual(LAYERS);
    expect((await h5State()).generation).toBe(state.generation);
  });
});
