// The real TensorBoard reads what @trellis/tensorboard writes: every tag and
// value, through its classic EventAccumulator and the accumulator behind the
// dashboards (python/checks/tensorboard_read.py).
import * as tf from '@tensorflow/tfjs-core';
import {Sequential, adam, cpu, dense, meanSquaredError, setSeed, useBackend} from 'trellis';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {SummaryWriter, histogramBuckets, tensorBoard} from 'trellis';
import {freshFolder} from './harness/folders';
import {runPythonModule} from './harness/python';

type Num = number | 'nan' | 'inf' | '-inf';
type Report = Record<
  string,
  {
    files: string[];
    classic: {scalars: Record<string, [number, Num][]>; tensors: Record<string, {plugin: string; points: {step: number; dtype: string; shape: number[]}[]}>};
    dashboards: {
      scalars: Record<string, [number, Num][]>;
      histograms: Record<string, {step: number; buckets: Num[][]}[]>;
      images: Record<string, {step: number; width: number; height: number; images: {format: string; width: number; height: number; mode: string; pixels: number[]}[]}[]>;
      text: Record<string, [number, string][]>;
      hparams: Record<string, Record<string, unknown>>;
      plugins: Record<string, string>;
    };
  }
>;

/** Runs the check on `folder/logs` and returns its report. */
async function tensorboardRead(folder: string): Promise<Report> {
  await runPythonModule('checks.tensorboard_read', [folder]);
  const report = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')) as {ok: boolean; values?: Report; error?: string};
  if (!report.ok) throw new Error(`tensorboard_read failed on ${folder}:\n${report.error}`);
  return report.values!;
}

const num = (v: number): Num => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v);

beforeAll(async () => {
  await useBackend(cpu());
});

describe('TensorBoard reads SummaryWriter files', () => {
  let report: Report;
  const scalarSteps = Array.from({length: 50}, (_, i) => i);
  const loss = scalarSteps.map((s) => 1 / (s + 1) + Math.sin(s) * 1e-3);
  const special = [0, -0.5, 1e-30, 3.4e38, 123456.789, NaN, Infinity, -Infinity];
  const hist = Array.from({length: 1000}, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
  const gray = [0, 0.25, 0.5, 0.75, 1, 0.1];
  const rgba = Array.from({length: 2 * 3 * 2 * 4}, (_, i) => (i * 37) % 256);
  const markdown = '# Notes\n\n| key | value |\n|---|---|\n| units | 8 |\n\nÜmlaut, 日本語, `code`.';

  beforeAll(async () => {
    const folder = freshFolder('tensorboard', 'writer');
    const root = new SummaryWriter({logDir: join(folder, 'logs'), flushSeconds: Infinity});
    const w = root.run('kinds');
    for (const s of scalarSteps) w.scalar('loss', loss[s]!, s);
    special.forEach((v, i) => w.scalar('special', v, i));
    w.scalars({'group/a': 1, 'group/b': 2}, 3);
    w.histogram('weights', hist, 1);
    w.histogram('weights', [5, 5, 5], 2, {buckets: 4});
    w.histogram('weights', [], 3, {buckets: 2});
    const g = tf.tensor3d(gray, [2, 3, 1]);
    const c = tf.tensor4d(rgba, [2, 3, 2, 4], 'int32');
    w.image('gray', g, 0);
    w.image('rgba', c, 1);
    tf.dispose([g, c]);
    w.text('notes', markdown, 7);
    const session = root.run('session');
    session.hparams({learning_rate: 0.001, optimizer: 'adam', shuffle: true, units: 64}, {metrics: ['epoch_loss']});
    session.scalar('epoch_loss', 0.5, 0);
    await root.close();
    report = await tensorboardRead(folder);
  });

  it('finds the runs, one event file each', () => {
    expect(Object.keys(report).sort()).toEqual(['kinds', 'session']);
    for (const run of Object.values(report)) expect(run.files).toHaveLength(1);
  });

  it('reads every scalar exactly (float32), non-finite ones included, in both readers', () => {
    const kinds = report.kinds!;
    const want = scalarSteps.map((s) => [s, Math.fround(loss[s]!)]);
    expect(kinds.classic.scalars.loss).toEqual(want);
    expect(kinds.dashboards.scalars.loss).toEqual(want);
    const specialWant = special.map((v, i) => [i, num(Math.fround(v))]);
    expect(kinds.classic.scalars.special).toEqual(specialWant);
    expect(kinds.dashboards.scalars.special).toEqual(specialWant);
    expect(kinds.dashboards.scalars['group/a']).toEqual([[3, 1]]);
    expect(kinds.dashboards.plugins.loss).toBe('scalars');
  });

  it('reads histograms as the histograms plugin stores them ([k, 3] float64), buckets exactly', () => {
    const kinds = report.kinds!;
    expect(kinds.classic.tensors.weights!.plugin).toBe('histograms');
    expect(kinds.classic.tensors.weights!.points.map((p) => [p.step, p.dtype, p.shape])).toEqual([
      [1, 'float64', [30, 3]],
      [2, 'float64', [4, 3]],
      [3, 'float64', [2, 3]],
    ]);
    const rows = (flat: Float64Array) => Array.from({length: flat.length / 3}, (_, i) => [flat[3 * i]!, flat[3 * i + 1]!, flat[3 * i + 2]!]);
    expect(kinds.dashboards.histograms.weights).toEqual([
      {step: 1, buckets: rows(histogramBuckets(hist))},
      {step: 2, buckets: [[5, 5, 0], [5, 5, 0], [5, 5, 0], [5, 5, 3]]},
      {step: 3, buckets: [[0, 0, 0], [0, 0, 0]]},
    ]);
  });

  it('reads images: width, height and PNGs that decode to the pixels written', () => {
    const {images} = report.kinds!.dashboards;
    const [g] = images.gray!;
    expect([g!.step, g!.width, g!.height, g!.images.length]).toEqual([0, 3, 2, 1]);
    expect(g!.images[0]).toMatchObject({format: 'PNG', width: 3, height: 2, mode: 'L'});
    expect(g!.images[0]!.pixels).toEqual(gray.map((v) => Math.floor(v * 255.5)));
    const [c] = images.rgba!;
    expect([c!.step, c!.width, c!.height, c!.images.length]).toEqual([1, 2, 3, 2]);
    expect(c!.images.map((i) => i.mode)).toEqual(['RGBA', 'RGBA']);
    expect([...c!.images[0]!.pixels, ...c!.images[1]!.pixels]).toEqual(rgba);
    expect(report.kinds!.dashboards.plugins.gray).toBe('images');
  });

  it('reads text (Markdown, UTF-8)', () => {
    expect(report.kinds!.dashboards.text.notes).toEqual([[7, markdown]]);
  });

  it('reads hparams: experiment, session start with the values, session end status', () => {
    const hp = report.session!.dashboards.hparams;
    expect(hp['_hparams_/session_start_info']!.hparams).toEqual({learning_rate: 0.001, optimizer: 'adam', shuffle: true, units: 64});
    expect(hp['_hparams_/session_end_info']!.status).toBe('STATUS_SUCCESS');
    const experiment = hp['_hparams_/experiment'] as {hparam_infos: {name: string; type: string}[]; metric_infos: {name: {tag: string}}[]};
    expect(experiment.hparam_infos.map((h) => [h.name, h.type])).toEqual([
      ['learning_rate', 'DATA_TYPE_FLOAT64'],
      ['optimizer', 'DATA_TYPE_STRING'],
      ['shuffle', 'DATA_TYPE_BOOL'],
      ['units', 'DATA_TYPE_FLOAT64'],
    ]);
    expect(experiment.metric_infos.map((m) => m.name.tag)).toEqual(['epoch_loss']);
    expect(report.session!.dashboards.scalars.epoch_loss).toEqual([[0, 0.5]]);
  });
});

describe('TensorBoard reads the tensorBoard callback of a real fit', () => {
  it("sees Keras' runs and tags with the fit's values", async () => {
    const folder = freshFolder('tensorboard', 'fit');
    setSeed(7);
    const x = tf.randomUniform([64, 4], -1, 1, 'float32', 1);
    const y = tf.tidy(() => tf.mul(tf.sum(x, 1, true), 0.5));
    const model = new Sequential([dense({units: 8, activation: 'tanh', inputShape: [4]}), dense({units: 1})]);
    model.compile({optimizer: adam({learningRate: 0.01}), loss: meanSquaredError()});
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: 16,
      validationSplit: 0.25,
      callbacks: [tensorBoard({logDir: join(folder, 'logs'), histogramFreq: 1, updateFreq: 'batch', writeGradients: true})],
    });
    model.dispose();
    tf.dispose([x, y]);
    const report = await tensorboardRead(folder);
    expect(Object.keys(report).sort()).toEqual(['train', 'validation']);
    const f = (v: number) => Math.fround(v);
    const train = report.train!.dashboards;
    expect(train.scalars.epoch_loss).toEqual(history.history.loss!.map((v, i) => [i, f(v)]));
    expect(train.scalars.epoch_learning_rate).toEqual([0, 1, 2].map((i) => [i, f(0.01)]));
    expect(train.scalars.batch_loss!.map(([s]) => s)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(report.validation!.dashboards.scalars.epoch_loss).toEqual(history.history.val_loss!.map((v, i) => [i, f(v)]));
    expect(report.validation!.dashboards.scalars.evaluation_loss_vs_iterations!.map(([s]) => s)).toEqual([3, 6, 9]);
    const names = ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias'];
    expect(Object.keys(train.histograms).sort()).toEqual(names.flatMap((n) => [`${n}/gradient`, `${n}/histogram`]).sort());
    for (const points of Object.values(train.histograms)) expect(points.map((p) => p.step)).toEqual([0, 1, 2]);
    const kernelCounts = train.histograms['dense/kernel/histogram']![0]!.buckets.reduce((n, b) => n + (b[2] as number), 0);
    expect(kernelCounts).toBe(32);
    expect(train.text.model_summary![0]![1]).toMatch(/Total params: 49/);
  });
});
