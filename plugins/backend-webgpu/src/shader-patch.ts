/**
 * Fixing a stock webgpu kernel by editing the WGSL of the program it builds:
 * the stock kernel runs as usual (its argument checks, output shape and
 * uniforms), but the program it hands to `runWebGPUProgram` gets Trellis'
 * shader code and its own pipeline-cache key.
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import {BackendError} from '@trellis/core';

/** The part of a tfjs-backend-webgpu program this module touches. */
type WebGpuProgramLike = {shaderKey: string; getUserCode(): string};
type RunProgram = (program: WebGpuProgramLike, inputs: tf.TensorInfo[], outputDtype: tf.DataType, ...rest: unknown[]) => tf.TensorInfo;

/**
 * A kernel that runs `stock` with its WGSL passed through `patch`. `key`
 * names the patch in the pipeline cache, so patched and stock shaders never
 * share a compiled pipeline.
 *
 * `patch` must change the code: a stock shader that no longer contains what
 * it rewrites (a later tfjs-backend-webgpu) makes the kernel throw a
 * `BackendError` instead of silently running unpatched.
 */
export function patchShader(stock: tf.KernelConfig | null, key: string, patch: (code: string) => string): tf.KernelFunc {
  if (stock == null) throw new BackendError(`The webgpu backend has no kernel to patch for '${key}'.`);
  const stockFunc = stock.kernelFunc;
  return (args) => {
    const backend = args.backend as unknown as {runWebGPUProgram: RunProgram};
    const run: RunProgram = (program, inputs, outputDtype, ...rest) => {
      const original = program.getUserCode();
      const code = patch(original);
      if (code === original) {
        throw new BackendError(
          `Trellis' '${key}' fix found nothing to change in the stock '${stock.kernelName}' shader: ` +
            'this @tensorflow/tfjs-backend-webgpu version differs from 4.22. Use webgpu({trellisKernels: false}) and report it.',
        );
      }
      program.getUserCode = () => code;
      program.shaderKey = `${program.shaderKey}|trellis:${key}`;
      return backend.runWebGPUProgram(program, inputs, outputDtype, ...rest);
    };
    // Every other member is the real backend's (methods bound to it).
    const proxy = new Proxy(backend, {
      get(target, property) {
        if (property === 'runWebGPUProgram') return run;
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    return stockFunc({...args, backend: proxy as unknown as tf.KernelBackend});
  };
}

/**
 * `Transform` with nearest interpolation rounds a sampling coordinate that
 * falls exactly halfway between two pixels (2.5) like the cpu and wasm
 * backends do, upwards (`floor(v + 0.5)`, JavaScript's `Math.round`). The
 * stock shader uses WGSL's `round`, which rounds halves to even (2.5 → 2),
 * so a translation by 1.5 pixels picked a different pixel on every other
 * column.
 */
export function patchTransformRounding(code: string): string {
  const patched = code.replace(/\bround\(/g, 'trellisRoundHalfUp(');
  if (patched === code) return code;
  return `fn trellisRoundHalfUp(v : f32) -> f32 { return floor(v + 0.5); }\n${patched}`;
}

/**
 * `Transform` with one matrix (`transforms` of shape `[1, 8]`) for a batch of
 * several images applies it to every image, as tfjs-core documents and
 * TensorFlow does. The stock shader reads row `batch` of `transforms`, past
 * the end for every image after the first (WebGPU's bounds checks then
 * return another row or zeros: images 2… came out wrong).
 */
export function patchTransformSharedMatrix(code: string): string {
  const patched = code.replace(/getTransforms\(batch,/g, 'getTransforms(trellisTransformRow(batch),');
  if (patched === code) return code;
  return `fn trellisTransformRow(batch : i32) -> i32 { if (uniforms.transformsShape[0] == 1) { return 0; } return batch; }\n${patched}`;
}
