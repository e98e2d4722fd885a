import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  ShapeError,
  describe,
  type BuildContext,
  type CallContext,
  type Constraint,
  type Initializer,
  type Regularizer,
  type Shape,
  type Spec,
} from '@trellis/core';
import {zeros} from '@trellis/initializers';
import {knownOptions, reuseKeys} from '../option-keys';
import {checkBuildShape, formatShape, layerLabel, specJson, type SpecJson, notBuiltError} from './common';
import {layerSpec} from './layer-spec';
import {BASE_LAYER_KEYS, type BaseLayerConfig, type BaseLayerOptions} from './elementwise-layer';
import {checkSerializable} from './option-checks';
import {type SymbolicLayer, SymbolicLayerBase} from './symbolic-layer';
import {addTrainableWeight} from './trainable-weight';

/** Options of {@link prelu}. */
export type PReLUOptions = BaseLayerOptions & {
  /** Initializer of `alpha`. Default `zeros()` (Keras `alpha_initializer="Zeros"`). */
  readonly alphaInitializer?: Initializer | string;
  /** Penalty on `alpha` added to the loss. Default none. */
  readonly alphaRegularizer?: Regularizer | string | null;
  /** Projection of `alpha` after each update. Default none. */
  readonly alphaConstraint?: Constraint | string | null;
  /**
   * Input axes (1 is the first after the batch axis) along which one `alpha`
   * is shared, e.g. `[1, 2]` for `[batch, height, width, channels]` feature
   * maps gives one alpha per channel. Default none: one alpha per input
   * element (Keras `shared_axes=None`).
   */
  readonly sharedAxes?: readonly number[] | null;
};

/** The names of {@link PReLUOptions}: what {@link prelu} accepts. */
const PRELU_KEYS = reuseKeys<PReLUOptions>()(['alphaInitializer', 'alphaRegularizer', 'alphaConstraint', 'sharedAxes', ...BASE_LAYER_KEYS]);

/** The JSON config in a PReLU layer's spec (`trellis/prelu`). */
export type PReLUConfig = BaseLayerConfig & {
  readonly alphaInitializer: SpecJson;
  readonly alphaRegularizer: SpecJson | null;
  readonly alphaConstraint: SpecJson | null;
  readonly sharedAxes: readonly number[] | null;
};

/** A PReLU layer: the {@link Layer} contract plus its options and weight. */
export interface PReLULayer extends SymbolicLayer<PReLUConfig> {
  readonly alphaInitializer: Initializer;
  readonly alphaRegularizer: Regularizer | null;
  readonly alphaConstraint: Constraint | null;
  readonly sharedAxes: readonly number[] | null;
  /** The learned slopes, once built: the input shape with shared axes set to 1 (owned by the model). */
  readonly alpha: tf.Variable | null;
}

/**
 * Keras `PReLU`, the parametric ReLU: `x` for `x ≥ 0`, `alpha · x` otherwise,
 * with `alpha` learned, computed as Keras does: `relu(x) − alpha · relu(−x)`.
 *
 * Weight: `alpha`, float32, trainable, of the input shape without the batch
 * axis with each of `sharedAxes` set to 1; created through the build context
 * (the model owns and disposes it).
 *
 * Shapes: input `[batch, ...inputShape]` → output of the same shape; a shared
 * axis may change size between calls, the others must keep the built size.
 * `call` returns a new float32 tensor owned by the caller and disposes
 * nothing; non-float32 inputs are cast.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options (e.g. `sharedAxes` not distinct positive integers);
 *   ShapeError in `build` if a shared axis exceeds the input's rank.
 */
export function prelu(options: PReLUOptions = {}): PReLULayer {
  return new PReLU(knownOptions('prelu', options, PRELU_KEYS));
}

class PReLU extends SymbolicLayerBase implements PReLULayer {
  readonly alphaInitializer: Initializer;
  readonly alphaRegularizer: Regularizer | null;
  readonly alphaConstraint: Constraint | null;
  readonly sharedAxes: readonly number[] | null;
  #alpha: tf.Variable | null = null;
  #built: Shape | null = null;

  constructor(options: PReLUOptions) {
    super();
    this.setIdentity('prelu', options);
    const shared = options.sharedAxes ?? null;
    if (
      shared !== null &&
      (!Array.isArray(shared) || !shared.every((a) => Number.isInteger(a) && a >= 1) || new Set(shared).size !== shared.length)
    ) {
      throw new ConfigError(
        'prelu: sharedAxes must be an array of distinct positive integers, input axes counted from 1 after the ' +
          `batch axis (e.g. [1, 2] to share alpha over height and width); got ${describe(shared)}.`,
      );
    }
    this.sharedAxes = shared && Object.freeze([...shared]);
    this.alphaInitializer = checkSerializable('prelu', 'alphaInitializer', options.alphaInitializer) ?? zeros();
    this.alphaRegularizer = checkSerializable('prelu', 'alphaRegularizer', options.alphaRegularizer) ?? null;
    this.alphaConstraint = checkSerializable('prelu', 'alphaConstraint', options.alphaConstraint) ?? null;
  }

  get alpha(): tf.Variable | null {
    return this.#alpha;
  }

  get spec(): Spec<PReLUConfig> {
    return layerSpec('trellis/prelu', this, {
      alphaInitializer: specJson(this.alphaInitializer),
      alphaRegularizer: this.alphaRegularizer && specJson(this.alphaRegularizer),
      alphaConstraint: this.alphaConstraint && specJson(this.alphaConstraint),
      sharedAxes: this.sharedAxes && [...this.sharedAxes],
    });
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const label = layerLabel('prelu', this.name);
    checkBuildShape(label, inputShape, this.inputShape);
    const shared = this.sharedAxes ?? [];
    const tooLarge = shared.filter((a) => a > inputShape.length);
    if (tooLarge.length > 0) {
      throw new ShapeError(
        `${label} shares alpha along axes ${formatShape(shared)}, but inputs of shape [batch, ` +
          `${formatShape(inputShape).slice(1)} have axes 1 to ${inputShape.length} after the batch axis. Fix sharedAxes.`,
      );
    }
    return [...inputShape];
  }

  build(inputShape: Shape, context: BuildContext): Shape {
    const output = this.computeOutputShape(inputShape);
    const shared = this.sharedAxes ?? [];
    const alphaShape = inputShape.map((d, i) => (shared.includes(i + 1) ? 1 : d));
    this.#alpha = addTrainableWeight(context, 'alpha', alphaShape, this.alphaInitializer, this.alphaRegularizer, this.alphaConstraint);
    this.#built = [...inputShape];
    return output;
  }

  call(input: tf.Tensor, _context: CallContext): tf.Tensor {
    const label = layerLabel('prelu', this.name);
    const alpha = this.#alpha;
    const built = this.#built;
    if (!alpha || !built) {
      throw notBuiltError(label);
    }
    const shared = this.sharedAxes ?? [];
    const shape = input.shape;
    const fits = shape.length === built.length + 1 && built.every((d, i) => shared.includes(i + 1) || shape[i + 1] === d);
    if (!fits) {
      const expected = built.map((d, i) => (shared.includes(i + 1) ? '*' : String(d)));
      throw new ShapeError(
        `${label} expects input of shape [batch, ${expected.join(', ')}] (* = a shared axis, any size); got ${formatShape(shape)}.`,
      );
    }
    return tf.tidy(() => {
      const x = input.dtype === 'float32' ? input : tf.cast(input, 'float32');
      // Keras' formula, which broadcasts alpha against x on every backend.
      return tf.sub(tf.relu(x), tf.mul(alpha, tf.relu(tf.neg(x))));
    });
  }
}
