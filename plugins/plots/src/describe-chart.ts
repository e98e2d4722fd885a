/**
 * The text descriptions of the line charts, for screen readers (the charts'
 * `aria-label`): what a sighted reader takes from the curves.
 * @module
 */
import type {GradientCurves, GradientStatistic} from './gradient-curves';
import type {LossCurve} from './loss-curves';

/** A number with 4 significant digits (`0.1235`, `12.5`), in exponent form below 1e-3 or from 1e5 (`1.23e-5`). */
export function formatNumber(value: number): string {
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return String(value);
  const size = Math.abs(value);
  if (size < 1e-3 || size >= 1e5) return value.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(4)));
}

/** An x position (epoch or step) with at most 2 decimals. */
function formatX(x: number): string {
  return String(Number(x.toFixed(2)));
}

/** `from a to b; lowest c at <x> d, highest e at <x> f` for the points of one curve, or null without points. */
function summary(x: readonly number[], values: readonly (number | null)[], unit: string): string | null {
  let first = -1;
  let last = -1;
  let lo = -1;
  let hi = -1;
  values.forEach((v, i) => {
    if (v === null) return;
    if (first < 0) first = i;
    last = i;
    if (lo < 0 || v < values[lo]!) lo = i;
    if (hi < 0 || v > values[hi]!) hi = i;
  });
  if (first < 0) return null;
  const at = (i: number) => `${formatNumber(values[i]!)} at ${unit} ${formatX(x[i]!)}`;
  return `from ${formatNumber(values[first]!)} to ${formatNumber(values[last]!)}; lowest ${at(lo)}, highest ${at(hi)}`;
}

/**
 * One loss chart in words:
 * `loss by epoch, 4 points up to epoch 2. Training: from 0.7 to 0.3; lowest 0.3 at epoch 2, highest 0.7 at epoch 0.5. Validation: ...`
 */
export function describeLossCurve(curve: LossCurve): string {
  const n = curve.x.length;
  if (n === 0) return `${curve.metric} by epoch: no points yet.`;
  const parts = [`${curve.metric} by epoch, ${n} point${n === 1 ? '' : 's'} up to epoch ${formatX(curve.x[n - 1]!)}.`];
  const training = summary(curve.x, curve.training, 'epoch');
  const validation = summary(curve.x, curve.validation, 'epoch');
  if (training !== null) parts.push(`Training: ${training}.`);
  if (validation !== null) parts.push(`Validation: ${validation}.`);
  return parts.join(' ');
}

/** The statistics' names in words. */
export const STATISTIC_NAMES: Readonly<Record<GradientStatistic, string>> = {
  gradNorm: 'Gradient norm',
  gradRms: 'Gradient RMS',
  weightNorm: 'Weight norm',
  updateRatio: 'Update/weight ratio',
};

/**
 * The gradient chart in words: the statistic, the steps, each layer's value
 * at the last step, and the first layer's value over the last layer's
 * there (how much smaller the first layer's gradients are: vanishing below 1e-3).
 */
export function describeGradientCurves(curves: GradientCurves, statistic: GradientStatistic): string {
  const name = STATISTIC_NAMES[statistic];
  const n = curves.x.length;
  if (n === 0 || curves.layers.length === 0) return `${name} per layer: no steps yet.`;
  const step = curves.x[n - 1]!;
  const latest = curves.layers.map(({layer, values}) => ({layer, value: values[n - 1] ?? null}));
  const values = latest.map(({layer, value}) => `${layer} ${value === null ? 'no value' : formatNumber(value)}`);
  const parts = [
    `${name} per layer, ${curves.layers.length} layer${curves.layers.length === 1 ? '' : 's'}, ${n} inspected step${n === 1 ? '' : 's'} up to step ${formatX(step)}.`,
    `At step ${formatX(step)}: ${values.join(', ')}.`,
  ];
  const first = latest[0]!.value;
  const last = latest[latest.length - 1]!.value;
  if (latest.length > 1 && first !== null && last !== null && last !== 0) {
    parts.push(`First layer over last layer: ${formatNumber(first / last)}.`);
  }
  return parts.join(' ');
}
