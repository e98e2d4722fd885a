// modelGraphDef and SummaryWriter.graph: the layer graph TensorBoard's Graphs dashboard draws.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, Sequential, input, model} from '@trellis/core';
import {concatenate, dense, flatten} from '@trellis/layers';
import {beforeAll, describe, expect, it} from 'vitest';
import {modelGraphDef} from './graph';
import type {GraphDef} from './proto';
import {decodeEvents, decodeGraphDef} from './reader';
import {SummaryWriter} from './writer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const edges = (g: GraphDef) => g.node.map((n) => [n.name, n.op, [...n.input]]);
const shapeOf = (g: GraphDef, name: string) =>
  g.node.find((n) => n.name === name)!.attr._output_shapes?.value.case === 'list'
    ? (g.node.find((n) => n.name === name)!.attr._output_shapes!.value.value as {shape: {dim: {size: bigint}[]}[]}).shape[0]!.dim.map((d) =>
        Number(d.size),
      )
    : undefined;

describe('modelGraphDef', () => {
  it('reads a Sequential model as a chain from an input placeholder, ops named as Keras classes', () => {
    const m = new Sequential([flatten({inputShape: [2, 3]}), dense({units: 4, activation: 'relu'}), dense({units: 2})]);
    m.build([2, 3]);
    const g = modelGraphDef(m);
    expect(edges(g)).toEqual([
      ['input_layer', 'Placeholder', []],
      ['flatten', 'Flatten', ['input_layer']],
      ['dense', 'Dense', ['flatten']],
      ['dense_1', 'Dense', ['dense']],
    ]);
    expect(shapeOf(g, 'input_layer')).toEqual([-1, 2, 3]);
    expect(shapeOf(g, 'dense')).toEqual([-1, 4]);
    const config = g.node[2]!.attr.config!.value;
    expect(config.case).toBe('s');
    expect(JSON.parse(new TextDecoder().decode(config.value as Uint8Array))).toMatchObject({units: 4, activation: 'relu'});
    m.dispose();
  });

  it('reads a functional model from its outputs: placeholders per input, inbound layers as inputs, a shared layer once', () => {
    const a = input({shape: [3], name: 'a'});
    const b = input({shape: [3], name: 'b'});
    const shared = dense({units: 2, name: 'shared'});
    const merged = concatenate({name: 'merge'}).apply([shared.apply(a), shared.apply(b)]);
    const out = dense({units: 1, name: 'out'}).apply(merged);
    const m = model({inputs: [a, b], outputs: out, name: 'siamese'});
    const g = modelGraphDef(m);
    expect(edges(g)).toEqual([
      ['a', 'Placeholder', []],
      ['b', 'Placeholder', []],
      ['shared', 'Dense', ['a', 'b']],
      ['merge', 'Concatenate', ['shared']],
      ['out', 'Dense', ['merge']],
    ]);
    expect(shapeOf(g, 'merge')).toEqual([-1, 4]);
    expect(g.node[0]!.attr.dtype!.value).toEqual({case: 'type', value: 1});
    m.dispose();
  });

  it('leaves shapes out for an unbuilt model, and refuses what is not a model', () => {
    const m = new Sequential([dense({units: 2})]);
    const g = modelGraphDef(m);
    expect(edges(g)).toEqual([
      ['input_layer', 'Placeholder', []],
      ['dense', 'Dense', ['input_layer']],
    ]);
    expect(g.node[1]!.attr._output_shapes).toBeUndefined();
    expect(() => modelGraphDef(null as never)).toThrow(ConfigError);
    expect(() => modelGraphDef(42 as never)).toThrow(ConfigError);
  });
});

describe('SummaryWriter.graph', () => {
  it('writes an Event with graph_def bytes at the step given (0 by default)', async () => {
    const chunks: number[] = [];
    const w = new SummaryWriter({sink: (bytes) => void chunks.push(...bytes), flushSeconds: Infinity});
    const m = new Sequential([dense({units: 3, inputShape: [5]})]);
    w.graph(m);
    const own = modelGraphDef(m);
    w.graph(own, 4);
    await w.close();
    const events = decodeEvents(new Uint8Array(chunks)).events.filter((e) => e.what.case === 'graphDef');
    expect(events.map((e) => Number(e.step))).toEqual([0, 4]);
    for (const e of events) expect(edges(decodeGraphDef(e.what.value as Uint8Array))).toEqual(edges(own));
    m.dispose();
    expect(() => w.graph(own)).toThrow(/closed/);
  });
});

describe('tensorBoard({writeGraph})', () => {
  it('writes the graph once at fit start in the train run (default), and not with writeGraph: false', async () => {
    const {tensorBoard} = await import('./callback');
    const {sgd} = await import('@trellis/optimizers');
    const {meanSquaredError} = await import('@trellis/layers');
    const x = tf.ones([8, 2]);
    const y = tf.ones([8, 1]);
    for (const writeGraph of [true, false]) {
      const chunks = new Map<string, number[]>();
      const sink = (bytes: Uint8Array, info: {run: string}) =>
        void (chunks.get(info.run) ?? chunks.set(info.run, []).get(info.run)!).push(...bytes);
      const m = new Sequential([dense({units: 3, inputShape: [2]}), dense({units: 1})]);
      m.compile({optimizer: sgd({learningRate: 0.1}), loss: meanSquaredError()});
      await m.fit(x, y, {epochs: 2, batchSize: 4, validationData: [x, y], callbacks: [tensorBoard({sink, writeGraph})]});
      const graphs = (run: string) =>
        decodeEvents(new Uint8Array(chunks.get(run) ?? []))
          .events.filter((e) => e.what.case === 'graphDef')
          .map((e) => edges(decodeGraphDef(e.what.value as Uint8Array)));
      expect(graphs('train')).toEqual(
        writeGraph
          ? [
              [
                ['input_layer', 'Placeholder', []],
                ['dense', 'Dense', ['input_layer']],
                ['dense_1', 'Dense', ['dense']],
              ],
            ]
          : [],
      );
      expect(graphs('validation')).toEqual([]);
      m.dispose();
    }
    tf.dispose([x, y]);
  });
});
