/**
 * Symbolic tensors: the placeholders a functional model is wired from
 * (Keras' `KerasTensor`). They hold a shape and a dtype, never data.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {DataType} from '@tensorflow/tfjs-core';
import {ambientContext} from '../model/ambient-context';
import {inferenceContext} from '../training/inference-context';
import {checkOptions} from '../options-check';
import {ConfigError, ShapeError, describe} from '../errors';
import {outputShapeOf} from '../output-shape';
import {isMultiInputLayer, type Layer, type MultiInputLayer, type Shape} from '../spec/layer';

/** Where a symbolic tensor comes from: a model input, or a layer applied to other symbolic tensors. */
export type SymbolicSource =
  | {readonly kind: 'input'; readonly name: string}
  | {
      readonly kind: 'layer';
      readonly layer: Layer | MultiInputLayer;
      readonly inputs: readonly SymbolicTensor[];
      /** Which application of `layer` this is: 0 for its first `apply`, 1 for the next (Keras' node index). */
      readonly nodeIndex: number;
    };

/**
 * A placeholder for a batch of tensors of shape `[batch, ...shape]`. Made by
 * {@link input} and by applying a layer to symbolic tensors; given to
 * `model({inputs, outputs})`. It holds no tensor and needs no disposal.
 */
export class SymbolicTensor {
  /** @internal Use {@link input} or `layer.apply(...)`. */
  constructor(
    /** The shape without the batch dimension. */
    readonly shape: Shape,
    readonly dtype: DataType,
    /** Where it comes from. */
    readonly source: SymbolicSource,
  ) {}

  /** The input's name, or the name of the layer that makes it (empty until the layer is named). */
  get name(): string {
    return this.source.kind === 'input' ? this.source.name : this.source.layer.name;
  }

  toString(): string {
    return `SymbolicTensor(${this.name || 'unnamed'}: [batch, ${this.shape.join(', ')}] ${this.dtype})`;
  }
}

/** Options of {@link input}. */
export type InputOptions = {
  /** The shape of one sample (without the batch dimension): positive integers. */
  readonly shape: Shape;
  /** The input's name (default `input_layer`, `input_layer_1`, ... in the order inputs are made, as Keras). */
  readonly name?: string;
  /** float32 (default) or int32 (e.g. token ids for an embedding). */
  readonly dtype?: 'float32' | 'int32';
};

let inputCount = 0;

/** How many times each layer has been applied to symbolic tensors. */
const applications = new WeakMap<object, number>();

/** The node index of the next application of `layer` (and counts it). */
function nextNodeIndex(layer: object): number {
  const index = applications.get(layer) ?? 0;
  applications.set(layer, index + 1);
  return index;
}

/**
 * Keras' `keras.Input(shape)`: the symbolic input of a functional model.
 *
 * @example
 * const image = input({shape: [28, 28, 1], name: 'image'});
 * @throws ConfigError for a shape that is not an array of positive integers, or a bad name/dtype.
 */
export function input(options: InputOptions): SymbolicTensor {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(`input expects {shape, name?, dtype?}; got ${describe(options)}. For example input({shape: [784]}).`);
  }
  checkOptions('input', options, ['shape', 'name', 'dtype']);
  const {shape, name, dtype = 'float32'} = options;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ConfigError(
      `input: shape must be an array of positive integers (one sample, without batch); got ${describe(shape)}. For example {shape: [784]}.`,
    );
  }
  if (name !== undefined && (typeof name !== 'string' || name === '' || name.includes('/'))) {
    throw new ConfigError(`input: name must be a non-empty string without '/'; got ${describe(name)}.`);
  }
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw new ConfigError(`input: dtype must be 'float32' or 'int32'; got ${describe(dtype)}.`);
  }
  const count = inputCount++;
  return new SymbolicTensor([...shape], dtype, {kind: 'input', name: name ?? (count === 0 ? 'input_layer' : `input_layer_${count}`)});
}

/** Whether `value` is a {@link SymbolicTensor}. */
export function isSymbolic(value: unknown): value is SymbolicTensor {
  return value instanceof SymbolicTensor;
}

/**
 * Applies `layer` to symbolic tensors (Keras' `layer(x)` on a `KerasTensor`), or
 * runs it eagerly on concrete tensors (Keras' `layer(x)` on a tensor).
 *
 * Symbolic tensors:
 * records the connection and returns the symbolic output, whose shape comes
 * from the layer's `computeOutputShape`. Nothing is built or computed; the
 * model made from the outputs builds the layers. Applying one layer several
 * times shares its weights. Layers from `@trellis/layers` expose this as
 * `layer.apply(x)`.
 *
 * Concrete tensors (`tf.Tensor`): returns `layer.call(inputs, context)`, a new
 * tensor owned by the caller, with the context of the model whose `call` is
 * running (so `this.dense.apply(x)` in a subclassed model's `call` needs no
 * context), or an inference context outside any. A layer of a subclassed
 * model builds itself on its first call; any other layer must be built (a
 * layer of a built model), or its own `StateError` says so.
 *
 * @param inputs - one symbolic tensor for a {@link Layer}, an array of them for a {@link MultiInputLayer}; or concrete tensors likewise.
 * @throws ConfigError when the inputs are not symbolic tensors (or their count does not fit the layer);
 *   ShapeError from the layer for shapes it cannot take.
 */
export function applyLayer(layer: Layer | MultiInputLayer, inputs: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor;
export function applyLayer(layer: Layer | MultiInputLayer, inputs: tf.Tensor | readonly tf.Tensor[]): tf.Tensor;
export function applyLayer(
  layer: Layer | MultiInputLayer,
  inputs: SymbolicTensor | readonly SymbolicTensor[] | tf.Tensor | readonly tf.Tensor[],
): SymbolicTensor | tf.Tensor {
  const id = layer?.spec?.id ?? 'unknown';
  const given = Array.isArray(inputs) ? (inputs as readonly unknown[]) : [inputs];
  if (given.length > 0 && given.every((t) => t instanceof tf.Tensor)) {
    const context = ambientContext() ?? inferenceContext();
    const tensors = given as tf.Tensor[];
    if (isMultiInputLayer(layer)) {
      if (!Array.isArray(inputs)) {
        throw new ConfigError(`${layer.name || id}.apply: a merge layer takes an array of tensors; got ${describe(inputs)}.`);
      }
      return layer.call(tensors, context);
    }
    if (tensors.length !== 1) {
      throw new ConfigError(
        `${layer.name || id}.apply: this layer takes one input; got ${tensors.length}. Merge them first (add, concatenate).`,
      );
    }
    return layer.call(tensors[0]!, context);
  }
  const list = given as readonly SymbolicTensor[];
  const bad = list.findIndex((t) => !isSymbolic(t));
  if (bad !== -1) {
    throw new ConfigError(
      `${layer?.name || id}.apply: expected symbolic tensors (from input({shape}) or another layer's apply); ` +
        `got ${describe(list[bad])}${list.length > 1 ? ` at position ${bad}` : ''}. To compute eagerly, pass concrete tensors only (tf.Tensor).`,
    );
  }
  if (isMultiInputLayer(layer)) {
    if (!Array.isArray(inputs) || list.length < 1) {
      throw new ConfigError(`${layer.name || id}.apply: a merge layer takes an array of symbolic tensors; got ${describe(inputs)}.`);
    }
    const batchless = list.map((t) => t.shape);
    const shape = outputShapeOf(layer, batchless);
    return new SymbolicTensor(shape, 'float32', {kind: 'layer', layer, inputs: list, nodeIndex: nextNodeIndex(layer)});
  }
  if (Array.isArray(inputs)) {
    if (list.length !== 1) {
      throw new ConfigError(
        `${layer.name || id}.apply: this layer takes one input; got ${list.length}. Merge them first (add, concatenate).`,
      );
    }
  }
  let shape: Shape;
  try {
    shape = outputShapeOf(layer as Layer, list[0]!.shape);
  } catch (error) {
    if (error instanceof ShapeError || error instanceof ConfigError) throw error;
    throw new ShapeError(
      `${layer.name || id}.apply: the layer cannot take input [batch, ${list[0]!.shape.join(', ')}]: ${(error as Error).message}`,
      {cause: error},
    );
  }
  return new SymbolicTensor(shape, 'float32', {kind: 'layer', layer, inputs: list, nodeIndex: nextNodeIndex(layer)});
}
