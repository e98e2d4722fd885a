/**
 * How one Trellis layer id maps to one Keras layer class (internal).
 * @module
 */
import type {JsonObject} from './types';

/** One Trellis layer id and its Keras class. */
export type LayerEntry = {
  /** The Trellis id (`trellis/dense`). */
  readonly id: string;
  /** The Keras class written (`Dense`). */
  readonly className: string;
  /** Other Keras class names read as this layer (`MaxPool2D`). */
  readonly aliases?: readonly string[];
  /** Trellis keys Keras spells otherwise than by snake_case (`negativeSlope` → `alpha`). */
  readonly rename?: Readonly<Record<string, string>>;
  /** More Keras keys read as a Trellis key (`negative_slope` → `negativeSlope`). */
  readonly readAliases?: Readonly<Record<string, string>>;
  /**
   * Keras keys Trellis has no option for, with the value that means what
   * the Trellis layer does: read only with that value (else a ConfigError
   * names the key), never written.
   */
  readonly kerasOnly?: JsonObject;
  /**
   * Weights tfjs-layers (Keras 2) names otherwise than Trellis (and Keras 3):
   * Trellis short name → tfjs short name (`kernel` → `depthwise_kernel`).
   */
  readonly tfjsWeights?: Readonly<Record<string, string>>;
  /** Whether the Trellis config holds `trainable` itself (batch normalization). */
  readonly trainableInConfig?: boolean;
};

/** Keras-only keys of every layer that carries a kernel and a bias. */
export const KERNEL_LAYER_KEYS: JsonObject = {lora_rank: null, lora_alpha: null, quantization_config: null};
