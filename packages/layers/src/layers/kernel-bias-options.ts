/**
 * The options that dense and convolution layers share with Keras' `Dense` and
 * `Conv*`: the activation, the bias switch, and the kernel's and bias'
 * initializers, regularizers and constraints (internal).
 * @module
 */
import {optionKeys} from '@trellis/core';
import type {Constraint, Initializer, Regularizer} from '@trellis/core';
import {glorotUniform, zeros} from '@trellis/initializers';
import {activationToName, getActivation} from '../activations/get-activation';
import type {Activation, ActivationIdentifier} from '../activations/types';
import {specJson} from './common';
import {checkBoolean, checkSerializable} from './option-checks';

/** The shared options, as a layer's options type spells them. */
export type KernelBiasOptions = {
  readonly activation?: ActivationIdentifier | null;
  readonly useBias?: boolean;
  readonly kernelInitializer?: Initializer;
  readonly biasInitializer?: Initializer;
  readonly kernelRegularizer?: Regularizer | null;
  readonly biasRegularizer?: Regularizer | null;
  readonly activityRegularizer?: Regularizer | null;
  readonly kernelConstraint?: Constraint | null;
  readonly biasConstraint?: Constraint | null;
};

/** The names of {@link KernelBiasOptions}, for the option lists of the layers that take them. */
export const KERNEL_BIAS_KEYS = optionKeys<KernelBiasOptions>({activation: true, useBias: true, kernelInitializer: true, biasInitializer: true, kernelRegularizer: true, biasRegularizer: true, activityRegularizer: true, kernelConstraint: true, biasConstraint: true});

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
  return {
    activation: getActivation(options.activation),
    useBias: checkBoolean(kind, 'useBias', options.useBias, true),
    kernelInitializer: checkSerializable(kind, 'kernelInitializer', options.kernelInitializer) ?? glorotUniform(),
    biasInitializer: checkSerializable(kind, 'biasInitializer', options.biasInitializer) ?? zeros(),
    kernelRegularizer: checkSerializable(kind, 'kernelRegularizer', options.kernelRegularizer) ?? null,
    biasRegularizer: checkSerializable(kind, 'biasRegularizer', options.biasRegularizer) ?? null,
    activityRegularizer: checkSerializable(kind, 'activityRegularizer', options.activityRegularizer) ?? null,
    kernelConstraint: checkSerializable(kind, 'kernelConstraint', options.kernelConstraint) ?? null,
    biasConstraint: checkSerializable(kind, 'biasConstraint', options.biasConstraint) ?? null,
  };
}

/** The shared part of a layer's spec config: the activation's name and every nested spec (null when absent). */
export function kernelBiasConfig(settings: KernelBiasSettings) {
  return {
    activation: activationToName(settings.activation),
    useBias: settings.useBias,
    kernelInitializer: specJson(settings.kernelInitializer),
    biasInitializer: specJson(settings.biasInitializer),
    kernelRegularizer: settings.kernelRegularizer && specJson(settings.kernelRegularizer),
    biasRegularizer: settings.biasRegularizer && specJson(settings.biasRegularizer),
    activityRegularizer: settings.activityRegularizer && specJson(settings.activityRegularizer),
    kernelConstraint: settings.kernelConstraint && specJson(settings.kernelConstraint),
    biasConstraint: settings.biasConstraint && specJson(settings.biasConstraint),
  };
}
