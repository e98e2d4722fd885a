import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError} from '@trellis/core';
import {catchError} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {crosstab} from './crosstab';

beforeAll(() => tf.setBackend('cpu'));

describe('crosstab', () => {
  it('lays out a matrix like pd.crosstab(y_true, y_pred, margins=True)', () => {
    expect(
      crosstab(
        [
          [5, 1],
          [2, 7],
        ],
        {labels: ['cat', 'dog']},
      ),
    ).toBe(
      [
        'Predicted  cat  dog  All',
        'Actual                  ',
        'cat          5    1    6',
        'dog          2    7    9',
        'All          7    8   15',
      ].join('\n'),
    );
  });

  it('reads a tensor without disposing it, numbers classes by default, and drops totals on request', () => {
    const m = tf.tensor2d([
      [10, 0, 1],
      [0, 12, 0],
      [3, 0, 100],
    ]);
    expect(crosstab(m, {totals: false, rowName: 'true', colName: 'pred'})).toBe(
      ['pred   0   1    2', 'true             ', '0     10   0    1', '1      0  12    0', '2      3   0  100'].join('\n'),
    );
    expect(m.isDisposed).toBe(false);
    m.dispose();
  });

  it('prints weighted counts with up to four decimals', () => {
    const text = crosstab([
      [1.5, 0.25],
      [1 / 3, 2],
    ]);
    expect(text.split('\n').slice(2)).toEqual([
      '0             1.5  0.25    1.75',
      '1          0.3333     2  2.3333',
      'All        1.8333  2.25  4.0833',
    ]);
  });

  it('refuses non-square matrices (ShapeError), wrong label counts and unknown options (ConfigError)', () => {
    expect(ShapeError.is(catchError(() => crosstab([[1, 2]])))).toBe(true);
    expect(ConfigError.is(catchError(() => crosstab([[1]], {labels: ['a', 'b']})))).toBe(true);
    expect(catchError(() => crosstab([[1]], {total: false} as never)).message).toMatch(/did you mean 'totals'/);
    expect(ConfigError.is(catchError(() => crosstab('x' as never)))).toBe(true);
  });
});
