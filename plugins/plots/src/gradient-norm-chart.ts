/**
 * `gradientNormChart()`: per-layer gradient norms (or another statistic of
 * `gradientMonitor`'s records) over the optimizer steps, one line per layer.
 * @module
 */
import {ConfigError, checkBoolean, checkOptions, describe, optionKeys} from '@trellis/core';
import {CHART_KEYS, checkChartOptions, checkText, type ChartOptions} from './chart-options';
import {LAYER_PALETTE} from './colour-scale';
import {STATISTIC_NAMES, describeGradientCurves} from './describe-chart';
import {chartHolder, checkContainer} from './dom';
import type {PlotEvent} from './events';
import {createGradientCurves, type GradientCurves, type GradientStatistic} from './gradient-curves';
import {lineChart, type LineChart, type LineData} from './line-chart';
import {liveChart} from './live-chart';

/** Options of {@link gradientNormChart}. */
export type GradientNormChartOptions = ChartOptions & {
  /** What to draw of each layer: `'gradNorm'` (default), `'gradRms'`, `'weightNorm'` or `'updateRatio'`. */
  readonly statistic?: GradientStatistic;
  /** A log-scale y axis (default true); values at or below 0 are then left out. */
  readonly logScale?: boolean;
  /** The chart's title (default `'Gradient norm per layer'`, after the statistic). */
  readonly title?: string;
};

/** The chart {@link gradientNormChart} draws. */
export type GradientNormChart = {
  /** The element holding the chart (a `<div class="trellis-plots">` in the container). */
  readonly element: HTMLElement;
  /**
   * Takes one event: `gradients` records become points (drawn within `every`
   * ms), `fitStart` with `initialEpoch: 0` clears the curves, `fitEnd` draws
   * at once; log events are ignored.
   * @throws ConfigError for a value that is not a `PlotEvent`; StateError after `destroy()`.
   */
  push(event: PlotEvent): void;
  flush(): void;
  clear(): void;
  /** The data drawn (or about to be): the steps and one curve per layer. */
  curves(): GradientCurves;
  destroy(): void;
};

const KEYS = optionKeys<GradientNormChartOptions>({statistic: true, logScale: true, title: true, ...CHART_KEYS});
const STATISTICS = Object.keys(STATISTIC_NAMES) as GradientStatistic[];

/** {@link gradientNormChart} under the name `who`. @internal */
export function createGradientNormChart(who: string, container: unknown, options: GradientNormChartOptions): GradientNormChart {
  checkOptions(who, options, KEYS);
  const {every, width, height, styles} = checkChartOptions(who, options);
  const statistic = options.statistic ?? 'gradNorm';
  if (!STATISTICS.includes(statistic)) {
    throw new ConfigError(`${who}: statistic must be one of ${STATISTICS.map((s) => `'${s}'`).join(', ')}; got ${describe(statistic)}.`);
  }
  const logScale = checkBoolean(who, 'logScale', options.logScale ?? true);
  const title = checkText(who, 'title', options.title ?? `${STATISTIC_NAMES[statistic]} per layer`);
  const element = chartHolder(checkContainer(who, container), styles);
  const store = createGradientCurves(statistic, logScale);
  let chart: {layers: string; drawn: LineChart} | null = null;

  const xRange = (min: number | null, max: number | null): [number, number] =>
    min === null || max === null ? [0, 1] : max > min ? [min, max] : [min - 1, max + 1];
  const draw = () => {
    const curves = store.curves();
    if (curves.x.length === 0 || curves.layers.length === 0) return;
    const data = [curves.x, ...curves.layers.map((l) => l.values)] as LineData;
    const text = describeGradientCurves(curves, statistic);
    const layers = curves.layers.map((l) => l.layer).join('\n');
    if (chart !== null && chart.layers === layers) {
      chart.drawn.update(data, text);
      return;
    }
    // A layer appeared: uPlot's series are fixed, so the chart is built anew.
    chart?.drawn.destroy();
    const spec = {
      title,
      key: statistic,
      xLabel: 'step',
      yLabel: `${STATISTIC_NAMES[statistic]}${logScale ? ' (log scale)' : ''}`,
      series: curves.layers.map((l, i) => ({
        label: l.layer,
        colour: LAYER_PALETTE[i % LAYER_PALETTE.length]!,
        ...(i >= LAYER_PALETTE.length ? {dash: [6, 3]} : {}),
      })),
      width,
      height,
      logY: logScale,
      xRange,
    };
    chart = {layers, drawn: lineChart(element, spec, data, text)};
  };
  return liveChart({
    who,
    element,
    every,
    take: (e) => {
      if (e.kind !== 'gradients' || e.records.length === 0) return false;
      store.add(e.records);
      return true;
    },
    draw,
    clear: () => {
      store.clear();
      chart?.drawn.destroy();
      chart = null;
    },
    curves: () => store.curves(),
  });
}

/**
 * A chart of each layer's gradient norm over the optimizer steps, on a log
 * scale (vanishing gradients show as a first layer far below the last),
 * fed with `gradients` {@link PlotEvent}s: `gradientMonitor().records` of
 * `@trellis/callbacks`, from `logFeed({monitor})` in a worker or by hand
 * (`push({kind: 'gradients', records: monitor.records})`). `statistic`
 * draws another of the records' values instead. The chart is a
 * `<figure class="trellis-plot" data-metric="gradNorm" data-points="…">`
 * with a title and a text description of the last step.
 *
 * @throws ConfigError for an unknown option, an unknown statistic, bad sizes,
 *   or a container that is not a DOM element.
 */
export function gradientNormChart(container: HTMLElement, options: GradientNormChartOptions = {}): GradientNormChart {
  return createGradientNormChart('gradientNormChart', container, options);
}
