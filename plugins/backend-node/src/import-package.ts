/**
 * The dynamic imports of the two optional peers, by their literal names (so
 * bundlers can keep them external and tests can stand in for them).
 * @module
 */
import {GPU_PACKAGE, type NodePackageName} from './locate';

/** Imports `name`; importing it registers (and activates) the `tensorflow` backend. */
export function importNodePackage(name: NodePackageName): Promise<unknown> {
  return name === GPU_PACKAGE ? import('@tensorflow/tfjs-node-gpu') : import('@tensorflow/tfjs-node');
}
