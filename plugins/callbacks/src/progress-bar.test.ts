import {afterEach, describe, expect, it, vi} from 'vitest';
import {replay, series} from '../test/replay';
import {progressBar, type ProgressStream} from './progress-bar';

function stream(isTTY: boolean, columns?: number): ProgressStream & {text: string} {
  return {
    text: '',
    isTTY,
    ...(columns === undefined ? {} : {columns}),
    write(text: string) {
      this.text += text;
    },
  };
}

const logs = [
  {loss: 0.5, accuracy: 0.75, val_loss: 0.625},
  {loss: 0.25, accuracy: 0.0001, val_loss: 0.5},
];

afterEach(() => vi.unstubAllEnvs());

describe('progressBar', () => {
  it("on a terminal, redraws one line per epoch in place and ends it with the epoch's logs", async () => {
    vi.stubEnv('NO_COLOR', '');
    const out = stream(true);
    await replay([progressBar({stream: out, interval: 0, width: 10})], logs, {stepsPerEpoch: 4});
    const epochs = out.text.split('\n').filter(Boolean);
    expect(epochs).toHaveLength(2);
    const redraws = epochs[0]!.split('\r').filter(Boolean);
    expect(redraws).toHaveLength(5);
    expect(redraws[0]).toContain('\x1b[1mEpoch 1/2\x1b[0m');
    expect(redraws[1]).toContain('[\x1b[32m=====>\x1b[0m....] 2/4 ETA ');
    expect(redraws[4]).toMatch(/ 4\/4 \d+s .*samples\/s - accuracy: 0\.7500 - loss: 0\.5000 - val_loss: 0\.6250\s*$/);
    expect(epochs[1]).toContain('accuracy: 1.0000e-04');
    expect(out.text).not.toContain('batch_loss');
  });

  it('reads the logs at most every interval ms on a terminal', async () => {
    const out = stream(true);
    let reads = 0;
    const counting = {name: 'c', onBatchEnd: () => undefined};
    const bar = progressBar({stream: out, interval: 60_000});
    const original = bar.onBatchEnd!;
    bar.onBatchEnd = async (c) => {
      const readLogs = c.readLogs;
      await original({...c, epoch: c.epoch, batch: c.batch, params: c.params, readLogs: (k) => (reads++, readLogs(k))} as typeof c);
    };
    await replay([bar, counting], logs, {stepsPerEpoch: 50});
    expect(reads).toBe(2);
  });

  it('NO_COLOR removes the colours; a narrow terminal gets lines cut to fit', async () => {
    vi.stubEnv('NO_COLOR', '1');
    const out = stream(true, 40);
    await replay([progressBar({stream: out, interval: 0})], series('val_loss', [1]), {stepsPerEpoch: 2});
    expect(out.text).not.toContain('\x1b[');
    for (const part of out.text.split(/[\r\n]/).filter(Boolean)) expect(part.trimEnd().length).toBeLessThanOrEqual(39);
  });

  it('piped (not a terminal) or verbose 2: one plain line per epoch, no per-batch readback', async () => {
    for (const [isTTY, verbose] of [
      [false, 1],
      [true, 2],
    ] as const) {
      const out = stream(isTTY);
      const bar = progressBar({stream: out, verbose});
      expect(bar.onBatchEnd).toBeUndefined();
      await replay([bar], logs, {stepsPerEpoch: 3});
      const lines = out.text.split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^Epoch 1\/2 3\/3 \d+s (\S+ samples\/s )?- accuracy: 0\.7500 - loss: 0\.5000 - val_loss: 0\.6250$/);
      expect(out.text).not.toContain('\r');
      expect(out.text).not.toContain('\x1b[');
    }
  });

  it('verbose 0 writes nothing and has no hooks; bad options are ConfigErrors', async () => {
    const out = stream(true);
    const bar = progressBar({stream: out, verbose: 0});
    expect(bar.onEpochEnd).toBeUndefined();
    await replay([bar], logs);
    expect(out.text).toBe('');
    expect(() => progressBar({verbose: 3 as never})).toThrow(/progressBar: verbose must be 0 \(silent\), 1/);
    expect(() => progressBar({width: 2})).toThrow(/width must be an integer in \[5, 200\]; got 2/);
    expect(() => progressBar({interval: -1})).toThrow(/interval must be a finite number >= 0/);
    expect(() => progressBar({stream: {} as never})).toThrow(/stream must have a write\(text\) method/);
  });
});
