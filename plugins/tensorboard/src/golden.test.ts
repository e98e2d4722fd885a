// Golden event files: what SummaryWriter and the tensorBoard callback write for a fixed set of
// inputs (wall times fixed by faking Date), byte for byte, and what the reader decodes from them.
// TRELLIS_UPDATE_GOLDEN=1 rewrites the fixtures in test/fixtures/.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {Sequential, setSeed} from '@trellis/core';
import {dense, meanSquaredError} from '@trellis/layers';
import {sgd} from '@trellis/optimizers';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {tensorBoard} from './callback';
import {modelGraphDef} from './graph';
import {decodeEvents, decodeGraphDef, decodeValue} from './reader';
import {SummaryWriter, type EventSink} from './writer';

const FIXTURES = join(import.meta.dirname, '..', 'test', 'fixtures');
const UPDATE = process.env.TRELLIS_UPDATE_GOLDEN === '1';

beforeAll(async () => {
  await tf.setBackend('cpu');
  vi.useFakeTimers({toFake: ['Date']});
  vi.setSystemTime(1_700_000_000_250);
});
afterAll(() => vi.useRealTimers());

/** A sink collecting each run's bytes. */
function collector(): {sink: EventSink; runs: Map<string, Uint8Array>} {
  const runs = new Map<string, Uint8Array>();
  const sink: EventSink = (bytes, file) => {
    const before = runs.get(file.run) ?? new Uint8Array(0);
    const next = new Uint8Array(before.length + bytes.length);
    next.set(before);
    next.set(bytes, before.length);
    runs.set(file.run, next);
  };
  return {sink, runs};
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** A JSON-able view of a decoded message: no `$typeName`, default values left out, bigints and bytes as text. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return value === 0n ? undefined : `${value}n`;
  if (typeof value === 'number') return value === 0 && !Object.is(value, -0) ? undefined : Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'boolean') return value ? true : undefined;
  if (value instanceof Uint8Array) return value.length === 0 ? undefined : `0x${hex(value)}`;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((v) => plain(v) ?? null);
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$typeName' || k === '$unknown') continue;
      const p = k === 'case' || k === 'value' ? (plain(v) ?? (v === undefined ? undefined : v)) : plain(v);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return String(value);
}

/** Everything the reader makes of a file: events, decoded values and graphs. */
function decodedView(bytes: Uint8Array): unknown {
  const {events, stop} = decodeEvents(bytes);
  return {
    stop,
    events: events.map((e) => ({
      event: plain(e) ?? {},
      values: e.what.case === 'summary' ? e.what.value.value.map((v) => plain(decodeValue(v)) ?? {}) : [],
      graph: e.what.case === 'graphDef' ? (plain(decodeGraphDef(e.what.value)) ?? {}) : null,
    })),
  };
}

function checkGolden(name: string, runs: Map<string, Uint8Array>): void {
  for (const [run, bytes] of [...runs].sort(([a], [b]) => a.localeCompare(b))) {
    const base = join(FIXTURES, `${name}${run === '' ? '' : `.${run.replace(/\//g, '_')}`}`);
    const decoded = JSON.parse(JSON.stringify(decodedView(bytes)));
    if (UPDATE || !existsSync(`${base}.tfevents`)) {
      if (!UPDATE) throw new Error(`missing golden fixture ${base}.tfevents (run with TRELLIS_UPDATE_GOLDEN=1)`);
      mkdirSync(FIXTURES, {recursive: true});
      writeFileSync(`${base}.tfevents`, bytes);
      writeFileSync(`${base}.decoded.json`, `${JSON.stringify(decoded)}\n`);
    }
    expect(hex(bytes), `${name} run '${run}' bytes`).toBe(hex(new Uint8Array(readFileSync(`${base}.tfevents`))));
    expect(decoded, `${name} run '${run}' decoded`).toEqual(JSON.parse(readFileSync(`${base}.decoded.json`, 'utf8')));
  }
}

describe('golden event files', () => {
  it('SummaryWriter: scalars, histograms, images, text, hparams, graphs, child runs', async () => {
    const {sink, runs} = collector();
    const w = new SummaryWriter({sink, flushSeconds: Infinity});
    w.scalar('loss', 0.1, 0);
    w.scalar('big', 1e300, -3);
    w.scalars({'lr/a': Math.PI, nan: Number.NaN, inf: Infinity, ninf: -Infinity, zero: 0, negzero: -0}, 2 ** 40);
    w.histogram('w', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 3);
    w.histogram('same', [1, 1, 1], 4, {buckets: 3});
    w.histogram('empty', [], 4, {buckets: 2});
    w.histogram('mixed', new Float32Array([-1.5, Number.NaN, 2.25, Infinity, 1e-7]), 5, {buckets: 4});
    const gray = tf.tensor3d([0, 0.5, 1, 0.25], [2, 2, 1]);
    w.image('gray', gray, 1);
    const rgb = tf.tensor4d(
      Array.from({length: 3 * 2 * 3 * 3}, (_, i) => (i * 37) % 256),
      [3, 2, 3, 3],
      'int32',
    );
    w.image('rgb', rgb, 2, {maxOutputs: 2});
    tf.dispose([gray, rgb]);
    w.text('notes', '# Title\n\n| a | b |\n|---|---|\n| 1 | é ✓ |', 6);
    w.hparams(
      {lr: 0.01, optimizer: 'adam', decay: true, layers: 3, '1': 'numeric key'},
      {metrics: ['epoch_loss', {group: 'validation', tag: 'epoch_accuracy'}], groupName: 'g1'},
    );
    const built = new Sequential([dense({units: 3, inputShape: [5], activation: 'relu'}), dense({units: 1})]);
    w.graph(built);
    w.graph(modelGraphDef(new Sequential([dense({units: 2})])), 7);
    w.graph({name: 'empty'}, 8);
    built.dispose();
    const v = w.run('validation');
    v.scalars({epoch_accuracy: 0.75}, 1);
    w.logMetrics({m: 2}, 3, 'sub/deep');
    await w.close('failed');

    const {sink: sink2, runs: runs2} = collector();
    const w2 = new SummaryWriter({sink: sink2, flushSeconds: Infinity});
    w2.logHyperparams({a: 1, b: 'x', c: false, d: {nested: [1, 2]}, e: null}, {score: 0.5});
    w2.endSession('running');
    w2.hparams({only: 'start'});
    await w2.close();

    checkGolden('writer', runs);
    checkGolden('loghparams', runs2);
  });

  it('the tensorBoard callback on a small fit', async () => {
    setSeed(1234);
    const {sink, runs} = collector();
    const x = tf.tensor2d([0, 1, 1, 0, 1, 1, 0, 0], [4, 2]);
    const y = tf.tensor2d([1, 1, 2, 0], [4, 1]);
    const m = new Sequential([dense({units: 3, inputShape: [2]}), dense({units: 1})]);
    m.compile({optimizer: sgd({learningRate: 0.1}), loss: meanSquaredError()});
    await m.fit(x, y, {
      epochs: 2,
      batchSize: 2,
      shuffle: false,
      validationData: [x, y],
      callbacks: [tensorBoard({sink, histogramFreq: 1, updateFreq: 'batch', flushSeconds: Infinity})],
    });
    m.dispose();
    tf.dispose([x, y]);
    checkGolden('callback', runs);
  });
});
