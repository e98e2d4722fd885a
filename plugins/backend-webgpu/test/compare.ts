/**
 * Running a computation on cpu and on webgpu with the same inputs, and
 * comparing the numbers.
 *
 * Tolerance: float32 on both sides, so the two differ only by rounding: in
 * sums taken in another order and in the GPU's exp/log/tanh. Each output must
 * satisfy max|webgpu − cpu| ≤ 1e-4 · max|cpu| + 1e-6. The largest sum in the
 * cases has a few hundred terms, whose rounding error is at most about
 * n·ε ≈ 300 · 6e-8 ≈ 2e-5 of the largest term, so 1e-4 leaves a margin of 5
 * while catching any real kernel error (a wrong index, a missing term or a
 * wrong rounding mode changes results by whole percent). The absolute 1e-6
 * covers outputs that are zero on cpu. Integer and boolean outputs must be
 * equal. Callers that take many optimizer steps pass a looser bound and say
 * why.
 */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'vitest';
import {resetSeed} from './cases';

export const RELATIVE = 1e-4;
export const ABSOLUTE = 1e-6;

export type Output = {shape: number[]; dtype: tf.DataType; values: tf.TypedArray};
type Run = () => tf.Tensor | tf.Tensor[];

/** Runs `run` on `backend` with the seed stream restarted; reads every output back asynchronously; checks for leaks. */
export async function runOn(backend: 'cpu' | 'webgpu', run: Run): Promise<Output[]> {
  await tf.setBackend(backend);
  resetSeed();
  const before = tf.memory().numTensors;
  const outs = tf.tidy(() => {
    const out = run();
    return Array.isArray(out) ? out : [out];
  });
  try {
    return await Promise.all(outs.map(async (o) => ({shape: o.shape, dtype: o.dtype, values: (await o.data()) as tf.TypedArray})));
  } finally {
    tf.dispose(outs);
    expect(tf.memory().numTensors, `tensors leaked on ${backend}`).toBe(before);
  }
}

/** Whether every output agrees within the tolerance, and the worst element (or the first disagreement). */
export function compare(gpu: Output[], cpu: Output[], relative = RELATIVE): {ok: boolean; worst: string} {
  if (gpu.length !== cpu.length) return {ok: false, worst: `${gpu.length} outputs on webgpu, ${cpu.length} on cpu`};
  let worstRatio = -1;
  let worst = 'no outputs';
  for (let k = 0; k < cpu.length; k++) {
    const reference = cpu[k]!;
    const actual = gpu[k]!;
    if (actual.dtype !== reference.dtype || actual.shape.join() !== reference.shape.join()) {
      return {ok: false, worst: `output ${k}: ${actual.dtype} [${actual.shape}] on webgpu, ${reference.dtype} [${reference.shape}] on cpu`};
    }
    let scale = 0;
    for (const v of reference.values) scale = Math.max(scale, Math.abs(v));
    const allowed = reference.dtype === 'float32' ? relative * scale + ABSOLUTE : 0;
    for (let i = 0; i < reference.values.length; i++) {
      const expected = reference.values[i]!;
      const value = actual.values[i]!;
      const where = `output ${k} [${reference.shape}] element ${i}: webgpu ${value}, cpu ${expected} (scale ${scale.toPrecision(3)})`;
      if (Number.isNaN(value) || Number.isNaN(expected)) {
        if (Number.isNaN(value) !== Number.isNaN(expected)) return {ok: false, worst: where};
        continue;
      }
      const error = Math.abs(value - expected);
      if (error > allowed) return {ok: false, worst: where};
      const ratio = allowed > 0 ? error / allowed : 0;
      if (ratio > worstRatio) {
        worstRatio = ratio;
        worst = where;
      }
    }
  }
  return {ok: true, worst};
}

/** Runs `run` on both backends (`cpuRun` on cpu when given) and expects the same numbers. */
export async function expectSameOnWebGpu(name: string, run: Run, options: {cpuRun?: Run; relative?: number} = {}): Promise<void> {
  const cpu = await runOn('cpu', options.cpuRun ?? run);
  try {
    const gpu = await runOn('webgpu', run);
    const {ok, worst} = compare(gpu, cpu, options.relative);
    expect(ok, `${name}: ${worst}`).toBe(true);
  } finally {
    await tf.setBackend('cpu');
  }
}
