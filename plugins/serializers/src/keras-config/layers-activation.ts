/**
 * Activation layers: ELU, LeakyReLU, PReLU, ReLU, Softmax.
 * @module
 */
import type {LayerEntry} from './layer-entry';

/** The activation layers. */
export const ACTIVATION_LAYERS: readonly LayerEntry[] = [
  {id: 'trellis/elu', className: 'ELU'},
  // tfjs-layers and Keras 2 call the slope `alpha`; Keras 3 `negative_slope` (and still reads `alpha`).
  {id: 'trellis/leakyRelu', className: 'LeakyReLU', rename: {negativeSlope: 'alpha'}, readAliases: {negative_slope: 'negativeSlope'}},
  {id: 'trellis/prelu', className: 'PReLU'},
  {id: 'trellis/relu', className: 'ReLU'},
  {id: 'trellis/softmax', className: 'Softmax'},
];
