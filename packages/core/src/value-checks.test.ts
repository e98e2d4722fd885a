import {describe as suite, expect, it} from 'vitest';
import {ConfigError, describe, describeValue} from './errors';
import {checkBoolean, checkNumber, checkSeed} from './value-checks';

suite('the validation kit', () => {
  it('checkNumber returns valid numbers and names who, key, range, value and example otherwise', () => {
    expect(checkNumber('adam', 'beta1', 0.9, {min: 0, max: 1, maxExclusive: true})).toBe(0.9);
    expect(() => checkNumber('adam', 'beta1', 1, {min: 0, max: 1, maxExclusive: true})).toThrow(
      'adam: beta1 must be a finite number in [0, 1); got 1 (number).',
    );
    expect(() =>
      checkNumber('exponentialDecay', 'decaySteps', undefined, {min: 0, minExclusive: true, integer: true, example: 1000}),
    ).toThrow('exponentialDecay: decaySteps is required (an integer > 0); got undefined. For example decaySteps: 1000.');
    expect(() => checkNumber('x', 'rate', Number.NaN)).toThrow(ConfigError);
    expect(() => checkNumber('x', 'rate', '0.1')).toThrow("x: rate must be a finite number; got '0.1' (string).");
  });

  it('checkBoolean and checkSeed', () => {
    expect(checkBoolean('dense', 'useBias', false)).toBe(false);
    expect(() => checkBoolean('dense', 'useBias', 'no')).toThrow("dense: useBias must be true or false; got 'no' (string).");
    expect(checkSeed('dropout', undefined)).toBeUndefined();
    expect(checkSeed('dropout', 3)).toBe(3);
    expect(() => checkSeed('dropout', -1)).toThrow('dropout: seed must be a non-negative integer; got -1 (number).');
    expect(() => checkSeed('dropout', 1.5)).toThrow(ConfigError);
  });

  it('describeValue is the new name of describe', () => {
    expect(describe).toBe(describeValue);
    expect(describeValue([1, 2])).toBe('an array of length 2');
    // Tensor-like only with an array shape (a loader's hostile JSON must not crash the message).
    expect(describeValue({shape: null, dtype: 'float32'})).toBe('an object with keys [shape, dtype]');
  });
});
