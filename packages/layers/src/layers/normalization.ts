import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  DataError,
  ShapeError,
  describe,
  withSpec,
  type BuildContext,
  type CallContext,
  type Initializer,
  type Shape,
  type Spec,
  optionKeys,
} from '@trellis/core';
import {knownOptions} from '../option-keys';
import {checkBuildShape, checkCallShape, formatShape, layerLabel, notBuiltError} from './common';
import {featureAxis} from './feature-axis';
import {checkBoolean} from './option-checks';
import type {BaseLayerConfig} from './elementwise-layer';
import {type SymbolicLayer, SymbolicLayerBase} from './symbolic-layer';
import {layerSpec} from './layer-spec';

/** Options of {@link normalization}. */
export type NormalizationOptions = {
  /**
   * The axis or axes that keep their own mean and variance, counted with the
   * batch axis (negative from the end); `null` for one mean and variance over
   * everything. Default -1, per feature (Keras `axis`).
   */
  readonly axis?: number | readonly number[] | null;
  /**
   * The mean: a number (broadcast) or the flat values over the kept axes in
   * row-major order. Give both `mean` and `variance`, or neither and call
   * {@link NormalizationLayer.adapt} (Keras `mean`).
   */
  readonly mean?: number | readonly number[] | null;
  /** The variance, shaped as `mean` (Keras `variance`). */
  readonly variance?: number | readonly number[] | null;
  /** Undo the normalization instead: `mean + x · sqrt(variance)`. Default false (Keras `invert`). */
  readonly invert?: boolean;
  /** Input shape without the batch dimension, for the first layer of a model. */
  readonly inputShape?: Shape;
  /** Unique within a model; empty (default) lets the model choose (`normalization`). */
  readonly name?: string;
};

/** The names of {@link NormalizationOptions}: what {@link normalization} accepts. */
const NORMALIZATION_KEYS = optionKeys<NormalizationOptions>({
  axis: true,
  mean: true,
  variance: true,
  invert: true,
  inputShape: true,
  name: true,
});

/** The JSON config in a normalization layer's spec (`trellis/normalization`). */
export type NormalizationConfig = BaseLayerConfig & {
  readonly axis: number | readonly number[] | null;
  readonly mean: number | readonly number[] | null;
  readonly variance: number | readonly number[] | null;
  readonly invert: boolean;
};

/** A normalization layer: the {@link Layer} contract plus its options, weights and `adapt`. */
export interface NormalizationLayer extends SymbolicLayer<NormalizationConfig> {
  readonly axis: number | readonly number[] | null;
  readonly mean: number | readonly number[] | null;
  readonly variance: number | readonly number[] | null;
  readonly invert: boolean;
  /**
   * Computes the mean and (biased) variance of `data` `[samples, ...inputShape]`
   * over every axis but the kept ones, in float64 on the host, as Keras'
   * `adapt` does for an array. Before the layer is built they become the
   * initial values of its `mean` and `variance` weights; after, they are
   * assigned to them. `data` is not disposed. Replaces `mean`/`variance`
   * given as options (the spec keeps the options; adapted values live in the
   * weights).
   *
   * @throws ShapeError if `data` does not fit the layer's input shape; DataError if it is empty or holds NaN/Infinity.
   */
  adapt(data: tf.Tensor | tf.TensorLike): void;
}

/** Keras' `backend.epsilon()`, the floor of the standard deviation. */
const EPSILON = 1e-7;

/**
 * Feature-wise standardization (Keras `Normalization`):
 * `(x − mean) / max(sqrt(variance), 1e-7)`, or with `invert`
 * `mean + x · max(sqrt(variance), 1e-7)`, the same in training and inference.
 * `mean` and `variance` come from the options or from `adapt(data)`.
 *
 * Weights: `mean` and `variance`, non-trainable float32 shaped as the kept
 * axes (scalars for `axis: null`), created through the build context and
 * owned by the model; the optimizer never changes them.
 *
 * Shapes: `[batch, ...inputShape]` → the same, float32 (other dtypes are
 * cast). `call` returns a new tensor owned by the caller, disposes nothing,
 * and runs in its own `tf.tidy`.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options (only one of `mean`/`variance`, a negative variance, ...).
 */
export function normalization(options: NormalizationOptions = {}): NormalizationLayer {
  return new Normalization(knownOptions('normalization', options, NORMALIZATION_KEYS));
}

const KIND = 'normalization';

type Statistic = number | readonly number[] | null;

class Normalization extends SymbolicLayerBase implements NormalizationLayer {
  readonly axis: number | readonly number[] | null;
  readonly mean: Statistic;
  readonly variance: Statistic;
  readonly invert: boolean;
  #meanWeight: tf.Variable | null = null;
  #varianceWeight: tf.Variable | null = null;
  #adapted: {mean: Float32Array; variance: Float32Array; inputShape: Shape} | null = null;
  #built: Shape | null = null;
  #keep: number[] = [];

  constructor(options: NormalizationOptions) {
    super();
    const axis = options.axis === undefined ? -1 : options.axis;
    const axes = axis === null ? [] : typeof axis === 'number' ? [axis] : axis;
    if (!Array.isArray(axes) || !axes.every((a) => Number.isInteger(a) && a !== 0)) {
      throw new ConfigError(
        `${KIND}: axis must be a non-zero integer, an array of them, or null (the axes that keep their own ` +
          `statistics, batch axis excluded); got ${describe(axis)}.`,
      );
    }
    const mean = checkStatistic('mean', options.mean);
    const variance = checkStatistic('variance', options.variance);
    if ((mean === null) !== (variance === null)) {
      throw new ConfigError(
        `${KIND}: give both mean and variance, or neither (and call adapt(data)); got only ${mean === null ? 'variance' : 'mean'}.`,
      );
    }
    if (variance !== null && (typeof variance === 'number' ? [variance] : variance).some((v) => v < 0)) {
      throw new ConfigError(`${KIND}: variance must be non-negative; got ${describe(variance)}.`);
    }
    this.setIdentity(KIND, options);
    this.axis = axis === null || typeof axis === 'number' ? axis : Object.freeze([...axes]);
    this.mean = mean;
    this.variance = variance;
    this.invert = checkBoolean(KIND, 'invert', options.invert, false);
  }

  get spec(): Spec<NormalizationConfig> {
    const copy = (s: Statistic) => (s === null || typeof s === 'number' ? s : [...s]);
    return layerSpec('trellis/normalization', this, {
      axis: this.axis === null || typeof this.axis === 'number' ? this.axis : [...this.axis],
      mean: copy(this.mean),
      variance: copy(this.variance),
      invert: this.invert,
    });
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const label = layerLabel(KIND, this.name);
    checkBuildShape(label, inputShape, this.inputShape);
    this.#statistics(label, inputShape);
    return [...inputShape];
  }

  build(inputShape: Shape, context: BuildContext): Shape {
    const output = this.computeOutputShape(inputShape);
    const {keep, shape, values} = this.#statistics(layerLabel(KIND, this.name), inputShape);
    this.#meanWeight = context.addWeight({name: 'mean', shape, initializer: fixed(values.mean), trainable: false});
    this.#varianceWeight = context.addWeight({name: 'variance', shape, initializer: fixed(values.variance), trainable: false});
    this.#keep = keep;
    this.#built = [...inputShape];
    return output;
  }

  /** The kept axes, the statistics' shape and their values for `inputShape`; throws a ShapeError when they do not fit. */
  #statistics(
    label: string,
    inputShape: Shape,
  ): {keep: number[]; shape: number[]; values: {mean: ArrayLike<number>; variance: ArrayLike<number>}} {
    const keep = this.#keptAxes(label, inputShape);
    const shape = keep.map((a) => inputShape[a - 1]!);
    const size = shape.reduce((a, b) => a * b, 1);
    let values: {mean: ArrayLike<number>; variance: ArrayLike<number>};
    if (this.#adapted) {
      const adaptedKept = this.#keptAxes(label, this.#adapted.inputShape).map((a) => this.#adapted!.inputShape[a - 1]!);
      if (formatShape(adaptedKept) !== formatShape(shape)) {
        throw new ShapeError(
          `${label} was adapted on data with input shape ${formatShape(this.#adapted.inputShape)} but is built for ` +
            `${formatShape(inputShape)}; adapt it on data shaped like the model's inputs.`,
        );
      }
      values = this.#adapted;
    } else if (this.mean !== null && this.variance !== null) {
      values = {mean: expand(label, 'mean', this.mean, size, shape), variance: expand(label, 'variance', this.variance, size, shape)};
    } else {
      values = {mean: new Float32Array(size), variance: new Float32Array(size).fill(1)};
    }
    return {keep, shape, values};
  }

  adapt(data: tf.Tensor | tf.TensorLike): void {
    const label = layerLabel(KIND, this.name);
    let tensor: tf.Tensor;
    if (data instanceof tf.Tensor) {
      tensor = data;
    } else {
      try {
        tensor = tf.tensor(data);
      } catch (error) {
        throw new ShapeError(
          `${label}.adapt could not turn its data into a tensor: ${(error as Error).message}. Pass a tf.Tensor or a rectangular nested array.`,
          {cause: error},
        );
      }
    }
    try {
      const inputShape = tensor.shape.slice(1);
      if (tensor.rank < 1 || tensor.shape[0] === 0 || tensor.size === 0) {
        throw new DataError(`${label}.adapt needs at least one sample; got data of shape ${formatShape(tensor.shape)}.`);
      }
      const expected = this.#built ?? this.inputShape;
      if (expected && formatShape(expected) !== formatShape(inputShape)) {
        throw new ShapeError(`${label} expects data [samples, ${expected.join(', ')}] in adapt; got ${formatShape(tensor.shape)}.`);
      }
      const keep = this.#keptAxes(label, inputShape);
      const statistics = moments(label, tensor.dataSync(), tensor.shape, keep);
      if (this.#meanWeight && this.#varianceWeight) {
        const [mean, variance] = [
          tf.tensor(statistics.mean, this.#meanWeight.shape),
          tf.tensor(statistics.variance, this.#varianceWeight.shape),
        ];
        this.#meanWeight.assign(mean);
        this.#varianceWeight.assign(variance);
        tf.dispose([mean, variance]);
      }
      this.#adapted = {...statistics, inputShape};
    } finally {
      if (tensor !== data) tensor.dispose();
    }
  }

  call(input: tf.Tensor, _context: CallContext): tf.Tensor {
    const label = layerLabel(KIND, this.name);
    const mean = this.#meanWeight;
    const variance = this.#varianceWeight;
    if (!this.#built || !mean || !variance) {
      throw notBuiltError(label);
    }
    checkCallShape(label, input.shape, this.#built);
    const broadcast = input.shape.map((d, i) => (this.#keep.includes(i) ? d : 1));
    return tf.tidy(() => {
      const x = input.dtype === 'float32' ? input : tf.cast(input, 'float32');
      const m = tf.reshape(mean, broadcast);
      const std = tf.maximum(tf.sqrt(tf.reshape(variance, broadcast)), EPSILON);
      return this.invert ? tf.add(m, tf.mul(x, std)) : tf.div(tf.sub(x, m), std);
    });
  }

  #keptAxes(label: string, inputShape: Shape): number[] {
    const axes = this.axis === null ? [] : typeof this.axis === 'number' ? [this.axis] : this.axis;
    const keep = axes.map((a) => featureAxis(label, a, inputShape)).sort((a, b) => a - b);
    if (new Set(keep).size !== keep.length) {
      throw new ShapeError(`${label} lists the same axis twice (${describe(this.axis)}) for inputs [batch, ${inputShape.join(', ')}].`);
    }
    return keep;
  }
}

function checkStatistic(option: string, value: unknown): Statistic {
  if (value === undefined || value === null) return null;
  const ok =
    (typeof value === 'number' && Number.isFinite(value)) ||
    (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number' && Number.isFinite(v)));
  if (!ok) {
    throw new ConfigError(`${KIND}: ${option} must be a finite number or a non-empty flat array of them; got ${describe(value)}.`);
  }
  return typeof value === 'number' ? value : Object.freeze([...(value as number[])]);
}

/** A given statistic as `size` values, or a ShapeError when its length fits neither 1 nor the kept axes. */
function expand(label: string, option: string, value: number | readonly number[], size: number, shape: number[]): ArrayLike<number> {
  const values = typeof value === 'number' ? [value] : value;
  if (values.length === 1) return new Float32Array(size).fill(values[0]!);
  if (values.length !== size) {
    throw new ShapeError(
      `${label} has ${values.length} ${option} values, but its kept axes have shape ${formatShape(shape)} ` +
        `(${size} values); give one number or ${size}.`,
    );
  }
  return Float32Array.from(values);
}

/** The mean and biased variance of `data` (shape `shape`) per position of the kept axes, in float64. */
function moments(
  label: string,
  data: ArrayLike<number>,
  shape: readonly number[],
  keep: number[],
): {mean: Float32Array; variance: Float32Array} {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const keptSizes = keep.map((a) => shape[a]!);
  const groups = keptSizes.reduce((a, b) => a * b, 1);
  const count = data.length / groups;
  const groupOf = (i: number) => keep.reduce((g, a, k) => g * keptSizes[k]! + (Math.floor(i / strides[a]!) % shape[a]!), 0);
  const sum = new Float64Array(groups);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) {
      throw new DataError(`${label}.adapt found ${v} at flat index ${i} of data ${formatShape(shape)}; remove or fill missing values.`);
    }
    sum[groupOf(i)]! += v;
  }
  const mean = sum.map((s) => s / count);
  const squares = new Float64Array(groups);
  for (let i = 0; i < data.length; i++) {
    const g = groupOf(i);
    squares[g]! += (data[i]! - mean[g]!) ** 2;
  }
  return {mean: Float32Array.from(mean), variance: Float32Array.from(squares, (s) => s / count)};
}

/** An initializer returning the given values (internal: used only for this layer's own weights). */
function fixed(values: ArrayLike<number>): Initializer {
  return withSpec({id: 'trellis/normalizationStatistics', config: {}}, (shape: readonly number[], dtype: tf.DataType) =>
    tf.tensor(Float32Array.from(values), [...shape], dtype),
  );
}
