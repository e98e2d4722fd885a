// The linear regression the training-loop tests share: deterministic rows and a model for them.
import {Sequential, type Loss} from '../src/index';
import {constantInit, mae, mse, sgd, testDense} from './fixtures';

/** Rows of {@link linearRows}: features, targets and one weight per row. */
export type LinearRows = {x: number[][]; y: number[][]; w: number[]};

/**
 * `n` deterministic rows: `x` `[n, 3]` (`sin(i + 1)`, `cos(2i + 0.5)`, `(7i mod 11) / 11 - 0.5`),
 * `y = x·[1.5, -2, 0.5] + 0.3`, and the weight `weight(i)` of each row (default `(5i mod 7) / 3`).
 */
export function linearRows(n: number, weight: (i: number) => number = (i) => ((i * 5) % 7) / 3): LinearRows {
  const x: number[][] = [];
  const y: number[][] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = [Math.sin(i + 1), Math.cos(2 * i + 0.5), ((i * 7) % 11) / 11 - 0.5];
    x.push(r);
    y.push([1.5 * r[0]! - 2 * r[1]! + 0.5 * r[2]! + 0.3]);
    w.push(weight(i));
  }
  return {x, y, w};
}

/** `p = x·k + b` (3 features, weights 0.1), compiled with SGD (0.1), `loss` (default mse) and mae. */
export function linearModel(loss: Loss = mse): Sequential {
  const model = new Sequential([testDense(1, {inputShape: [3], init: constantInit(0.1)})]);
  model.compile({optimizer: sgd(0.1), loss, metrics: [mae]});
  return model;
}
