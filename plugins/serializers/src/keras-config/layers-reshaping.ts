/**
 * Image reshaping layers: ZeroPadding2D, Cropping2D, UpSampling2D.
 * @module
 */
import type {LayerEntry} from './layer-entry';

/** The image reshaping layers. */
export const RESHAPING_LAYERS: readonly LayerEntry[] = [
  {id: 'trellis/zeroPadding2d', className: 'ZeroPadding2D'},
  {id: 'trellis/cropping2d', className: 'Cropping2D'},
  {id: 'trellis/upSampling2d', className: 'UpSampling2D'},
];
