/**
 * Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate.
 * @module
 */
import type {LayerEntry} from './layer-entry';

/** The merge layers (Trellis' multi-input layers). */
export const MERGE_LAYERS: readonly LayerEntry[] = [
  {id: 'trellis/add', className: 'Add'},
  {id: 'trellis/subtract', className: 'Subtract'},
  {id: 'trellis/multiply', className: 'Multiply'},
  {id: 'trellis/average', className: 'Average'},
  {id: 'trellis/maximum', className: 'Maximum'},
  {id: 'trellis/minimum', className: 'Minimum'},
  {id: 'trellis/concatenate', className: 'Concatenate'},
];
