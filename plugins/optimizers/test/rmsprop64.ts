// Float64 RMSprop: Keras 3's formula, or tfjs-core's centered variant.
import {step64} from './step64';

/**
 * Float64 Keras RMSprop: `v = rho·v + (1-rho)·g²`, centered `a = rho·a + (1-rho)·g`,
 * `inc = lr·g / sqrt(v [- a²] + eps)`, `m = μ·m + inc`, `w -= m` (or `w -= inc` when μ = 0).
 * `tfjsCentered`: tfjs-core's centered denominator `sqrt(v - (a² + eps))` instead.
 */
export function rmsprop64(options: {
  lr: (step: number) => number;
  rho: number;
  momentum: number;
  epsilon: number;
  centered: boolean;
  tfjsCentered?: boolean;
}) {
  const {rho, momentum, epsilon, centered} = options;
  return step64(options.lr, 3, (lr) => (p, g, [vv, aa, mm]) => {
    for (let k = 0; k < g.length; k++) {
      vv![k] = rho * vv![k]! + (1 - rho) * g[k]! ** 2;
      let denominator = vv![k]! + epsilon;
      if (centered) {
        aa![k] = rho * aa![k]! + (1 - rho) * g[k]!;
        denominator = options.tfjsCentered ? vv![k]! - (aa![k]! ** 2 + epsilon) : vv![k]! - aa![k]! ** 2 + epsilon;
      }
      const increment = (lr * g[k]!) / Math.sqrt(denominator);
      if (momentum > 0) {
        mm![k] = momentum * mm![k]! + increment;
        p[k] = p[k]! - mm![k]!;
      } else {
        p[k] = p[k]! - increment;
      }
    }
  });
}
