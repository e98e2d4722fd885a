/**
 * The optimizers of the comparison, at their usual learning rates.
 * @module
 */
import {adam, rmsprop, sgd, type GradientTransform} from 'trellis';

/** One optimizer of the comparison. */
export type Contender = {
  /** The column header, e.g. `'Adam 1e-3'`. */
  readonly name: string;
  /** A new optimizer (each run gets its own state). */
  readonly make: () => GradientTransform;
};

/**
 * SGD (Keras' default rate 0.01), SGD with momentum 0.9 at the same rate,
 * RMSprop and Adam at Keras' default 0.001 (RMSprop: rho 0.9; Adam: beta1
 * 0.9, beta2 0.999).
 */
export const contenders: readonly Contender[] = [
  {name: 'SGD 0.01', make: () => sgd({learningRate: 0.01})},
  {name: 'SGD+momentum 0.9', make: () => sgd({learningRate: 0.01, momentum: 0.9})},
  {name: 'RMSprop 1e-3', make: () => rmsprop({learningRate: 0.001})},
  {name: 'Adam 1e-3', make: () => adam({learningRate: 0.001})},
];
