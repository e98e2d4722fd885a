/**
 * `model({inputs, outputs})`: Keras' functional API.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, describe} from '../errors';
import {checkOptions} from '../options-check';
import {assignLayerNames} from '../model/layer-names';
import {Model, weightFacts} from '../model/model';
import {layerTypeName, type LayerFacts} from '../model/summary';
import type {CallContext, Layer, MultiInputLayer, Shape} from '../spec/layer';
import {traceGraph, type Graph} from './graph';
import {summaryOrder} from './summary-order';
import {isSymbolic, type SymbolicTensor} from './symbolic';
import {isFrozenWeight, weightsOfLayer} from '../model/layer-weights';

/** Options of {@link model}. */
export type FunctionalOptions<O extends SymbolicTensor | readonly SymbolicTensor[]> = {
  /** The symbolic inputs (from `input({shape})`), one or an array. */
  readonly inputs: SymbolicTensor | readonly SymbolicTensor[];
  /** The symbolic outputs (from `layer.apply(...)`), one or an array. */
  readonly outputs: O;
  /** The model's name (default `functional`). */
  readonly name?: string;
};

/**
 * A model defined by a graph of layers between symbolic inputs and outputs
 * (Keras' `Functional`). It is built when made: every layer gets its weights
 * for the shapes of the graph, named as Keras names them (`dense`,
 * `dense_1`, ...); a layer applied several times is built once and shares
 * its weights.
 *
 * Data: with one input, `x` is a tensor; with several, an array of tensors
 * in the order of `inputs` (or a record keyed by input name). With several
 * outputs, `y` (and per-output `sampleWeight`) is an array in the order of
 * `outputs`, and `predict` returns an array of tensors. Compile with one
 * loss per output (`loss: [a, b]` or `{outputName: loss}`), optional
 * `lossWeights` and per-output `metrics`.
 */
export class FunctionalModel<O extends tf.Tensor | tf.Tensor[] = tf.Tensor | tf.Tensor[]> extends Model<O> {
  readonly #inputs: readonly SymbolicTensor[];
  readonly #outputs: readonly SymbolicTensor[];
  readonly #multiOutput: boolean;
  readonly #graph: Graph;

  /** @internal Use {@link model}. */
  constructor(options: FunctionalOptions<SymbolicTensor | readonly SymbolicTensor[]>) {
    super(checkName(options));
    const inputs = listOf('inputs', options.inputs);
    const outputs = listOf('outputs', options.outputs);
    this.#inputs = inputs;
    this.#outputs = outputs;
    this.#multiOutput = Array.isArray(options.outputs);
    this.#graph = traceGraph(this.name, inputs, outputs);
    assignLayerNames(this.#graph.layers);
    const names = inputs.map((i) => i.name);
    if (new Set(names).size !== names.length) {
      throw new ConfigError(
        `model '${this.name}': input names must be unique; got ${names.join(', ')}. Name them with input({shape, name}).`,
      );
    }
    this.build(inputs[0]!.shape);
  }

  /** The symbolic inputs (Keras' `model.inputs`). */
  get inputs(): readonly SymbolicTensor[] {
    return this.#inputs;
  }

  /** The symbolic outputs (Keras' `model.outputs`). */
  get outputs(): readonly SymbolicTensor[] {
    return this.#outputs;
  }

  /** The graph's layers, in the order they first run. */
  get layers(): readonly (Layer | MultiInputLayer)[] {
    return this.#graph.layers;
  }

  /** Layer by name. @throws ConfigError for an unknown name. */
  getLayer(name: string): Layer | MultiInputLayer {
    const layer = this.#graph.layers.find((l) => l.name === name);
    if (!layer)
      throw new ConfigError(
        `No layer named '${name}' in model '${this.name}'; layers: ${this.#graph.layers.map((l) => l.name).join(', ')}.`,
      );
    return layer;
  }

  override get inputNames(): readonly string[] {
    return this.#inputs.map((i) => i.name);
  }

  override get outputNames(): readonly string[] {
    return this.#outputs.map((o) => o.name);
  }

  override get inputShapes(): readonly Shape[] {
    return this.#inputs.map((i) => i.shape);
  }

  override get outputShapes(): readonly Shape[] {
    return this.#outputs.map((o) => o.shape);
  }

  override get multiOutput(): boolean {
    return this.#multiOutput;
  }

  protected override buildLayers(): Shape {
    // Every application is checked: a layer applied again must take the shapes it was built for.
    for (const node of this.#graph.nodes) {
      const shape = this.store.buildLayer(node.layer, node.multi ? node.inputs.map((t) => t.shape) : node.inputs[0]!.shape);
      if (!tf.util.arraysEqual([...shape], [...node.output.shape])) {
        throw new ShapeError(
          `Layer '${node.layer.name}' built for output [batch, ${shape.join(', ')}] but computeOutputShape said [batch, ${node.output.shape.join(', ')}].`,
        );
      }
    }
    return this.#outputs[0]!.shape;
  }

  protected override isFrozen(weightName: string): boolean {
    return isFrozenWeight(weightName, this.#graph.layers);
  }

  protected override summaryLayers(): LayerFacts[] {
    const weights = this.weights;
    const {entries, sequentialLike} = summaryOrder(this.#inputs, this.#outputs);
    return entries.map(({operation, outputShape, connectedTo}) => {
      const isInput = isSymbolic(operation);
      const name = operation.name;
      return {
        name,
        type: isInput ? 'InputLayer' : layerTypeName(operation.spec.id),
        outputShape,
        weights: isInput ? [] : weightFacts(weightsOfLayer(weights, name)),
        ...(sequentialLike ? {} : {connectedTo}),
      };
    });
  }

  /**
   * Runs the graph. `x`: one tensor `[batch, ...shape]` per input (a tensor
   * for a single input; an array in input order, or a record keyed by input
   * name). Returns the output tensor, or an array of them for a model made
   * with an array of outputs. Runs inside the caller's `tf.tidy`.
   */
  call(x: tf.Tensor | readonly tf.Tensor[] | Readonly<Record<string, tf.Tensor>>, context: CallContext): O {
    const feeds = this.#feeds(x);
    const values = new Map<SymbolicTensor, tf.Tensor>();
    this.#inputs.forEach((t, i) => values.set(t, feeds[i]!));
    for (const node of this.#graph.nodes) {
      const args = node.inputs.map((t) => values.get(t)!);
      const out = node.multi ? (node.layer as MultiInputLayer).call(args, context) : (node.layer as Layer).call(args[0]!, context);
      context.recordOutput?.(node.layer as Layer, out);
      values.set(node.output, out);
    }
    const outs = this.#outputs.map((o) => values.get(o)!);
    return (this.#multiOutput ? outs : outs[0]!) as O;
  }

  #feeds(x: tf.Tensor | readonly tf.Tensor[] | Readonly<Record<string, tf.Tensor>>): readonly tf.Tensor[] {
    const n = this.#inputs.length;
    if (x instanceof tf.Tensor) {
      if (n !== 1)
        throw new ConfigError(
          `Model '${this.name}' has ${n} inputs (${this.inputNames.join(', ')}); got one tensor. Pass an array of ${n} tensors.`,
        );
      return [x];
    }
    if (Array.isArray(x)) {
      if (x.length !== n) {
        throw new ConfigError(
          `Model '${this.name}' has ${n} input${n > 1 ? 's' : ''} (${this.inputNames.join(', ')}); got ${x.length} tensors.`,
        );
      }
      return x;
    }
    if (x !== null && typeof x === 'object') {
      const record = x as Readonly<Record<string, tf.Tensor>>;
      const missing = this.inputNames.filter((name) => !(record[name] instanceof tf.Tensor));
      if (missing.length > 0)
        throw new ConfigError(`Model '${this.name}' got no tensor for the input${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`);
      return this.inputNames.map((name) => record[name]!);
    }
    throw new ConfigError(`Model '${this.name}' expects ${n > 1 ? `an array of ${n} tensors` : 'a tensor'}; got ${describe(x)}.`);
  }
}

/**
 * Keras' `keras.Model(inputs, outputs)`: a model from a graph of layers.
 *
 * @example
 * const a = input({shape: [8], name: 'a'});
 * const b = input({shape: [4], name: 'b'});
 * const shared = dense({units: 16, activation: 'relu'});
 * const h = concatenate().apply([shared.apply(a), dense({units: 16}).apply(b)]);
 * const score = dense({units: 1, name: 'score'}).apply(h);
 * const label = dense({units: 3, activation: 'softmax', name: 'label'}).apply(h);
 * const net = model({inputs: [a, b], outputs: [score, label]});
 * net.compile({optimizer: adam(), loss: ['mse', 'sparseCategoricalCrossentropy'], lossWeights: [0.5, 1]});
 * await net.fit([xa, xb], [yScore, yLabel], {epochs: 3});
 * @throws ConfigError for inputs/outputs that are not symbolic tensors, a disconnected graph or duplicate names;
 *   ShapeError when a layer cannot take the shapes of the graph.
 */
export function model(options: FunctionalOptions<SymbolicTensor>): FunctionalModel<tf.Tensor>;
export function model(options: FunctionalOptions<readonly SymbolicTensor[]>): FunctionalModel<tf.Tensor[]>;
export function model(options: FunctionalOptions<SymbolicTensor | readonly SymbolicTensor[]>): FunctionalModel {
  return new FunctionalModel(options);
}

function checkName(options: unknown): string {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(`model expects {inputs, outputs, name?}; got ${describe(options)}.`);
  }
  checkOptions('model', options, ['inputs', 'outputs', 'name']);
  const name = (options as {name?: unknown}).name ?? 'functional';
  if (typeof name !== 'string' || name === '') throw new ConfigError(`model: name must be a non-empty string; got ${describe(name)}.`);
  return name;
}

function listOf(what: string, value: unknown): readonly SymbolicTensor[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new ConfigError(`model: ${what} is empty; pass at least one symbolic tensor.`);
  const bad = list.findIndex((t) => !isSymbolic(t));
  if (bad !== -1) {
    throw new ConfigError(
      `model: ${what} must be symbolic tensors (from input({shape}) or layer.apply(...)); got ${describe(list[bad])}` +
        `${list.length > 1 ? ` at position ${bad}` : ''}.`,
    );
  }
  return list as readonly SymbolicTensor[];
}
