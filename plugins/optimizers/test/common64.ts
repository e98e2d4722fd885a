// Float64 Keras 3 base optimizer around a float64 update rule: clipping, weight
// decay, gradient accumulation and the EMA of the weights, in the order of
// BaseOptimizer.apply / _backend_apply_gradients (keras/src/optimizers/base_optimizer.py).
import type {Arrays} from './fixtures';

/** A float64 rule (sgd64, adam64...) made for a learning rate of its own step counter. */
export type Rule64 = (lr: (step: number) => number) => (params: Arrays, grads: Arrays) => void;

export type Common64 = {
  /** The learning rate at Keras' raw step `_iterations`. */
  readonly lr: (step: number) => number;
  readonly weightDecay?: number;
  /** The rate the weight decay uses (default: `lr`, Keras' current rate); tests set another to show the difference. */
  readonly decayLr?: (step: number) => number;
  readonly clipNorm?: number;
  readonly clipValue?: number;
  readonly globalClipNorm?: number;
  readonly accumulationSteps?: number;
  readonly ema?: {readonly momentum: number; readonly overwriteFrequency?: number};
};

const map = (a: Arrays, f: (v: number, name: string) => number): Arrays =>
  Object.fromEntries(Object.entries(a).map(([name, v]) => [name, Float64Array.from(v, (x) => f(x, name))]));

function clip(grads: Arrays, o: Common64): Arrays {
  if (o.clipNorm !== undefined) {
    return Object.fromEntries(
      Object.entries(grads).map(([name, g]) => {
        const norm = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
        return [name, Float64Array.from(g, (x) => (x * o.clipNorm!) / Math.max(norm, o.clipNorm!))];
      }),
    );
  }
  if (o.globalClipNorm !== undefined) {
    const norm = Math.sqrt(Object.values(grads).reduce((s, g) => s + g.reduce((t, x) => t + x * x, 0), 0));
    const scale = o.globalClipNorm * Math.min(1 / norm, 1 / o.globalClipNorm);
    return map(grads, (x) => x * scale);
  }
  if (o.clipValue !== undefined) return map(grads, (x) => Math.min(Math.max(x, -o.clipValue!), o.clipValue!));
  return grads;
}

/**
 * A float64 Keras optimizer: `step(params, grads)` updates `params` in place,
 * `finalize(params)` is `finalize_variable_values` (writes the EMA averages).
 */
export function keras64(rule: Rule64, o: Common64) {
  const n = o.accumulationSteps ?? 1;
  // The rule runs on update steps only; Keras calls a schedule at the raw step.
  const inner = rule(n > 1 ? (u) => o.lr((u + 1) * n - 1) : o.lr);
  const accumulated: Arrays = {};
  const average: Arrays = {};
  let k = 0;
  const step = (params: Arrays, grads: Arrays): void => {
    let g = grads;
    let isUpdate = true;
    if (n > 1) {
      isUpdate = (k + 1) % n === 0;
      for (const [name, v] of Object.entries(grads)) accumulated[name] ??= new Float64Array(v.length);
      if (isUpdate) {
        g = map(grads, (x) => x);
        for (const [name, v] of Object.entries(g)) {
          const acc = accumulated[name]!;
          for (let i = 0; i < v.length; i++) v[i] = (v[i]! + acc[i]!) / n;
          acc.fill(0);
        }
      } else {
        for (const [name, v] of Object.entries(grads)) {
          const acc = accumulated[name]!;
          for (let i = 0; i < v.length; i++) acc[i] = acc[i]! + v[i]!;
        }
      }
    }
    if (isUpdate) {
      g = clip(g, o);
      if (o.weightDecay !== undefined) {
        const lr = (o.decayLr ?? o.lr)(k);
        for (const name of Object.keys(g)) {
          const p = params[name]!;
          for (let i = 0; i < p.length; i++) p[i] = p[i]! - p[i]! * o.weightDecay * lr;
        }
      }
      inner(params, g);
    }
    if (o.ema) {
      const iteration = Math.floor(k / n);
      const m = iteration === 0 ? 0 : o.ema.momentum;
      for (const [name, p] of Object.entries(params)) {
        const avg = (average[name] ??= new Float64Array(p.length));
        for (let i = 0; i < p.length; i++) avg[i] = m * avg[i]! + (1 - m) * p[i]!;
        if (o.ema.overwriteFrequency !== undefined && (iteration + 1) % o.ema.overwriteFrequency === 0) p.set(avg);
      }
    }
    k += 1;
  };
  const finalize = (params: Arrays): void => {
    for (const [name, p] of Object.entries(params)) if (average[name]) p.set(average[name]!);
  };
  return {step, finalize};
}
