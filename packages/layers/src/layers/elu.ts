import {elu as eluActivation} from '../activations/elu';
import type {BaseLayerOptions} from './elementwise-layer';
import {numberOptionLayer, type NumberOptionConfig, type NumberOptionLayerOf} from './number-option-layer';

/** Options of {@link elu} (`layers.elu`). */
export type EluLayerOptions = BaseLayerOptions & {
  /** Scale of the negative part. Default 1 (Keras `ELU(alpha=1.0)`). */
  readonly alpha?: number;
};

/** The JSON config in an ELU layer's spec (`trellis/elu`; the old id `trellis/eluLayer` still loads). */
export type EluLayerConfig = NumberOptionConfig<'alpha'>;

/** An ELU layer: the {@link Layer} contract plus its alpha. */
export type EluLayer = NumberOptionLayerOf<'alpha'>;

/**
 * Keras `ELU`, `layers.elu` (`activations.elu` is the activation): `x` for
 * `x > 0`, `alpha · (exp(x) − 1)` otherwise. No weights; output shape = input
 * shape. `call` returns a new float32 tensor owned by the caller and disposes
 * nothing; non-float32 inputs are cast.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError if `alpha` is not a finite number.
 */
export function elu(options: EluLayerOptions = {}): EluLayer {
  return numberOptionLayer('elu', options, {
    option: 'alpha',
    fallback: 1,
    test: () => true,
    expected: 'a finite number',
    make: (alpha) => (alpha === 1 ? eluActivation : eluActivation.with({alpha})),
  });
}

/**
 * The ELU layer under its former flat name (spec id `trellis/elu`).
 *
 * @deprecated Use `layers.elu` (the ELU layer; `elu` is the activation) — removed in the next minor release.
 */
export const eluLayer: typeof elu = elu;
