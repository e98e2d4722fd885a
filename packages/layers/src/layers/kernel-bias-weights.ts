/**
 * The weights and the output step of the layers that take the kernel and bias
 * options (dense and the convolutions), internal.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {BuildContext, CallContext, Constraint, Initializer, Regularizer} from '@trellis/core';
import {linear} from '../activations/linear';
import type {Activation} from '../activations/types';
import {addActivityPenalty} from './activity-regularizer';
import {addTrainableWeight} from './trainable-weight';
import type {NamedKernelsSettings} from './named-kernels';

/** The bias options of a layer, resolved. */
export type BiasSettings = {
  readonly useBias: boolean;
  readonly biasInitializer: Initializer;
  readonly biasRegularizer: Regularizer | null;
  readonly biasConstraint: Constraint | null;
};

/** The kernel options of a layer, resolved. */
export type KernelSettings = {
  readonly kernelInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
};

/** What a layer applies after its bias: the activation, then the activity penalty. */
export type OutputSettings = {
  readonly activation: Activation;
  readonly activityRegularizer: Regularizer | null;
};

/** The trainable weight `kernel` of `shape`, with the layer's kernel initializer, regularizer and constraint. */
export function addKernel(context: BuildContext, settings: KernelSettings, shape: readonly number[]): tf.Variable {
  return addTrainableWeight(context, 'kernel', shape, settings.kernelInitializer, settings.kernelRegularizer, settings.kernelConstraint);
}

/**
 * The trainable weight `weightName` of `shape` with the initializer,
 * regularizer and constraint of the kernel the layer's options name `kernel`
 * (`depthwise` for `depthwiseInitializer`, …).
 */
export function addNamedKernel<P extends string>(
  context: BuildContext,
  settings: NamedKernelsSettings<P>,
  kernel: P,
  weightName: string,
  shape: readonly number[],
): tf.Variable {
  const initializer = settings[`${kernel}Initializer`] as Initializer;
  const regularizer = settings[`${kernel}Regularizer`] as Regularizer | null;
  return addTrainableWeight(context, weightName, shape, initializer, regularizer, settings[`${kernel}Constraint`] as Constraint | null);
}

/** The trainable weight `bias` `[size]` with the layer's bias options, or null without `useBias`. */
export function addBias(context: BuildContext, settings: BiasSettings, size: number): tf.Variable | null {
  return settings.useBias
    ? addTrainableWeight(context, 'bias', [size], settings.biasInitializer, settings.biasRegularizer, settings.biasConstraint)
    : null;
}

/**
 * `activation(y + bias)` (no addition without a bias, no op for a linear
 * activation), with the activity penalty of the result handed to `context`.
 * Call it inside the layer's `tf.tidy`.
 */
export function addBiasAndActivate(settings: OutputSettings, y: tf.Tensor, bias: tf.Variable | null, context: CallContext): tf.Tensor {
  const biased = bias ? tf.add(y, bias) : y;
  const output = settings.activation === linear ? biased : settings.activation(biased);
  addActivityPenalty(settings.activityRegularizer, output, context);
  return output;
}
