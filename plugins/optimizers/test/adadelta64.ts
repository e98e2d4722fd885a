// Float64 Adadelta: Keras 3's formula, or tfjs-core's.
import {step64} from './step64';

/**
 * Float64 Keras Adadelta: `eg = rho·eg + (1-rho)·g²`,
 * `d = -sqrt(ex + eps)·g / sqrt(eg + eps)`, `ex = rho·ex + (1-rho)·d²`, `w += lr·d`.
 * `tfjs`: tfjs-core's variant, which divides by the `eg` of the previous step.
 */
export function adadelta64(options: {lr: (step: number) => number; rho: number; epsilon: number; tfjs?: boolean}) {
  const {rho, epsilon} = options;
  return step64(options.lr, 2, (lr) => (p, g, [sg, sx]) => {
    for (let k = 0; k < g.length; k++) {
      const previous = sg![k]!;
      sg![k] = rho * sg![k]! + (1 - rho) * g[k]! ** 2;
      const d = (-Math.sqrt(sx![k]! + epsilon) * g[k]!) / Math.sqrt((options.tfjs ? previous : sg![k]!) + epsilon);
      sx![k] = rho * sx![k]! + (1 - rho) * d ** 2;
      p[k] = p[k]! + lr * d;
    }
  });
}
