// SummaryWriter: every summary kind through the reader, files, flushing and bad input.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DTypeError, DataError, ShapeError, StateError} from '@trellis/core';
import {decode} from 'fast-png';
import {mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Status} from './proto';
import {decodeEvents, decodeValue, readEvents, type DecodedValue} from './reader';
import {histogramBuckets} from './summaries';
import {SummaryWriter, type EventFileInfo} from './writer';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'trellis-tb-'));
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

/** A writer into memory; `values()` flushes and decodes every summary value with its step. */
function memoryWriter() {
  const files = new Map<string, {info: EventFileInfo; chunks: Uint8Array[]}>();
  const writer = new SummaryWriter({
    sink: (bytes, info) => {
      const entry = files.get(info.fileName) ?? {info, chunks: []};
      entry.chunks.push(bytes.slice());
      files.set(info.fileName, entry);
    },
    flushSeconds: Infinity,
  });
  const bytesOf = (run = '') => {
    const entry = [...files.values()].find((f) => f.info.run === run)!;
    return new Uint8Array(entry.chunks.flatMap((c) => Array.from(c)));
  };
  const values = async (run = '') => {
    await writer.flush();
    const {events, stop} = decodeEvents(bytesOf(run));
    expect(stop.reason).toBe('end');
    expect(events[0]!.what).toEqual({case: 'fileVersion', value: 'brain.Event:2'});
    return events
      .slice(1)
      .flatMap((e) => (e.what.case === 'summary' ? e.what.value.value.map((v) => ({step: Number(e.step), ...decodeValue(v)})) : []));
  };
  return {writer, values, bytesOf, files};
}

type Decoded = DecodedValue & {step: number};
const only = <K extends DecodedValue['kind']>(list: Decoded[], kind: K) =>
  list.filter((v) => v.kind === kind) as (Extract<DecodedValue, {kind: K}> & {step: number})[];

describe('SummaryWriter round trips', () => {
  it('scalars, float32 as TensorBoard stores them, non-finite values kept', async () => {
    const {writer, values} = memoryWriter();
    writer.scalar('loss', 0.1, 0);
    writer.scalar('loss', 0, 1);
    writer.scalars({'lr/a': Math.PI, nan: NaN, inf: Infinity, ninf: -Infinity}, 7);
    const got = only(await values(), 'scalar');
    expect(got.map((v) => [v.tag, v.step, v.value])).toEqual([
      ['loss', 0, Math.fround(0.1)],
      ['loss', 1, 0],
      ['lr/a', 7, Math.fround(Math.PI)],
      ['nan', 7, NaN],
      ['inf', 7, Infinity],
      ['ninf', 7, -Infinity],
    ]);
  });

  it('histograms with the buckets of TensorBoard (tensor, array, custom bucket count)', async () => {
    const {writer, values} = memoryWriter();
    const t = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    writer.histogram('w', t, 3);
    expect(t.isDisposed).toBe(false);
    t.dispose();
    writer.histogram('w', [1, 1, 1], 4, {buckets: 3});
    writer.histogram('empty', [], 4, {buckets: 2});
    const [a, b, c] = only(await values(), 'histogram');
    expect(a!.buckets).toHaveLength(30);
    expect(a!.buckets.reduce((n, r) => n + r[2], 0)).toBe(10);
    expect(a!.buckets[0]).toEqual([0, 0.3, 1]);
    expect(a!.buckets[29]).toEqual([29 * 0.3, 9, 1]);
    expect(b!.buckets).toEqual([
      [1, 1, 0],
      [1, 1, 0],
      [1, 1, 3],
    ]);
    expect(c!.buckets).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('computes buckets as numpy does in histogram_pb (floor of the offset over the width, the maximum in the last)', () => {
    // np.array(data) -> width 0.75, indices floor([0, .5, 1.5, 3]/0.75) = [0, 0, 2, 4->3]
    const b = histogramBuckets([0, 0.5, 1.5, 3], 4);
    expect(Array.from(b)).toEqual([0, 0.75, 2, 0.75, 1.5, 0, 1.5, 2.25, 1, 2.25, 3, 1]);
    expect(Array.from(histogramBuckets([NaN, 2, Infinity], 1))).toEqual([2, 2, 1]);
  });

  it('images as PNG: [h, w, c] float in [0, 1], [n, h, w, c] int32, at most maxOutputs', async () => {
    const {writer, values} = memoryWriter();
    const gray = tf.tensor3d([0, 0.5, 1, 2, -1, NaN], [2, 3, 1]);
    writer.image('gray', gray, 1);
    const rgb = tf.tensor4d(
      Array.from({length: 4 * 2 * 2 * 3}, (_, i) => i * 5),
      [4, 2, 2, 3],
      'int32',
    );
    writer.image('batch', rgb, 2, {maxOutputs: 2});
    const [g, r] = only(await values(), 'image');
    expect([g!.width, g!.height, g!.images.length]).toEqual([3, 2, 1]);
    const png = decode(g!.images[0]!);
    expect([png.width, png.height, png.channels]).toEqual([3, 2, 1]);
    expect(Array.from(png.data)).toEqual([0, 127, 255, 255, 0, 0]);
    expect([r!.width, r!.height, r!.images.length]).toEqual([2, 2, 2]);
    expect(Array.from(decode(r!.images[1]!).data)).toEqual(Array.from({length: 12}, (_, i) => (12 + i) * 5));
    tf.dispose([gray, rgb]);
  });

  it('text (Markdown, UTF-8)', async () => {
    const {writer, values} = memoryWriter();
    writer.text('notes', '# Run 1\n\n| a | b |\n|---|---|\n| 1 | ü |', 5);
    expect(only(await values(), 'text')).toEqual([
      {kind: 'text', tag: 'notes', text: '# Run 1\n\n| a | b |\n|---|---|\n| 1 | ü |', step: 5},
    ]);
  });

  it('hparams: session start (values, experiment with metrics) and end status on close', async () => {
    const {writer, bytesOf} = memoryWriter();
    writer.hparams({lr: 0.01, optimizer: 'adam', shuffle: true}, {metrics: ['epoch_loss', 'epoch_accuracy']});
    await writer.close('failed');
    const all = decodeEvents(bytesOf())
      .events.slice(1)
      .flatMap((e) => (e.what.case === 'summary' ? e.what.value.value.map(decodeValue) : []));
    const hp = only(all as Decoded[], 'hparams');
    expect(hp.map((v) => v.tag)).toEqual(['_hparams_/experiment', '_hparams_/session_start_info', '_hparams_/session_end_info']);
    const [experiment, start, end] = hp.map((v) => v.data.data);
    expect(experiment!.case).toBe('experiment');
    if (experiment!.case === 'experiment') {
      expect(experiment!.value.hparamInfos.map((h) => [h.name, h.type])).toEqual([
        ['lr', 3],
        ['optimizer', 1],
        ['shuffle', 2],
      ]);
      expect(experiment!.value.metricInfos.map((m) => m.name!.tag)).toEqual(['epoch_loss', 'epoch_accuracy']);
    }
    expect(start!.case).toBe('sessionStartInfo');
    if (start!.case === 'sessionStartInfo') {
      const h = start!.value.hparams;
      expect([h.lr!.kind.value, h.optimizer!.kind.value, h.shuffle!.kind.value]).toEqual([0.01, 'adam', true]);
    }
    expect(end!.case === 'sessionEndInfo' && end!.value.status).toBe(Status.FAILURE);
  });

  it('is a Logger: logMetrics into runs, logHistogram (tensor not disposed), logHyperparams', async () => {
    const {writer, values} = memoryWriter();
    writer.logMetrics({loss: 1.5}, 2);
    writer.logMetrics({loss: 2.5}, 2, 'validation');
    const t = tf.tensor1d([1, 2, 3]);
    await writer.logHistogram('w', t, 2);
    expect(t.isDisposed).toBe(false);
    t.dispose();
    writer.logHyperparams({units: 8, layers: [1, 2]}, {final_loss: 0.5});
    const root = await values();
    expect(root.map((v) => `${v.kind}:${v.tag}`)).toEqual([
      'scalar:loss',
      'histogram:w',
      'hparams:_hparams_/experiment',
      'hparams:_hparams_/session_start_info',
      'scalar:final_loss',
    ]);
    expect(only(await values('validation'), 'scalar').map((v) => v.value)).toEqual([2.5]);
  });
});

describe('SummaryWriter files', () => {
  it('creates the directory and a new event file per writer, named as TensorBoard names them', async () => {
    const logDir = join(dir, 'a', 'b');
    const w1 = await new SummaryWriter({logDir}).open();
    const w2 = new SummaryWriter({logDir, filenameSuffix: '.v2'});
    w1.scalar('x', 1, 0);
    w2.scalar('x', 2, 0);
    await Promise.all([w1.close(), w2.close()]);
    const names = readdirSync(logDir).sort();
    expect(names).toHaveLength(2);
    const host = hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const n of names) expect(n).toMatch(new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\.${host}\\.${process.pid}\\.\\d+(\\.v2)?$`));
    expect(w1.path).toBe(join(logDir, w1.fileName!).replace(/\\/g, '/'));
    const events = [];
    for await (const e of readEvents(w2.path!)) events.push(e);
    expect(events).toHaveLength(2);
  });

  it('appends on each flush, and flushes on its timer', async () => {
    const w = new SummaryWriter({logDir: join(dir, 'timer'), flushSeconds: 0.05});
    await w.open();
    const size0 = readFileSync(w.path!).length;
    w.scalar('x', 1, 0);
    await new Promise((r) => setTimeout(r, 200));
    const size1 = readFileSync(w.path!).length;
    expect(size1).toBeGreaterThan(size0);
    w.scalar('x', 2, 1);
    await w.flush();
    expect(readFileSync(w.path!).subarray(0, size1)).toEqual(readFileSync(w.path!).subarray(0, size1));
    expect(readFileSync(w.path!).length).toBeGreaterThan(size1);
    await w.close();
  });

  it('runs write into subdirectories and close with their parent', async () => {
    const w = new SummaryWriter({logDir: join(dir, 'runs')});
    w.run('train').scalar('x', 1, 0);
    w.run('validation').scalar('x', 2, 0);
    expect(w.run('train')).toBe(w.run('train'));
    await w.close();
    expect(readdirSync(join(dir, 'runs')).sort()).toEqual(expect.arrayContaining(['train', 'validation']));
    expect(() => w.run('train').scalar('x', 1, 1)).toThrow(StateError);
  });

  it('fails with a ConfigError when the logDir cannot be created', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const w = new SummaryWriter({logDir: join(file, 'sub')});
    const error = await w.open().catch((e: unknown) => e);
    expect(ConfigError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/cannot create the log directory .*a-file.*writable place/);
    await expect(w.flush()).rejects.toBe(error);
  });
});

describe('SummaryWriter bad input', () => {
  const w = new SummaryWriter({sink: () => {}, flushSeconds: Infinity});

  it('refuses bad options', () => {
    expect(() => new SummaryWriter({} as never)).toThrow(ConfigError);
    expect(() => new SummaryWriter({logDir: 'x', sink: () => {}})).toThrow(/exactly one of logDir/);
    expect(() => new SummaryWriter({logDir: 'x', flushSecs: 1} as never)).toThrow(ConfigError);
    expect(() => new SummaryWriter({logDir: 'x', flushSeconds: 0})).toThrow(/flushSeconds/);
  });

  it('refuses bad tags, steps and values with typed errors', () => {
    expect(() => w.scalar('', 1, 0)).toThrow(ConfigError);
    expect(() => w.scalar('x', 1, 1.5)).toThrow(/step must be an integer/);
    expect(() => w.scalar('x', '1' as never, 0)).toThrow(DataError);
    expect(() => w.histogram('h', [1, 'a'] as never, 0)).toThrow(/element 1 is 'a'/);
    expect(() => w.histogram('h', {} as never, 0)).toThrow(DataError);
    expect(() => w.histogram('h', [1], 0, {buckets: 0})).toThrow(ConfigError);
    expect(() => w.text('t', 3 as never, 0)).toThrow(ConfigError);
    expect(() => w.hparams({a: {b: 1}} as never)).toThrow(/'a' must be a number, string or boolean/);
  });

  it('refuses images of the wrong rank, channels or dtype', () => {
    const t2 = tf.zeros([4, 4]);
    const t5 = tf.zeros([4, 4, 5]);
    const b = tf.zeros([2, 2, 1], 'bool');
    expect(() => w.image('i', t2, 0)).toThrow(ShapeError);
    expect(() => w.image('i', t2, 0)).toThrow(/rank 3 \[h, w, c\] or 4 \[n, h, w, c\]; got a tensor of shape \[4, 4\]/);
    expect(() => w.image('i', t5, 0)).toThrow(/must be 1, 2, 3 or 4/);
    expect(() => w.image('i', b, 0)).toThrow(DTypeError);
    expect(() => w.image('i', [[1]] as never, 0)).toThrow(ConfigError);
    tf.dispose([t2, t5, b]);
  });
});
