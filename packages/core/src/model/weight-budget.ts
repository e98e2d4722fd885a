/**
 * A bound on the weights a model may create while it is being built, for
 * loaders that build a model from a file's architecture: a file declaring a
 * layer of 10^15 units is refused before a single byte of it is allocated,
 * because its weights cannot fit in what the file holds.
 * @module
 */

/** The bound of {@link withWeightBudget}. */
export interface WeightBudget {
  /** The most weight elements (summed over every weight created in the scope) allowed. */
  readonly elements: number;
  /**
   * Makes the error thrown when a weight would exceed the bound.
   * @param weight the weight's name, `<layer>/<weight>`
   * @param shape the shape it asked for
   * @param total the elements the scope's weights would total with it
   */
  readonly exceeded: (weight: string, shape: readonly number[], total: number) => Error;
}

const BUDGET_KEY = Symbol.for('@trellis/core/weight-budget@1');

type BudgetState = {readonly budget: WeightBudget; used: number};

function slot(): {current: BudgetState | undefined} {
  const g = globalThis as Record<symbol, {current: BudgetState | undefined} | undefined>;
  return (g[BUDGET_KEY] ??= {current: undefined});
}

/**
 * Runs `build` (synchronous: constructing a model and building its layers)
 * with every weight it creates counted against `budget`; the weight that
 * would pass it throws `budget.exceeded(...)` before its initial value is
 * allocated. Scopes nest: the innermost applies. Creates no tensors itself.
 * @returns what `build` returns
 */
export function withWeightBudget<T>(budget: WeightBudget, build: () => T): T {
  const s = slot();
  const previous = s.current;
  s.current = {budget, used: 0};
  try {
    return build();
  } finally {
    s.current = previous;
  }
}

/**
 * Counts a weight of `shape` against the current budget, if any.
 * @throws the budget's error when the weight would exceed it
 */
export function chargeWeight(name: string, shape: readonly number[]): void {
  const state = slot().current;
  if (state === undefined) return;
  const elements = shape.reduce((n, d) => n * d, 1);
  const total = state.used + elements;
  if (total > state.budget.elements) throw state.budget.exceeded(name, shape, total);
  state.used = total;
}
