// The text descriptions of the line charts.
import {describe, expect, it} from 'vitest';
import {describeGradientCurves, describeLossCurve, formatNumber} from './describe-chart';

describe('formatNumber', () => {
  it('keeps 4 significant digits, exponent form for tiny and huge values', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(12.5)).toBe('12.5');
    expect(formatNumber(-3)).toBe('-3');
    expect(formatNumber(0.00001234)).toBe('1.23e-5');
    expect(formatNumber(0.00002)).toBe('2e-5');
    expect(formatNumber(123456)).toBe('1.23e+5');
    expect(formatNumber(Number.NaN)).toBe('NaN');
  });
});

describe('describeLossCurve', () => {
  it('gives each curve’s first, last, lowest and highest values with their epochs', () => {
    const text = describeLossCurve({
      metric: 'loss',
      x: [0.5, 1, 1.5, 2],
      training: [0.9, 0.7, 0.5, 0.55],
      validation: [null, 0.8, null, 0.6],
    });
    expect(text).toBe(
      'loss by epoch, 4 points up to epoch 2. ' +
        'Training: from 0.9 to 0.55; lowest 0.5 at epoch 1.5, highest 0.9 at epoch 0.5. ' +
        'Validation: from 0.8 to 0.6; lowest 0.6 at epoch 2, highest 0.8 at epoch 1.',
    );
  });

  it('leaves out a curve without points, and says when there is nothing yet', () => {
    expect(describeLossCurve({metric: 'accuracy', x: [1], training: [0.5], validation: [null]})).toBe(
      'accuracy by epoch, 1 point up to epoch 1. Training: from 0.5 to 0.5; lowest 0.5 at epoch 1, highest 0.5 at epoch 1.',
    );
    expect(describeLossCurve({metric: 'loss', x: [], training: [], validation: []})).toBe('loss by epoch: no points yet.');
  });
});

describe('describeGradientCurves', () => {
  it('gives every layer’s value at the last step and the first layer over the last', () => {
    const text = describeGradientCurves(
      {
        x: [0, 10],
        layers: [
          {layer: 'dense', values: [0.5, 0.002]},
          {layer: 'dense_1', values: [1, null]},
          {layer: 'dense_2', values: [1, 4]},
        ],
      },
      'gradNorm',
    );
    expect(text).toBe(
      'Gradient norm per layer, 3 layers, 2 inspected steps up to step 10. At step 10: dense 0.002, dense_1 no value, dense_2 4. First layer over last layer: 5e-4.',
    );
  });

  it('says when there are no steps yet', () => {
    expect(describeGradientCurves({x: [], layers: []}, 'updateRatio')).toBe('Update/weight ratio per layer: no steps yet.');
  });
});
