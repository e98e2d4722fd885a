// Training loops shared by the optimizer tests: ours (StatefulOptimizer) on the
// fixture model, tfjs-core's on the same model, and a float64 reference.
import * as tf from '@tensorflow/tfjs-core';
import {StatefulOptimizer, type Optimizer} from '@trellis/core';
import {copy, fixedGrad64, fixedGrads, grads64, gradsTf, initialValues, makeVariables, read, SHAPES, type Arrays} from './fixtures';

/** The float64 references' learning rate that is `lr` at every step. */
export const constantLr = (lr: number) => (): number => lr;

/** A float64 optimizer step: updates `params` in place. */
export type Step64 = (params: Arrays, grads: Arrays) => void;

/** Gradients for step `s`: from the parameters (the fixture model) or fixed. */
export type GradientSource = 'model' | ((step: number) => Record<string, tf.Tensor>);

function gradients(source: GradientSource, step: number, vars: Record<string, tf.Tensor>): Record<string, tf.Tensor> {
  return source === 'model' ? gradsTf(vars) : source(step);
}

/** Trains fresh fixture variables with `optimizer` for `steps`; returns their values. */
export function trainOurs(optimizer: Optimizer, steps: number, source: GradientSource = 'model'): Arrays {
  const vars = makeVariables();
  const opt = new StatefulOptimizer(optimizer);
  for (let s = 0; s < steps; s++) {
    const g = gradients(source, s, vars);
    opt.applyGradients(g, vars);
    tf.dispose(Object.values(g));
  }
  const out = read(vars);
  opt.dispose();
  tf.dispose(Object.values(vars));
  return out;
}

/** Trains fresh fixture variables with a tfjs-core optimizer (keyed by engine names); disposes it. */
export function trainTfjs(optimizer: tf.Optimizer, steps: number, source: GradientSource = 'model'): Arrays {
  const vars = makeVariables();
  for (let s = 0; s < steps; s++) {
    const g = gradients(source, s, vars);
    optimizer.applyGradients(Object.fromEntries(Object.entries(g).map(([name, t]) => [vars[name]!.name, t])));
    tf.dispose(Object.values(g));
  }
  const out = read(vars);
  optimizer.dispose();
  tf.dispose(Object.values(vars));
  return out;
}

/** Runs a float64 step on the fixture model (float64 gradients of its own parameters) or on fixed gradients. */
export function train64(step64: Step64, steps: number, fixed?: (step: number, name: string) => Float64Array): Arrays {
  const params = copy(initialValues());
  for (let s = 0; s < steps; s++) {
    step64(params, fixed ? Object.fromEntries(Object.keys(SHAPES).map((n) => [n, fixed(s, n)])) : grads64(params));
  }
  return params;
}

/** {@link fixedGrad64} as float32 tensors for every fixture variable (owned by the caller). */
export function fixedTensors(fixed: (step: number, name: string) => Float64Array = fixedGrad64) {
  return (step: number): Record<string, tf.Tensor> =>
    Object.fromEntries(Object.keys(SHAPES).map((n) => [n, tf.tensor(Float32Array.from(fixed(step, n)), [...SHAPES[n]!])]));
}

/** Trains ours and a tfjs-core optimizer (disposed) on the same fixed gradients ({@link fixedGrads}); returns both end states. */
export function trainBothFixed(ours: Optimizer, theirs: tf.Optimizer, steps: number): {ours: Arrays; theirs: Arrays} {
  return {ours: trainOurs(ours, steps, fixedGrads), theirs: trainTfjs(theirs, steps, fixedGrads)};
}
