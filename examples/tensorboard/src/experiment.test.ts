// The example on the cpu backend with few images: every dashboard's data is in the log directory.
import * as tf from '@tensorflow/tfjs-core';
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createTrellis, tensorboard} from 'trellis';
import type {DecodedValue} from '@trellis/tensorboard';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runTensorBoardExample} from './experiment';

const dir = mkdtempSync(join(tmpdir(), 'trellis-tb-example-'));
beforeAll(async () => {
  await createTrellis({backend: 'cpu'});
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

type Point = DecodedValue & {step: number};

/** Every summary of the run directory `run` (one event file), and its graphs' node names. */
async function read(run: string): Promise<{points: Point[]; graphs: string[][]}> {
  const files = readdirSync(join(dir, run)).filter((f) => f.includes('tfevents'));
  expect(files).toHaveLength(1);
  const points: Point[] = [];
  const graphs: string[][] = [];
  for await (const e of tensorboard.readEvents(join(dir, run, files[0]!))) {
    if (e.what.case === 'summary') for (const v of e.what.value.value) points.push({step: Number(e.step), ...tensorboard.decodeValue(v)});
    if (e.what.case === 'graphDef') graphs.push(tensorboard.decodeGraphDef(e.what.value).node.map((n) => `${n.name}:${n.op}`));
  }
  return {points, graphs};
}

describe('the TensorBoard example', () => {
  it('writes two runs with scalars, histograms, graph, summary, confusion matrix and hparams', async () => {
    const before = tf.memory().numTensors;
    const results = await runTensorBoardExample({logDir: dir, backend: 'cpu', samples: 400, epochs: 2});
    expect(tf.memory().numTensors).toBe(before);
    expect(results.map((r) => r.name)).toEqual(['adam', 'sgd-momentum']);
    for (const r of results) {
      const session = await read(r.name);
      const hp = session.points.filter((p) => p.kind === 'hparams').map((p) => p.tag);
      expect(hp).toEqual(['_hparams_/experiment', '_hparams_/session_start_info', '_hparams_/session_end_info']);

      const train = await read(`${r.name}/train`);
      const loss = train.points.filter((p) => p.tag === 'epoch_loss').map((p) => [p.step, (p as {value: number}).value]);
      expect(loss).toEqual(r.history.loss!.map((v, i) => [i, Math.fround(v)]));
      const histTags = new Set(train.points.filter((p) => p.kind === 'histogram').map((p) => p.tag));
      expect([...histTags].sort()).toEqual(
        ['dense', 'dense_1', 'dense_2']
          .flatMap((l) => ['kernel', 'bias'].flatMap((w) => [`${l}/${w}/gradient`, `${l}/${w}/histogram`]))
          .sort(),
      );
      expect(train.graphs).toEqual([['input_layer:Placeholder', 'dense:Dense', 'dense_1:Dense', 'dense_2:Dense']]);
      expect(train.points.find((p) => p.tag === 'model_summary')?.kind).toBe('text');

      const validation = await read(`${r.name}/validation`);
      expect(validation.points.filter((p) => p.tag === 'epoch_accuracy').map((p) => p.step)).toEqual([0, 1]);
      const cm = validation.points.filter((p) => p.tag === 'confusion_matrix') as (Extract<DecodedValue, {kind: 'image'}> & {
        step: number;
      })[];
      expect(cm.map((p) => [p.step, p.width, p.height])).toEqual([
        [0, 160, 160],
        [1, 160, 160],
      ]);
    }
  });
});
