/**
 * One uPlot line chart in an accessible figure: a visible title, axis
 * labels, a legend, and a text description as the chart's `aria-label`.
 * @module
 */
import uPlot from 'uplot';

/** One curve of a {@link LineChartSpec}. */
export type LineSeries = {readonly label: string; readonly colour: string; readonly dash?: readonly number[]};

/** What {@link lineChart} draws. */
export type LineChartSpec = {
  readonly title: string;
  /** The figure's `data-metric`. */
  readonly key: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly LineSeries[];
  readonly width: number;
  readonly height: number;
  readonly logY: boolean;
  /** The x axis range for the data's `[min, max]` (null when there is no data). */
  readonly xRange: (min: number | null, max: number | null) => [number, number];
};

/** The data of a {@link LineChart}: x, then one array per series, all the same length. */
export type LineData = readonly [readonly number[], ...(readonly (number | null)[])[]];

/** A drawn chart. */
export type LineChart = {
  readonly figure: HTMLElement;
  /** Sets the data and the description, and redraws. */
  update(data: LineData, description: string): void;
  destroy(): void;
};

/** Curves with at most this many values get a marker on each. */
const SPARSE_POINTS = 40;

/** The non-null (and non-NaN) values of one series. */
function countValues(values: ArrayLike<number | null | undefined> | undefined): number {
  let n = 0;
  for (let i = 0; i < (values?.length ?? 0); i++) if (values![i] != null && !Number.isNaN(values![i])) n++;
  return n;
}

/** Points drawn: the non-null values of every series. */
export function countPoints(data: LineData): number {
  let n = 0;
  for (const values of data.slice(1) as (number | null)[][]) for (const v of values) if (v !== null) n++;
  return n;
}

/**
 * Appends to `parent` a `<figure class="trellis-plot" data-metric data-points>`
 * with a `<figcaption>` title and a `role="img"` element holding the uPlot
 * chart, described by `description`.
 */
export function lineChart(parent: HTMLElement, spec: LineChartSpec, data: LineData, description: string): LineChart {
  const doc = parent.ownerDocument;
  const figure = doc.createElement('figure');
  figure.className = 'trellis-plot';
  figure.dataset.metric = spec.key;
  const caption = doc.createElement('figcaption');
  caption.textContent = spec.title;
  const area = doc.createElement('div');
  area.setAttribute('role', 'img');
  figure.append(caption, area);
  parent.appendChild(figure);

  const axis = (label: string, size?: number): uPlot.Axis => ({
    label,
    ...(size === undefined ? {} : {size}),
    stroke: '#444',
    grid: {stroke: '#e6e6e6', width: 1},
    ticks: {stroke: '#ccc', width: 1},
  });
  const options: uPlot.Options = {
    width: spec.width,
    height: spec.height,
    scales: {
      x: {time: false, range: (_u, min, max) => spec.xRange(min ?? null, max ?? null)},
      y: spec.logY ? {distr: 3} : {},
    },
    // The y axis is wider than uPlot's default so that its label clears tick labels such as 1.0e-3.
    axes: [axis(spec.xLabel), axis(spec.yLabel, 64)],
    series: [
      {label: spec.xLabel},
      ...spec.series.map((s) => ({
        label: s.label,
        stroke: s.colour,
        width: 2,
        spanGaps: true,
        // Markers on sparse curves (a validation curve after one or two epochs is a point or two, which a line alone never shows).
        points: {show: (u: uPlot, i: number) => countValues(u.data[i]) <= SPARSE_POINTS, size: 6, fill: s.colour},
        ...(s.dash ? {dash: [...s.dash]} : {}),
      })),
    ],
    // A live chart is redrawn with its full range: a drag-zoom would be undone at the next update.
    cursor: {drag: {x: false, y: false, setScale: false}},
    legend: {show: true},
  };
  const plot = new uPlot(options, data as uPlot.AlignedData, area);
  const describeAs = (text: string, points: number) => {
    area.setAttribute('aria-label', text);
    figure.dataset.points = String(points);
  };
  describeAs(description, countPoints(data));
  return {
    figure,
    update(next, text) {
      plot.setData(next as uPlot.AlignedData);
      describeAs(text, countPoints(next));
    },
    destroy() {
      plot.destroy();
      figure.remove();
    },
  };
}
