// Float64 Adagrad, Keras 3's formula.
import {step64} from './step64';

/** Float64 Keras Adagrad: `acc += g²` (from `initialAccumulatorValue`), `w -= lr·g / sqrt(acc + eps)`. */
export function adagrad64(options: {lr: (step: number) => number; initialAccumulatorValue: number; epsilon: number}) {
  const update =
    (lr: number) =>
    (p: Float64Array, g: Float64Array, [s]: Float64Array[]) => {
      for (let k = 0; k < g.length; k++) {
        s![k] = s![k]! + g[k]! ** 2;
        p[k] = p[k]! - (lr * g[k]!) / Math.sqrt(s![k]! + options.epsilon);
      }
    };
  return step64(options.lr, 1, update, options.initialAccumulatorValue);
}
