/**
 * The confusion-matrix heat map as geometry and text, without a DOM: where
 * each cell, label and title goes, its colour, and the description.
 * @module
 */
import {ConfigError, DataError, ShapeError, describe} from '@trellis/core';
import {sequentialColour, textColourOn} from './colour-scale';
import {formatNumber} from './describe-chart';

/** How the displayed values are normalized, as scikit-learn's `confusion_matrix(normalize=...)`. */
export type ConfusionNormalize = 'true' | 'pred' | 'all' | null;

/** A piece of text: its anchor point, alignment, size in px, and a rotation in degrees about the anchor. */
export type TextMark = {
  readonly x: number;
  readonly y: number;
  readonly text: string;
  readonly anchor: 'start' | 'middle' | 'end';
  readonly size: number;
  readonly rotate: number;
  readonly bold: boolean;
};

/** One cell of the heat map. */
export type ConfusionCell = {
  /** The true class (row) and the predicted class (column). */
  readonly row: number;
  readonly col: number;
  readonly x: number;
  readonly y: number;
  readonly size: number;
  /** The value displayed and coloured: the count, or its normalized share. */
  readonly value: number;
  /** The value as written in the cell ('' when the cells are too small to hold text). */
  readonly text: string;
  readonly fill: string;
  readonly textFill: string;
  readonly textSize: number;
};

/** Everything {@link confusionLayout} places. */
export type ConfusionLayout = {
  readonly width: number;
  readonly height: number;
  readonly title: TextMark;
  readonly xTitle: TextMark;
  readonly yTitle: TextMark;
  readonly columnLabels: readonly TextMark[];
  readonly rowLabels: readonly TextMark[];
  readonly cells: readonly ConfusionCell[];
  /** The heat map in words: samples on the diagonal and the largest confusion. */
  readonly description: string;
};

/** Options of {@link confusionLayout}, checked. */
export type ConfusionLayoutOptions = {
  readonly labels: readonly string[];
  readonly title: string;
  readonly normalize: ConfusionNormalize;
  readonly cellSize: number;
};

/**
 * `matrix` as rows of numbers: square, non-empty, finite and non-negative.
 * @throws ConfigError for a tensor or anything but rows of numbers; ShapeError for a matrix that is not square; DataError for a negative or non-finite entry.
 */
export function checkMatrix(who: string, matrix: unknown): number[][] {
  const m = matrix as {shape?: unknown; dtype?: unknown} | null;
  if (typeof m === 'object' && m !== null && Array.isArray(m.shape) && typeof m.dtype === 'string') {
    throw new ConfigError(
      `${who}: matrix must be rows of numbers (number[][]); got a tensor (${describe(matrix)}). Read it first: await matrix.array(), or computeMetric(confusionMatrix(...), yTrue, yPred) of @trellis/metrics.`,
    );
  }
  if (!Array.isArray(matrix) || !matrix.every((row) => Array.isArray(row) && row.every((v) => typeof v === 'number'))) {
    throw new ConfigError(
      `${who}: matrix must be rows of numbers (number[][]), rows true classes and columns predicted ones; got ${describe(matrix)}.`,
    );
  }
  const rows = matrix as number[][];
  const n = rows.length;
  if (n === 0 || rows.some((row) => row.length !== n)) {
    throw new ShapeError(
      `${who}: matrix must be square [classes, classes] (rows true, columns predicted); got rows of lengths [${rows.map((r) => r.length).join(', ')}].`,
    );
  }
  rows.forEach((row, i) =>
    row.forEach((v, j) => {
      if (!Number.isFinite(v) || v < 0) {
        throw new DataError(`${who}: matrix[${i}][${j}] is ${v}; counts must be finite and >= 0.`);
      }
    }),
  );
  return rows.map((row) => [...row]);
}

/** The displayed values: the counts, or their shares of each row, column or the total (a zero sum gives 0, as scikit-learn). */
export function normalizeMatrix(matrix: readonly (readonly number[])[], normalize: ConfusionNormalize): number[][] {
  if (normalize === null) return matrix.map((row) => [...row]);
  const n = matrix.length;
  const rowSums = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const colSums = Array.from({length: n}, (_, j) => matrix.reduce((a, row) => a + row[j]!, 0));
  const total = rowSums.reduce((a, b) => a + b, 0);
  return matrix.map((row, i) =>
    row.map((v, j) => {
      const sum = normalize === 'true' ? rowSums[i]! : normalize === 'pred' ? colSums[j]! : total;
      return sum > 0 ? v / sum : 0;
    }),
  );
}

/** A count as written: integers whole, weighted counts with at most 2 decimals. */
function formatCount(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(2)));
}

const NORMALIZED = {true: 'each true class (row) sums to 1', pred: 'each predicted class (column) sums to 1', all: 'all cells sum to 1'};

/** The description of {@link ConfusionLayout}. */
export function describeConfusion(matrix: readonly (readonly number[])[], options: ConfusionLayoutOptions): string {
  const {labels, title, normalize} = options;
  const n = matrix.length;
  let total = 0;
  let diagonal = 0;
  let worst: {i: number; j: number; v: number} | null = null;
  matrix.forEach((row, i) =>
    row.forEach((v, j) => {
      total += v;
      if (i === j) diagonal += v;
      else if (v > 0 && (worst === null || v > worst.v)) worst = {i, j, v};
    }),
  );
  const parts = [`${title}: ${n} classes, rows true label, columns predicted label.`];
  if (total === 0) parts.push('No samples.');
  else {
    parts.push(`${formatCount(diagonal)} of ${formatCount(total)} samples (${formatNumber((100 * diagonal) / total)}%) on the diagonal.`);
    const w = worst as {i: number; j: number; v: number} | null;
    parts.push(
      w === null ? 'No confusions.' : `Largest confusion: true ${labels[w.i]} predicted as ${labels[w.j]}, ${formatCount(w.v)} samples.`,
    );
  }
  if (normalize !== null) parts.push(`Cells show shares: ${NORMALIZED[normalize]}.`);
  return parts.join(' ');
}

const TICK = 12;
const AXIS = 13;
const TITLE = 15;
const MARGIN = 8;
/** A rough width of a character of the sans-serif fonts, as a fraction of the font size. */
const CHAR = 0.6;

/**
 * Lays out the heat map of `matrix` (already checked): a square of
 * `cellSize` cells, true classes down the left, predicted ones along the
 * bottom (turned 45° when they do not fit a cell's width), the axis titles
 * `True label` and `Predicted label`, and the title above. Cell colours run
 * from near white (0) to dark blue (the largest value); each cell's text is
 * black or white, whichever contrasts more with it.
 */
export function confusionLayout(matrix: readonly (readonly number[])[], options: ConfusionLayoutOptions): ConfusionLayout {
  const {labels, title, normalize, cellSize: cell} = options;
  const n = matrix.length;
  const values = normalizeMatrix(matrix, normalize);
  const max = Math.max(0, ...values.flat());
  const longest = (Math.max(...labels.map((l) => l.length)) || 1) * CHAR * TICK;
  const turned = longest > cell - 4;
  const columnDrop = turned ? longest * Math.SQRT1_2 + TICK : TICK + 4;

  const yTitleX = MARGIN + AXIS;
  const left = Math.max(yTitleX + 8 + longest + 6, turned ? longest * Math.SQRT1_2 - cell / 2 + MARGIN : 0);
  const top = MARGIN + TITLE + 10;
  const size = n * cell;
  const bottom = top + size;
  const xTitleY = bottom + 6 + columnDrop + AXIS + 4;
  const width = left + size + MARGIN;
  const height = xTitleY + MARGIN;

  const textSize = Math.min(13, cell * 0.36);
  const writeValue = (v: number) => (textSize < 6.5 ? '' : normalize === null ? formatCount(v) : v.toFixed(2));
  const mark = (x: number, y: number, text: string, anchor: TextMark['anchor'], fontSize: number, rotate = 0, bold = false): TextMark => ({
    x,
    y,
    text,
    anchor,
    size: fontSize,
    rotate,
    bold,
  });

  const cells: ConfusionCell[] = [];
  values.forEach((row, i) =>
    row.forEach((v, j) => {
      const fill = sequentialColour(max > 0 ? v / max : 0);
      cells.push({
        row: i,
        col: j,
        x: left + j * cell,
        y: top + i * cell,
        size: cell,
        value: v,
        text: writeValue(v),
        fill,
        textFill: textColourOn(fill),
        textSize,
      });
    }),
  );
  return {
    width: Math.ceil(width),
    height: Math.ceil(height),
    title: mark(left + size / 2, MARGIN + TITLE, title, 'middle', TITLE, 0, true),
    xTitle: mark(left + size / 2, xTitleY, 'Predicted label', 'middle', AXIS),
    yTitle: mark(yTitleX, top + size / 2, 'True label', 'middle', AXIS, -90),
    columnLabels: labels.map((l, j) =>
      turned
        ? mark(left + (j + 0.5) * cell, bottom + 6, l, 'end', TICK, -45)
        : mark(left + (j + 0.5) * cell, bottom + 4 + TICK, l, 'middle', TICK),
    ),
    rowLabels: labels.map((l, i) => mark(left - 6, top + (i + 0.5) * cell + TICK * 0.35, l, 'end', TICK)),
    cells,
    description: describeConfusion(matrix, options),
  };
}
