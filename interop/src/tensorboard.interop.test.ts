// The real TensorBoard reads what @trellis/tensorboard writes: every tag and
// value, through its classic EventAccumulator and the accumulator behind the
// dashboards (python/checks/tensorboard_read.py), and the real
// `tensorboard --logdir` server serves it through its HTTP data API.
import * as tf from '@tensorflow/tfjs-core';
import {Sequential, adam, backends, callbacks, dense, meanSquaredError, setSeed, tensorboard, useBackend} from 'trellis';
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {join} from 'node:path';
import {beforeAll, describe, expect, inject, it} from 'vitest';
import {freshFolder} from './harness/folders';
import {pythonRoot, runPythonModule} from './harness/python';

type Num = number | 'nan' | 'inf' | '-inf';
type GraphNodes = {name: string; op: string; input: string[]}[] | null;
type Report = Record<
  string,
  {
    files: string[];
    classic: {
      scalars: Record<string, [number, Num][]>;
      tensors: Record<string, {plugin: string; points: {step: number; dtype: string; shape: number[]}[]}>;
      graph: GraphNodes;
    };
    dashboards: {
      graph: GraphNodes;
      scalars: Record<string, [number, Num][]>;
      histograms: Record<string, {step: number; buckets: Num[][]}[]>;
      images: Record<
        string,
        {
          step: number;
          width: number;
          height: number;
          images: {format: string; width: number; height: number; mode: string; pixels: number[]}[];
        }[]
      >;
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
  await useBackend(backends.cpu());
});

describe('TensorBoard reads SummaryWriter files', () => {
  let report: Report;
  const scalarSteps = Array.from({length: 50}, (_, i) => i);
  const loss = scalarSteps.map((s) => 1 / (s + 1) + Math.sin(s) * 1e-3);
  const special = [0, -0.5, 1e-30, 3.4e38, 123456.789, NaN, Infinity, -Infinity];
  const hist = Array.from({length: 1000}, (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1);
  const gray = [0, 0.25, 0.5, 0.75, 1, 0.1];
  const rgba = Array.from({length: 2 * 3 * 2 * 4}, (_, i) => (i * 37) % 256);
  const markdown = '# Notes\n\n| key | value |\n|---|---|\n| units | 8 |\n\nÜmlaut, 日本語, `code`.';

  beforeAll(async () => {
    const folder = freshFolder('tensorboard', 'writer');
    const root = new tensorboard.SummaryWriter({logDir: join(folder, 'logs'), flushSeconds: Infinity});
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
    const rows = (flat: Float64Array) =>
      Array.from({length: flat.length / 3}, (_, i) => [flat[3 * i]!, flat[3 * i + 1]!, flat[3 * i + 2]!]);
    expect(kinds.dashboards.histograms.weights).toEqual([
      {step: 1, buckets: rows(tensorboard.histogramBuckets(hist))},
      {
        step: 2,
        buckets: [
          [5, 5, 0],
          [5, 5, 0],
          [5, 5, 0],
          [5, 5, 3],
        ],
      },
      {
        step: 3,
        buckets: [
          [0, 0, 0],
          [0, 0, 0],
        ],
      },
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

/** What the fit case left for the server check: its log directory and History. */
let fit: {logs: string; history: Readonly<Record<string, readonly number[]>>} | null = null;

describe('TensorBoard reads the tensorBoard callback of a real fit', () => {
  it("sees Keras' runs and tags with the fit's values, the graph, the confusion matrix and the hparams session", async () => {
    const folder = freshFolder('tensorboard', 'fit');
    const logs = join(folder, 'logs');
    const trial = join(logs, 'trial');
    setSeed(7);
    const x = tf.randomUniform([64, 4], -1, 1, 'float32', 1);
    const y = tf.tidy(() => tf.mul(tf.sum(x, 1, true), 0.5));
    const classes = tf.tidy(() => tf.cast(tf.greater(tf.sum(x, 1), 0.5), 'int32'));
    const model = new Sequential([dense({units: 8, activation: 'tanh', inputShape: [4]}), dense({units: 1})]);
    model.compile({optimizer: adam({learningRate: 0.01}), loss: meanSquaredError()});
    // The hparams session in `trial`, the callback's runs below it (Keras' hp.KerasCallback layout).
    const session = new tensorboard.SummaryWriter({logDir: trial, flushSeconds: Infinity});
    session.hparams(
      {learning_rate: 0.01, units: 8},
      {
        metrics: [
          {group: 'train', tag: 'epoch_loss'},
          {group: 'validation', tag: 'epoch_loss'},
        ],
      },
    );
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: 16,
      validationSplit: 0.25,
      callbacks: [
        callbacks.tensorBoard({
          logDir: trial,
          histogramFreq: 1,
          updateFreq: 'batch',
          writeGradients: true,
          confusionMatrix: {x, y: classes, labels: ['low', 'high']},
        }),
      ],
    });
    await session.close();
    model.dispose();
    tf.dispose([x, y, classes]);
    fit = {logs, history: history.history};
    const report = await tensorboardRead(folder);
    expect(Object.keys(report).sort()).toEqual(['trial', 'trial/train', 'trial/validation']);
    const f = (v: number) => Math.fround(v);
    const train = report['trial/train']!.dashboards;
    const validation = report['trial/validation']!.dashboards;
    expect(train.scalars.epoch_loss).toEqual(history.history.loss!.map((v, i) => [i, f(v)]));
    expect(train.scalars.epoch_learning_rate).toEqual([0, 1, 2].map((i) => [i, f(0.01)]));
    expect(train.scalars.batch_loss!.map(([s]) => s)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(validation.scalars.epoch_loss).toEqual(history.history.val_loss!.map((v, i) => [i, f(v)]));
    expect(validation.scalars.evaluation_loss_vs_iterations!.map(([s]) => s)).toEqual([3, 6, 9]);
    const names = ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias'];
    expect(Object.keys(train.histograms).sort()).toEqual(names.flatMap((n) => [`${n}/gradient`, `${n}/histogram`]).sort());
    for (const points of Object.values(train.histograms)) expect(points.map((p) => p.step)).toEqual([0, 1, 2]);
    const kernelCounts = train.histograms['dense/kernel/histogram']![0]!.buckets.reduce((n, b) => n + (b[2] as number), 0);
    expect(kernelCounts).toBe(32);
    expect(train.text.model_summary![0]![1]).toMatch(/Total params: 49/);

    // The graph: one node per layer, inputs its inbound layers, as both readers get it.
    const graph = [
      {name: 'input_layer', op: 'Placeholder', input: []},
      {name: 'dense', op: 'Dense', input: ['input_layer']},
      {name: 'dense_1', op: 'Dense', input: ['dense']},
    ];
    expect(report['trial/train']!.classic.graph).toEqual(graph);
    expect(train.graph).toEqual(graph);
    expect(validation.graph).toBeNull();

    // The confusion matrix: a 2×2 heat map of 16-pixel cells at each validation epoch, pixels as the counts say.
    const images = validation.images.confusion_matrix!;
    expect(images.map((p) => [p.step, p.width, p.height, p.images.length])).toEqual([0, 1, 2].map((s) => [s, 32, 32, 1]));
    const tables = validation.text['confusion_matrix/counts']!;
    expect(tables.map(([s]) => s)).toEqual([0, 1, 2]);
    for (const [i, image] of images.entries()) {
      expect(image.images[0]).toMatchObject({format: 'PNG', width: 32, height: 32, mode: 'RGB'});
      const counts = tables[i]![1].split('\n')
        .slice(2)
        .map((line) => line.split('|').slice(2, -1).map(Number));
      expect(counts.flat().reduce((a, b) => a + b, 0)).toBe(64);
      const want = tensorboard.confusionMatrixImage(counts);
      expect(image.images[0]!.pixels).toEqual(Array.from(want.dataSync()));
      want.dispose();
    }

    // The hparams session: values, metrics in the sub-runs, end status.
    const hp = report.trial!.dashboards.hparams;
    expect(hp['_hparams_/session_start_info']!.hparams).toEqual({learning_rate: 0.01, units: 8});
    expect(hp['_hparams_/session_end_info']!.status).toBe('STATUS_SUCCESS');
    const experiment = hp['_hparams_/experiment'] as {metric_infos: {name: {group: string; tag: string}}[]};
    expect(experiment.metric_infos.map((m) => m.name)).toEqual([
      {group: 'train', tag: 'epoch_loss'},
      {group: 'validation', tag: 'epoch_loss'},
    ]);
  });
});

/** A port nobody listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as {port: number};
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `tensorboard --logdir <logdir>` from the interop virtualenv on
 * 127.0.0.1 (its default fast loader) and waits until it answers.
 */
async function startTensorBoard(logdir: string) {
  const port = await freePort();
  const child = spawn(
    inject('python'),
    ['-m', 'tensorboard.main', '--logdir', logdir, '--host', '127.0.0.1', '--port', String(port), '--reload_interval', '1'],
    {
      cwd: pythonRoot,
      env: {...process.env, PYTHONDONTWRITEBYTECODE: '1', TF_CPP_MIN_LOG_LEVEL: '2'},
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exit;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`tensorboard exited before answering:\n${output}`);
    try {
      const response = await fetch(`${base}/data/runs`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`tensorboard did not answer on ${base} within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${base}${path}`);
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: {'content-type': 'application/json', 'X-XSRF-Protected': '1'},
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const bytes = async (path: string) => new Uint8Array(await (await fetch(`${base}${path}`)).arrayBuffer());
  /** Polls `read` until `ready` holds (the server loads the files in the background). */
  const until = async <T>(read: () => Promise<T>, ready: (value: T) => boolean, what: string): Promise<T> => {
    const end = Date.now() + 60_000;
    for (;;) {
      const value = await read();
      if (ready(value)) return value;
      if (Date.now() > end) throw new Error(`tensorboard never served ${what}; last answer: ${JSON.stringify(value)}\n${output}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  return {get, post, bytes, until, stop, output: () => output, base: () => base};
}

/** A number of TensorBoard's JSON answers: non-finite floats come as the strings "NaN", "Infinity", "-Infinity". */
const served = (v: number | string): number => {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  throw new Error(`unexpected scalar value ${JSON.stringify(v)} from tensorboard`);
};

describe('the real tensorboard server serves what Trellis wrote', () => {
  it('lists runs, tags, scalar values, histograms, images, text, the graph and hparams through its HTTP data API', async () => {
    expect(fit, 'the fit case above must have run').not.toBeNull();
    const {logs, history} = fit!;
    // One more run: odd tag names and non-finite scalars.
    const oddTags = ['with space', 'a/b/c', 'ünïcödé/日本語'];
    const odd = new tensorboard.SummaryWriter({logDir: join(logs, 'odd'), flushSeconds: Infinity});
    oddTags.forEach((tag, i) => odd.scalar(tag, i + 0.5, 0));
    [NaN, Infinity, -Infinity, 1.5].forEach((v, step) => odd.scalar('special', v, step));
    await odd.close();

    const server = await startTensorBoard(logs);
    try {
      const runs = await server.until(
        () => server.get<string[]>('/data/runs'),
        (r) => r.length === 4,
        'the four runs',
      );
      expect([...runs].sort()).toEqual(['odd', 'trial', 'trial/train', 'trial/validation']);

      type Tags = Record<string, Record<string, unknown>>;
      const tags = await server.until(
        () => server.get<Tags>('/data/plugin/scalars/tags'),
        (t) => Object.keys(t['trial/validation'] ?? {}).includes('epoch_loss') && Object.keys(t.odd ?? {}).includes('special'),
        'the scalar tags',
      );
      expect(Object.keys(tags['trial/train']!).sort()).toEqual(['batch_loss', 'epoch_learning_rate', 'epoch_loss']);
      expect(Object.keys(tags['trial/validation']!).sort()).toEqual(['epoch_loss', 'evaluation_loss_vs_iterations']);
      expect(Object.keys(tags.odd!).sort()).toEqual([...oddTags, 'special'].sort());

      type Scalars = [number, number, number | string][];
      const scalars = async (run: string, tag: string) =>
        (await server.get<Scalars>(`/data/plugin/scalars/scalars?run=${encodeURIComponent(run)}&tag=${encodeURIComponent(tag)}`)).map(
          ([, step, v]) => [step, served(v)],
        );
      const f = (v: number) => Math.fround(v);
      expect(await scalars('trial/train', 'epoch_loss')).toEqual(history.loss!.map((v, i) => [i, f(v)]));
      expect(await scalars('trial/validation', 'epoch_loss')).toEqual(history.val_loss!.map((v, i) => [i, f(v)]));
      expect(await scalars('trial/train', 'epoch_learning_rate')).toEqual([0, 1, 2].map((i) => [i, f(0.01)]));
      expect(await scalars('odd', 'special')).toEqual([
        [0, NaN],
        [1, Infinity],
        [2, -Infinity],
        [3, 1.5],
      ]);
      for (const [i, tag] of oddTags.entries()) expect(await scalars('odd', tag)).toEqual([[0, i + 0.5]]);

      const histogramTags = await server.get<Tags>('/data/plugin/histograms/tags');
      expect(Object.keys(histogramTags['trial/train']!)).toHaveLength(8);
      expect(Object.keys(histogramTags['trial/train']!)).toContain('dense/kernel/gradient');
      const kernel = await server.get<[number, number, [number, number, number][]][]>(
        '/data/plugin/histograms/histograms?run=trial/train&tag=dense/kernel/histogram',
      );
      expect(kernel.map(([, step]) => step)).toEqual([0, 1, 2]);
      expect(kernel[0]![2].reduce((n, [, , c]) => n + c, 0)).toBe(32);

      const imageTags = await server.get<Tags>('/data/plugin/images/tags');
      expect(Object.keys(imageTags['trial/validation']!)).toEqual(['confusion_matrix']);
      const images = await server.get<{step: number; query: string}[]>(
        '/data/plugin/images/images?run=trial/validation&tag=confusion_matrix&sample=0',
      );
      expect(images.map((i) => i.step)).toEqual([0, 1, 2]);
      const png = await server.bytes(`/data/plugin/images/individualImage?${images[0]!.query}`);
      expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const ihdr = new DataView(png.buffer, png.byteOffset + 16, 8);
      expect([ihdr.getUint32(0), ihdr.getUint32(4)]).toEqual([32, 32]);

      const textTags = await server.get<Record<string, string[]>>('/data/plugin/text/tags');
      expect(textTags['trial/train']).toContain('model_summary');
      expect(textTags['trial/validation']).toContain('confusion_matrix/counts');

      const graphs = await server.get<Record<string, {run_graph: boolean}>>('/data/plugin/graphs/info');
      expect(Object.keys(graphs)).toEqual(['trial/train']);
      expect(graphs['trial/train']!.run_graph).toBe(true);
      const response = await fetch(`${server.base()}/data/plugin/graphs/graph?run=trial/train&conceptual=false`);
      const pbtxt = await response.text();
      expect(response.ok, pbtxt).toBe(true);
      const nodes = [...pbtxt.matchAll(/name: "([^"]+)"\s+op: "([^"]+)"/g)].map((m) => `${m[1]}:${m[2]}`);
      expect(nodes).toEqual(['input_layer:Placeholder', 'dense:Dense', 'dense_1:Dense']);
      expect(pbtxt).toMatch(/name: "dense_1"\s+op: "Dense"\s+input: "dense"/);

      const experiment = await server.post<{hparamInfos: {name: string}[]; metricInfos: {name: {group: string; tag: string}}[]}>(
        '/data/plugin/hparams/experiment',
        {experimentName: ''},
      );
      expect(experiment.hparamInfos.map((h) => h.name).sort()).toEqual(['learning_rate', 'units']);
      expect(experiment.metricInfos.map((m) => `${m.name.group}/${m.name.tag}`).sort()).toEqual([
        'train/epoch_loss',
        'validation/epoch_loss',
      ]);
      type Groups = {
        sessionGroups: {
          hparams: Record<string, unknown>;
          metricValues: {name: {group: string; tag: string}; value: number; trainingStep: number}[];
          sessions: {name: string; status: string}[];
        }[];
      };
      const groups = await server.post<Groups>('/data/plugin/hparams/session_groups', {
        experimentName: '',
        allowedStatuses: ['STATUS_UNKNOWN', 'STATUS_SUCCESS', 'STATUS_FAILURE', 'STATUS_RUNNING'],
        colParams: [],
        startIndex: 0,
        sliceSize: 100,
      });
      expect(groups.sessionGroups).toHaveLength(1);
      const group = groups.sessionGroups[0]!;
      expect(group.hparams).toEqual({learning_rate: 0.01, units: 8});
      expect(group.sessions.map((s) => [s.name, s.status])).toEqual([['trial', 'STATUS_SUCCESS']]);
      const metric = (g: string) => group.metricValues.find((m) => m.name.group === g && m.name.tag === 'epoch_loss');
      expect(metric('validation')).toMatchObject({value: f(history.val_loss!.at(-1)!), trainingStep: 2});
      expect(metric('train')).toMatchObject({value: f(history.loss!.at(-1)!), trainingStep: 2});
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- tensorboard output ---\n${server.output()}`, {cause: error});
    } finally {
      await server.stop();
    }
  });
});
