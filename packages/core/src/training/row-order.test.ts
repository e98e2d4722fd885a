import {describe, expect, it} from 'vitest';
import {createRng} from '../seed';
import {StateError} from '../errors';
import {RowOrder, type BatchRows} from './row-order';

/** The rows of a batch as a plain array. */
function rowsOf(batch: BatchRows): number[] {
  return batch.indices ? Array.from(batch.indices) : Array.from({length: batch.size}, (_, i) => batch.start + i);
}

/** The batches of one epoch of at most `steps` batches. */
function epoch(stream: RowOrder, steps: number): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < steps; s++) {
    const batch = stream.next();
    if (!batch) break;
    out.push(rowsOf(batch));
  }
  stream.endEpoch();
  return out;
}

describe('RowOrder', () => {
  it('without shuffling gives rows in order, the last batch smaller', () => {
    const stream = new RowOrder(10, 4, false, createRng(1));
    expect(epoch(stream, stream.batchesPerPass)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
  });

  it("'batch' permutes rows within each batch-sized chunk; the chunks keep their order (Keras 3)", () => {
    const stream = new RowOrder(10, 4, 'batch', createRng(7));
    let moved = false;
    for (let e = 0; e < 5; e++) {
      const batches = epoch(stream, stream.batchesPerPass);
      expect(batches.map((b) => [...b].sort((p, q) => p - q))).toEqual([
        [0, 1, 2, 3],
        [4, 5, 6, 7],
        [8, 9],
      ]);
      moved ||= batches.some((b, i) => b.some((row, j) => row !== i * 4 + j));
    }
    expect(moved).toBe(true);
  });

  it('true gives a new permutation of all rows every pass', () => {
    const stream = new RowOrder(12, 5, true, createRng(3));
    const first = epoch(stream, stream.batchesPerPass).flat();
    const second = epoch(stream, stream.batchesPerPass).flat();
    expect([...first].sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect([...second].sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect(second).not.toEqual(first);
  });

  it('with fewer steps than a pass, continues the pass in the next epoch and ends an epoch where the pass runs out (Keras epoch iterator)', () => {
    const stream = new RowOrder(10, 3, false, createRng(1));
    expect(epoch(stream, 3)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ]);
    expect(epoch(stream, 3)).toEqual([[9]]);
    expect(epoch(stream, 3)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ]);
  });

  it('with more steps than a pass, an epoch is one pass', () => {
    const stream = new RowOrder(5, 2, false, createRng(1));
    expect(epoch(stream, 10)).toEqual([[0, 1], [2, 3], [4]]);
    expect(epoch(stream, 10)).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('loads a saved order only when it is a permutation of the rows', () => {
    const stream = new RowOrder(5, 2, true, createRng(1));
    const saved = stream.saveState();
    expect(() => stream.loadState(saved)).not.toThrow();
    for (const order of [
      [0, 1, 2, 3, 2 ** 31],
      [0, 1, 2, 3, 3],
      [0, 1, 2, 3, -1],
      [0, 1, 2, 3, 1.5],
      [0, 1, 2, 3],
    ]) {
      expect(() => stream.loadState({...saved, order}), JSON.stringify(order)).toThrow(StateError);
    }
  });
});
