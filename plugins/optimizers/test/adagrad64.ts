// Float64 Adagrad, Keras 3's formula.
import type {Arrays} from './fixtures';

/** Float64 Keras Adagrad: `acc += g²` (from `initialAccumulatorValue`), `w -= lr·g / sqrt(acc + eps)`. */
export function adagrad64(options: {lr: (step: number) => number; initialAccumulatorValue: number; epsilon: number}) {
  const acc: Arrays = {};
  let step = 0;
  return (params: Arrays, grads: Arrays): void => {
    const lr = options.lr(step);
    for (const [name, g] of Object.entries(grads)) {
      const s = (acc[name] ??= new Float64Array(g.length).fill(options.initialAccumulatorValue));
      const p = params[name]!;
      for (let k = 0; k < g.length; k++) {
        s[k] = s[k]! + g[k]! ** 2;
        p[k] = p[k]! - (lr * g[k]!) / Math.sqrt(s[k]! + options.epsilon);
      }
    }
    step += 1;
  };
}
