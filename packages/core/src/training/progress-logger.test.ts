import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {linearModel, linearRows} from '../../test/linear';
import {ConfigError, autoVerbosity, progressLogger} from '../index';
import {formatValue} from './progress-logger';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  vi.restoreAllMocks();
});

const NUMBER = '(-?\\d+\\.\\d{4}|-?\\d\\.\\d{4}e[-+]\\d{2})';

describe('fit verbose', () => {
  it('verbose 2 prints Keras lines: Epoch i/n, then steps, time, time per step and the sorted logs equal to History', async () => {
    const {x, y} = linearRows(40);
    const validation = linearRows(8);
    const model = linearModel();
    const printed: string[] = [];
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: 16,
      verbose: 2,
      validationData: [validation.x, validation.y],
      print: (text) => printed.push(text),
    });
    expect(printed.every((t) => t.endsWith('\n') && !t.includes('\r'))).toBe(true);
    const lines = printed.join('').split('\n').slice(0, -1);
    expect(lines).toHaveLength(6);
    const pattern = new RegExp(
      `^3/3 - \\d+s - \\d+(us|ms|s)/step - loss: ${NUMBER} - mae: ${NUMBER} - val_loss: ${NUMBER} - val_mae: ${NUMBER}$`,
    );
    for (let epoch = 0; epoch < 3; epoch++) {
      expect(lines[2 * epoch]).toBe(`Epoch ${epoch + 1}/3`);
      const line = lines[2 * epoch + 1]!;
      expect(line).toMatch(pattern);
      const shown = Object.fromEntries([...line.matchAll(/ - (\w+): (\S+)/g)].map((m) => [m[1]!, m[2]!]));
      expect(Object.keys(shown)).toEqual(['loss', 'mae', 'val_loss', 'val_mae']);
      for (const [key, text] of Object.entries(shown)) expect(text).toBe(formatValue(history.history[key]![epoch]!, false));
    }
    model.dispose();
  });

  it('verbose 2 leaves out the Epoch line for a single epoch, as Keras', async () => {
    const {x, y} = linearRows(10);
    const model = linearModel();
    const printed: string[] = [];
    await model.fit(x, y, {epochs: 1, batchSize: 4, verbose: 2, print: (text) => printed.push(text)});
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(new RegExp(`^3/3 - \\d+s - \\d+(us|ms|s)/step - loss: ${NUMBER} - mae: ${NUMBER}\\n$`));
    model.dispose();
  });

  it("verbose 0, and 'auto' (the default) under a test runner, print nothing, to print or to stdout", async () => {
    const {x, y} = linearRows(10);
    const write = vi.spyOn(process.stdout, 'write');
    const log = vi.spyOn(console, 'log');
    const printed: string[] = [];
    const model = linearModel();
    await model.fit(x, y, {epochs: 2, batchSize: 4, print: (text) => printed.push(text)});
    await model.fit(x, y, {epochs: 2, batchSize: 4, verbose: 0});
    expect(printed).toEqual([]);
    expect(write).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
    model.dispose();
  });

  it("'auto' is a bar on an interactive terminal in Node, and silent when piped, under a test runner or without process", async () => {
    const {x, y} = linearRows(10);
    const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    const written: string[] = [];
    try {
      Object.defineProperty(process.stdout, 'isTTY', {value: true, configurable: true});
      vi.stubEnv('VITEST', '');
      expect(autoVerbosity()).toBe(1);
      vi.spyOn(process.stdout, 'write').mockImplementation((text) => (written.push(String(text)), true));
      const model = linearModel();
      await model.fit(x, y, {epochs: 1, batchSize: 4});
      vi.restoreAllMocks();
      model.dispose();
      expect(written.join('')).toMatch(/3\/3.*loss: .*\n$/); // the bar, in Keras' ANSI colours on a terminal
      // A progress callback of the user's (progressBar of @trellis/callbacks) stands in for 'auto'.
      written.length = 0;
      vi.spyOn(process.stdout, 'write').mockImplementation((text) => (written.push(String(text)), true));
      const again = linearModel();
      await again.fit(x, y, {epochs: 1, batchSize: 4, callbacks: [{name: 'progressBar'}]});
      vi.restoreAllMocks();
      again.dispose();
      expect(written).toEqual([]);
      vi.stubEnv('VITEST', 'true');
      expect(autoVerbosity()).toBe(0);
      vi.stubEnv('VITEST', '');
      vi.stubEnv('JEST_WORKER_ID', '1');
      expect(autoVerbosity()).toBe(0);
      vi.stubEnv('JEST_WORKER_ID', '');
      Object.defineProperty(process.stdout, 'isTTY', {value: false, configurable: true});
      expect(autoVerbosity()).toBe(0);
      vi.stubGlobal('process', undefined);
      const inBrowser = autoVerbosity();
      vi.unstubAllGlobals();
      expect(inBrowser).toBe(0);
    } finally {
      vi.unstubAllGlobals();
      vi.unstubAllEnvs();
      vi.restoreAllMocks();
      if (tty) Object.defineProperty(process.stdout, 'isTTY', tty);
      else delete (process.stdout as {isTTY?: boolean}).isTTY;
    }
  });

  it('verbose 2 writes to process.stdout by default', async () => {
    const {x, y} = linearRows(10);
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((text) => (written.push(String(text)), true));
    const model = linearModel();
    await model.fit(x, y, {epochs: 2, batchSize: 4, verbose: 2});
    vi.restoreAllMocks();
    expect(written.join('')).toMatch(/^Epoch 1\/2\n3\/3 - .*\nEpoch 2\/2\n3\/3 - .*\n$/);
    model.dispose();
  });

  it('verbose 1 redraws a bar in place and ends every epoch with a full line', async () => {
    const {x, y} = linearRows(40);
    const model = linearModel();
    const printed: string[] = [];
    const history = await model.fit(x, y, {epochs: 2, batchSize: 10, verbose: 1, print: (text) => printed.push(text)});
    const text = printed.join('');
    const epochs = text.split(/Epoch \d\/2\n/).slice(1);
    expect(epochs).toHaveLength(2);
    epochs.forEach((output, epoch) => {
      // In-place updates start with \r and end without \n; the epoch ends with one full line.
      expect(output.endsWith('\n')).toBe(true);
      const updates = output.split('\r').slice(1);
      expect(updates.slice(0, -1).every((u) => !u.includes('\n'))).toBe(true);
      const last = updates.at(-1)!.trimEnd();
      expect(last).toMatch(new RegExp(`^4/4 ━{20} \\d+s \\d+(us|ms|s)/step - loss: ${NUMBER} - mae: ${NUMBER}$`));
      expect(last).toContain(`loss: ${formatValue(history.history.loss![epoch]!, true)}`);
      expect(last).toContain(`mae: ${formatValue(history.history.mae![epoch]!, true)}`);
    });
    // The first batch of each epoch is drawn (with an ETA), as Keras does.
    expect(epochs[0]!.split('\r')[1]).toMatch(/^1\/4 ━{5}─{15} \d+s \d+(us|ms|s)\/step - loss: /);
    model.dispose();
  });

  it('verbose 1 reads the logs back (one draw) at most once per interval, not per batch', async () => {
    const {x, y} = linearRows(300);
    const model = linearModel();
    const printed: string[] = [];
    // Each in-place draw follows exactly one readLogs; the epoch's last line reads the epoch logs.
    const logger = progressLogger({verbose: 1, print: (text) => printed.push(text), interval: 60_000});
    await model.fit(x, y, {epochs: 1, batchSize: 1, callbacks: [logger]});
    const draws = printed.filter((t) => t.startsWith('\r') && !t.endsWith('\n'));
    // 300 batches: the first one is drawn, the others fall within the interval.
    expect(draws).toHaveLength(1);
    expect(printed.at(-1)).toMatch(/^\r300\/300 ━{20} /);
    model.dispose();
  });

  it('rejects a bad verbose, print or logger option with a ConfigError', async () => {
    const {x, y} = linearRows(4);
    const model = linearModel();
    await expect(model.fit(x, y, {verbose: 3 as never})).rejects.toThrow(ConfigError);
    await expect(model.fit(x, y, {verbose: 'yes' as never})).rejects.toThrow(/verbose must be 'auto' \(the default\), 0/);
    await expect(model.fit(x, y, {verbose: 2, print: 'stdout' as never})).rejects.toThrow(/print must be a function/);
    expect(() => progressLogger({verbose: 0 as never})).toThrow(ConfigError);
    model.dispose();
  });

  it("formats values as Keras' Progbar: %.4f above 1e-3, else %.4e (the epoch line compares the signed value)", () => {
    expect(formatValue(0.252612, false)).toBe('0.2526');
    expect(formatValue(12.5, false)).toBe('12.5000');
    expect(formatValue(0.00012345, false)).toBe('1.2345e-04');
    expect(formatValue(0, false)).toBe('0.0000e+00');
    expect(formatValue(-0.5, false)).toBe('-5.0000e-01');
    expect(formatValue(-0.5, true)).toBe('-0.5000');
    expect(formatValue(3e-120, true)).toBe('3.0000e-120');
  });
});
