/**
 * Convolution layers: Conv1D, Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D.
 * @module
 */
import {KERNEL_LAYER_KEYS, type LayerEntry} from './layer-entry';

const CONV_ONLY = {...KERNEL_LAYER_KEYS, groups: 1};

/** The convolution layers. */
export const CONV_LAYERS: readonly LayerEntry[] = [
  {id: 'trellis/conv1d', className: 'Conv1D', aliases: ['Convolution1D'], kerasOnly: CONV_ONLY},
  {id: 'trellis/conv2d', className: 'Conv2D', aliases: ['Convolution2D'], kerasOnly: CONV_ONLY},
  {
    id: 'trellis/conv2dTranspose',
    className: 'Conv2DTranspose',
    aliases: ['Convolution2DTranspose'],
    kerasOnly: {...CONV_ONLY, output_padding: null},
  },
  {id: 'trellis/depthwiseConv2d', className: 'DepthwiseConv2D', kerasOnly: KERNEL_LAYER_KEYS, tfjsWeights: {kernel: 'depthwise_kernel'}},
  {id: 'trellis/separableConv2d', className: 'SeparableConv2D', aliases: ['SeparableConvolution2D'], kerasOnly: KERNEL_LAYER_KEYS},
];
