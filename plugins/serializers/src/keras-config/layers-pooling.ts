/**
 * Pooling layers: max and average pooling (1D, 2D), global pooling.
 * @module
 */
import type {LayerEntry} from './layer-entry';

/** The pooling layers. */
export const POOLING_LAYERS: readonly LayerEntry[] = [
  {id: 'trellis/maxPooling1d', className: 'MaxPooling1D', aliases: ['MaxPool1D']},
  {id: 'trellis/maxPooling2d', className: 'MaxPooling2D', aliases: ['MaxPool2D']},
  {id: 'trellis/averagePooling1d', className: 'AveragePooling1D', aliases: ['AvgPool1D']},
  {id: 'trellis/averagePooling2d', className: 'AveragePooling2D', aliases: ['AvgPool2D']},
  {id: 'trellis/globalMaxPooling1d', className: 'GlobalMaxPooling1D', aliases: ['GlobalMaxPool1D']},
  {id: 'trellis/globalMaxPooling2d', className: 'GlobalMaxPooling2D', aliases: ['GlobalMaxPool2D']},
  {id: 'trellis/globalAveragePooling1d', className: 'GlobalAveragePooling1D', aliases: ['GlobalAvgPool1D']},
  {id: 'trellis/globalAveragePooling2d', className: 'GlobalAveragePooling2D', aliases: ['GlobalAvgPool2D']},
];
