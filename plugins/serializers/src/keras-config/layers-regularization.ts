/**
 * Regularization layers: Dropout and its spatial, Gaussian and alpha variants, GaussianNoise.
 * @module
 */
import type {LayerEntry} from './layer-entry';

/** The dropout family. */
export const REGULARIZATION_LAYERS: readonly LayerEntry[] = [
  {id: 'trellis/dropout', className: 'Dropout'},
  {id: 'trellis/spatialDropout1d', className: 'SpatialDropout1D', kerasOnly: {noise_shape: null}},
  {id: 'trellis/spatialDropout2d', className: 'SpatialDropout2D', kerasOnly: {noise_shape: null}},
  {id: 'trellis/gaussianDropout', className: 'GaussianDropout'},
  {id: 'trellis/gaussianNoise', className: 'GaussianNoise'},
  {id: 'trellis/alphaDropout', className: 'AlphaDropout', kerasOnly: {noise_shape: null}},
];
