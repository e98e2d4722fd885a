/**
 * Normalization layers: BatchNormalization, LayerNormalization.
 * @module
 */
import type {LayerEntry} from './layer-entry';

/** The normalization layers. */
export const NORMALIZATION_LAYERS: readonly LayerEntry[] = [
  {
    id: 'trellis/batchNormalization',
    className: 'BatchNormalization',
    trainableInConfig: true,
    kerasOnly: {
      synchronized: false,
      renorm: false,
      renorm_clipping: null,
      renorm_momentum: 0.99,
      fused: null,
      virtual_batch_size: null,
      adjustment: null,
    },
  },
  {
    id: 'trellis/layerNormalization',
    className: 'LayerNormalization',
    kerasOnly: {rms_scaling: false, beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null},
  },
];
