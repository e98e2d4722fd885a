import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {ConfigError, FormatError, ShapeError} from '@trellis/core';
import {zipSync} from 'fflate';
import {describe, expect, it} from 'vitest';
import {
  KERAS_ENTRIES,
  KerasFileError,
  readKerasArchive,
  readKerasWeightsH5,
  writeKerasArchive,
  writeKerasWeightsH5,
  type KerasArchiveInput,
} from '../src/index';
import {openZip} from '../src/zip';
import {DEFAULT_LIMITS} from '../src/limits';
import {withH5Writer, ensureGroup} from '../src/h5';
import {expectFileError, f32, indexOfBytes, sampleArchive, u64le} from './helpers';

const text = (s: string) => new TextEncoder().encode(s);

/** The archive's entries, with some replaced. */
async function archiveWith(replace: Record<string, Uint8Array | undefined>): Promise<Uint8Array> {
  const zip = openZip(await writeKerasArchive(sampleArchive()), 'm', DEFAULT_LIMITS);
  const files: Record<string, Uint8Array> = {};
  for (const e of zip.entries) files[e.name] = zip.read(e.name)!;
  for (const [name, bytes] of Object.entries(replace)) {
    if (bytes === undefined) delete files[name];
    else files[name] = bytes;
  }
  return zipSync(files, {level: 0});
}

describe('readKerasArchive / writeKerasArchive', () => {
  it('round-trips config, metadata, every variable (order, shape, dtype, values) and group names', async () => {
    const input = sampleArchive();
    const archive = await readKerasArchive(await writeKerasArchive(input));
    expect(archive.config).toEqual(input.config);
    expect(archive.metadata).toEqual(input.metadata);
    expect(archive.weights.layers).toEqual(input.weights.layers);
    expect(archive.weights.names).toEqual(input.weights.names);
    expect(archive.optimizer.vars).toEqual(input.optimizer!.vars);
    expect(archive.optimizer.names).toEqual({optimizer: 'adam'});
    expect(Object.keys(archive.weights.layers)).toEqual(['', 'layers/batch_normalization', 'layers/dense', 'layers/dense_1']);
  });

  it('keeps every written dtype, scalars and nested paths', async () => {
    const arrays = [
      {dtype: 'float32', shape: [], values: Float32Array.of(1.5)},
      {dtype: 'float64', shape: [2], values: Float64Array.of(0.1, -1e300)},
      {dtype: 'int8', shape: [2], values: Int8Array.of(-128, 127)},
      {dtype: 'uint8', shape: [1], values: Uint8Array.of(255)},
      {dtype: 'int16', shape: [1], values: Int16Array.of(-300)},
      {dtype: 'uint16', shape: [1], values: Uint16Array.of(65535)},
      {dtype: 'int32', shape: [1, 1], values: Int32Array.of(-(2 ** 31))},
      {dtype: 'uint32', shape: [2], values: Uint32Array.of(0, 2 ** 32 - 1)},
      {dtype: 'int64', shape: [], values: BigInt64Array.of(-(2n ** 62n))},
      {dtype: 'uint64', shape: [1], values: BigUint64Array.of(2n ** 64n - 1n)},
    ] as const;
    const input: KerasArchiveInput = {
      config: {class_name: 'Functional', config: {layers: []}},
      weights: {layers: {'layers/functional/layers/dense': [...arrays]}},
      optimizer: {vars: {optimizer: [], 'optimizer/inner_optimizer': [f32([2])]}},
    };
    const archive = await readKerasArchive(await writeKerasArchive(input));
    expect(archive.weights.layers['layers/functional/layers/dense']).toEqual(arrays);
    expect(archive.optimizer.vars).toEqual({optimizer: [], 'optimizer/inner_optimizer': [f32([2])]});
    expect(archive.metadata).toMatchObject({keras_version: '3.15.1'});
    expect(String((archive.metadata as {date_saved: string}).date_saved)).toMatch(/^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);
  });

  it("reads and writes Python's NaN and Infinity in JSON", async () => {
    const configText = '{"class_name": "Sequential", "config": {"a": NaN, "b": -Infinity, "c": [Infinity], "s": "NaN Infinity \\" NaN"}}';
    const archive = await readKerasArchive(await archiveWith({[KERAS_ENTRIES.config]: text(configText)}));
    expect(archive.config).toEqual({class_name: 'Sequential', config: {a: NaN, b: -Infinity, c: [Infinity], s: 'NaN Infinity " NaN'}});
    const again = await readKerasArchive(await writeKerasArchive({...sampleArchive(), config: archive.config}));
    expect(again.config).toEqual(archive.config);
    const zip = openZip(await writeKerasArchive({...sampleArchive(), config: archive.config}), 'm', DEFAULT_LIMITS);
    expect(new TextDecoder().decode(zip.read('config.json'))).toBe(
      '{"class_name":"Sequential","config":{"a":NaN,"b":-Infinity,"c":[Infinity],"s":"NaN Infinity \\" NaN"}}',
    );
  });

  it('refuses config.json that is not JSON, naming the part', async () => {
    const error = await expectFileError(
      readKerasArchive(await archiveWith({[KERAS_ENTRIES.config]: text('{"class_name": "Sequential", oops')})),
      'invalid',
      'config.json',
    );
    expect(error.message).toMatch(/^model\.keras, config\.json: not valid JSON/);
    await expectFileError(
      readKerasArchive(await archiveWith({[KERAS_ENTRIES.config]: new Uint8Array([0xff, 0xfe, 0x7b])})),
      'invalid',
      'config.json',
    );
    await expectFileError(readKerasArchive(await archiveWith({[KERAS_ENTRIES.config]: text('[1, 2]')})), 'invalid', 'config.json');
    await expectFileError(readKerasArchive(await archiveWith({[KERAS_ENTRIES.metadata]: text('nope')})), 'invalid', 'metadata.json');
    await expectFileError(readKerasArchive(await archiveWith({}), {maxJsonBytes: 10}), 'limit', 'config.json');
  });

  it('needs config.json and model.weights.h5; metadata.json is optional', async () => {
    await expectFileError(readKerasArchive(await archiveWith({[KERAS_ENTRIES.config]: undefined})), 'invalid', 'config.json');
    await expectFileError(readKerasArchive(await archiveWith({[KERAS_ENTRIES.weights]: undefined})), 'invalid', 'model.weights.h5');
    await expectFileError(
      readKerasArchive(await archiveWith({[KERAS_ENTRIES.weights]: undefined, 'model.weights.npz': new Uint8Array(4)})),
      'unsupported',
      'model.weights.h5',
    );
    expect((await readKerasArchive(await archiveWith({[KERAS_ENTRIES.metadata]: undefined}))).metadata).toEqual({});
  });

  it('reports a truncated or damaged model.weights.h5 by name', async () => {
    const h5 = await writeKerasWeightsH5(sampleArchive().weights);
    for (const cut of [h5.length - 1, Math.floor(h5.length / 2), 600, 100, 5]) {
      const error = await expectFileError(
        readKerasArchive(await archiveWith({[KERAS_ENTRIES.weights]: h5.subarray(0, cut)})),
        cut === 5 ? 'truncated' : 'truncated',
        /^model\.weights\.h5/,
      );
      expect(error.message).toMatch(/^model\.keras, model\.weights\.h5/);
    }
    await expectFileError(
      readKerasArchive(await archiveWith({[KERAS_ENTRIES.weights]: text('certainly not an HDF5 file')})),
      'corrupt',
      'model.weights.h5',
    );
  });

  it('refuses a dataset whose declared shape is larger than its data', async () => {
    const weights = {layers: {'layers/dense': [{dtype: 'float32' as const, shape: [3, 1021], values: new Float32Array(3 * 1021).fill(1)}]}};
    const h5 = await writeKerasWeightsH5(weights);
    const pattern = new Uint8Array([...u64le(3), ...u64le(1021)]);
    const patch = (to: number): Uint8Array => {
      const out = h5.slice();
      let at = indexOfBytes(out, pattern);
      expect(at).toBeGreaterThan(0);
      while (at >= 0) {
        out.set(u64le(to), at + 8);
        at = indexOfBytes(out, pattern, at + 16);
      }
      return out;
    };
    // Far beyond the file, and just beyond the data (within the file): both refused before any
    // data is read (HDF5's own layout check, then ours on the declared size).
    for (const declared of [1_021_000, 1022]) {
      const error = await expectFileError(readKerasWeightsH5(patch(declared)), 'corrupt', 'model.weights.h5: /layers/dense/vars/0');
      expect(error.message).toMatch(/invalid dataset size/);
    }
    // Over the limit.
    await expectFileError(readKerasWeightsH5(h5, {maxDatasetBytes: 1000}), 'limit', 'model.weights.h5: /layers/dense/vars/0');
    await expectFileError(readKerasArchive(await archiveWith({}), {maxTotalDatasetBytes: 40}), 'limit', /^model\.weights\.h5: \/layers\//);
  });

  it('refuses soft and external links, and vars that are not numbered 0..n-1', async () => {
    const soft = await withH5Writer((file) => {
      ensureGroup(file, 'layers/dense/vars').create_dataset({name: '0', data: Float32Array.of(1), shape: [1], dtype: '<f'});
      ensureGroup(file, 'layers/other').create_soft_link('/layers/dense/vars', 'vars');
    });
    await expectFileError(readKerasWeightsH5(soft), 'unsafe', 'model.weights.h5: /layers/other/vars');
    const external = await withH5Writer((file) => {
      ensureGroup(file, 'layers/dense').create_external_link('/etc/passwd.h5', '/x', 'vars');
    });
    await expectFileError(readKerasWeightsH5(external), 'unsafe', 'model.weights.h5: /layers/dense/vars');
    const gap = await withH5Writer((file) => {
      const vars = ensureGroup(file, 'layers/dense/vars');
      vars.create_dataset({name: '0', data: Float32Array.of(1), shape: [1], dtype: '<f'});
      vars.create_dataset({name: '2', data: Float32Array.of(1), shape: [1], dtype: '<f'});
    });
    await expectFileError(readKerasWeightsH5(gap), 'invalid', 'model.weights.h5: /layers/dense/vars');
    const named = await withH5Writer((file) => {
      ensureGroup(file, 'layers/dense/vars').create_dataset({name: 'kernel', data: Float32Array.of(1), shape: [1], dtype: '<f'});
    });
    await expectFileError(readKerasWeightsH5(named), 'invalid', 'model.weights.h5: /layers/dense/vars/kernel');
    const stray = await withH5Writer((file) => {
      ensureGroup(file, 'layers').create_dataset({name: 'x', data: Float32Array.of(1), shape: [1], dtype: '<f'});
    });
    await expectFileError(readKerasWeightsH5(stray), 'invalid', 'model.weights.h5: /layers/x');
    const strings = await withH5Writer((file) => {
      ensureGroup(file, 'layers/dense/vars').create_dataset({name: '0', data: ['a', 'b']});
    });
    await expectFileError(readKerasWeightsH5(strings), 'unsupported', 'model.weights.h5: /layers/dense/vars/0');
  });

  it('refuses a global heap object of size 0 (on which the HDF5 library would loop forever)', async () => {
    const keras = new Uint8Array(readFileSync(join(import.meta.dirname, 'fixtures', 'mlp.keras')));
    const h5 = openZip(keras, 'mlp.keras', DEFAULT_LIMITS).read('model.weights.h5')!.slice();
    const heap = indexOfBytes(h5, text('GCOL'));
    expect(heap).toBeGreaterThan(0);
    // Find the free-space object (index 0) and set its size to 0.
    const view = new DataView(h5.buffer, h5.byteOffset);
    let p = heap + 16;
    while (view.getUint16(p, true) !== 0) p += 16 + Math.ceil(view.getUint32(p + 8, true) / 8) * 8;
    view.setUint32(p + 8, 0, true);
    view.setUint32(p + 12, 0, true);
    const error = await expectFileError(readKerasWeightsH5(h5), 'corrupt', `model.weights.h5: global heap at byte ${heap}`);
    expect(error.message).toContain('object 0 has size 0');
  });

  it('limits nesting depth and object count', async () => {
    const deep = await withH5Writer((file) => {
      ensureGroup(file, Array.from({length: 12}, (_, i) => `g${i}`).join('/'));
    });
    await expectFileError(readKerasWeightsH5(deep, {maxDepth: 8}), 'limit');
    await expectFileError(readKerasWeightsH5(deep, {maxObjects: 5}), 'limit');
    await expect(readKerasWeightsH5(deep)).resolves.toEqual({weights: {layers: {}, names: {}}, optimizer: {vars: {}, names: {}}});
  });

  it('checks what it writes', async () => {
    const base = sampleArchive();
    const withLayer = (arrays: unknown[], path = 'layers/dense'): KerasArchiveInput => ({
      ...base,
      weights: {layers: {[path]: arrays as never}},
    });
    await expect(writeKerasArchive(withLayer([{dtype: 'float32', shape: [2, 2], values: new Float32Array(3)}]))).rejects.toThrow(
      ShapeError,
    );
    await expect(writeKerasArchive(withLayer([{dtype: 'float32', shape: [2], values: new Int32Array(2)}]))).rejects.toThrow(ConfigError);
    await expect(writeKerasArchive(withLayer([{dtype: 'float16', shape: [2], values: new Float32Array(2)}]))).rejects.toThrow(
      /read but not written/,
    );
    await expect(writeKerasArchive(withLayer([{dtype: 'complex64', shape: [2], values: new Float32Array(2)}]))).rejects.toThrow(
      /unknown dtype/,
    );
    await expect(writeKerasArchive(withLayer([{dtype: 'float32', shape: [0], values: new Float32Array(0)}]))).rejects.toThrow(ShapeError);
    await expect(writeKerasArchive(withLayer([], 'layers/../x'))).rejects.toThrow(ConfigError);
    await expect(writeKerasArchive(withLayer([], 'layers/dense/vars'))).rejects.toThrow(ConfigError);
    await expect(writeKerasArchive(withLayer([], 'optimizer'))).rejects.toThrow(/belongs in optimizer.vars/);
    await expect(writeKerasArchive({...base, config: [] as never})).rejects.toThrow(ConfigError);
    await expect(writeKerasArchive({...base, optimizer: {vars: {'layers/x': []}}})).rejects.toThrow(/belongs in weights.layers/);
  });

  it('throws FormatError subclasses that carry file, part and problem', async () => {
    const error = await expectFileError(readKerasArchive(new Uint8Array(10), undefined, 'x/y.keras'), 'truncated');
    expect(error.file).toBe('x/y.keras');
    expect(error.message).toMatch(/^x\/y\.keras, zip central directory: /);
    expect(FormatError.is(error)).toBe(true);
    expect(KerasFileError.is(new FormatError('plain'))).toBe(false);
    expect(error.name).toBe('FormatError');
  });
});
