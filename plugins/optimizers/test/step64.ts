// The loop every float64 reference rule shares: the step counter, the
// learning rate of the step and per-variable slots.
import type {Arrays} from './fixtures';

/** One variable's float64 update: `p` is updated in place from the gradient `g`; `slots` persist between steps. */
type Update64 = (p: Float64Array, g: Float64Array, slots: Float64Array[]) => void;

/**
 * A float64 step function `(params, grads) => void` that updates `params` in
 * place. Each step calls `atStep(lr(step), t = step + 1)` once (for the
 * step's scalars), then the update it returns for every variable with a
 * gradient, with `slotCount` arrays kept per variable name (filled with
 * `fill` at the first visit).
 */
export function step64(
  lr: (step: number) => number,
  slotCount: number,
  atStep: (lr: number, t: number) => Update64,
  fill = 0,
): (params: Arrays, grads: Arrays) => void {
  const slots: Record<string, Float64Array[]> = {};
  let step = 0;
  return (params, grads) => {
    const update = atStep(lr(step), step + 1);
    for (const [name, g] of Object.entries(grads)) {
      update(params[name]!, g, (slots[name] ??= Array.from({length: slotCount}, () => new Float64Array(g.length).fill(fill))));
    }
    step += 1;
  };
}
