/**
 * The options of layers with one or more named kernels and a bias (`kernel`
 * for dense and the convolutions, `depthwise` and `pointwise` for the
 * depthwise convolutions), checked and serialized in one fixed order
 * (internal).
 * @module
 */
import type {Constraint, Initializer, Regularizer} from '@trellis/core';
import {glorotUniform, zeros} from '@trellis/initializers';
import {activationToName, getActivation} from '../activations/get-activation';
import type {Activation, ActivationIdentifier, ActivationJson} from '../activations/types';
import {specJson, type SpecJson} from './common';
import {checkBoolean, checkSerializable} from './option-checks';

/**
 * The options of kernels named `P` (`${P}Initializer`, `${P}Regularizer`,
 * `${P}Constraint`) and of the bias, as a layer's factory takes them: each
 * initializer defaults to `glorotUniform()` for a kernel and `zeros()` for the
 * bias, regularizers and constraints to none.
 */
export type NamedKernelsOptions<P extends string> = {
  /** Applied after the bias: a name (`'relu'`) or an activation. Default linear (Keras `None`). */
  readonly activation?: ActivationIdentifier | null;
  /** Whether to add a bias vector. Default true (Keras `use_bias=True`). */
  readonly useBias?: boolean;
  /** Default `zeros()` (Keras `"zeros"`). */
  readonly biasInitializer?: Initializer | string;
  /** Penalty on the bias added to the loss. Default none. */
  readonly biasRegularizer?: Regularizer | string | null;
  /** Penalty on the output (after the activation) added to the loss, divided by the batch size. Default none (Keras `activity_regularizer`). */
  readonly activityRegularizer?: Regularizer | string | null;
  /** Projection of the bias after each update. Default none. */
  readonly biasConstraint?: Constraint | string | null;
} & {readonly [K in `${P}Initializer`]?: Initializer | string} & {readonly [K in `${P}Regularizer`]?: Regularizer | string | null} & {
  readonly [K in `${P}Constraint`]?: Constraint | string | null;
};

/** The names of {@link NamedKernelsOptions} for `kernels`, in the order {@link checkNamedKernels} checks them. */
export function namedKernelsKeys<P extends string>(kernels: readonly P[]): readonly (keyof NamedKernelsOptions<P> & string)[] {
  const each = (suffix: string) => kernels.map((k) => `${k}${suffix}`);
  const keys = [
    'activation',
    'useBias',
    ...each('Initializer'),
    'biasInitializer',
    ...each('Regularizer'),
    'biasRegularizer',
    'activityRegularizer',
    ...each('Constraint'),
    'biasConstraint',
  ];
  return keys as (keyof NamedKernelsOptions<P> & string)[];
}

/** The resolved options of kernels named `P` (`${P}Initializer`, `${P}Regularizer`, `${P}Constraint`) and of the bias. */
export type NamedKernelsSettings<P extends string> = {
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly biasInitializer: Initializer;
  readonly biasRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  readonly biasConstraint: Constraint | null;
} & {readonly [K in `${P}Initializer`]: Initializer} & {readonly [K in `${P}Regularizer`]: Regularizer | null} & {
  readonly [K in `${P}Constraint`]: Constraint | null;
};

/** The spec config part of {@link NamedKernelsSettings}: the activation's name and every nested spec (null when absent). */
export type NamedKernelsConfig<P extends string> = {
  readonly activation: ActivationJson;
  readonly useBias: boolean;
  readonly biasInitializer: SpecJson;
  readonly biasRegularizer: SpecJson | null;
  readonly activityRegularizer: SpecJson | null;
  readonly biasConstraint: SpecJson | null;
} & {readonly [K in `${P}Initializer`]: SpecJson} & {readonly [K in `${P}Regularizer`]: SpecJson | null} & {
  readonly [K in `${P}Constraint`]: SpecJson | null;
};

/**
 * Checks and resolves, in this order, `activation`, `useBias` (default true),
 * the initializers of `kernels` (default `glorotUniform()`) and of the bias
 * (default `zeros()`), their regularizers, `activityRegularizer`, and their
 * constraints (default none), the kernels' before the bias'.
 *
 * @throws ConfigError naming the layer and the option for a bad value; UnknownIdError for an unknown activation.
 */
export function checkNamedKernels<P extends string>(kind: string, options: object, kernels: readonly P[]): NamedKernelsSettings<P> {
  const given = options as Record<string, unknown>;
  const option = (name: string) => checkSerializable(kind, name, given[name] as object | null | undefined);
  const settings: Record<string, unknown> = {
    activation: getActivation(given.activation as ActivationIdentifier | null | undefined),
    useBias: checkBoolean(kind, 'useBias', given.useBias, true),
  };
  for (const k of kernels) settings[`${k}Initializer`] = option(`${k}Initializer`) ?? glorotUniform();
  settings.biasInitializer = option('biasInitializer') ?? zeros();
  for (const k of kernels) settings[`${k}Regularizer`] = option(`${k}Regularizer`) ?? null;
  settings.biasRegularizer = option('biasRegularizer') ?? null;
  settings.activityRegularizer = option('activityRegularizer') ?? null;
  for (const k of kernels) settings[`${k}Constraint`] = option(`${k}Constraint`) ?? null;
  settings.biasConstraint = option('biasConstraint') ?? null;
  return settings as NamedKernelsSettings<P>;
}

/** The {@link NamedKernelsConfig} of `settings`, its keys in the order {@link checkNamedKernels} checks them. */
export function namedKernelsConfig<P extends string>(settings: NamedKernelsSettings<P>, kernels: readonly P[]): NamedKernelsConfig<P> {
  const all = settings as unknown as Record<string, (Initializer | Regularizer | Constraint) | null>;
  const nested = (name: string) => all[name] && specJson(all[name]);
  const config: Record<string, unknown> = {activation: activationToName(settings.activation), useBias: settings.useBias};
  for (const k of kernels) config[`${k}Initializer`] = nested(`${k}Initializer`);
  config.biasInitializer = nested('biasInitializer');
  for (const k of kernels) config[`${k}Regularizer`] = nested(`${k}Regularizer`);
  config.biasRegularizer = nested('biasRegularizer');
  config.activityRegularizer = nested('activityRegularizer');
  for (const k of kernels) config[`${k}Constraint`] = nested(`${k}Constraint`);
  config.biasConstraint = nested('biasConstraint');
  return config as NamedKernelsConfig<P>;
}
