// Float64 Adadelta: Keras 3's formula, or tfjs-core's.
import type {Arrays} from './fixtures';

/**
 * Float64 Keras Adadelta: `eg = rho·eg + (1-rho)·g²`,
 * `d = -sqrt(ex + eps)·g / sqrt(eg + eps)`, `ex = rho·ex + (1-rho)·d²`, `w += lr·d`.
 * `tfjs`: tfjs-core's variant, which divides by the `eg` of the previous step.
 */
export function adadelta64(options: {lr: (step: number) => number; rho: number; epsilon: number; tfjs?: boolean}) {
  const {rho, epsilon} = options;
  const eg: Arrays = {};
  const ex: Arrays = {};
  let step = 0;
  return (params: Arrays, grads: Arrays): void => {
    const lr = options.lr(step);
    for (const [name, g] of Object.entries(grads)) {
      const sg = (eg[name] ??= new Float64Array(g.length));
      const sx = (ex[name] ??= new Float64Array(g.length));
      const p = params[name]!;
      for (let k = 0; k < g.length; k++) {
        const previous = sg[k]!;
        sg[k] = rho * sg[k]! + (1 - rho) * g[k]! ** 2;
        const d = (-Math.sqrt(sx[k]! + epsilon) * g[k]!) / Math.sqrt((options.tfjs ? previous : sg[k]!) + epsilon);
        sx[k] = rho * sx[k]! + (1 - rho) * d ** 2;
        p[k] = p[k]! + lr * d;
      }
    }
    step += 1;
  };
}
