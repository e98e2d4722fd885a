/**
 * The base of the convolutions with one `kernel` and an optional `bias`
 * (`conv1d`, `conv2d`, `conv2dTranspose`, `depthwiseConv2d`): their weights
 * once built, and the checks a call starts with (internal).
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import type {Shape} from '@trellis/core';
import {notBuiltError} from './common';
import {checkChannels} from './conv-common';
import {SymbolicLayerBase} from './symbolic-layer';

/**
 * The options a convolution layer `L` holds as properties, set once by its
 * constructor: its interface without the {@link Layer} contract and its weights.
 */
export type KernelLayerSettings<L> = Omit<L, 'name' | 'inputShape' | 'spec' | 'build' | 'call' | 'apply' | 'kernel' | 'bias'>;

/** A single-input layer whose `build` creates a `kernel` and, with `useBias`, a `bias`. */
export abstract class KernelLayerBase extends SymbolicLayerBase {
  #kernel: tf.Variable | null = null;
  #bias: tf.Variable | null = null;
  #built: Shape | null = null;

  /** The kernel, once built (owned by the model). */
  get kernel(): tf.Variable | null {
    return this.#kernel;
  }

  /** The bias, once built with `useBias` (owned by the model). */
  get bias(): tf.Variable | null {
    return this.#bias;
  }

  /** Records the weights `build` created for `inputShape` (without the batch). */
  protected setBuilt(inputShape: Shape, kernel: tf.Variable, bias: tf.Variable | null): void {
    this.#kernel = kernel;
    this.#bias = bias;
    this.#built = [...inputShape];
  }

  /**
   * The kernel and bias for a call on `input`.
   * @throws StateError before `build`; ShapeError for another channel count than the built one.
   */
  protected builtWeights(label: string, input: tf.Tensor): {readonly kernel: tf.Variable; readonly bias: tf.Variable | null} {
    const kernel = this.#kernel;
    if (!kernel || !this.#built) throw notBuiltError(label);
    checkChannels(label, input.shape, this.#built);
    return {kernel, bias: this.#bias};
  }
}
