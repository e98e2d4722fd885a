// The memory soak's verdict on made-up readings, and a short real soak on the
// cpu backend (one reading per epoch, a flat tensor count). Nothing is timed.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {beforeAll, describe, expect, it} from 'vitest';
import {runSoak} from './soak-run';
import {formatSoak, judgeSoak, type MemorySample} from './soak-verdict';

const MB = 2 ** 20;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** `epochs` readings: `tensors(epoch)` tensors, `rssMB(epoch)` MB of RSS and a tenth of that of V8 heap. */
function readings(epochs: number, tensors: (epoch: number) => number, rssMB: (epoch: number) => number): MemorySample[] {
  return Array.from({length: epochs}, (_, i) => ({
    epoch: i + 1,
    numTensors: tensors(i + 1),
    rssBytes: rssMB(i + 1) * MB,
    heapUsedBytes: (rssMB(i + 1) * MB) / 10,
  }));
}

describe('judgeSoak', () => {
  it('passes a flat tensor count and RSS that settles by epoch 10', () => {
    const verdict = judgeSoak(
      readings(
        100,
        () => 42,
        (e) => (e < 10 ? 100 + e : e === 100 ? 111 : 110),
      ),
    );
    expect(verdict).toMatchObject({
      epochs: 100,
      tensorsAfterFirst: 42,
      tensorsAtBaseline: 42,
      tensorsAfterLast: 42,
      firstTensorChange: null,
      rssAtBaselineMB: 110,
      rssAfterLastMB: 111,
      tensorsFlat: true,
      rssFlat: true,
      passed: true,
    });
    expect(verdict.rssGrowthMB).toBeCloseTo(1, 10);
    expect(formatSoak(verdict)).toEqual([
      'numTensors after epoch 1: 42, epoch 10: 42, epoch 100: 42 (flat)',
      'RSS after epoch 10: 110.0 MB, epoch 100: 111.0 MB, growth +1.00 MB (limit 5 MB)',
      'V8 heap used after epoch 10: 11.0 MB, epoch 100: 11.1 MB, growth +0.10 MB (not judged)',
      'PASS',
    ]);
  });

  it('fails a tensor count that changes after epoch 1, and says when', () => {
    const verdict = judgeSoak(
      readings(
        20,
        (e) => (e < 15 ? 42 : 43),
        () => 100,
      ),
    );
    expect(verdict).toMatchObject({firstTensorChange: 15, tensorsFlat: false, rssFlat: true, passed: false});
    expect(formatSoak(verdict)[0]).toContain('NOT flat: changed at epoch 15');
    expect(formatSoak(verdict).at(-1)).toBe('FAIL');
  });

  it('fails RSS growing more than 5 MB after epoch 10, and allows exactly 5 MB', () => {
    const growing = judgeSoak(
      readings(
        100,
        () => 7,
        (e) => 100 + e * 0.06,
      ),
    );
    expect(growing.rssGrowthMB).toBeCloseTo(5.4, 6);
    expect(growing).toMatchObject({tensorsFlat: true, rssFlat: false, passed: false});
    expect(formatSoak(growing)[1]).toContain('EXCEEDED');
    expect(
      judgeSoak(
        readings(
          11,
          () => 7,
          (e) => (e === 11 ? 105 : 100),
        ),
      ).passed,
    ).toBe(true);
  });

  it('ignores RSS growth before epoch 10', () => {
    expect(
      judgeSoak(
        readings(
          30,
          () => 7,
          (e) => (e <= 10 ? e * 50 : 500),
        ),
      ).passed,
    ).toBe(true);
  });

  it('refuses too few epochs and readings out of order', () => {
    expect(() =>
      judgeSoak(
        readings(
          10,
          () => 1,
          () => 1,
        ),
      ),
    ).toThrow(/more than 10 epochs/);
    const shuffled = readings(
      12,
      () => 1,
      () => 1,
    );
    [shuffled[3], shuffled[4]] = [shuffled[4]!, shuffled[3]!];
    expect(() => judgeSoak(shuffled)).toThrow(/Sample 3 is for epoch 5/);
  });
});

describe('runSoak', () => {
  it('trains on cpu and reads memory after every epoch; the tensor count stays flat', async () => {
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const run = await runSoak({backend: 'cpu', epochs: 4, samples: 64, batchSize: 16, validationSplit: 0.25}, (s) => seen.push(s.epoch));
    expect(run.backend).toBe('cpu');
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(run.samples.map((s) => s.epoch)).toEqual([1, 2, 3, 4]);
    expect(new Set(run.samples.map((s) => s.numTensors)).size).toBe(1);
    expect(run.samples.every((s) => s.rssBytes > s.heapUsedBytes && s.heapUsedBytes > 0)).toBe(true);
    expect(Object.keys(run.lastLogs).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(tf.memory().numTensors).toBe(before);
  });
});
