/**
 * Optimizers against their Keras counterparts: the same initial variables and
 * the same gradients at every step go through Keras' `apply_gradients` and
 * through Trellis' `StatefulOptimizer`; the variables must agree after every
 * step (`optimizerSteps` kind).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {type NamedTensors, type Optimizer} from 'trellis';
import {StatefulOptimizer} from '@trellis/core';
import {afterAll, beforeAll, describe, it} from 'vitest';
import {BACKENDS, activate, toTensor, uniformTensor} from './cases';
import {expectClose, field, worstErrors} from './compare';
import {kerasOptimizer, type KerasSpec} from './keras-config';
import {runKeras, type KerasCase} from './keras';
import type {HostTensor, TreeOut} from './tensor-tree';

/** One optimizer run: `make` returns a fresh optimizer. */
export type OptimizerCase = {
  readonly make: () => Optimizer;
  /** The Keras optimizer; by default `kerasOptimizer(make())`. */
  readonly keras?: KerasSpec;
  /** Updates to apply (default 20). */
  readonly steps?: number;
  /** Gradients uniform in [-scale, scale) (default 1). */
  readonly gradientScale?: number;
  /**
   * What Keras' `finalize_variable_values` does at the end of `fit` (with
   * `use_ema`): replace the variables by their moving averages. When given,
   * the variables after it are compared with Keras'.
   */
  readonly finalize?: (optimizer: StatefulOptimizer, variables: Readonly<Record<string, tf.Variable>>) => void;
};

/** The variables of every case: a kernel, a bias and a rank-3 tensor. */
const SHAPES: Readonly<Record<string, readonly number[]>> = {
  'dense/kernel': [4, 3],
  'dense/bias': [3],
  'conv/kernel': [2, 2, 3],
};

type Inputs = {params: Record<string, HostTensor>; grads: Record<string, HostTensor>[]};

function makeInputs(c: OptimizerCase, seed: number): Inputs {
  const scale = c.gradientScale ?? 1;
  const params: Record<string, HostTensor> = {};
  Object.entries(SHAPES).forEach(([name, shape], i) => {
    params[name] = uniformTensor(shape, seed + i, -1, 1);
  });
  const grads = Array.from({length: c.steps ?? 20}, (_, step) => {
    const g: Record<string, HostTensor> = {};
    Object.entries(SHAPES).forEach(([name, shape], i) => {
      g[name] = uniformTensor(shape, seed + 100 * (step + 1) + i, -scale, scale);
    });
    return g;
  });
  return {params, grads};
}

/**
 * Declares, for every backend, one test per case that applies the case's
 * gradients step by step and compares every variable after every step (and
 * after `finalize`) with Keras' within `tolerance`. `batch` names the folder
 * of the Keras run.
 */
export function describeOptimizerCases(batch: string, cases: Readonly<Record<string, OptimizerCase>>, tolerance: number): void {
  const inputs: Record<string, Inputs> = {};
  let keras: Record<string, TreeOut>;
  beforeAll(async () => {
    const kerasCases: Record<string, KerasCase> = {};
    Object.entries(cases).forEach(([name, c], i) => {
      inputs[name] = makeInputs(c, 7000 * (i + 1));
      const {params, grads} = inputs[name]!;
      kerasCases[name] = {kind: 'optimizerSteps', optimizer: c.keras ?? kerasOptimizer(c.make()), params, grads};
    });
    keras = await runKeras(batch, kerasCases);
  });

  describe.each(BACKENDS)(`${batch} on %s vs Keras`, (backend) => {
    beforeAll(() => activate(backend));
    afterAll(() => console.log(`${batch} on ${backend}: ${worstErrors()}`));

    for (const [name, c] of Object.entries(cases)) {
      it(name, async () => {
        const {params, grads} = inputs[name]!;
        const variables = Object.fromEntries(Object.entries(params).map(([n, p]) => [n, tf.variable(toTensor(p), true, n)]));
        const optimizer = new StatefulOptimizer(c.make());
        try {
          for (const [i, step] of grads.entries()) {
            const g = tf.tidy(() => Object.fromEntries(Object.entries(step).map(([n, v]) => [n, toTensor(v)]))) as NamedTensors;
            try {
              optimizer.applyGradients(g, variables);
            } finally {
              tf.dispose(Object.values(g));
            }
            for (const [n, v] of Object.entries(variables)) {
              await expectClose(`${name} step ${i + 1} ${n}`, v, field(keras[name], 'steps', i, n), tolerance);
            }
          }
          if (c.finalize) {
            c.finalize(optimizer, variables);
            for (const [n, v] of Object.entries(variables)) {
              await expectClose(`${name} finalized ${n}`, v, field(keras[name], 'finalized', n), tolerance);
            }
          }
        } finally {
          optimizer.dispose();
          tf.dispose(Object.values(variables));
        }
      });
    }
  });
}
