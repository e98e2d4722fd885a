/**
 * Fixes for stock tfjs-backend-webgpu programs that every kernel may run
 * (kernels call each other's programs directly, so a fix must sit where
 * programs are run, not in one kernel): applied in the backend's
 * `runWebGPUProgram`, by program kind.
 *
 * - `transpose_…` (rank 3 and up) of `int32`/`bool` data: the stock shader
 *   passes an `i32` to `setOutputAtIndex`, which takes `f32`; the pipeline
 *   fails to compile and the result is zeros. Any reduction of an int32
 *   tensor over an inner axis transposes first (`tf.sum(oneHot, 1)` on rank
 *   3). The fix writes with `setOutputAtIndexI32`.
 * - `cum_…` (`cumsum`, `cumprod`): the shader holds the length of the
 *   scanned axis, but the pipeline-cache key leaves it out, so the first
 *   length compiled served every later one (a reverse cumsum of length 12
 *   after one of length 5 summed 5 elements). The fix adds the length to the
 *   key.
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import {unwrapMethod, wrapMethod} from './prototype-wrap';

/** The part of a tfjs-backend-webgpu program the fixes touch. */
type ProgramLike = {shaderKey: string; outputShape: number[]; getUserCode(): string};
type RunProgram = (
  this: unknown,
  program: ProgramLike,
  inputs: tf.TensorInfo[],
  outputDtype: tf.DataType,
  ...rest: unknown[]
) => tf.TensorInfo;

const stock = Symbol.for('@trellis/backend-webgpu/stock-run-program');

/**
 * `program` with Trellis' fix for its kind applied (in place; its
 * `shaderKey` marks the fix, so fixed and stock shaders never share a
 * pipeline). Programs without a fix are left alone.
 */
export function fixProgram(program: ProgramLike, outputDtype: tf.DataType): void {
  if (program.shaderKey.startsWith('transpose_') && (outputDtype === 'int32' || outputDtype === 'bool')) {
    const code = program.getUserCode();
    const fixed = code.replace(/setOutputAtIndex\(flatIndex,/g, 'setOutputAtIndexI32(flatIndex,');
    if (fixed !== code) {
      program.getUserCode = () => fixed;
      program.shaderKey = `${program.shaderKey}|trellis:i32`;
    }
  } else if (program.shaderKey.startsWith('cum_')) {
    program.shaderKey = `${program.shaderKey}|trellis:length${program.outputShape.at(-1)}`;
  }
}

/** Applies {@link fixProgram} to every program the backends of `prototype` run. Idempotent. */
export function installProgramFixes(prototype: object): void {
  wrapMethod(prototype, 'runWebGPUProgram', stock, fixingPrograms);
}

/** `runWebGPUProgram` running each program with {@link fixProgram} applied. */
function fixingPrograms(run: RunProgram): RunProgram {
  return function (this: unknown, program, inputs, outputDtype, ...rest) {
    fixProgram(program, outputDtype);
    return run.call(this, program, inputs, outputDtype, ...rest);
  };
}

/** Undoes {@link installProgramFixes}; returns whether there was anything to undo. */
export function removeProgramFixes(prototype: object): boolean {
  return unwrapMethod(prototype, 'runWebGPUProgram', stock);
}
