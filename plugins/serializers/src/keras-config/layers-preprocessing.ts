/**
 * Preprocessing layers: Rescaling, Normalization and the random image augmentations.
 * @module
 */
import type {LayerEntry} from './layer-entry';

const IMAGE = {data_format: 'channels_last'};

/** The preprocessing layers. */
export const PREPROCESSING_LAYERS: readonly LayerEntry[] = [
  {id: 'trellis/rescaling', className: 'Rescaling'},
  {id: 'trellis/normalization', className: 'Normalization'},
  {id: 'trellis/randomFlip', className: 'RandomFlip', kerasOnly: IMAGE},
  {id: 'trellis/randomRotation', className: 'RandomRotation', kerasOnly: IMAGE},
  {id: 'trellis/randomShear', className: 'RandomShear', kerasOnly: IMAGE},
  {id: 'trellis/randomTranslation', className: 'RandomTranslation', kerasOnly: IMAGE},
  {id: 'trellis/randomZoom', className: 'RandomZoom', kerasOnly: IMAGE},
  {id: 'trellis/randomCrop', className: 'RandomCrop', kerasOnly: IMAGE},
  {id: 'trellis/randomContrast', className: 'RandomContrast', kerasOnly: IMAGE},
  {id: 'trellis/randomBrightness', className: 'RandomBrightness', kerasOnly: IMAGE},
];
