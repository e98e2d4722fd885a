import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, ShapeError, UnknownIdError, withSpec} from '@trellis/core';
import {catchError, expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {activationNames, activationToName, activations, getActivation, type Activation} from './index';
import {closeness, uniform} from '../test/testing';

const ROWS = 16;
const COLS = 7;

type Reference = {
  /** f(x) row by row, in float64. */
  value(x: number[], cols: number): number[];
  /** d/dx of sum(w ⊙ f(x)), in float64. */
  grad(x: number[], w: number[], cols: number): number[];
};

const elementwise = (f: (v: number) => number, df: (v: number) => number): Reference => ({
  value: (x) => x.map(f),
  grad: (x, w) => x.map((v, i) => w[i]! * df(v)),
});

/** A reference applied to the columns of a `[rows, cols]` matrix instead of its rows. */
const alongColumns = (ref: Reference): Reference => {
  const transpose = (x: number[], cols: number) => {
    const rows = x.length / cols;
    return Array.from({length: x.length}, (_, j) => x[(j % rows) * cols + Math.floor(j / rows)]!);
  };
  return {
    value: (x, cols) => transpose(ref.value(transpose(x, cols), x.length / cols), x.length / cols),
    grad: (x, w, cols) => transpose(ref.grad(transpose(x, cols), transpose(w, cols), x.length / cols), x.length / cols),
  };
};

const sig = (v: number) => 1 / (1 + Math.exp(-v));
const sp = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));

/** erf in float64 from its everywhere-positive series, erf(x) = 2/√π e^{-x²} Σ 2ⁿ x^{2n+1} / (1·3···(2n+1)). */
function erf(x: number): number {
  const a = Math.abs(x);
  let term = a;
  let sum = a;
  for (let n = 1; n < 400 && term > 1e-17 * sum; n++) {
    term *= (2 * a * a) / (2 * n + 1);
    sum += term;
  }
  return Math.sign(x) * Math.min(1, (2 / Math.sqrt(Math.PI)) * Math.exp(-a * a) * sum);
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
const GELU_C = Math.sqrt(2 / Math.PI);

/** `f` applied to each row of `cols` values of `x` (with the same row of `w`), the results joined. */
function byRows(x: number[], w: number[], cols: number, f: (row: number[], wRow: number[]) => number[]): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.length / cols; r++) out.push(...f(x.slice(r * cols, (r + 1) * cols), w.slice(r * cols, (r + 1) * cols)));
  return out;
}

const rowSoftmax: Reference = {
  value: (x, cols) =>
    byRows(x, x, cols, (row) => {
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    }),
  grad: (x, w, cols) =>
    byRows(rowSoftmax.value(x, cols), w, cols, (s, wRow) => {
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += wRow[c]! * s[c]!;
      return s.map((v, c) => v * (wRow[c]! - dot));
    }),
};

const rowLogSoftmax: Reference = {
  value: (x, cols) =>
    byRows(x, x, cols, (row) => {
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
      return row.map((v) => v - lse);
    }),
  grad: (x, w, cols) =>
    byRows(rowSoftmax.value(x, cols), w, cols, (s, wRow) => {
      let total = 0;
      for (let c = 0; c < cols; c++) total += wRow[c]!;
      return wRow.map((v, c) => v - s[c]! * total);
    }),
};

const eluRef = (alpha: number, scale = 1) =>
  elementwise(
    (v) => scale * (v > 0 ? v : alpha * Math.expm1(v)),
    (v) => scale * (v > 0 ? 1 : alpha * Math.exp(v)),
  );

const geluTanh = (v: number) => Math.tanh(GELU_C * (v + 0.044715 * v ** 3));

type Case = {
  fn: Activation;
  ref: Reference;
  /** Inputs are uniform in [-range, range]. */
  range: number;
  /** Absolute tolerance near zero (default 1e-7). */
  atol?: number;
  /** The tfjs-layers activation with the same formula, if any. */
  tfjsLayers?: string;
};

const cases: Record<string, Case> = {
  linear: {
    fn: activations.linear,
    ref: elementwise(
      (v) => v,
      () => 1,
    ),
    range: 8,
    tfjsLayers: 'linear',
  },
  relu: {
    fn: activations.relu,
    ref: elementwise(
      (v) => Math.max(v, 0),
      (v) => (v > 0 ? 1 : 0),
    ),
    range: 8,
    tfjsLayers: 'relu',
  },
  relu6: {
    fn: activations.relu6,
    ref: elementwise(
      (v) => Math.min(Math.max(v, 0), 6),
      (v) => (v > 0 && v < 6 ? 1 : 0),
    ),
    range: 9,
    tfjsLayers: 'relu6',
  },
  leakyRelu: {
    fn: activations.leakyRelu,
    ref: elementwise(
      (v) => (v >= 0 ? v : 0.2 * v),
      (v) => (v >= 0 ? 1 : 0.2),
    ),
    range: 6,
  },
  'leakyRelu negativeSlope 0.05': {
    fn: activations.leakyRelu.with({negativeSlope: 0.05}),
    ref: elementwise(
      (v) => (v >= 0 ? v : 0.05 * v),
      (v) => (v >= 0 ? 1 : 0.05),
    ),
    range: 6,
  },
  elu: {fn: activations.elu, ref: eluRef(1), range: 6, tfjsLayers: 'elu'},
  'elu alpha 0.5': {fn: activations.elu.with({alpha: 0.5}), ref: eluRef(0.5), range: 6},
  selu: {fn: activations.selu, ref: eluRef(SELU_ALPHA, SELU_SCALE), range: 6, tfjsLayers: 'selu'},
  sigmoid: {fn: activations.sigmoid, ref: elementwise(sig, (v) => sig(v) * (1 - sig(v))), range: 4, tfjsLayers: 'sigmoid'},
  hardSigmoid: {
    fn: activations.hardSigmoid,
    ref: elementwise(
      (v) => Math.min(Math.max(v + 3, 0), 6) / 6,
      (v) => (v > -3 && v < 3 ? 1 / 6 : 0),
    ),
    range: 5,
  },
  tanh: {fn: activations.tanh, ref: elementwise(Math.tanh, (v) => 1 - Math.tanh(v) ** 2), range: 2.5, tfjsLayers: 'tanh'},
  softplus: {fn: activations.softplus, ref: elementwise(sp, sig), range: 20, tfjsLayers: 'softplus'},
  softsign: {
    fn: activations.softsign,
    ref: elementwise(
      (v) => v / (1 + Math.abs(v)),
      (v) => 1 / (1 + Math.abs(v)) ** 2,
    ),
    range: 6,
    tfjsLayers: 'softsign',
  },
  swish: {
    fn: activations.swish,
    ref: elementwise(
      (v) => v * sig(v),
      (v) => sig(v) + v * sig(v) * (1 - sig(v)),
    ),
    range: 6,
    tfjsLayers: 'swish',
  },
  mish: {
    fn: activations.mish,
    ref: elementwise(
      (v) => v * Math.tanh(sp(v)),
      (v) => Math.tanh(sp(v)) + v * (1 - Math.tanh(sp(v)) ** 2) * sig(v),
    ),
    range: 6,
    tfjsLayers: 'mish',
  },
  // tfjs' Erf kernel is a polynomial approximation with absolute error below 1.5e-7: hence atol.
  gelu: {
    fn: activations.gelu,
    ref: elementwise(
      (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
      (v) => 0.5 * (1 + erf(v / Math.SQRT2)) + (v * Math.exp(-0.5 * v * v)) / Math.sqrt(2 * Math.PI),
    ),
    range: 5,
    atol: 1e-6,
    tfjsLayers: 'gelu',
  },
  'gelu approximate': {
    fn: activations.gelu.with({approximate: true}),
    ref: elementwise(
      (v) => 0.5 * v * (1 + geluTanh(v)),
      (v) => 0.5 * (1 + geluTanh(v)) + 0.5 * v * (1 - geluTanh(v) ** 2) * GELU_C * (1 + 3 * 0.044715 * v * v),
    ),
    range: 5,
    // 1 + tanh(u) cancels in float32 for very negative x, as in Keras: hence atol.
    atol: 1e-6,
    tfjsLayers: 'gelu_new',
  },
  softmax: {fn: activations.softmax, ref: rowSoftmax, range: 8, tfjsLayers: 'softmax'},
  'softmax axis 0': {fn: activations.softmax.with({axis: 0}), ref: alongColumns(rowSoftmax), range: 8},
  logSoftmax: {fn: activations.logSoftmax, ref: rowLogSoftmax, range: 8, tfjsLayers: 'logSoftmax'},
  'logSoftmax axis -2': {fn: activations.logSoftmax.with({axis: -2}), ref: alongColumns(rowLogSoftmax), range: 8},
};

describe('activations', () => {
  Object.entries(cases).forEach(([label, {fn, ref, range, atol = 1e-7, tfjsLayers}], index) => {
    describe(label, () => {
      const random = randomGenerator(101 * (index + 1));
      const xs = uniform(random, ROWS * COLS, -range, range);
      const ws = uniform(random, ROWS * COLS, -1, 1);

      it('matches a float64 reference in value and gradient', () => {
        const x = tf.tensor2d(xs, [ROWS, COLS]);
        const w = tf.tensor2d(ws, [ROWS, COLS]);
        const y = fn(x);
        const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(w, fn(v))))(x);
        expect(y.shape).toEqual([ROWS, COLS]);
        expect(y.dtype).toBe('float32');
        expect(closeness(y.dataSync(), ref.value(xs, COLS), 1e-5, atol)).toBeLessThanOrEqual(1);
        expect(closeness(g.dataSync(), ref.grad(xs, ws, COLS), 1e-5, atol)).toBeLessThanOrEqual(1);
        tf.dispose([x, w, y, g]);
      });

      if (tfjsLayers) {
        it(`matches tfjs-layers' '${tfjsLayers}' (value and gradient)`, () => {
          const x = tf.tensor2d(xs, [ROWS, COLS]);
          const w = tf.tensor2d(ws, [ROWS, COLS]);
          const oracle = tfl.layers.activation({activation: tfjsLayers as 'relu'});
          const run = (f: (v: tf.Tensor) => tf.Tensor) => {
            const y = f(x);
            const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(w, f(v))))(x);
            return [y.dataSync(), g.dataSync(), tf.dispose([y, g])] as const;
          };
          const [y, g] = run(fn);
          const [yo, go] = run((v) => oracle.apply(v) as tf.Tensor);
          expect(closeness(y, yo, 1e-6, atol)).toBeLessThanOrEqual(1);
          expect(closeness(g, go, 1e-6, atol)).toBeLessThanOrEqual(1);
          tf.dispose([x, w]);
        });
      }

      it('leaks no tensors and does not dispose its input', async () => {
        const x = tf.tensor2d(xs, [ROWS, COLS]);
        await expectNoTensorLeaks(() => {
          tf.dispose(fn(x));
          tf.dispose(tf.grad((v: tf.Tensor) => tf.sum(fn(v)))(x));
        });
        expect(x.isDisposed).toBe(false);
        x.dispose();
      });
    });
  });

  it('every name has a case', () => {
    for (const name of activationNames) expect(Object.keys(cases).includes(name) || name === 'silu').toBe(true);
  });

  it('softmax is stable for large logits and normalizes the last axis of rank-3 input', () => {
    const x = tf.tensor3d([1000, 1001, 1002, -1000, 0, 1000], [1, 2, 3]);
    const y = activations.softmax(x);
    const v = y.dataSync();
    expect(Array.from(v).every(Number.isFinite)).toBe(true);
    expect(v[0]! + v[1]! + v[2]!).toBeCloseTo(1, 6);
    expect(v[5]).toBeCloseTo(1, 6);
    tf.dispose([x, y]);
    const s = tf.scalar(1);
    expect(() => activations.softmax(s)).toThrow(ShapeError);
    expect(() => activations.logSoftmax(s)).toThrow(ShapeError);
    s.dispose();
  });

  it('softmax and logSoftmax along a middle axis of rank-3 input', () => {
    const x = tf.tensor3d(uniform(randomGenerator(5), 24, -4, 4), [2, 3, 4]);
    const expected = tf.transpose(tf.softmax(tf.transpose(x, [0, 2, 1])), [0, 2, 1]);
    const y = activations.softmax.with({axis: 1})(x);
    expect(closeness(y.dataSync(), expected.dataSync(), 1e-6, 1e-8)).toBeLessThanOrEqual(1);
    const logY = activations.logSoftmax.with({axis: -2})(x);
    expect(closeness(logY.dataSync(), Array.from(expected.dataSync(), Math.log), 1e-5, 1e-7)).toBeLessThanOrEqual(1);
    expect(() => activations.softmax.with({axis: 3})(x)).toThrow(ShapeError);
    expect(catchError(() => activations.logSoftmax.with({axis: -4})(x)).message).toContain('[-3, 2]');
    tf.dispose([x, expected, y, logY]);
  });

  it('logSoftmax stays finite where log(softmax) underflows', () => {
    const x = tf.tensor2d([0, 200, -200], [1, 3]);
    const y = activations.logSoftmax(x);
    expect(Array.from(y.dataSync())).toEqual([-200, 0, -400]);
    tf.dispose([x, y]);
  });

  it('softplus neither overflows nor underflows', () => {
    const x = tf.tensor1d([-200, -30, 30, 200]);
    const y = activations.softplus(x);
    const g = tf.grad((v: tf.Tensor) => tf.sum(activations.softplus(v)))(x);
    expect(closeness(y.dataSync(), [0, Math.exp(-30), 30, 200], 1e-6, 0)).toBeLessThanOrEqual(1);
    expect(closeness(g.dataSync(), [0, sig(-30), 1, 1], 1e-6, 0)).toBeLessThanOrEqual(1);
    tf.dispose([x, y, g]);
  });

  it('linear returns a separately disposable tensor', () => {
    const x = tf.tensor1d([1, -2]);
    const y = activations.linear(x);
    expect(y).not.toBe(x);
    y.dispose();
    expect(Array.from(x.dataSync())).toEqual([1, -2]);
    x.dispose();
  });

  it('silu is swish', () => {
    expect(activations.silu).toBe(activations.swish);
    expect(getActivation('silu')).toBe(activations.swish);
    expect(activationToName(activations.silu)).toBe('swish');
  });
});

describe('activation specs', () => {
  const defaults: Record<string, object> = {
    elu: {alpha: 1},
    gelu: {approximate: false},
    leakyRelu: {negativeSlope: 0.2},
    logSoftmax: {axis: -1},
    softmax: {axis: -1},
  };

  it.each(activationNames.filter((n) => n !== 'silu'))('%s carries its spec and name', (name) => {
    const fn = getActivation(name);
    expect(fn.spec).toEqual({id: `trellis/${name}`, config: defaults[name] ?? {}});
    expect(getActivation(`trellis/${name}`)).toBe(fn);
    expect(getActivation({id: `trellis/${name}`, config: fn.spec.config})).toBe(fn);
    expect(activationToName(fn)).toBe(name);
    expect(JSON.parse(JSON.stringify(fn.spec))).toEqual(fn.spec);
  });

  it('configured activations keep their options in the spec and round-trip', () => {
    for (const fn of [
      activations.leakyRelu.with({negativeSlope: 0.05}),
      activations.elu.with({alpha: 0.5}),
      activations.gelu.with({approximate: true}),
      activations.softmax.with({axis: 1}),
      activations.logSoftmax.with({axis: 0}),
    ]) {
      const stored = activationToName(fn);
      expect(stored).toEqual(fn.spec);
      const copy = getActivation(JSON.parse(JSON.stringify(stored)));
      expect(copy.spec).toEqual(fn.spec);
      expect(copy).not.toBe(fn);
    }
    expect(activations.gelu.with({approximate: true}).spec).toEqual({id: 'trellis/gelu', config: {approximate: true}});
    // `with` keeps the options it is not given, and default options give the default name.
    expect(activations.gelu.with({approximate: true}).with({}).spec.config).toEqual({approximate: true});
    expect(activationToName(activations.leakyRelu.with({negativeSlope: 0.2}))).toBe('leakyRelu');
    expect(getActivation({id: 'trellis/leakyRelu', config: {}})).toBe(activations.leakyRelu);
  });

  it('rejects bad options with ConfigError naming the activation', () => {
    expect(catchError(() => activations.leakyRelu.with({negativeSlope: 'a' as never})).message).toBe(
      "leakyRelu: negativeSlope must be a finite number; got 'a' (string).",
    );
    expect(() => activations.elu.with({alpha: Number.NaN})).toThrow(ConfigError);
    expect(() => activations.gelu.with({approximate: 1 as never})).toThrow(ConfigError);
    expect(() => activations.softmax.with({axis: 0.5})).toThrow(ConfigError);
    expect(catchError(() => activations.softmax.with({dim: 1} as never)).message).toContain(
      "softmax.with does not know the option 'dim'; it takes 'axis'",
    );
    expect(() => activations.elu.with(null as never)).toThrow(ConfigError);
    expect(() => getActivation({id: 'trellis/relu', config: {maxValue: 6}} as never)).toThrow(ConfigError);
    expect(() => getActivation({id: 'trellis/leakyRelu', config: [] as never})).toThrow(ConfigError);
    expect(() => getActivation({id: 'trellis/sparsemax', config: {}})).toThrow(UnknownIdError);
  });
});

describe('getActivation', () => {
  it('maps null and undefined to linear', () => {
    expect(getActivation(null)).toBe(activations.linear);
    expect(getActivation(undefined)).toBe(activations.linear);
  });

  it('lists the known names for an unknown one', () => {
    expect(activationNames).toEqual([
      'elu',
      'gelu',
      'hardSigmoid',
      'leakyRelu',
      'linear',
      'logSoftmax',
      'mish',
      'relu',
      'relu6',
      'selu',
      'sigmoid',
      'silu',
      'softmax',
      'softplus',
      'softsign',
      'swish',
      'tanh',
    ]);
    const error = catchError(() => getActivation('sparsemax'));
    expect(UnknownIdError.is(error)).toBe(true);
    expect(error.message).toContain("'sparsemax'");
    expect(error.message).toContain('relu, relu6, selu, sigmoid');
  });

  it("accepts Keras' snake_case names", () => {
    expect(getActivation('leaky_relu')).toBe(activations.leakyRelu);
    expect(getActivation('hard_sigmoid')).toBe(activations.hardSigmoid);
    expect(getActivation('log_softmax')).toBe(activations.logSoftmax);
  });

  it('accepts activations with a spec and rejects bare functions and other values', () => {
    const custom = withSpec({id: 'acme/swish', config: {}}, (x: tf.Tensor) => tf.mul(x, tf.sigmoid(x)));
    expect(getActivation(custom)).toBe(custom);
    expect(activationToName(custom)).toBe('acme/swish');
    expect(() => getActivation(((x: tf.Tensor) => x) as never)).toThrow(ConfigError);
    expect(() => getActivation(42 as never)).toThrow(ConfigError);
    expect(() => getActivation('toString')).toThrow(UnknownIdError);
  });
});
