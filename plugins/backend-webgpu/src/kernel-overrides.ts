/**
 * Swapping Trellis' kernels in and out of tfjs' global kernel registry for
 * the `webgpu` backend.
 *
 * The swapping is `kernelOverrides` of `@trellis/core`: installing twice is a
 * no-op and restoring works from any copy of this package.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {BackendError, kernelOverrides} from '@trellis/core';
import {installProgramFixes, removeProgramFixes} from './program-fixes';
import {patchShader, patchTransformRounding, patchTransformSharedMatrix} from './shader-patch';

/** Trellis' kernels for the webgpu backend, by kernel name. */
const kernels = kernelOverrides('@trellis/backend-webgpu', 'webgpu', {
  [tf.Transform]: (stock) => patchShader(stock, 'transform', (code) => patchTransformSharedMatrix(patchTransformRounding(code))),
});

/** The backend prototype whose programs were fixed by the last install. */
let fixedPrototype: object | undefined;

/** Every kernel name Trellis registers on the webgpu backend. */
export const trellisKernelNames: readonly string[] = kernels.kernelNames;

/**
 * Registers Trellis' kernels on the tfjs `webgpu` backend in place of the
 * stock ones (kept for {@link restoreStockKernels}). Idempotent. Called by
 * `webgpu().register()`. The replacements keep the stock
 * `setupFunc`/`disposeFunc`. With `backendPrototype` (`WebGPUBackend.prototype`),
 * also fixes the stock programs every kernel may run (see `program-fixes.ts`).
 *
 * @throws {BackendError} when `@tensorflow/tfjs-backend-webgpu` has not been loaded.
 */
export function installTrellisKernels(backendPrototype?: object): void {
  if (tf.getKernel(tf.Add, 'webgpu') == null) {
    throw new BackendError(
      'The webgpu backend has no kernels registered: @tensorflow/tfjs-backend-webgpu is not loaded. ' +
        'Call webgpu().register() (or useBackend(webgpu())) instead of installing kernels directly.',
    );
  }
  kernels.install();
  if (backendPrototype !== undefined) {
    installProgramFixes(backendPrototype);
    fixedPrototype = backendPrototype;
  }
}

/**
 * Puts the stock tfjs-backend-webgpu kernels back and removes the ones
 * Trellis added, undoing `webgpu().register()` (for comparisons and
 * debugging). Idempotent; `webgpu().register()` installs them again.
 *
 * @returns whether any kernel was restored or removed.
 */
export function restoreStockKernels(): boolean {
  const programs = fixedPrototype !== undefined && removeProgramFixes(fixedPrototype);
  return kernels.restore() || programs;
}

/** Whether Trellis' kernels are the ones registered on the webgpu backend (all of them). */
export function hasTrellisKernels(): boolean {
  return kernels.installed();
}
