/**
 * The shared part of the merge layers (internal): `add`, `subtract`,
 * `multiply`, `average`, `maximum`, `minimum` and `concatenate`, the
 * {@link MultiInputLayer}s of this package.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  DTypeError,
  ShapeError,
  StateError,
  describe,
  type BuildContext,
  type CallContext,
  type Json,
  type MultiInputLayer,
  type Shape,
  type Spec,
  optionKeys,
} from '@trellis/core';
import {checkName, formatShape, layerLabel} from './common';
import {SymbolicMergeBase} from './symbolic-layer';

/** Options of the elementwise merge layers (`add`, `subtract`, `multiply`, `average`, `maximum`, `minimum`). */
export type MergeOptions = {
  /** Unique within a model; empty (default) lets the model choose. */
  readonly name?: string;
};

/** The names of {@link MergeOptions}: what the elementwise merge layers accept. */
export const MERGE_KEYS = optionKeys<MergeOptions>({name: true});

/** The JSON config in an elementwise merge layer's spec (`trellis/add`, …). */
export type MergeConfig = {
  readonly name: string;
};

/**
 * A merge layer: a {@link MultiInputLayer} without weights. Subclasses give
 * the kind (as in messages and spec ids), their config, the output shape and
 * `compute`. `build` checks the list of shapes; `call` checks the state, the
 * shapes, the common batch size and the dtypes, casts to float32, and runs
 * `compute` in a `tf.tidy`.
 */
export abstract class BaseMerge<C extends MergeConfig & Json> extends SymbolicMergeBase implements MultiInputLayer<C> {
  name: string;
  readonly multiInput = true as const;
  #built: readonly Shape[] | null = null;

  protected constructor(
    protected readonly kind: string,
    options: MergeOptions,
    /** Exactly this many inputs (Keras `Subtract`: 2); otherwise at least 2. */
    private readonly exactInputs?: number,
  ) {
    super();
    this.name = checkName(kind, options.name);
  }

  /** The layer's own config fields (without `name`). */
  protected abstract ownConfig(): Omit<C, 'name'>;

  /** The output shape (without batch) for valid shapes, each without batch; throws ShapeError. */
  protected abstract outputShape(inputShapes: readonly Shape[]): Shape;

  /** The output for float32 inputs `[batch, ...builtShapes[i]]`, inside a `tf.tidy`. */
  protected abstract compute(inputs: readonly tf.Tensor[]): tf.Tensor;

  protected get label(): string {
    return layerLabel(this.kind, this.name);
  }

  get spec(): Spec<C> {
    return {id: `trellis/${this.kind}`, config: {name: this.name, ...this.ownConfig()} as unknown as C};
  }

  /** The output shape for `inputShapes` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const label = this.label;
    const isShape = (s: unknown) => Array.isArray(s) && s.every((d) => Number.isInteger(d) && d > 0);
    if (!Array.isArray(inputShapes) || !inputShapes.every(isShape)) {
      throw new ShapeError(
        `${label} expects a list of input shapes, one per input, each without the batch dimension ` +
          `(e.g. [[8], [8]]); got ${describeShapes(inputShapes)}. A merge layer takes several inputs: ` +
          'it cannot be a layer of a Sequential model.',
      );
    }
    this.checkCount(label, inputShapes.length, describeShapes(inputShapes));
    return this.outputShape(inputShapes);
  }

  build(inputShapes: readonly Shape[], _context: BuildContext): Shape {
    const output = this.computeOutputShape(inputShapes);
    this.#built = inputShapes.map((s) => Object.freeze([...s]));
    return output;
  }

  call(inputs: readonly tf.Tensor[], _context: CallContext): tf.Tensor {
    const label = this.label;
    const built = this.#built;
    if (!built) {
      throw new StateError(`${label} was called before it was built; add it to a model, or call build(inputShapes, context) first.`);
    }
    if (!Array.isArray(inputs) || !inputs.every((x) => x instanceof tf.Tensor)) {
      throw new ShapeError(`${label} expects a list of tensors, one per input; got ${describe(inputs)}.`);
    }
    const shapes = inputs.map((x) => formatShape(x.shape)).join(', ');
    if (inputs.length !== built.length) {
      throw new ShapeError(
        `${label} was built for ${built.length} inputs (${built.map(formatShape).join(', ')} without batch); ` +
          `got ${inputs.length}: ${shapes}.`,
      );
    }
    inputs.forEach((x, i) => {
      const expected = built[i]!;
      if (x.shape.length !== expected.length + 1 || expected.some((d, k) => x.shape[k + 1] !== d)) {
        throw new ShapeError(
          `${label} expects input ${i} of shape [batch, ${expected.join(', ')}] (it was built for ` +
            `${formatShape(expected)}); got ${formatShape(x.shape)}. Inputs: ${shapes}.`,
        );
      }
      if (x.dtype !== 'float32' && x.dtype !== 'int32') {
        throw new DTypeError(`${label} expects float32 or int32 inputs; input ${i} is ${x.dtype}. Cast it to float32.`);
      }
    });
    const batch = inputs[0]!.shape[0];
    if (inputs.some((x) => x.shape[0] !== batch)) {
      throw new ShapeError(
        `${label} cannot merge inputs with different batch sizes: ${shapes}. Give every input the same number of samples.`,
      );
    }
    return tf.tidy(() => this.compute(inputs.map((x) => (x.dtype === 'float32' ? x : tf.cast(x, 'float32')))));
  }

  private checkCount(label: string, count: number, shapes: string): void {
    const exact = this.exactInputs;
    if (exact !== undefined ? count !== exact : count < 2) {
      throw new ShapeError(`${label} expects ${exact !== undefined ? `exactly ${exact}` : 'at least 2'} inputs; got ${count}: ${shapes}.`);
    }
  }
}

/**
 * A merge layer that combines its inputs elementwise, after Keras'
 * broadcasting of the sample shapes (`Merge._compute_elemwise_op_output_shape`):
 * the shapes are aligned on their last axis; on each axis the sizes must be
 * equal or one of them 1 (the output takes the other); an input with fewer
 * axes gets axes of size 1 inserted after the batch axis.
 */
export abstract class ElementwiseMerge extends BaseMerge<MergeConfig> {
  #outputRank = 0;

  protected ownConfig(): Omit<MergeConfig, 'name'> {
    return {};
  }

  /** Combines float32 inputs of equal rank that broadcast together. */
  protected abstract merge(inputs: readonly tf.Tensor[]): tf.Tensor;

  protected outputShape(inputShapes: readonly Shape[]): Shape {
    let output: Shape = inputShapes[0]!;
    for (let i = 1; i < inputShapes.length; i++) {
      output = broadcastShapes(output, inputShapes[i]!, () => {
        throw new ShapeError(
          `${this.label} cannot combine input shapes ${inputShapes.map(formatShape).join(', ')} (without the batch ` +
            `axis; input ${i} does not fit the ones before it): aligned on the last axis, the sizes on each axis must ` +
            'be equal or one of them 1.',
        );
      });
    }
    this.#outputRank = output.length;
    return output;
  }

  protected compute(inputs: readonly tf.Tensor[]): tf.Tensor {
    const rank = this.#outputRank + 1;
    return this.merge(
      inputs.map((x) =>
        x.rank === rank ? x : tf.reshape(x, [x.shape[0]!, ...new Array<number>(rank - x.rank).fill(1), ...x.shape.slice(1)]),
      ),
    );
  }
}

/**
 * `inputs` (of equal rank) broadcast to their common shape with
 * `tf.broadcastTo`, for ops whose tfjs gradient does not reduce over
 * broadcast axes (`tf.maximum`, `tf.minimum`).
 */
export function broadcastInputs(inputs: readonly tf.Tensor[]): tf.Tensor[] {
  const shape = inputs[0]!.shape.map((_, k) => Math.max(...inputs.map((x) => x.shape[k]!)));
  return inputs.map((x) => (x.shape.every((d, k) => d === shape[k]) ? x : tf.broadcastTo(x, shape)));
}

/** Keras' elementwise output shape of two sample shapes; calls `fail` when they do not broadcast. */
function broadcastShapes(a: Shape, b: Shape, fail: () => never): Shape {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  const offset = long.length - short.length;
  return long.map((d, k) => {
    if (k < offset) return d;
    const e = short[k - offset]!;
    if (d === 1) return e;
    if (e === 1 || e === d) return d;
    return fail();
  });
}

function describeShapes(shapes: unknown): string {
  if (!Array.isArray(shapes)) return describe(shapes);
  return `[${shapes.map((s) => (Array.isArray(s) ? formatShape(s) : describe(s))).join(', ')}]`;
}
