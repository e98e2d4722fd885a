/**
 * Suggested learning rates from a range test's curve (fastai's `minimum`
 * and `steep` suggestion rules).
 * @module
 */

/** The learning rates a range test suggests. */
export type LrSuggestions = {
  /**
   * The rate where the smoothed loss falls fastest per unit of log rate:
   * the left end of the steepest descending segment of the curve.
   */
  readonly steepest: number;
  /** A tenth of the rate with the lowest smoothed loss (one decade below where the loss bottoms out). */
  readonly minimumDividedBy10: number;
};

/**
 * The suggestions for the curve `(learningRates[i], smoothedLosses[i])`
 * (rates increasing), looked for among the points `skipStart ..
 * length - skipEnd - 1` only, and only up to the first non-finite loss
 * among them (the start of the curve is noisy; its end is where the loss
 * explodes). Null when fewer than 2 points remain.
 *
 * Steepest: `argmin_i (L[i+1] − L[i]) / (ln r[i+1] − ln r[i])`, the rate
 * `r[i]`; minimum: `r[argmin L] / 10`; ties go to the first index.
 */
export function suggestLearningRates(
  learningRates: readonly number[],
  smoothedLosses: readonly number[],
  skipStart: number,
  skipEnd: number,
): LrSuggestions | null {
  const end = Math.min(learningRates.length, smoothedLosses.length) - skipEnd;
  const rates: number[] = [];
  const losses: number[] = [];
  for (let i = skipStart; i < end; i++) {
    if (!Number.isFinite(smoothedLosses[i]!)) break;
    rates.push(learningRates[i]!);
    losses.push(smoothedLosses[i]!);
  }
  if (rates.length < 2) return null;
  let lowest = 0;
  for (let i = 1; i < losses.length; i++) if (losses[i]! < losses[lowest]!) lowest = i;
  let steepest = 0;
  let steepestSlope = Number.POSITIVE_INFINITY;
  for (let i = 0; i + 1 < losses.length; i++) {
    const slope = (losses[i + 1]! - losses[i]!) / (Math.log(rates[i + 1]!) - Math.log(rates[i]!));
    if (slope < steepestSlope) {
      steepestSlope = slope;
      steepest = i;
    }
  }
  return {steepest: rates[steepest]!, minimumDividedBy10: rates[lowest]! / 10};
}
