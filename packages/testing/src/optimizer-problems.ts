/**
 * Test problems for optimizers: a quadratic bowl and the Rosenbrock function,
 * with gradients computed on the host in float64 (so every backend sees the
 * same float32 gradients for the same parameters).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {NamedTensors, StatefulOptimizer} from '@trellis/core';

/** A differentiable function of named float32 parameters. */
export interface OptimizerProblem {
  /** Variable names and shapes, e.g. `{'bowl/kernel': [2, 3]}`. */
  readonly shapes: Readonly<Record<string, readonly number[]>>;
  /** Starting values by name (row-major). */
  readonly start: Readonly<Record<string, readonly number[]>>;
  /** The loss in float64 for values read back from the variables. */
  loss(values: Readonly<Record<string, Float32Array>>): number;
  /** The gradient in float64, by name (same layout as the values). */
  gradient(values: Readonly<Record<string, Float32Array>>): Record<string, Float64Array>;
}

const BOWL_CURVATURE: Readonly<Record<string, readonly number[]>> = {
  'bowl/kernel': [0.5, 1, 1.5, 2, 2.5, 3],
  'bowl/bias': [1, 2, 0.75],
};
const BOWL_CENTER: Readonly<Record<string, readonly number[]>> = {
  'bowl/kernel': [1, -0.5, 0.25, -1, 0.5, 0.75],
  'bowl/bias': [-0.25, 0.5, 1],
};

/**
 * `½ Σ a·(x − c)²` over two variables, `bowl/kernel` [2, 3] and `bowl/bias`
 * [3], with curvatures `a` from 0.5 to 3 (condition number 6) and the
 * minimum 0 at `c`. The loss at the start is 8. Each variable's gradient
 * depends only on that variable, so freezing one leaves the other's path
 * unchanged.
 */
export const quadraticBowl: OptimizerProblem = {
  shapes: {'bowl/kernel': [2, 3], 'bowl/bias': [3]},
  start: {
    'bowl/kernel': [-0.5, 0.5, 1.25, 0.25, -0.5, -0.25],
    'bowl/bias': [0.75, -0.5, 0],
  },
  loss(values) {
    let sum = 0;
    for (const [name, a] of Object.entries(BOWL_CURVATURE)) {
      const x = values[name]!;
      a.forEach((ak, k) => (sum += 0.5 * ak * (x[k]! - BOWL_CENTER[name]![k]!) ** 2));
    }
    return sum;
  },
  gradient(values) {
    const out: Record<string, Float64Array> = {};
    for (const [name, x] of Object.entries(values)) {
      const a = BOWL_CURVATURE[name]!;
      out[name] = Float64Array.from(x, (xk, k) => a[k]! * (xk - BOWL_CENTER[name]![k]!));
    }
    return out;
  },
};

/**
 * Rosenbrock's function `(1 − x)² + 100·(y − x²)²` of one variable
 * `rosenbrock/xy` = [x, y], from the classic start (−1.2, 1) (loss 24.2);
 * the minimum 0 is at (1, 1) at the end of a curved, narrow valley.
 */
export const rosenbrock: OptimizerProblem = {
  shapes: {'rosenbrock/xy': [2]},
  start: {'rosenbrock/xy': [-1.2, 1]},
  loss(values) {
    const [x, y] = values['rosenbrock/xy']! as unknown as [number, number];
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
  },
  gradient(values) {
    const [x, y] = values['rosenbrock/xy']! as unknown as [number, number];
    return {'rosenbrock/xy': Float64Array.of(-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x))};
  },
};

/** New trainable float32 variables at the problem's start, keyed by name; the caller disposes them. */
export function problemVariables(problem: OptimizerProblem): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  for (const [name, shape] of Object.entries(problem.shapes)) {
    const initial = tf.tensor(Float32Array.from(problem.start[name]!), [...shape], 'float32');
    out[name] = tf.variable(initial, true);
    initial.dispose();
  }
  return out;
}

/** The variables' current values (copies). */
export function readValues(variables: Readonly<Record<string, tf.Tensor>>): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [name, v] of Object.entries(variables)) out[name] = Float32Array.from(v.dataSync() as Float32Array);
  return out;
}

/**
 * One optimizer step on `problem`: the gradient at the variables' current
 * values (for the names in `train`, default all) goes to
 * `optimizer.applyGradients`; the gradient tensors are disposed afterwards.
 */
export function problemStep(
  problem: OptimizerProblem,
  optimizer: StatefulOptimizer,
  variables: Readonly<Record<string, tf.Variable>>,
  train: readonly string[] = Object.keys(variables),
): void {
  const values = readValues(variables);
  const gradient = problem.gradient(values);
  const grads: Record<string, tf.Tensor> = {};
  for (const name of train) {
    grads[name] = tf.tensor(Float32Array.from(gradient[name]!), [...problem.shapes[name]!], 'float32');
  }
  try {
    optimizer.applyGradients(grads as NamedTensors, variables);
  } finally {
    tf.dispose(Object.values(grads));
  }
}
