/**
 * `liveLossChart()`: livelossplot's charts, one per metric with its
 * training and validation curves, fed with {@link PlotEvent}s.
 * @module
 */
import {ConfigError, checkOptions, describe, optionKeys} from '@trellis/core';
import {CHART_KEYS, checkChartOptions, type ChartOptions} from './chart-options';
import {TRAINING_COLOUR, VALIDATION_COLOUR} from './colour-scale';
import {describeLossCurve} from './describe-chart';
import {chartHolder, checkContainer} from './dom';
import type {PlotEvent} from './events';
import {lineChart, type LineChart} from './line-chart';
import {liveChart} from './live-chart';
import {createLossCurves, epochPosition, type LossCurve} from './loss-curves';

/** Options of {@link liveLossChart}. */
export type LiveLossChartOptions = ChartOptions & {
  /**
   * The metrics to draw, by their name without `val_` (`['loss',
   * 'accuracy']`), in this order. Default: every key of the logs but
   * per-layer ones (with a `/`) and `batch_loss`, `loss` first.
   */
  readonly metrics?: readonly string[];
};

/** The charts {@link liveLossChart} draws. */
export type LiveLossChart = {
  /** The element holding the charts (a `<div class="trellis-plots">` in the container). */
  readonly element: HTMLElement;
  /**
   * Takes one event: `batchEnd`/`epochEnd` logs become points (drawn within
   * `every` ms), `fitStart` with `initialEpoch: 0` clears the curves,
   * `fitEnd` draws what is pending at once; `gradients` is ignored.
   * @throws ConfigError for a value that is not a `PlotEvent`; StateError after `destroy()`.
   */
  push(event: PlotEvent): void;
  /** Draws pending points now. */
  flush(): void;
  /** Removes every curve (and its chart). */
  clear(): void;
  /** The data drawn (or about to be): one entry per metric, in chart order. */
  curves(): LossCurve[];
  /** Removes the charts and stops their timer. */
  destroy(): void;
};

const KEYS = optionKeys<LiveLossChartOptions>({metrics: true, ...CHART_KEYS});

/** Checks the `metrics` option: null (every key) or metric names without `val_`. @internal */
export function checkMetrics(who: string, metrics: unknown): readonly string[] | null {
  if (metrics === undefined) return null;
  if (!Array.isArray(metrics) || !metrics.every((m) => typeof m === 'string' && m.length > 0)) {
    throw new ConfigError(`${who}: metrics must be an array of metric names such as ['loss', 'accuracy']; got ${describe(metrics)}.`);
  }
  const prefixed = metrics.find((m: string) => m.startsWith('val_'));
  if (prefixed !== undefined) {
    throw new ConfigError(
      `${who}: metrics lists '${prefixed}'; list '${prefixed.slice('val_'.length)}' instead: its validation curve is drawn in the same chart.`,
    );
  }
  return [...new Set(metrics as string[])];
}

/** {@link liveLossChart} under the name `who` (for the messages of `liveLossPlot`). @internal */
export function createLiveLossChart(who: string, container: unknown, options: LiveLossChartOptions): LiveLossChart {
  checkOptions(who, options, KEYS);
  const {every, width, height, styles} = checkChartOptions(who, options);
  const metrics = checkMetrics(who, options.metrics);
  const element = chartHolder(checkContainer(who, container), styles);
  const store = createLossCurves(metrics);
  const charts = new Map<string, LineChart>();
  let span: {start: number; end: number} | null = null;

  const xRange = (min: number | null, max: number | null): [number, number] => {
    const lo = Math.min(min ?? 0, span?.start ?? Math.max(0, Math.ceil(min ?? 1) - 1));
    const hi = Math.max(max ?? 1, span?.end ?? max ?? 1);
    return [lo, hi > lo ? hi : lo + 1];
  };
  const draw = () => {
    for (const curve of store.curves()) {
      const data = [curve.x, curve.training, curve.validation] as const;
      const text = describeLossCurve(curve);
      const chart = charts.get(curve.metric);
      if (chart !== undefined) {
        chart.update(data, text);
        continue;
      }
      const spec = {
        title: curve.metric,
        key: curve.metric,
        xLabel: 'epoch',
        yLabel: curve.metric,
        series: [
          {label: 'training', colour: TRAINING_COLOUR},
          {label: 'validation', colour: VALIDATION_COLOUR, dash: [6, 3]},
        ],
        width,
        height,
        logY: false,
        xRange,
      };
      charts.set(curve.metric, lineChart(element, spec, data, text));
    }
  };
  return liveChart({
    who,
    element,
    every,
    take: (e) => {
      if (e.kind === 'fitStart') span = {start: e.initialEpoch, end: e.epochs};
      if (e.kind === 'epochEnd') return store.add(epochPosition(e.epoch), e.logs);
      if (e.kind !== 'batchEnd') return false;
      const steps = e.stepsPerEpoch;
      return Number.isFinite(steps) && steps > 0 && store.add(epochPosition(e.epoch, e.batch, steps), e.logs);
    },
    draw,
    clear: () => {
      store.clear();
      for (const chart of charts.values()) chart.destroy();
      charts.clear();
    },
    curves: () => store.curves(),
  });
}

/**
 * Loss and metric charts in `container`, as livelossplot draws them: one
 * chart per metric (`loss` first), each with a solid `training` curve (the
 * metric's key) and a dashed `validation` one (its `val_` key), x the epoch
 * (the logs of epoch `e`, from 0, at `e + 1`; a mid-epoch point after batch
 * `b` at `e + (b + 1) / stepsPerEpoch`). Feed it with {@link PlotEvent}s
 * (`push`), from `logFeed` in the same thread or from a worker's messages.
 * Redraws at most once every `every` ms.
 *
 * Each chart is a `<figure class="trellis-plot" data-metric="loss"
 * data-points="12">` with a `<figcaption>` title and a `role="img"` element
 * whose `aria-label` describes the curves in words.
 *
 * @example
 * const chart = liveLossChart(document.getElementById('plots')!);
 * worker.onmessage = ({data}) => chart.push(data.event);
 *
 * @throws ConfigError for an unknown option, bad sizes, `metrics` that are
 *   not names (or name a `val_` key), or a container that is not a DOM element.
 */
export function liveLossChart(container: HTMLElement, options: LiveLossChartOptions = {}): LiveLossChart {
  return createLiveLossChart('liveLossChart', container, options);
}
