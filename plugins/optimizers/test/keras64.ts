// Float64 implementations of Keras 3's Adam (AMSGrad), Adamax, Nadam, Lion and
// Lamb update rules, written from keras/src/optimizers/*.py, for the tests.
// Each returns a step function that updates `params` in place.
// Scalars that Keras computes in float32 and that are sensitive to rounding
// (powers beta^t, whose 1 - beta^t is ~1e-3 early on) mirror Keras' float32;
// everything else is float64.
import type {Arrays} from './fixtures';
import {step64} from './step64';

const f = Math.fround;

/** Keras' Adam; `amsgrad` divides by the running maximum of v. */
export function adamAmsgrad64(options: {lr: (step: number) => number; beta1: number; beta2: number; epsilon: number}) {
  const {beta1, beta2, epsilon} = options;
  return step64(options.lr, 3, (lr, t) => {
    const alpha = (lr * Math.sqrt(1 - f(f(beta2) ** t))) / (1 - f(f(beta1) ** t));
    return (p, g, [mm, vv, vh]) => {
      for (let k = 0; k < g.length; k++) {
        mm![k] = beta1 * mm![k]! + (1 - beta1) * g[k]!;
        vv![k] = beta2 * vv![k]! + (1 - beta2) * g[k]! ** 2;
        vh![k] = Math.max(vh![k]!, vv![k]!);
        p[k] = p[k]! - (alpha * mm![k]!) / (Math.sqrt(vh![k]!) + epsilon);
      }
    };
  });
}

/** Keras' Adamax. */
export function adamax64(options: {lr: (step: number) => number; beta1: number; beta2: number; epsilon: number}) {
  const {beta1, beta2, epsilon} = options;
  return step64(options.lr, 2, (lr, t) => {
    const c1 = 1 - f(f(beta1) ** t);
    return (p, g, [mm, uu]) => {
      for (let k = 0; k < g.length; k++) {
        mm![k] = beta1 * mm![k]! + (1 - beta1) * g[k]!;
        uu![k] = Math.max(beta2 * uu![k]!, Math.abs(g[k]!));
        p[k] = p[k]! - (lr * mm![k]!) / (c1 * (uu![k]! + epsilon));
      }
    };
  });
}

/**
 * Keras' Nadam, with its momentum schedule u_t = beta1 * (1 - 0.5 * 0.96^t) in
 * float64. Keras' Nadam (unlike its Adam) casts the betas to float32 before
 * `1 - beta`: 1 - fround(0.999) is 1.3e-5 away from 0.001, which shows in v̂.
 */
export function nadam64(options: {lr: (step: number) => number; beta1: number; beta2: number; epsilon: number}) {
  const {beta1, epsilon} = options;
  const beta2 = f(options.beta2);
  let uProduct = 1;
  const u = (t: number) => beta1 * (1 - 0.5 * 0.96 ** t);
  return step64(options.lr, 2, (lr, t) => {
    uProduct *= u(t);
    const uNext = u(t + 1);
    const c2 = 1 - f(f(beta2) ** t);
    return (p, g, [mm, vv]) => {
      for (let k = 0; k < g.length; k++) {
        mm![k] = mm![k]! + (g[k]! - mm![k]!) * (1 - f(beta1));
        vv![k] = vv![k]! + (g[k]! ** 2 - vv![k]!) * (1 - beta2);
        const mHat = (uNext * mm![k]!) / (1 - uProduct * uNext) + ((1 - u(t)) * g[k]!) / (1 - uProduct);
        p[k] = p[k]! - (mHat * lr) / (Math.sqrt(vv![k]! / c2) + epsilon);
      }
    };
  });
}

/** Keras' Lion. */
export function lion64(options: {lr: (step: number) => number; beta1: number; beta2: number}) {
  const {beta1, beta2} = options;
  return step64(options.lr, 1, (lr) => (p, g, [mm]) => {
    for (let k = 0; k < g.length; k++) {
      // Keras takes 1 - beta of the float32 betas.
      p[k] = p[k]! - lr * Math.sign(mm![k]! * beta1 + g[k]! * (1 - f(beta1)));
      mm![k] = mm![k]! * beta2 + g[k]! * (1 - f(beta2));
    }
  });
}

/** Keras' Lamb: the Adam direction with epsilon after the correction, scaled by ||w|| / ||u||. */
export function lamb64(options: {lr: (step: number) => number; beta1: number; beta2: number; epsilon: number}) {
  const {beta1, beta2, epsilon} = options;
  return step64(options.lr, 2, (lr, t) => {
    const c1 = 1 - f(f(beta1) ** t);
    const c2 = 1 - f(f(beta2) ** t);
    return (p, g, [mm, vv]) => {
      const update = new Float64Array(g.length);
      for (let k = 0; k < g.length; k++) {
        mm![k] = beta1 * mm![k]! + (1 - beta1) * g[k]!;
        vv![k] = beta2 * vv![k]! + (1 - beta2) * g[k]! ** 2;
        update[k] = mm![k]! / c1 / (Math.sqrt(vv![k]! / c2) + epsilon);
      }
      const wNorm = Math.hypot(...p);
      const uNorm = Math.hypot(...update);
      const ratio = wNorm > 0 && uNorm > 0 ? wNorm / uNorm : 1;
      for (let k = 0; k < g.length; k++) p[k] = p[k]! - ratio * lr * update[k]!;
    };
  });
}

/**
 * Keras' base-optimizer `weight_decay` around a float64 rule: every variable
 * first shrinks by `w * weightDecay * lr(step)`, then `step64` updates it.
 */
export function withWeightDecay64(step64: (params: Arrays, grads: Arrays) => void, weightDecay: number, lr: (step: number) => number) {
  let step = 0;
  return (params: Arrays, grads: Arrays): void => {
    const rate = lr(step);
    for (const name of Object.keys(grads)) {
      const p = params[name]!;
      for (let k = 0; k < p.length; k++) p[k] = p[k]! - p[k]! * weightDecay * rate;
    }
    step64(params, grads);
    step += 1;
  };
}
