import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, checkBoolean, checkOptions, describe, optionKeys} from '@trellis/core';

/** Options of {@link crosstab}. */
export type CrosstabOptions = {
  /** One name per class, for the row and column headers; default the class ids `0`, `1`, …. */
  readonly labels?: readonly string[];
  /** Whether to add an `All` column and row of totals (pandas' `margins=True`); default true. */
  readonly totals?: boolean;
  /** The title of the rows (true classes); default `'Actual'`. */
  readonly rowName?: string;
  /** The title of the columns (predicted classes); default `'Predicted'`. */
  readonly colName?: string;
};

const KEYS = optionKeys<CrosstabOptions>({labels: true, totals: true, rowName: true, colName: true});

/**
 * Formats a cell: an integer without decimals, anything else with at most
 * four decimals (trailing zeros dropped).
 */
function formatCell(v: number): string {
  if (Number.isInteger(v)) return String(v);
  if (!Number.isFinite(v)) return String(v);
  const s = v.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

function readMatrix(matrix: tf.Tensor | readonly (readonly number[])[]): number[][] {
  if (matrix instanceof tf.Tensor) {
    if (matrix.isDisposed) throw new ConfigError('crosstab: the matrix tensor was disposed. Keep it alive until crosstab returns.');
    if (matrix.rank !== 2) throw new ShapeError(`crosstab: expected a matrix [classes, classes]; got ${describe(matrix)}.`);
    const [rows, cols] = matrix.shape as [number, number];
    const data = matrix.dataSync();
    return Array.from({length: rows}, (_, i) => Array.from(data.subarray(i * cols, (i + 1) * cols)));
  }
  if (!Array.isArray(matrix) || !matrix.every((row) => Array.isArray(row) && row.every((v) => typeof v === 'number'))) {
    throw new ConfigError(`crosstab: expected a matrix as a tensor or number[][] (rows of numbers); got ${describe(matrix)}.`);
  }
  return matrix.map((row) => [...row]);
}

/**
 * A confusion matrix as a text table laid out like pandas'
 * `pd.crosstab(y_true, y_pred, margins=True)`: a header row with the column
 * title and the predicted labels, a row with the row title, then one row per
 * true class; with `totals`, an `All` column of row sums and an `All` row of
 * column sums. Row labels are left-aligned, numbers right-aligned, columns
 * two spaces apart. Integers print without decimals, weighted counts with up
 * to four decimals.
 *
 * `matrix`: `[classes, classes]` (rows true, columns predicted), a tensor
 * (read back synchronously; not disposed: it stays the caller's) or
 * `number[][]`, such as the result of `computeMetric(confusionMatrix(…), …)`.
 *
 * @example
 * crosstab([[5, 1], [2, 7]], {labels: ['cat', 'dog']});
 * // Predicted  cat  dog  All
 * // Actual
 * // cat          5    1    6
 * // dog          2    7    9
 * // All          7    8   15
 *
 * @throws ShapeError for a matrix that is not square or not rank 2, ConfigError for labels of the wrong count, bad options or an unknown option.
 */
export function crosstab(matrix: tf.Tensor | readonly (readonly number[])[], options: CrosstabOptions = {}): string {
  const o = checkOptions('crosstab', options, KEYS) as CrosstabOptions;
  const totals = checkBoolean('crosstab', 'totals', o.totals ?? true);
  const title = (key: 'rowName' | 'colName', fallback: string): string => {
    const v = o[key] ?? fallback;
    if (typeof v !== 'string') throw new ConfigError(`crosstab: ${key} must be a string; got ${describe(v)}.`);
    return v;
  };
  const rowName = title('rowName', 'Actual');
  const colName = title('colName', 'Predicted');
  const m = readMatrix(matrix);
  const n = m.length;
  if (n === 0 || m.some((row) => row.length !== n)) {
    throw new ShapeError(
      `crosstab: expected a square matrix [classes, classes] (rows true, columns predicted); got rows of lengths [${m.map((r) => r.length).join(', ')}].`,
    );
  }
  const labels = o.labels ?? Array.from({length: n}, (_, i) => String(i));
  if (!Array.isArray(labels) || labels.length !== n || !labels.every((l) => typeof l === 'string')) {
    throw new ConfigError(`crosstab: labels must be ${n} strings, one per class; got ${describe(labels)}.`);
  }
  const header = [...labels];
  const body = m.map((row) => [...row]);
  const rowLabels = [...labels];
  if (totals) {
    header.push('All');
    for (const row of body) row.push(row.reduce((a, b) => a + b, 0));
    body.push(Array.from({length: n + 1}, (_, j) => body.reduce((a, row) => a + row[j]!, 0)));
    rowLabels.push('All');
  }
  const cells = body.map((row) => row.map(formatCell));
  const indexWidth = Math.max(colName.length, rowName.length, ...rowLabels.map((l) => l.length));
  const widths = header.map((h, j) => Math.max(h.length, ...cells.map((row) => row[j]!.length)));
  const lines = [
    [colName.padEnd(indexWidth), ...header.map((h, j) => h.padStart(widths[j]!))].join('  '),
    [rowName.padEnd(indexWidth), ...header.map((_, j) => ''.padStart(widths[j]!))].join('  '),
    ...cells.map((row, i) => [rowLabels[i]!.padEnd(indexWidth), ...row.map((c, j) => c.padStart(widths[j]!))].join('  ')),
  ];
  return lines.join('\n');
}
