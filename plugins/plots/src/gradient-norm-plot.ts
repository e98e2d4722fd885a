/**
 * `gradientNormPlot()`: the gradient chart as a fit callback, fed by a
 * `gradientMonitor` in the same fit.
 * @module
 */
import {checkOptions, optionKeys, type Callback} from '@trellis/core';
import {CHART_KEYS} from './chart-options';
import {createGradientNormChart, type GradientNormChart, type GradientNormChartOptions} from './gradient-norm-chart';
import {checkGradientSource, logFeed, type GradientSource} from './log-feed';

/** Options of {@link gradientNormPlot}. */
export type GradientNormPlotOptions = GradientNormChartOptions & {
  /** The element to draw in. */
  readonly container: HTMLElement;
  /** The `gradientMonitor()` of `@trellis/callbacks` in the same fit (or any object with `records`). */
  readonly monitor: GradientSource;
};

/** The callback {@link gradientNormPlot} returns, with its chart. */
export type GradientNormPlot = Callback & {readonly chart: GradientNormChart};

const KEYS = optionKeys<GradientNormPlotOptions>({
  container: true,
  monitor: true,
  statistic: true,
  logScale: true,
  title: true,
  ...CHART_KEYS,
});

/**
 * A callback that draws, live in `container`, the per-layer gradient norms
 * a `gradientMonitor` records in the same fit (see
 * {@link gradientNormChart}). Put both in `fit`'s callbacks. It takes the
 * monitor's new records after each batch and epoch (reading no tensor and
 * no log mid-epoch) and redraws at most once every `every` ms.
 *
 * @example
 * const monitor = gradientMonitor({every: 10});
 * const plot = gradientNormPlot({container: document.getElementById('gradients')!, monitor});
 * await model.fit(x, y, {epochs: 5, callbacks: [monitor, plot]});
 *
 * @throws ConfigError for an unknown option, bad values (see
 *   {@link gradientNormChart}), a `monitor` without `records`, or no DOM
 *   element as `container`.
 */
export function gradientNormPlot(options: GradientNormPlotOptions): GradientNormPlot {
  const WHO = 'gradientNormPlot';
  checkOptions(WHO, options, KEYS);
  const {container, monitor, ...chartOptions} = options ?? ({} as Partial<GradientNormPlotOptions>);
  const source = checkGradientSource(WHO, monitor);
  const chart = createGradientNormChart(WHO, container, chartOptions);
  return {...logFeed((event) => chart.push(event), {batchInterval: null, monitor: source}), name: WHO, chart};
}
