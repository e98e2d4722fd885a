// The confusion-matrix heat map without a DOM: input checks, scikit-learn's normalization,
// the grid's geometry, colours, cell text and the description.
import {describe, expect, it} from 'vitest';
import {contrastRatio} from './colour-scale';
import {checkMatrix, confusionLayout, describeConfusion, normalizeMatrix, type ConfusionLayoutOptions} from './confusion-layout';

const options = (o: Partial<ConfusionLayoutOptions> = {}): ConfusionLayoutOptions => ({
  labels: ['cat', 'dog'],
  title: 'Pets',
  normalize: null,
  cellSize: 36,
  ...o,
});

describe('checkMatrix', () => {
  it('takes square rows of counts and copies them', () => {
    const m = [
      [1, 2],
      [3, 4],
    ];
    const checked = checkMatrix('t', m);
    expect(checked).toEqual(m);
    expect(checked[0]).not.toBe(m[0]);
  });

  it('refuses a tensor, pointing to array() and computeMetric', () => {
    const tensorLike = {shape: [2, 2], dtype: 'float32', dataId: {}};
    expect(() => checkMatrix('t', tensorLike)).toThrow(
      expect.objectContaining({name: 'ConfigError', message: expect.stringMatching(/await matrix\.array\(\)/)}),
    );
  });

  it('refuses what is not rows of numbers, a matrix that is not square, and bad counts', () => {
    expect(() => checkMatrix('t', [[1, '2']])).toThrow(expect.objectContaining({name: 'ConfigError'}));
    expect(() => checkMatrix('t', 'x')).toThrow(expect.objectContaining({name: 'ConfigError'}));
    expect(() => checkMatrix('t', [])).toThrow(expect.objectContaining({name: 'ShapeError'}));
    expect(() => checkMatrix('t', [[1, 2]])).toThrow(
      expect.objectContaining({name: 'ShapeError', message: expect.stringMatching(/\[2\]/)}),
    );
    expect(() => checkMatrix('t', [[1, 2], [3]])).toThrow(expect.objectContaining({name: 'ShapeError'}));
    expect(() =>
      checkMatrix('t', [
        [1, -2],
        [3, 4],
      ]),
    ).toThrow(expect.objectContaining({name: 'DataError', message: expect.stringMatching(/matrix\[0\]\[1\] is -2/)}));
    expect(() =>
      checkMatrix('t', [
        [1, 2],
        [Number.NaN, 4],
      ]),
    ).toThrow(expect.objectContaining({name: 'DataError'}));
  });
});

describe('normalizeMatrix (scikit-learn normalize=)', () => {
  const m = [
    [5, 1, 0],
    [2, 7, 0],
    [0, 0, 0],
  ];
  it('true: each row over its sum; a row without samples stays 0', () => {
    expect(normalizeMatrix(m, 'true')).toEqual([
      [5 / 6, 1 / 6, 0],
      [2 / 9, 7 / 9, 0],
      [0, 0, 0],
    ]);
  });
  it('pred: each column over its sum', () => {
    expect(normalizeMatrix(m, 'pred')).toEqual([
      [5 / 7, 1 / 8, 0],
      [2 / 7, 7 / 8, 0],
      [0, 0, 0],
    ]);
  });
  it('all: over the total; null: the counts', () => {
    expect(normalizeMatrix(m, 'all')).toEqual(m.map((r) => r.map((v) => v / 15)));
    expect(normalizeMatrix(m, null)).toEqual(m);
  });
});

describe('confusionLayout', () => {
  const matrix = [
    [5, 1],
    [2, 7],
  ];

  it('lays the cells out as a grid of squares, rows true classes and columns predicted ones', () => {
    const layout = confusionLayout(matrix, options());
    const [first] = layout.cells;
    expect(layout.cells.map((c) => [c.row, c.col, c.value, c.text])).toEqual([
      [0, 0, 5, '5'],
      [0, 1, 1, '1'],
      [1, 0, 2, '2'],
      [1, 1, 7, '7'],
    ]);
    for (const c of layout.cells) {
      expect(c.size).toBe(36);
      expect(c.x).toBe(first!.x + c.col * 36);
      expect(c.y).toBe(first!.y + c.row * 36);
    }
  });

  it('puts the labels beside the grid, the axis titles outside them, all inside the picture', () => {
    const layout = confusionLayout(matrix, options());
    const left = layout.cells[0]!.x;
    const top = layout.cells[0]!.y;
    const bottom = top + 72;
    expect(layout.rowLabels.map((m) => [m.text, m.anchor])).toEqual([
      ['cat', 'end'],
      ['dog', 'end'],
    ]);
    for (const m of layout.rowLabels) expect(m.x).toBeLessThan(left);
    expect(layout.rowLabels[1]!.y - layout.rowLabels[0]!.y).toBe(36);
    expect(layout.columnLabels.map((m) => m.x)).toEqual([left + 18, left + 54]);
    for (const m of layout.columnLabels) expect(m.y).toBeGreaterThan(bottom);
    expect(layout.xTitle.text).toBe('Predicted label');
    expect(layout.xTitle.y).toBeGreaterThan(layout.columnLabels[0]!.y);
    expect(layout.yTitle).toMatchObject({text: 'True label', rotate: -90});
    expect(layout.yTitle.x).toBeLessThan(Math.min(...layout.rowLabels.map((m) => m.x - 3 * 0.6 * 12)));
    expect(layout.title).toMatchObject({text: 'Pets', bold: true, x: left + 36});
    expect(layout.title.y).toBeLessThan(top);
    expect(layout.width).toBeGreaterThanOrEqual(left + 72);
    expect(layout.height).toBeGreaterThan(layout.xTitle.y);
  });

  it('turns the column labels 45° when they are wider than a cell, and makes room for them', () => {
    const long = confusionLayout(matrix, options({labels: ['a long class name', 'another long one']}));
    expect(long.columnLabels.every((m) => m.rotate === -45 && m.anchor === 'end')).toBe(true);
    const short = confusionLayout(matrix, options());
    expect(short.columnLabels.every((m) => m.rotate === 0 && m.anchor === 'middle')).toBe(true);
    expect(long.height - long.cells[0]!.y).toBeGreaterThan(short.height - short.cells[0]!.y + 40);
    // The first label, turned, reaches left by its width · cos 45° from the middle of its column: still inside.
    const first = long.columnLabels[0]!;
    expect(first.x - 'a long class name'.length * 0.6 * 12 * Math.SQRT1_2).toBeGreaterThanOrEqual(0);
  });

  it('colours by value over the largest one, with readable text', () => {
    const layout = confusionLayout(matrix, options());
    const fill = Object.fromEntries(layout.cells.map((c) => [`${c.row}${c.col}`, c.fill]));
    expect(fill['11']).toBe('#08306b');
    expect(fill['00']).not.toBe(fill['11']);
    for (const c of layout.cells) expect(contrastRatio(c.fill, c.textFill)).toBeGreaterThanOrEqual(4.5);
    const empty = confusionLayout([[0]], options({labels: ['only']}));
    expect(empty.cells[0]).toMatchObject({fill: '#f7fbff', text: '0', textFill: '#000000'});
  });

  it('writes shares with 2 decimals when normalized, weighted counts with at most 2, nothing in tiny cells', () => {
    const shares = confusionLayout(matrix, options({normalize: 'true'}));
    expect(shares.cells.map((c) => c.text)).toEqual(['0.83', '0.17', '0.22', '0.78']);
    // Coloured by the shares: the largest share (5/6, not the largest count 7) is the darkest.
    expect(shares.cells[0]!.fill).toBe('#08306b');
    expect(shares.cells[3]!.fill).not.toBe('#08306b');
    const weighted = confusionLayout(
      [
        [1.5, 0.125],
        [2, 3],
      ],
      options(),
    );
    expect(weighted.cells.map((c) => c.text)).toEqual(['1.5', '0.13', '2', '3']);
    const tiny = confusionLayout(matrix, options({cellSize: 12}));
    expect(tiny.cells.every((c) => c.text === '')).toBe(true);
  });
});

describe('describeConfusion', () => {
  it('gives the diagonal share and the largest confusion by label', () => {
    expect(
      describeConfusion(
        [
          [5, 1],
          [2, 7],
        ],
        options(),
      ),
    ).toBe(
      'Pets: 2 classes, rows true label, columns predicted label. 12 of 15 samples (80%) on the diagonal. Largest confusion: true dog predicted as cat, 2 samples.',
    );
  });

  it('says when there are no samples or no confusions, and how shares are normalized', () => {
    expect(
      describeConfusion(
        [
          [0, 0],
          [0, 0],
        ],
        options(),
      ),
    ).toMatch(/No samples\.$/);
    expect(
      describeConfusion(
        [
          [3, 0],
          [0, 4],
        ],
        options({normalize: 'pred'}),
      ),
    ).toMatch(/7 of 7 samples \(100%\) on the diagonal\. No confusions\. Cells show shares: each predicted class \(column\) sums to 1\.$/);
  });
});
