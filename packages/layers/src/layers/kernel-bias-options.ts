/**
 * The options that dense and convolution layers share with Keras' `Dense` and
 * `Conv*`: the activation, the bias switch, and the kernel's and bias'
 * initializers, regularizers and constraints (internal).
 * @module
 */
import {optionKeys} from '@trellis/core';
import type {Constraint, Initializer, Regularizer} from '@trellis/core';
import type {Activation, ActivationIdentifier, ActivationJson} from '../activations/types';
import type {SpecJson} from './common';
import {checkNamedKernels, namedKernelsConfig} from './named-kernels';

/** The shared options, as a layer's options type spells them. */
export type KernelBiasOptions = {
  /** Applied after the bias: a name (`'relu'`) or an activation. Default linear (Keras `None`). */
  readonly activation?: ActivationIdentifier | null;
  /** Whether to add a bias vector. Default true (Keras `use_bias=True`). */
  readonly useBias?: boolean;
  /** Default `glorotUniform()` (Keras `"glorot_uniform"`). */
  readonly kernelInitializer?: Initializer | string;
  /** Default `zeros()` (Keras `"zeros"`). */
  readonly biasInitializer?: Initializer | string;
  /** Penalty on the kernel added to the loss. Default none. */
  readonly kernelRegularizer?: Regularizer | string | null;
  /** Penalty on the bias added to the loss. Default none. */
  readonly biasRegularizer?: Regularizer | string | null;
  /** Penalty on the output (after the activation) added to the loss, divided by the batch size. Default none (Keras `activity_regularizer`). */
  readonly activityRegularizer?: Regularizer | string | null;
  /** Projection of the kernel after each update. Default none. */
  readonly kernelConstraint?: Constraint | string | null;
  /** Projection of the bias after each update. Default none. */
  readonly biasConstraint?: Constraint | string | null;
};

/** The one kernel of these layers, named `kernel`. */
const KERNEL = ['kernel'] as const;

/** The names of {@link KernelBiasOptions}, for the option lists of the layers that take them. */
export const KERNEL_BIAS_KEYS = optionKeys<KernelBiasOptions>({
  activation: true,
  useBias: true,
  kernelInitializer: true,
  biasInitializer: true,
  kernelRegularizer: true,
  biasRegularizer: true,
  activityRegularizer: true,
  kernelConstraint: true,
  biasConstraint: true,
});

/** The shared options resolved, with Keras' defaults (glorotUniform kernel, zeros bias, no penalty or constraint). */
export type KernelBiasSettings = {
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
};

/**
 * Checks and resolves the shared options of the layer `kind`.
 * @throws ConfigError naming the layer and the option for a bad value; UnknownIdError for an unknown activation.
 */
export function checkKernelBiasOptions(kind: string, options: KernelBiasOptions): KernelBiasSettings {
  return checkNamedKernels(kind, options, KERNEL);
}

/** The shared part of a layer's spec config: the activation's name and every nested spec (null when absent). */
export type KernelBiasConfig = {
  /** A built-in name (`'relu'`), a built-in's spec when it has non-default options, or a custom activation's spec id. */
  readonly activation: ActivationJson;
  readonly useBias: boolean;
  readonly kernelInitializer: SpecJson;
  readonly biasInitializer: SpecJson;
  readonly kernelRegularizer: SpecJson | null;
  readonly biasRegularizer: SpecJson | null;
  readonly activityRegularizer: SpecJson | null;
  readonly kernelConstraint: SpecJson | null;
  readonly biasConstraint: SpecJson | null;
};

/** The {@link KernelBiasConfig} of resolved `settings`. */
export function kernelBiasConfig(settings: KernelBiasSettings): KernelBiasConfig {
  return namedKernelsConfig(settings, KERNEL);
}
