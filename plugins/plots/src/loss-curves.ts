/**
 * The data of the loss and metric charts: logs routed to one curve pair per
 * metric, kept sorted by x.
 * @module
 */
import type {PlotLogs} from './events';

/** One metric's chart data, aligned on `x` (the epoch), `null` where a curve has no point. */
export type LossCurve = {
  /** The metric, without `val_` (`loss`, `accuracy`). */
  readonly metric: string;
  /** Epochs, ascending: the logs of epoch `e` (from 0) sit at `e + 1`. */
  readonly x: readonly number[];
  /** The metric's own key (`loss`). */
  readonly training: readonly (number | null)[];
  /** The `val_` key (`val_loss`). */
  readonly validation: readonly (number | null)[];
};

/** Which curve a log key feeds. */
export type CurveSplit = 'training' | 'validation';

/**
 * Where the log `key` is drawn: its metric (`val_loss` → `loss`) and curve,
 * or null when it is not drawn. With `metrics`, only those metrics are drawn;
 * without, every key but per-layer ones (with a `/`, `grad_norm/dense`) and
 * `batch_loss` (one batch's loss, too noisy next to the running mean).
 */
export function routeLogKey(key: string, metrics: readonly string[] | null): {metric: string; split: CurveSplit} | null {
  const split: CurveSplit = key.startsWith('val_') ? 'validation' : 'training';
  const metric = split === 'validation' ? key.slice('val_'.length) : key;
  if (metric === '') return null;
  if (metrics !== null) return metrics.includes(metric) ? {metric, split} : null;
  if (metric.includes('/') || metric === 'batch_loss') return null;
  return {metric, split};
}

/** The x of a point: the end of epoch `epoch` (from 0), or after `batch` of `stepsPerEpoch` within it. */
export function epochPosition(epoch: number, batch?: number, stepsPerEpoch?: number): number {
  if (batch === undefined || stepsPerEpoch === undefined) return epoch + 1;
  return epoch + (batch + 1) / stepsPerEpoch;
}

/** Index of the first element of ascending `xs` that is `>= x`. */
export function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The curves store of {@link createLossCurves}. */
export type LossCurves = {
  /** Adds the logs at `x`; a point already at `x` is replaced. Returns whether a drawn key was among them. */
  add(x: number, logs: PlotLogs): boolean;
  clear(): void;
  /** Every metric's curves: `loss` first, then in order of appearance (or in the order of `metrics`). */
  curves(): LossCurve[];
};

type MutableCurve = {x: number[]; training: (number | null)[]; validation: (number | null)[]};

/** A store of loss curves for the metrics `metrics` (null: every key {@link routeLogKey} draws). */
export function createLossCurves(metrics: readonly string[] | null): LossCurves {
  const byMetric = new Map<string, MutableCurve>();
  const put = (metric: string, split: CurveSplit, x: number, value: number | null) => {
    let curve = byMetric.get(metric);
    if (curve === undefined) {
      curve = {x: [], training: [], validation: []};
      byMetric.set(metric, curve);
    }
    const i = lowerBound(curve.x, x);
    if (curve.x[i] !== x) {
      curve.x.splice(i, 0, x);
      curve.training.splice(i, 0, null);
      curve.validation.splice(i, 0, null);
    }
    curve[split][i] = value;
  };
  const order = (): string[] => {
    const seen = [...byMetric.keys()];
    if (metrics !== null) return metrics.filter((m) => byMetric.has(m));
    return seen.includes('loss') ? ['loss', ...seen.filter((m) => m !== 'loss')] : seen;
  };
  return {
    add(x, logs) {
      let drawn = false;
      for (const [key, value] of Object.entries(logs)) {
        const route = routeLogKey(key, metrics);
        if (route === null) continue;
        put(route.metric, route.split, x, Number.isFinite(value) ? value : null);
        drawn = true;
      }
      return drawn;
    },
    clear: () => byMetric.clear(),
    curves: () =>
      order().map((metric) => {
        const c = byMetric.get(metric)!;
        return {metric, x: [...c.x], training: [...c.training], validation: [...c.validation]};
      }),
  };
}
