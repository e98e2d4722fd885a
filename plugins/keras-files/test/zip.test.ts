import {deflateSync, zipSync} from 'fflate';
import {FormatError} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {readKerasArchive, writeKerasArchive} from '../src/index';
import {openZip} from '../src/zip';
import {DEFAULT_LIMITS, resolveLimits} from '../src/limits';
import {expectFileError, rawZip, sampleArchive} from './helpers';

const text = (s: string) => new TextEncoder().encode(s);
const config = text(JSON.stringify({class_name: 'Sequential', config: {layers: []}}));

describe('zip container', () => {
  it('writes stored entries in Keras order, which the reader opens and checks', async () => {
    const bytes = await writeKerasArchive(sampleArchive());
    const zip = openZip(bytes, 'model.keras', DEFAULT_LIMITS);
    expect(zip.entries.map((e) => e.name)).toEqual(['metadata.json', 'config.json', 'model.weights.h5']);
    expect(zip.entries.every((e) => e.method === 0 && e.compressedSize === e.size)).toBe(true);
    expect(zip.read('nope')).toBeUndefined();
  });

  it('reads deflated entries too (Python reads them)', async () => {
    const stored = await writeKerasArchive(sampleArchive());
    const zip = openZip(stored, 'model.keras', DEFAULT_LIMITS);
    const deflated = zipSync({
      'metadata.json': [zip.read('metadata.json')!, {level: 9}],
      'config.json': [zip.read('config.json')!, {level: 9}],
      'model.weights.h5': [zip.read('model.weights.h5')!, {level: 9}],
    });
    expect(openZip(deflated, 'm', DEFAULT_LIMITS).entries.map((e) => e.method)).toEqual([8, 8, 8]);
    const archive = await readKerasArchive(deflated);
    expect(archive.weights.layers['layers/dense']![0]!.values).toEqual(sampleArchive().weights.layers['layers/dense']![0]!.values);
  });

  it.each(['../evil', 'a/../../evil', '/etc/passwd', 'a\\..\\evil', 'C:/evil', 'a/\u0001b'])(
    'refuses the entry name %j before reading anything',
    async (name) => {
      const bytes = zipSync({'config.json': config, [name]: text('x')});
      const error = await expectFileError(readKerasArchive(bytes), 'unsafe', `zip entry ${JSON.stringify(name)}`);
      expect(FormatError.is(error)).toBe(true);
      expect(error).toBeInstanceOf(FormatError);
    },
  );

  it('refuses a zip bomb (1 KB declaring 10 GB) from its declared size, before inflating', async () => {
    const data = deflateSync(new Uint8Array(1024));
    const bytes = rawZip([
      {name: 'config.json', data: config},
      {name: 'model.weights.h5', data, method: 8, declaredSize: 10 * 1024 ** 3},
    ]);
    expect(bytes.length).toBeLessThan(2048);
    const error = await expectFileError(readKerasArchive(bytes), 'limit', 'zip entry "model.weights.h5"');
    expect(error.message).toContain('10737418240 bytes');
  });

  it('refuses a declared ratio that deflate cannot produce, even under the limits', async () => {
    const data = deflateSync(new Uint8Array(1024));
    const bytes = rawZip([
      {name: 'config.json', data: config},
      {name: 'big', data, method: 8, declaredSize: 500 * 1024 ** 2},
    ]);
    await expectFileError(readKerasArchive(bytes), 'corrupt', 'zip entry "big"');
  });

  it('stops inflating where an entry passes its declared size (a 2.6 MB bomb declaring 100 bytes)', async () => {
    // Fixed-Huffman deflate: one literal 0, then 1.6 million copies of (length 258, distance 1):
    // 413 MB from 2.6 MB, which take seconds to inflate whole.
    const copies = 1_600_000;
    const stream = new Uint8Array(Math.ceil((3 + 8 + copies * 13 + 7) / 8));
    let bit = 0;
    const put = (value: number, length: number, mostSignificantFirst: boolean) => {
      for (let i = 0; i < length; i++, bit++) {
        const b = mostSignificantFirst ? (value >> (length - 1 - i)) & 1 : (value >> i) & 1;
        stream[bit >> 3]! |= b << (bit & 7);
      }
    };
    put(0b011, 3, false); // BFINAL = 1, BTYPE = 01 (fixed Huffman)
    put(0b00110000, 8, true); // literal 0 (Huffman codes go most significant bit first)
    for (let i = 0; i < copies; i++) {
      put(0b11000101, 8, true); // length 258 (code 285)
      put(0, 5, true); // distance 1
    }
    put(0, 7, true); // end of block
    const zip = rawZip([
      {name: 'config.json', data: config},
      {name: 'model.weights.h5', data: stream, method: 8, declaredSize: 100},
    ]);
    const start = performance.now();
    await expectFileError(readKerasArchive(zip), 'corrupt', 'zip entry "model.weights.h5"');
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('checks the total declared size and the entry count', async () => {
    const bytes = rawZip([
      {name: 'config.json', data: config},
      {name: 'a', data: new Uint8Array(600)},
      {name: 'b', data: new Uint8Array(600)},
    ]);
    await expectFileError(readKerasArchive(bytes, {maxTotalBytes: 1000}), 'limit', 'zip entry "b"');
    await expectFileError(readKerasArchive(bytes, {maxEntryBytes: 500}), 'limit', 'zip entry "a"');
    await expectFileError(readKerasArchive(bytes, {maxEntries: 2}), 'limit', 'zip central directory');
  });

  it('refuses duplicate names, encrypted entries, unknown methods', async () => {
    await expectFileError(
      readKerasArchive(
        rawZip([
          {name: 'config.json', data: config},
          {name: 'config.json', data: config},
        ]),
      ),
      'unsafe',
      'zip entry "config.json"',
    );
    await expectFileError(
      readKerasArchive(rawZip([{name: 'config.json', data: config, method: 12}])),
      'unsupported',
      'zip entry "config.json"',
    );
  });

  it('reports a truncated zip as truncated, naming the central directory', async () => {
    const bytes = await writeKerasArchive(sampleArchive());
    for (const cut of [1, 10, 30, 200, bytes.length - 100]) {
      await expectFileError(readKerasArchive(bytes.subarray(0, bytes.length - cut)), 'truncated', 'zip central directory');
    }
    await expectFileError(readKerasArchive(new Uint8Array(0)), 'truncated', 'zip central directory');
  });

  it('reports damaged data by its CRC-32, naming the entry', async () => {
    const bytes = await writeKerasArchive(sampleArchive());
    const zip = openZip(bytes, 'm', DEFAULT_LIMITS);
    const config = zip.entries.find((e) => e.name === 'config.json')!;
    const damaged = bytes.slice();
    damaged[config.localOffset + 30 + 'config.json'.length + 5]! ^= 0x20;
    await expectFileError(readKerasArchive(damaged), 'corrupt', 'zip entry "config.json"');
  });

  it('says when a file is not a zip at all', async () => {
    await expectFileError(
      readKerasArchive(text('{"class_name": "Sequential"} and some more text to pass 22 bytes')),
      'corrupt',
      'zip central directory',
    );
  });

  it('validates the limits themselves', () => {
    expect(() => resolveLimits({maxEntries: 0})).toThrow(/positive integer/);
    expect(() => resolveLimits({maxEntries: 1.5})).toThrow(/positive integer/);
    expect(() => resolveLimits({maxEntrys: 3} as never)).toThrow(/Unknown limit 'maxEntrys'/);
    expect(resolveLimits({maxEntries: 3}).maxEntries).toBe(3);
    expect(resolveLimits(undefined)).toBe(DEFAULT_LIMITS);
  });
});
