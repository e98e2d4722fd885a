import {describe, expect, it} from 'vitest';
import {parseIdx} from '@trellis/data';
import {idxSubset} from './idx-subset';
import {mnistSubsetFiles} from './mnist-assets';

/** An IDX file of `count` items of `dims` (after the count), item i filled with i. */
function idx(magic: number, dims: number[], count: number): Uint8Array {
  const itemBytes = dims.reduce((a, b) => a * b, 1);
  const header = 8 + 4 * dims.length;
  const bytes = new Uint8Array(header + count * itemBytes);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic);
  view.setUint32(4, count);
  dims.forEach((d, i) => view.setUint32(8 + 4 * i, d));
  for (let i = 0; i < count; i++) bytes.fill(i, header + i * itemBytes, header + (i + 1) * itemBytes);
  return bytes;
}

describe('idxSubset', () => {
  it('keeps the header, rewrites the count and keeps the first items', () => {
    const images = idxSubset(idx(0x803, [2, 3], 5), 2, 'images');
    expect(Array.from(images)).toEqual([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    const labels = idxSubset(idx(0x801, [], 4), 3, 'labels');
    expect(Array.from(labels)).toEqual([0, 0, 8, 1, 0, 0, 0, 3, 0, 1, 2]);
  });

  it('refuses a wrong magic number, a wrong length and a count it cannot give', () => {
    expect(() => idxSubset(idx(0x903, [2, 2], 2), 1, 'f')).toThrow(/magic number 0x00000903/);
    expect(() => idxSubset(idx(0x801, [], 4).subarray(0, 11), 1, 'f')).toThrow(/expected 12 bytes for 4 items, found 11/);
    expect(() => idxSubset(idx(0x801, [], 4), 5, 'f')).toThrow(/cannot take 5 items from a file of 4/);
    expect(() => idxSubset(new Uint8Array(3), 1, 'f')).toThrow(/too short/);
  });

  it('cuts the real MNIST files into valid IDX files with the labels of the originals', async () => {
    const files = await mnistSubsetFiles({train: 100, test: 30});
    const images = parseIdx(files.get('train-images-idx3-ubyte')!, {kind: 'images', count: 100, rows: 28, cols: 28});
    const labels = parseIdx(files.get('train-labels-idx1-ubyte')!, {kind: 'labels', count: 100});
    parseIdx(files.get('t10k-images-idx3-ubyte')!, {kind: 'images', count: 30, rows: 28, cols: 28});
    const testLabels = parseIdx(files.get('t10k-labels-idx1-ubyte')!, {kind: 'labels', count: 30});
    expect(images.data.length).toBe(100 * 784);
    // The first training labels of MNIST are 5 0 4 1 9 2 1 3 1 4; the first test labels 7 2 1 0 4 1 4 9 5 9.
    expect(Array.from(labels.data.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(testLabels.data.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  });
});
