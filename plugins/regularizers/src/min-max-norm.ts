import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, withSpec, type Constraint, optionKeys} from '@trellis/core';
import {orDefault, readArguments, type CallForms} from './arguments';
import {rescaleNorms} from './norms';
import {checkAxis, checkRate} from './validate';

/** Config of {@link minMaxNorm}. */
export type MinMaxNormConfig = {
  /** Smallest norm (default 0). */
  readonly minValue?: number;
  /** Largest norm (default 1). */
  readonly maxValue?: number;
  /** 1 (default) enforces the bounds strictly; below 1 moves the norm part of the way each step. */
  readonly rate?: number;
  /** Axis or axes the norm is taken over (default 0). */
  readonly axis?: number | readonly number[];
};

/** The spec config of {@link minMaxNorm}: every option, defaults filled in. */
type MinMaxNormSpec = {minValue: number; maxValue: number; rate: number; axis: number | number[]};

const FORMS: CallForms = {
  who: 'minMaxNorm',
  positional: ['minValue'],
  allowed: optionKeys<MinMaxNormConfig>({minValue: true, maxValue: true, rate: true, axis: true}),
  usage: 'minMaxNorm(0) or minMaxNorm({minValue: 0, maxValue: 1, rate: 1, axis: 0})',
};

/**
 * Keras `MinMaxNorm`: `w · (rate · clip(‖w‖, minValue, maxValue) + (1 − rate) · ‖w‖) / (ε + ‖w‖)`,
 * ε = 1e-7, norms over `axis`. Called with options, `minMaxNorm({minValue: 0.5, maxValue: 2})`, or with
 * Keras' first argument, `minMaxNorm(0.5)` (`minValue`).
 *
 * @throws ConfigError for negative/non-finite values, `minValue > maxValue`, a bad `axis`, an unknown
 *   option or more than one argument, and (when called) for an axis outside the weight's rank.
 * @returns a constraint returning a new tensor of the weight's shape (caller owns it); the weight is not disposed.
 */
export function minMaxNorm(minValue?: number): Constraint<MinMaxNormSpec>;
export function minMaxNorm(config?: MinMaxNormConfig): Constraint<MinMaxNormSpec>;
export function minMaxNorm(...args: unknown[]): Constraint<MinMaxNormSpec> {
  const config = readArguments(FORMS, args);
  const minValue = checkRate('minMaxNorm', 'minValue', orDefault(config.minValue, 0), FORMS.usage);
  const maxValue = checkRate('minMaxNorm', 'maxValue', orDefault(config.maxValue, 1), FORMS.usage);
  const rate = checkRate('minMaxNorm', 'rate', orDefault(config.rate, 1), FORMS.usage);
  if (minValue > maxValue) {
    throw new ConfigError(`minMaxNorm: minValue (${minValue}) must not exceed maxValue (${maxValue}).`);
  }
  const axis = checkAxis('minMaxNorm', orDefault(config.axis, 0), FORMS.usage);
  return withSpec({id: 'trellis/minMaxNorm', config: {minValue, maxValue, rate, axis}}, (weight: tf.Tensor) =>
    rescaleNorms('minMaxNorm', weight, axis, (norms) =>
      tf.add(tf.mul(rate, tf.clipByValue(norms, minValue, maxValue)), tf.mul(1 - rate, norms)),
    ),
  );
}
