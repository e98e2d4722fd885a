/**
 * What the window and the global pooling layers share (`maxPooling1d/2d`,
 * `averagePooling1d/2d`, `globalMaxPooling1d/2d`,
 * `globalAveragePooling1d/2d`): their kind, spatial rank and mode, and the
 * shape checks of `computeOutputShape` and `call` (internal).
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import type {Shape} from '@trellis/core';
import {checkBuildShape, layerLabel} from './common';
import {checkChannels, checkSpatialRank} from './conv-common';
import {WeightlessLayerBase} from './weightless-layer';

/** Whether a pooling layer takes the maximum or the mean. */
export type PoolingMode = 'max' | 'average';

/** Max or mean pooling over 1 or 2 spatial axes, channels last. */
export abstract class PoolingLayerBase extends WeightlessLayerBase {
  readonly #kind: string;
  readonly #rank: 1 | 2;
  readonly #mode: PoolingMode;

  constructor(kind: string, rank: 1 | 2, mode: PoolingMode) {
    super();
    this.#kind = kind;
    this.#rank = rank;
    this.#mode = mode;
  }

  /** The layer's id without the `trellis/` prefix (`maxPooling2d`). */
  protected get kind(): string {
    return this.#kind;
  }

  /** The number of spatial axes, 1 or 2. */
  protected get rank(): 1 | 2 {
    return this.#rank;
  }

  protected get mode(): PoolingMode {
    return this.#mode;
  }

  /**
   * The layer's label, once `inputShape` is checked against the declared one
   * and found to have the layer's spatial rank plus channels.
   * @throws ShapeError otherwise.
   */
  protected checkSpatialInput(inputShape: Shape): string {
    const label = layerLabel(this.#kind, this.name);
    checkBuildShape(label, inputShape, this.inputShape);
    checkSpatialRank(label, inputShape, this.#rank);
    return label;
  }

  /**
   * Checks a call on `input`.
   * @throws StateError before `build`; ShapeError for another channel count than the built one.
   */
  protected checkCallInput(input: tf.Tensor): void {
    const label = layerLabel(this.#kind, this.name);
    this.checkBuilt(label, input.shape, checkChannels);
  }
}
