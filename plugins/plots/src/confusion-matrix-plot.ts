/**
 * `confusionMatrixPlot()`: a confusion matrix as an SVG heat map with counts.
 * @module
 */
import {ConfigError, ShapeError, StateError, checkNumber, checkOptions, describe, optionKeys} from '@trellis/core';
import {checkText} from './chart-options';
import {checkMatrix, confusionLayout, type ConfusionLayoutOptions, type ConfusionNormalize, type TextMark} from './confusion-layout';
import {checkContainer} from './dom';

/** Options of {@link confusionMatrixPlot}. */
export type ConfusionMatrixPlotOptions = {
  /** One name per class, in class order (default `'0'`, `'1'`, ...). */
  readonly labels?: readonly string[];
  /** The title (default `'Confusion matrix'`). */
  readonly title?: string;
  /** Show shares instead of counts, as scikit-learn: `'true'` (rows sum to 1), `'pred'` (columns), `'all'`; default null (counts). */
  readonly normalize?: ConfusionNormalize;
  /** A cell's side in CSS pixels (default 36; counts are written in cells of 18 and more). */
  readonly cellSize?: number;
};

/** The heat map {@link confusionMatrixPlot} drew. */
export type ConfusionMatrixPlot = {
  /** The `<svg role="img">`, with a `<title>` and a `<desc>`. */
  readonly element: SVGSVGElement;
  /**
   * Redraws with new counts (same number of classes, same options).
   * @throws as `confusionMatrixPlot` for a bad matrix (ShapeError for another class count); StateError after `destroy()`.
   */
  update(matrix: readonly (readonly number[])[]): void;
  /** Removes the heat map. */
  destroy(): void;
};

const KEYS = optionKeys<ConfusionMatrixPlotOptions>({labels: true, title: true, normalize: true, cellSize: true});
const SVG = 'http://www.w3.org/2000/svg';
const WHO = 'confusionMatrixPlot';

function checkLabels(labels: unknown, n: number): string[] {
  if (labels === undefined) return Array.from({length: n}, (_, i) => String(i));
  if (!Array.isArray(labels) || labels.length !== n || !labels.every((l) => typeof l === 'string')) {
    throw new ConfigError(`${WHO}: labels must be ${n} strings, one per class in class order; got ${describe(labels)}.`);
  }
  return [...(labels as string[])];
}

/** Draws `layout` into `svg`, replacing what it held. */
function render(svg: SVGSVGElement, layout: ReturnType<typeof confusionLayout>): void {
  const doc = svg.ownerDocument;
  const node = <K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string) => {
    const el = doc.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    if (text !== undefined) el.textContent = text;
    return el;
  };
  const textNode = (m: TextMark, attrs: Record<string, string | number> = {}) =>
    node(
      'text',
      {
        x: m.x,
        y: m.y,
        'text-anchor': m.anchor,
        'font-size': m.size,
        ...(m.bold ? {'font-weight': 'bold'} : {}),
        ...(m.rotate === 0 ? {} : {transform: `rotate(${m.rotate} ${m.x} ${m.y})`}),
        ...attrs,
      },
      m.text,
    );
  svg.replaceChildren();
  for (const [k, v] of Object.entries({
    width: layout.width,
    height: layout.height,
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    role: 'img',
    class: 'trellis-confusion-matrix',
    'font-family': 'system-ui, sans-serif',
  })) {
    svg.setAttribute(k, String(v));
  }
  svg.append(node('title', {}, layout.title.text), node('desc', {}, layout.description));
  svg.append(textNode(layout.title, {fill: '#222'}), textNode(layout.xTitle, {fill: '#222'}), textNode(layout.yTitle, {fill: '#222'}));
  for (const m of [...layout.columnLabels, ...layout.rowLabels]) svg.append(textNode(m, {fill: '#444', class: 'tick'}));
  for (const c of layout.cells) {
    const g = node('g', {class: 'cell', 'data-row': c.row, 'data-col': c.col, 'data-value': c.value});
    g.append(node('rect', {x: c.x, y: c.y, width: c.size, height: c.size, fill: c.fill, stroke: '#ffffff', 'stroke-width': 1}));
    if (c.text !== '') {
      g.append(
        node(
          'text',
          {
            x: c.x + c.size / 2,
            y: c.y + c.size / 2,
            'text-anchor': 'middle',
            'dominant-baseline': 'central',
            'font-size': c.textSize,
            fill: c.textFill,
          },
          c.text,
        ),
      );
    }
    svg.append(g);
  }
}

/**
 * Draws a confusion matrix into `container` as an SVG heat map with the
 * count in each cell: rows the true classes, columns the predicted ones
 * (the layout of `@trellis/metrics`' `confusionMatrix` and scikit-learn),
 * cells from near white (0) to dark blue (the largest value), each count in
 * black or white, whichever contrasts more (at least 4.5:1). The SVG has
 * `role="img"`, a `<title>` and a `<desc>` giving the share of samples on the
 * diagonal and the largest confusion; each cell is a `<g class="cell"
 * data-row data-col data-value>`.
 *
 * `matrix`: `number[][]`, `[classes, classes]`, such as
 * `computeMetric(confusionMatrix({numClasses}), yTrue, yPred)` returns (read
 * a tensor first with `await t.array()`).
 *
 * @example
 * confusionMatrixPlot(document.getElementById('confusion')!, [[50, 2], [5, 43]], {labels: ['cat', 'dog']});
 *
 * @throws ConfigError for an unknown option, labels that are not one string
 *   per class, an unknown `normalize`, a `cellSize` outside [8, 200], a tensor
 *   or anything but rows of numbers, or no DOM element as `container`;
 *   ShapeError for a matrix that is not square; DataError for a negative or
 *   non-finite count.
 */
export function confusionMatrixPlot(
  container: HTMLElement,
  matrix: readonly (readonly number[])[],
  options: ConfusionMatrixPlotOptions = {},
): ConfusionMatrixPlot {
  checkOptions(WHO, options, KEYS);
  const rows = checkMatrix(WHO, matrix);
  const n = rows.length;
  const normalize = options.normalize ?? null;
  if (normalize !== null && normalize !== 'true' && normalize !== 'pred' && normalize !== 'all') {
    throw new ConfigError(`${WHO}: normalize must be 'true', 'pred', 'all' or null (counts); got ${describe(normalize)}.`);
  }
  const layoutOptions: ConfusionLayoutOptions = {
    labels: checkLabels(options.labels, n),
    title: checkText(WHO, 'title', options.title ?? 'Confusion matrix'),
    normalize,
    cellSize: checkNumber(WHO, 'cellSize', options.cellSize ?? 36, {min: 8, max: 200, example: 36}),
  };
  const parent = checkContainer(WHO, container);
  const svg = parent.ownerDocument.createElementNS(SVG, 'svg');
  render(svg, confusionLayout(rows, layoutOptions));
  parent.appendChild(svg);
  let destroyed = false;
  return {
    element: svg,
    update(next) {
      if (destroyed) throw new StateError(`${WHO}: update after destroy(); draw a new plot.`);
      const m = checkMatrix(WHO, next);
      if (m.length !== n) {
        throw new ShapeError(
          `${WHO}: update expects a ${n}×${n} matrix (the classes of this plot); got ${m.length}×${m.length}. Draw a new plot for another set of classes.`,
        );
      }
      render(svg, confusionLayout(m, layoutOptions));
    },
    destroy() {
      destroyed = true;
      svg.remove();
    },
  };
}
