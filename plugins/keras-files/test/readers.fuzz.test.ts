// Property-based fuzzing of the readers: valid files (written by Keras, and by this package)
// damaged byte by byte; zips rebuilt with lying headers, hostile and duplicated names, deflate
// bombs; HDF5 files built with hostile structure (links, odd names, every dtype and shape, deep
// nesting, non-JSON configs); random bytes. Every outcome must be a result or a KerasFileError,
// quickly; nothing may hang, crash or throw anything else.
// Cases per property: TRELLIS_FUZZ_RUNS (the `fuzz` script at the root sets 10,000).
import {mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import fc from 'fast-check';
import {deflateSync} from 'fflate';
import type {Group as H5Group} from 'h5wasm';
import {afterAll, describe, expect, it} from 'vitest';
import {
  KerasFileError,
  readKerasArchive,
  readKerasFile,
  readKerasWeightsH5,
  readLegacyH5,
  writeKerasArchive,
  type KerasFileLimits,
} from '../src/index';
import {withH5Writer} from '../src/h5';
import {h5State} from '../src/h5-instance';
import {openZip} from '../src/zip';
import {DEFAULT_LIMITS} from '../src/limits';
import {rawZip, sampleArchive, type RawEntry} from './helpers';

const RUNS = Number(process.env.TRELLIS_FUZZ_RUNS) || 40;
const MAX_MS = 5000;
const fixtures = join(import.meta.dirname, 'fixtures');
const scratch = mkdtempSync(join(tmpdir(), 'trellis-keras-fuzz-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

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

/** Reads `bytes`; the result must come in time, and any error must be a KerasFileError. */
async function readsOrRefuses(read: (bytes: Uint8Array) => Promise<unknown>, bytes: Uint8Array): Promise<string> {
  const start = performance.now();
  let outcome = 'ok';
  try {
    await read(bytes);
  } catch (error) {
    if (!KerasFileError.is(error)) throw error;
    outcome = (error as KerasFileError).problem;
  }
  expect(performance.now() - start).toBeLessThan(MAX_MS);
  return outcome;
}

async function survives(
  read: (bytes: Uint8Array) => Promise<unknown>,
  bytes: Uint8Array,
  runs: number,
): Promise<{ok: number; refused: Record<string, number>}> {
  const refused: Record<string, number> = {};
  let ok = 0;
  await fc.assert(
    fc.asyncProperty(mutation, async (m) => {
      const outcome = await readsOrRefuses(read, mutate(bytes, m));
      if (outcome === 'ok') ok++;
      else refused[outcome] = (refused[outcome] ?? 0) + 1;
    }),
    {numRuns: runs},
  );
  return {ok, refused};
}

describe('fuzzing the readers with damaged bytes', () => {
  it(`a .keras written by Keras: ${RUNS} damaged copies`, async () => {
    const bytes = new Uint8Array(readFileSync(join(fixtures, 'mlp.keras')));
    const result = await survives((b) => readKerasArchive(b), bytes, RUNS);
    expect(result.ok + Object.values(result.refused).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(RUNS);
    expect(Object.keys(result.refused).length).toBeGreaterThan(0);
  });

  it(`its model.weights.h5 alone: ${RUNS} damaged copies`, async () => {
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
      await survives((b) => readKerasWeightsH5(b), h5, Math.ceil(RUNS / 2));
    }
  });

  it(`a legacy .h5 written by Keras: ${RUNS} damaged copies`, async () => {
    const bytes = new Uint8Array(readFileSync(join(fixtures, 'mlp.h5')));
    await survives((b) => readLegacyH5(b), bytes, RUNS);
  });

  it(`random bytes, with and without a zip or HDF5 signature: ${RUNS} cases`, async () => {
    const signatures = [new Uint8Array(0), Uint8Array.of(0x50, 0x4b, 3, 4), Uint8Array.of(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a)];
    await fc.assert(
      fc.asyncProperty(fc.nat(2), fc.uint8Array({maxLength: 1024}), async (s, tail) => {
        const bytes = new Uint8Array([...signatures[s]!, ...tail]);
        for (const read of [readKerasArchive, readKerasWeightsH5, readLegacyH5]) await readsOrRefuses((b) => read(b), bytes);
      }),
      {numRuns: RUNS},
    );
  });
});

// ---- zips rebuilt with lying headers --------------------------------------------------------

const HOSTILE_NAMES = [
  '../config.json',
  '/config.json',
  'C:config.json',
  'a\\config.json',
  'config.json/../config.json',
  'config.json\u0000',
  '',
  'model.weights.npz',
  'config.json',
  'metadata.json',
  'model.weights.h5',
];

/** What happens to one entry of the archive. */
const entryDamage = fc.record(
  {
    name: fc.constantFrom(...HOSTILE_NAMES),
    deflate: fc.boolean(),
    sizeLie: fc.oneof(fc.constantFrom(-1, 1, 0xfffffffe, 0xffffffff, 2 ** 40), fc.integer({min: -64, max: 64})),
    crcLie: fc.nat(),
    duplicate: fc.boolean(),
    drop: fc.boolean(),
  },
  {requiredKeys: []},
);

/** Deflated zeros: 1 KiB to 8 MiB of output from a few bytes (a bomb, sized within or beyond the limits). */
const bombs = [1024, 64 * 1024, 8 * 1024 * 1024].map((n) => ({size: n, data: deflateSync(new Uint8Array(n), {level: 9})}));

const limitsArbitrary: fc.Arbitrary<KerasFileLimits | undefined> = fc.option(
  fc.record(
    {
      maxEntries: fc.integer({min: 1, max: 8}),
      maxEntryBytes: fc.constantFrom(1024, 64 * 1024, 1024 * 1024),
      maxTotalBytes: fc.constantFrom(2048, 256 * 1024, 4 * 1024 * 1024),
      maxJsonBytes: fc.constantFrom(16, 4096),
      maxDatasetBytes: fc.constantFrom(4, 1024),
      maxObjects: fc.integer({min: 1, max: 64}),
      maxDepth: fc.integer({min: 1, max: 8}),
    },
    {requiredKeys: []},
  ),
  {nil: undefined},
);

describe('fuzzing readKerasArchive with rebuilt zips', () => {
  it(`lying sizes and checksums, hostile and duplicated names, deflate bombs: ${RUNS} cases`, async () => {
    const valid = openZip(await writeKerasArchive(sampleArchive()), 'm', DEFAULT_LIMITS);
    const contents = valid.entries.map((e) => ({name: e.name, content: valid.read(e.name)!}));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(entryDamage, {nil: undefined}), {minLength: 3, maxLength: 3}),
        fc.option(fc.tuple(fc.constantFrom(...HOSTILE_NAMES), fc.nat(bombs.length - 1), fc.boolean()), {nil: undefined}),
        limitsArbitrary,
        async (damages, bomb, limits) => {
          const entries: RawEntry[] = [];
          contents.forEach(({name, content}, i) => {
            const d = damages[i];
            if (d?.drop) return;
            const data = d?.deflate ? deflateSync(content) : content;
            const entry: RawEntry = {
              name: d?.name ?? name,
              data,
              method: d?.deflate ? 8 : 0,
              ...(d?.sizeLie === undefined ? {} : {declaredSize: Math.max(0, content.length + d.sizeLie)}),
              ...(d?.crcLie === undefined ? {} : {crc: d.crcLie >>> 0}),
            };
            entries.push(entry);
            if (d?.duplicate) entries.push({...entry});
          });
          if (bomb) {
            const [name, which, honest] = bomb;
            const b = bombs[which]!;
            entries.push({name, data: b.data, method: 8, declaredSize: honest ? b.size : 100});
          }
          await readsOrRefuses((bytes) => readKerasArchive(bytes, limits), rawZip(entries));
        },
      ),
      {numRuns: RUNS},
    );
  });

  it(`through the Node helper, reading only the file named: ${Math.ceil(RUNS / 4)} cases`, async () => {
    const valid = await writeKerasArchive(sampleArchive());
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const dir = mkdtempSync(join(scratch, 'read-'));
        const path = join(dir, 'model.keras');
        writeFileSync(path, mutate(valid, m));
        await readsOrRefuses(() => readKerasFile(path), new Uint8Array(0));
        expect(readdirSync(dir)).toEqual(['model.keras']);
        rmSync(dir, {recursive: true, force: true});
      }),
      {numRuns: Math.ceil(RUNS / 4)},
    );
  });
});

// ---- HDF5 files built with hostile structure ------------------------------------------------

const DEEP_JSON = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
const NAMES = ['dense', 'dense/kernel', 'vars', '0', '1', '01', 'a b', '..', '.', 'x/../y', 'top_level_model_weights', 'optimizer', 'é'];

/** A value an attribute may hold. */
const attributeValue = fc.oneof(
  fc.constantFrom<unknown>(
    '{"class_name": "Sequential", "config": {"layers": []}}',
    '{"class_name": 7}',
    'not json',
    'NaN',
    DEEP_JSON,
    '',
    7,
    [],
    ['dense'],
    ['dense', 'dense'],
    ['..'],
    ['dense/kernel', 'missing'],
    ['/abs'],
  ),
  fc.array(fc.constantFrom(...NAMES), {maxLength: 4}),
  fc.string(),
);

const DTYPES = ['<f', '<d', '<b', '<B', '<h', '<H', '<i', '<I', '<q', '<Q', '>f', '>i', '<e'] as const;

/** One object of the file: a group, a dataset, a link or an attribute, at a path of hostile names. */
const h5Object = fc.record({
  path: fc.oneof(
    fc.array(fc.constantFrom(...NAMES, 'model_weights', 'layers', 'optimizer_weights', 'vars'), {minLength: 1, maxLength: 5}),
    fc.constantFrom(
      ['model_weights'],
      ['model_weights', 'dense'],
      ['model_weights', 'dense', 'dense', 'kernel'],
      ['layers', 'dense', 'vars', '1'],
    ),
  ),
  kind: fc.constantFrom('group', 'dataset', 'dataset', 'soft-link', 'external-link', 'attribute'),
  dtype: fc.constantFrom(...DTYPES),
  shape: fc.array(fc.integer({min: 0, max: 3}), {maxLength: 3}),
  attribute: fc.tuple(
    fc.constantFrom('model_config', 'training_config', 'layer_names', 'weight_names', 'name', 'dtype', 'keras_version'),
    attributeValue,
  ),
  target: fc.constantFrom('/', '/model_weights', '/nowhere', 'dense'),
});

type H5Object = typeof h5Object extends fc.Arbitrary<infer T> ? T : never;

/**
 * Writes a file with the objects (each skipped when HDF5 refuses to write it), over the skeleton
 * of a legacy model file (a config, one layer with one weight) when `skeleton` is set.
 */
async function hostileH5(objects: readonly H5Object[], root: readonly [string, unknown][], skeleton: boolean): Promise<Uint8Array> {
  return withH5Writer((file) => {
    const attempt = (fn: () => void) => {
      try {
        fn();
      } catch (error) {
        // A trap leaves the HDF5 library unusable: the writer fails (and a fresh instance is loaded).
        if (error instanceof WebAssembly.RuntimeError) throw error;
        // HDF5 refuses some structures (a name already taken, an invalid name): the file simply lacks them.
      }
    };
    for (const [name, value] of root) attempt(() => file.create_attribute(name, value as never));
    if (skeleton) {
      attempt(() => file.create_attribute('model_config', '{"class_name": "Sequential", "config": {"layers": []}}'));
      attempt(() => {
        const weights = file.create_group('model_weights');
        weights.create_attribute('layer_names', ['dense'], [1]);
        const dense = weights.create_group('dense');
        dense.create_attribute('weight_names', ['dense/kernel', 'dense/bias'], [2]);
        const inner = dense.create_group('dense');
        inner.create_dataset({name: 'kernel', data: new Float32Array(6), shape: [3, 2], dtype: '<f'});
        inner.create_dataset({name: 'bias', data: new Float32Array(2), shape: [2], dtype: '<f'});
        const vars = file.create_group('layers').create_group('dense').create_group('vars');
        vars.create_dataset({name: '0', data: new Float32Array(6), shape: [3, 2], dtype: '<f'});
      });
    }
    for (const o of objects) {
      let group: H5Group = file;
      for (const part of o.path.slice(0, -1)) {
        let next: unknown = null;
        attempt(() => {
          next = group.get(part) ?? group.create_group(part);
        });
        if (next === null || typeof (next as H5Group).create_group !== 'function') break;
        group = next as H5Group;
      }
      const name = o.path[o.path.length - 1]!;
      const count = o.shape.reduce((a, b) => a * b, 1);
      attempt(() => {
        if (o.kind === 'group') group.create_group(name);
        else if (o.kind === 'soft-link') group.create_soft_link(o.target, name);
        else if (o.kind === 'external-link') group.create_external_link('other.h5', o.target, name);
        else if (o.kind === 'attribute') group.create_attribute(o.attribute[0], o.attribute[1] as never);
        else {
          const big = o.dtype === '<q' || o.dtype === '<Q';
          const data = big ? new BigInt64Array(count).fill(3n) : new Float64Array(count).fill(1.5);
          group.create_dataset({name, data: data as never, shape: o.shape, dtype: o.dtype});
        }
      });
    }
  });
}

describe('fuzzing the HDF5 readers with hostile structure', () => {
  it(`readLegacyH5 and readKerasWeightsH5 on built files: ${RUNS} cases, h5wasm left as it was`, async () => {
    const before = await h5State();
    await fc.assert(
      fc.asyncProperty(
        fc.array(h5Object, {maxLength: 12}),
        fc.array(fc.tuple(fc.constantFrom('model_config', 'training_config', 'keras_version', 'backend'), attributeValue), {
          maxLength: 3,
        }),
        fc.boolean(),
        limitsArbitrary,
        async (objects, root, skeleton, limits) => {
          let bytes: Uint8Array;
          try {
            bytes = await hostileH5(objects, root, skeleton);
          } catch {
            return; // the HDF5 library could not write this structure at all
          }
          await readsOrRefuses((b) => readLegacyH5(b, limits), bytes);
          await readsOrRefuses((b) => readKerasWeightsH5(b, limits), bytes);
        },
      ),
      {numRuns: RUNS},
    );
    // Thousands of HDF5 errors (writing and reading) later: same stack, no descriptor or file left.
    const after = await h5State();
    expect(after.stackPointer).toBe(before.stackPointer);
    expect(after.openDescriptors).toBe(before.openDescriptors);
    expect(after.files).toEqual(before.files);
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
