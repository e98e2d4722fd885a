import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  DTypeError,
  DataError,
  describe,
  type BuildContext,
  type CallContext,
  type Constraint,
  type Initializer,
  type Regularizer,
  type Shape,
  type Spec,
  optionKeys,
} from '@trellis/core';
import {randomUniform} from '@trellis/initializers';
import {knownOptions} from '../option-keys';
import {addActivityPenalty} from './activity-regularizer';
import {checkBuildShape, checkCallShape, layerLabel, specJson, type SpecJson, notBuiltError} from './common';
import {layerSpec} from './layer-spec';
import {checkSerializable} from './option-checks';
import type {BaseLayerConfig} from './elementwise-layer';
import {type SymbolicLayer, SymbolicLayerBase} from './symbolic-layer';
import {addTrainableWeight} from './trainable-weight';

/** Options of {@link embedding}. */
export type EmbeddingOptions = {
  /** Vocabulary size: ids are in [0, inputDim). A positive integer (Keras `input_dim`). */
  readonly inputDim: number;
  /** Size of each vector. A positive integer (Keras `output_dim`). */
  readonly outputDim: number;
  /** Default `randomUniform()`, U(-0.05, 0.05) (Keras `"uniform"`). */
  readonly embeddingsInitializer?: Initializer | string;
  /** Penalty on the table added to the loss. Default none. */
  readonly embeddingsRegularizer?: Regularizer | string | null;
  /** Penalty on the output vectors added to the loss, divided by the batch size. Default none (Keras `activity_regularizer`). */
  readonly activityRegularizer?: Regularizer | string | null;
  /** Projection of the table after each update. Default none. */
  readonly embeddingsConstraint?: Constraint | string | null;
  /** Input shape without the batch dimension (e.g. `[sequenceLength]`), for the first layer of a model. */
  readonly inputShape?: Shape;
  /** Unique within a model; empty (default) lets the model choose (`embedding`). */
  readonly name?: string;
};

/** The names of {@link EmbeddingOptions}: what {@link embedding} accepts. */
const EMBEDDING_KEYS = optionKeys<EmbeddingOptions>({
  inputDim: true,
  outputDim: true,
  embeddingsInitializer: true,
  embeddingsRegularizer: true,
  activityRegularizer: true,
  embeddingsConstraint: true,
  inputShape: true,
  name: true,
});

/** The JSON config in an embedding layer's spec (`trellis/embedding`). */
export type EmbeddingConfig = BaseLayerConfig & {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: SpecJson;
  readonly embeddingsRegularizer: SpecJson | null;
  readonly activityRegularizer: SpecJson | null;
  readonly embeddingsConstraint: SpecJson | null;
};

/** An embedding layer: the {@link Layer} contract plus its options and weight. */
export interface EmbeddingLayer extends SymbolicLayer<EmbeddingConfig> {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  readonly embeddingsConstraint: Constraint | null;
  /** The table `[inputDim, outputDim]`, once built (owned by the model). */
  readonly embeddings: tf.Variable | null;
}

/** Backends whose tensors live in host memory, where reading the ids back costs one pass and no transfer. */
const HOST_MEMORY_BACKENDS = new Set(['cpu', 'wasm', 'tensorflow']);

/**
 * Turns integer ids into dense vectors (Keras `Embedding`): row `id` of the
 * trainable `embeddings` table `[inputDim, outputDim]` (Keras' weight name;
 * float32, created through the build context and owned by the model).
 *
 * Shapes: ids `[batch, ...inputShape]` → `[batch, ...inputShape, outputDim]`
 * float32. Ids may be int32, or float32 (as `fit` passes them): float ids
 * are truncated to int32 as Keras does.
 *
 * Out-of-range ids (and NaN) throw a `DataError` naming the id and where it
 * is. The check reads the ids back, so it runs only on backends that keep
 * tensors in host memory (cpu, wasm), where that is one pass over the ids
 * and no device transfer; on GPU backends it is skipped (tfjs' gather then
 * gives zeros for such ids).
 *
 * `call` returns a new tensor owned by the caller, disposes nothing, and runs
 * in its own `tf.tidy`. No `maskZero`. With `activityRegularizer`, `call` also
 * hands `activityRegularizer(output) / batch` to `context.addLoss` when the
 * context offers it (`fit` and `evaluate`).
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options (`inputDim`/`outputDim` not positive integers, ...).
 */
export function embedding(options: EmbeddingOptions): EmbeddingLayer {
  return new Embedding(knownOptions('embedding', options, EMBEDDING_KEYS));
}

type EmbeddingSettings = Pick<
  EmbeddingLayer,
  'inputDim' | 'outputDim' | 'embeddingsInitializer' | 'embeddingsRegularizer' | 'activityRegularizer' | 'embeddingsConstraint'
>;

// Declaration merging gives the class these fields (set all at once in the constructor).
interface Embedding extends EmbeddingSettings {}

const KIND = 'embedding';

class Embedding extends SymbolicLayerBase implements EmbeddingLayer {
  #embeddings: tf.Variable | null = null;
  #built: Shape | null = null;

  constructor(options: EmbeddingOptions) {
    super();
    for (const option of ['inputDim', 'outputDim'] as const) {
      const value = options[option];
      if (!Number.isInteger(value) || value <= 0) {
        throw new ConfigError(`${KIND}: ${option} must be a positive integer; got ${describe(value)}.`);
      }
    }
    this.setIdentity(KIND, options);
    const settings: EmbeddingSettings = {
      inputDim: options.inputDim,
      outputDim: options.outputDim,
      embeddingsInitializer: checkSerializable(KIND, 'embeddingsInitializer', options.embeddingsInitializer) ?? randomUniform(),
      embeddingsRegularizer: checkSerializable(KIND, 'embeddingsRegularizer', options.embeddingsRegularizer) ?? null,
      activityRegularizer: checkSerializable(KIND, 'activityRegularizer', options.activityRegularizer) ?? null,
      embeddingsConstraint: checkSerializable(KIND, 'embeddingsConstraint', options.embeddingsConstraint) ?? null,
    };
    Object.assign(this, settings);
  }

  get embeddings(): tf.Variable | null {
    return this.#embeddings;
  }

  get spec(): Spec<EmbeddingConfig> {
    return layerSpec('trellis/embedding', this, {
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: specJson(this.embeddingsInitializer),
      embeddingsRegularizer: this.embeddingsRegularizer && specJson(this.embeddingsRegularizer),
      activityRegularizer: this.activityRegularizer && specJson(this.activityRegularizer),
      embeddingsConstraint: this.embeddingsConstraint && specJson(this.embeddingsConstraint),
    });
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    checkBuildShape(layerLabel(KIND, this.name), inputShape, this.inputShape);
    return [...inputShape, this.outputDim];
  }

  build(inputShape: Shape, context: BuildContext): Shape {
    const output = this.computeOutputShape(inputShape);
    this.#embeddings = addTrainableWeight(
      context,
      'embeddings',
      [this.inputDim, this.outputDim],
      this.embeddingsInitializer,
      this.embeddingsRegularizer,
      this.embeddingsConstraint,
    );
    this.#built = [...inputShape];
    return output;
  }

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    const label = layerLabel(KIND, this.name);
    const table = this.#embeddings;
    if (!this.#built || !table) {
      throw notBuiltError(label);
    }
    checkCallShape(label, input.shape, this.#built);
    if (input.dtype !== 'int32' && input.dtype !== 'float32') {
      throw new DTypeError(`${label} expects int32 or float32 ids; got ${input.dtype}. Cast the ids to int32.`);
    }
    return tf.tidy(() => {
      const ids = input.dtype === 'int32' ? input : tf.cast(input, 'int32');
      if (HOST_MEMORY_BACKENDS.has(tf.getBackend())) this.#checkIds(label, input, ids);
      const output = tf.gather(table, ids);
      addActivityPenalty(this.activityRegularizer, output, context);
      return output;
    });
  }

  #checkIds(label: string, input: tf.Tensor, ids: tf.Tensor): void {
    const raw = input.dtype === 'float32' ? input.dataSync() : null;
    const values = ids.dataSync();
    for (let i = 0; i < values.length; i++) {
      const id = values[i]!;
      if (id < 0 || id >= this.inputDim || (raw && Number.isNaN(raw[i]!))) {
        throw new DataError(
          `${label} has a vocabulary of inputDim ${this.inputDim} (ids 0 to ${this.inputDim - 1}); got id ` +
            `${raw ? raw[i] : id} at flat index ${i} of input [${input.shape.join(', ')}]. Fix the ids or raise inputDim.`,
        );
      }
    }
  }
}
