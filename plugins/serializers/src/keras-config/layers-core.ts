/**
 * Core Keras layers: Dense, Activation, Embedding, Flatten, Reshape, Permute.
 * @module
 */
import {KERNEL_LAYER_KEYS, type LayerEntry} from './layer-entry';

/** The core layers. */
export const CORE_LAYERS: readonly LayerEntry[] = [
  {id: 'trellis/dense', className: 'Dense', kerasOnly: KERNEL_LAYER_KEYS},
  {id: 'trellis/activation', className: 'Activation'},
  {
    id: 'trellis/embedding',
    className: 'Embedding',
    kerasOnly: {mask_zero: false, input_length: null, sparse: false, lora_rank: null, lora_alpha: null, quantization_config: null},
  },
  {id: 'trellis/flatten', className: 'Flatten', kerasOnly: {data_format: 'channels_last'}},
  {id: 'trellis/reshape', className: 'Reshape'},
  {id: 'trellis/permute', className: 'Permute'},
];
