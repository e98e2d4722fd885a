/**
 * `liveLossPlot()`: livelossplot as a fit callback, for training in the
 * page's own thread.
 * @module
 */
import {checkOptions, optionKeys, type Callback} from '@trellis/core';
import {CHART_KEYS} from './chart-options';
import {createLiveLossChart, type LiveLossChart, type LiveLossChartOptions} from './live-loss-chart';
import {checkBatchInterval, logFeed} from './log-feed';

/** Options of {@link liveLossPlot}. */
export type LiveLossPlotOptions = LiveLossChartOptions & {
  /** The element to draw in. */
  readonly container: HTMLElement;
  /** Mid-epoch points at most every `batchInterval` ms (default 1000); `null`: one point per epoch, no mid-epoch readback. */
  readonly batchInterval?: number | null;
};

/** The callback {@link liveLossPlot} returns, with its charts. */
export type LiveLossPlot = Callback & {readonly chart: LiveLossChart};

const KEYS = optionKeys<LiveLossPlotOptions>({container: true, batchInterval: true, metrics: true, ...CHART_KEYS});

/**
 * A callback that draws the loss and metric curves of a fit live in
 * `container`: {@link logFeed} feeding a {@link liveLossChart} (see both).
 * It reads only the logs the fit loop gives (once per epoch, and at most
 * once per `batchInterval` mid-epoch), holds no tensor, and redraws at most
 * once every `every` ms. The charts stay after the fit (`chart`); a new fit
 * from epoch 0 starts them afresh.
 *
 * @example
 * const plot = liveLossPlot({container: document.getElementById('plots')!, metrics: ['loss', 'accuracy']});
 * await model.fit(x, y, {epochs: 10, validationSplit: 0.1, callbacks: [plot]});
 *
 * @throws ConfigError for an unknown option, bad values (see
 *   {@link liveLossChart}, {@link logFeed}), or no DOM element as `container`.
 */
export function liveLossPlot(options: LiveLossPlotOptions): LiveLossPlot {
  const WHO = 'liveLossPlot';
  checkOptions(WHO, options, KEYS);
  const {container, batchInterval, ...chartOptions} = options ?? ({} as Partial<LiveLossPlotOptions>);
  const interval = checkBatchInterval(WHO, batchInterval);
  const chart = createLiveLossChart(WHO, container, chartOptions);
  return {...logFeed((event) => chart.push(event), {batchInterval: interval}), name: WHO, chart};
}
