/**
 * Whether the WebGPU tests can run here, decided once per test file.
 *
 * `pnpm test` runs everywhere: without a WebGPU adapter (no GPU, no Mesa)
 * the WebGPU-only tests are skipped and say why. `pnpm test:webgpu` sets
 * `TRELLIS_WEBGPU=required`: there they run, and fail when there is no
 * adapter.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {describeAdapter, webgpu} from '../src/index';

/** True under `pnpm test:webgpu`: a missing adapter is a failure, not a skip. */
export const webgpuRequired = process.env.TRELLIS_WEBGPU === 'required';

export type WebGpuAvailability = {ok: true; adapter: string} | {ok: false; reason: string};

let probing: Promise<WebGpuAvailability> | undefined;

/** Registers the plugin and initializes the backend once; the current backend is cpu afterwards. */
export function webgpuAvailability(): Promise<WebGpuAvailability> {
  probing ??= (async (): Promise<WebGpuAvailability> => {
    try {
      await webgpu().register();
      if (!(await tf.setBackend('webgpu'))) return {ok: false, reason: "tf.setBackend('webgpu') failed"};
      return {ok: true, adapter: describeAdapter() ?? 'unknown adapter'};
    } catch (error) {
      return {ok: false, reason: (error as Error)?.message ?? String(error)};
    } finally {
      await tf.setBackend('cpu');
    }
  })();
  return probing;
}

/**
 * Whether to skip this file's WebGPU tests: only when there is no adapter
 * and WebGPU is not required. Prints why once per file.
 */
export async function skipWithoutWebGpu(what: string): Promise<{skip: boolean; availability: WebGpuAvailability}> {
  const availability = await webgpuAvailability();
  const skip = !availability.ok && !webgpuRequired;
  if (skip) {
    console.warn(
      `[@trellis/backend-webgpu] ${what} skipped: no usable WebGPU here (${availability.ok ? '' : availability.reason}) ` +
        'Run them with `pnpm test:webgpu` after `bash scripts/install-webgpu.sh` (Mesa lavapipe).',
    );
  }
  return {skip, availability};
}

/** Fails the running test with the reason when there is no adapter (under `pnpm test:webgpu`). */
export function expectWebGpu(availability: WebGpuAvailability): void {
  if (!availability.ok) throw new Error(`No usable WebGPU adapter, and TRELLIS_WEBGPU=required: ${availability.reason}`);
}
