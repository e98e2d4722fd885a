/**
 * Gradient registration. tfjs-core registers no gradients by default; its
 * side-effect module does, into the engine's global registry, so every copy
 * of tfjs-core in the process shares them. The Node builds of this package
 * inline that module (it is extensionless ESM that Node cannot import); the
 * bundler build keeps it as an import of the app's own tfjs-core.
 * @module
 */
// tfjs-core's public entry first: it registers the environment flags that the
// gradient module's code reads, whichever copy of tfjs-core creates the engine.
import {getGradient} from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import {BackendError} from './errors';

/**
 * Throws a `BackendError` if tfjs-core's gradients are not registered (e.g. a
 * bundler dropped the registration). Cheap; called before training.
 */
export function ensureGradients(): void {
  if (getGradient('BatchMatMul') == null || getGradient('Relu') == null) {
    throw new BackendError(
      'tfjs-core gradients are not registered (expected a gradient for BatchMatMul). ' +
        "Import '@trellis/core' through its package entry, or import " +
        "'@tensorflow/tfjs-core/dist/register_all_gradients' in your bundle.",
    );
  }
}
