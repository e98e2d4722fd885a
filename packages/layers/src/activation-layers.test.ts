import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, ShapeError, StateError, createRegistry, withSpec, type Layer} from '@trellis/core';
import {initializersPlugin} from '@trellis/initializers';
import {catchError, expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {activation, dense, eluLayer, gelu, layersPlugin, leakyRelu, leakyReLU, prelu, reLU, softmaxLayer, type Activation} from './index';
import {callContext, closeness, uniform} from '../test/testing';
import {contextsDisposedAfterEach} from '../test/build-contexts';

const context = contextsDisposedAfterEach('layer');

const SHAPE = [3, 5];
const BATCH = 4;
const N = BATCH * SHAPE[0]! * SHAPE[1]!;

type Elementwise = {
  make: () => Layer;
  f: (v: number) => number;
  df: (v: number) => number;
  range: number;
};

/** The leaky form: `v` for `v ≥ 0`, `slope · v` otherwise. */
const leaky = (make: () => Layer, slope: number): Elementwise => ({
  make,
  f: (v) => (v >= 0 ? v : slope * v),
  df: (v) => (v >= 0 ? 1 : slope),
  range: 4,
});

/** The ELU form: `v` for `v > 0`, `alpha · (exp(v) − 1)` otherwise. */
const eluForm = (make: () => Layer, alpha: number): Elementwise => ({
  make,
  f: (v) => (v > 0 ? v : alpha * Math.expm1(v)),
  df: (v) => (v > 0 ? 1 : alpha * Math.exp(v)),
  range: 4,
});

/** The ReLU capped at `max`, on [-range, range]. */
const capped = (make: () => Layer, max: number, range: number): Elementwise => ({
  make,
  f: (v) => Math.min(Math.max(v, 0), max),
  df: (v) => (v > 0 && v < max ? 1 : 0),
  range,
});

const elementwiseCases: Record<string, Elementwise> = {
  'leakyReLU (default slope 0.3)': leaky(() => leakyReLU(), 0.3),
  'leakyReLU slope 0.1': leaky(() => leakyReLU({negativeSlope: 0.1}), 0.1),
  'eluLayer (default alpha 1)': eluForm(() => eluLayer(), 1),
  'eluLayer alpha 0.7': eluForm(() => eluLayer({alpha: 0.7}), 0.7),
  'reLU (defaults)': {make: () => reLU(), f: (v) => Math.max(v, 0), df: (v) => (v > 0 ? 1 : 0), range: 4},
  'reLU maxValue 6': capped(() => reLU({maxValue: 6}), 6, 9),
  'reLU maxValue 2.5': capped(() => reLU({maxValue: 2.5}), 2.5, 4),
  'reLU negativeSlope 0.2': leaky(() => reLU({negativeSlope: 0.2}), 0.2),
  'reLU threshold 1, negativeSlope 0.1, maxValue 3': {
    make: () => reLU({threshold: 1, negativeSlope: 0.1, maxValue: 3}),
    f: (v) => (v > 1 ? Math.min(v, 3) : 0.1 * (v - 1)),
    df: (v) => (v > 1 ? (v < 3 ? 1 : 0) : 0.1),
    range: 5,
  },
  'reLU threshold 0.5': {make: () => reLU({threshold: 0.5}), f: (v) => (v > 0.5 ? v : 0), df: (v) => (v > 0.5 ? 1 : 0), range: 4},
};

function gradientOf(layer: Layer, x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(w, layer.call(v, callContext(true)))))(x);
}

/** Checks that `layer` and the tfjs-layers `oracle` agree on `x`, in value and in the gradient of `sum(w · y)`. */
function expectLikeOracle(layer: Layer, oracle: {apply(x: tf.Tensor): unknown}, x: tf.Tensor, w: tf.Tensor): void {
  const y = layer.call(x, callContext(false));
  const yo = oracle.apply(x) as tf.Tensor;
  const g = gradientOf(layer, x, w);
  const go = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(w, oracle.apply(v) as tf.Tensor)))(x);
  expect(closeness(y.dataSync(), yo.dataSync(), 1e-6, 1e-8)).toBeLessThanOrEqual(1);
  expect(closeness(g.dataSync(), go.dataSync(), 1e-6, 1e-8)).toBeLessThanOrEqual(1);
  tf.dispose([y, yo, g, go]);
}

describe('weightless activation layers', () => {
  Object.entries(elementwiseCases).forEach(([title, {make, f, df, range}], i) => {
    it(`${title}: matches a float64 reference in value and gradient`, () => {
      const random = randomGenerator(300 + i);
      const xs = uniform(random, N, -range, range);
      const ws = uniform(random, N, -1, 1);
      const layer = make();
      expect(layer.build(SHAPE, context('a'))).toEqual(SHAPE);
      const x = tf.tensor(xs, [BATCH, ...SHAPE]);
      const w = tf.tensor(ws, [BATCH, ...SHAPE]);
      const y = layer.call(x, callContext(false));
      const g = gradientOf(layer, x, w);
      expect(y.shape).toEqual([BATCH, ...SHAPE]);
      expect(y.dtype).toBe('float32');
      expect(closeness(y.dataSync(), xs.map(f), 1e-6, 1e-7)).toBeLessThanOrEqual(1);
      expect(
        closeness(
          g.dataSync(),
          xs.map((v, j) => ws[j]! * df(v)),
          1e-6,
          1e-7,
        ),
      ).toBeLessThanOrEqual(1);
      tf.dispose([x, w, y, g]);
    });
  });

  it('softmaxLayer along one axis and along several axes matches a float64 reference', () => {
    const xs = uniform(randomGenerator(400), N, -5, 5);
    const x = tf.tensor(xs, [BATCH, ...SHAPE]);
    const at = (b: number, r: number, c: number) => xs[(b * SHAPE[0]! + r) * SHAPE[1]! + c]!;
    const expected = (groupOf: (b: number, r: number, c: number) => string) => {
      const sums = new Map<string, number>();
      const max = Math.max(...xs);
      for (let b = 0; b < BATCH; b++)
        for (let r = 0; r < SHAPE[0]!; r++)
          for (let c = 0; c < SHAPE[1]!; c++) {
            const k = groupOf(b, r, c);
            sums.set(k, (sums.get(k) ?? 0) + Math.exp(at(b, r, c) - max));
          }
      const out: number[] = [];
      for (let b = 0; b < BATCH; b++)
        for (let r = 0; r < SHAPE[0]!; r++)
          for (let c = 0; c < SHAPE[1]!; c++) out.push(Math.exp(at(b, r, c) - max) / sums.get(groupOf(b, r, c))!);
      return out;
    };
    for (const [axis, groupOf] of [
      [-1, (b: number, r: number) => `${b},${r}`],
      [1, (b: number, _r: number, c: number) => `${b},${c}`],
      [[1, 2], (b: number) => `${b}`],
    ] as const) {
      const layer = softmaxLayer({axis: axis as number | number[]});
      layer.build(SHAPE, context('s'));
      const y = layer.call(x, callContext(false));
      expect(closeness(y.dataSync(), expected(groupOf), 1e-5, 1e-8)).toBeLessThanOrEqual(1);
      y.dispose();
    }
    x.dispose();
  });

  for (const [title, ours, theirs] of [
    ['leakyReLU', () => leakyReLU({negativeSlope: 0.25}), () => tfl.layers.leakyReLU({alpha: 0.25})],
    ['eluLayer', () => eluLayer(), () => tfl.layers.elu()],
    ['reLU', () => reLU({maxValue: 1.5}), () => tfl.layers.reLU({maxValue: 1.5})],
    ['softmaxLayer', () => softmaxLayer(), () => tfl.layers.softmax({axis: -1})],
  ] as const) {
    it(`${title} matches tfjs-layers (value and gradient)`, () => {
      const random = randomGenerator(title.length);
      const x = tf.tensor(uniform(random, N, -3, 3), [BATCH, ...SHAPE]);
      const w = tf.tensor(uniform(random, N, -1, 1), [BATCH, ...SHAPE]);
      const layer = ours();
      layer.build(SHAPE, context('t'));
      expectLikeOracle(layer, theirs(), x, w);
      tf.dispose([x, w]);
    });
  }

  it('rejects bad options with ConfigError and bad shapes with ShapeError', () => {
    expect(catchError(() => leakyReLU({negativeSlope: -0.1})).message).toBe(
      'leakyRelu: negativeSlope must be a finite number ≥ 0; got -0.1 (number).',
    );
    expect(() => leakyReLU(null as never)).toThrow(ConfigError);
    expect(() => eluLayer({alpha: 'big' as never})).toThrow(ConfigError);
    expect(() => reLU({maxValue: -1})).toThrow(ConfigError);
    expect(() => reLU({threshold: Number.NaN})).toThrow(ConfigError);
    expect(catchError(() => reLU({negativeSlope: -1})).message).toContain('relu: negativeSlope must be a finite number ≥ 0');
    expect(() => softmaxLayer({axis: 1.5})).toThrow(ConfigError);
    expect(() => softmaxLayer({axis: []})).toThrow(ConfigError);
    expect(() => softmaxLayer({name: 'a/b'})).toThrow(ConfigError);
    const wide = softmaxLayer({axis: 3, name: 'probs'});
    expect(catchError(() => wide.build(SHAPE, context('s'))).message).toContain("softmax layer 'probs' normalizes along axis 3");
    expect(() => softmaxLayer({axis: [1, -2]}).build(SHAPE, context('s'))).toThrow(ShapeError);
    const layer = reLU();
    const x = tf.zeros([2, 4]);
    expect(() => layer.call(x, callContext(false))).toThrow(StateError);
    layer.build([3], context('r'));
    expect(() => layer.call(x, callContext(false))).toThrow(ShapeError);
    x.dispose();
  });

  it('casts int32 inputs and leaks no tensors', async () => {
    for (const make of [
      () => leakyReLU(),
      () => eluLayer({alpha: 2}),
      () => reLU({threshold: 1, negativeSlope: 0.5, maxValue: 4}),
      () => softmaxLayer({axis: [1, 2]}),
    ]) {
      const layer = make();
      layer.build([2, 3], context('l'));
      const x = tf.tensor3d([-3, -1, 0, 1, 2, 5], [1, 2, 3], 'int32');
      await expectNoTensorLeaks(() => {
        const y = layer.call(x, callContext(false));
        expect(y.dtype).toBe('float32');
        y.dispose();
        tf.dispose(tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(layer.call(v, callContext(true))))(tf.cast(x, 'float32'))));
      });
      expect(x.isDisposed).toBe(false);
      x.dispose();
    }
  });
});

describe('prelu', () => {
  const random = randomGenerator(77);
  const xs = uniform(random, N, -3, 3);
  const ws = uniform(random, N, -1, 1);

  for (const [sharedAxes, alphaShape] of [
    [null, [3, 5]],
    [[1], [1, 5]],
    [[2], [3, 1]],
    [
      [1, 2],
      [1, 1],
    ],
  ] as const) {
    it(`matches a float64 reference in value, input and alpha gradient (sharedAxes ${JSON.stringify(sharedAxes)})`, () => {
      const layer = prelu({sharedAxes: sharedAxes as number[] | null, name: 'p'});
      const c = context('p');
      expect(layer.build(SHAPE, c)).toEqual(SHAPE);
      expect(c.requests.map((r) => [r.name, r.shape, r.trainable, r.initializer.spec.id])).toEqual([
        ['alpha', alphaShape, true, 'trellis/zeros'],
      ]);
      expect(Array.from(layer.alpha!.dataSync()).every((v) => v === 0)).toBe(true);
      const alphaSize = alphaShape[0] * alphaShape[1];
      const alphas = uniform(randomGenerator(alphaSize), alphaSize, -0.5, 0.5);
      layer.alpha!.assign(tf.tensor(alphas, [...alphaShape]));
      const alphaAt = (j: number) => {
        const r = Math.floor(j / SHAPE[1]!) % SHAPE[0]!;
        const col = j % SHAPE[1]!;
        return alphas[(alphaShape[0] === 1 ? 0 : r) * alphaShape[1] + (alphaShape[1] === 1 ? 0 : col)]!;
      };
      const x = tf.tensor(xs, [BATCH, ...SHAPE]);
      const w = tf.tensor(ws, [BATCH, ...SHAPE]);
      const objective = (v: tf.Tensor) => tf.sum(tf.mul(w, layer.call(v, callContext(true)))) as tf.Scalar;
      const y = layer.call(x, callContext(false));
      const dx = tf.grad(objective)(x);
      const {grads} = tf.variableGrads(() => objective(x), [layer.alpha!]);

      const dAlpha = new Array<number>(alphaSize).fill(0);
      xs.forEach((v, j) => {
        if (v < 0) {
          const r = Math.floor(j / SHAPE[1]!) % SHAPE[0]!;
          const col = j % SHAPE[1]!;
          dAlpha[(alphaShape[0] === 1 ? 0 : r) * alphaShape[1] + (alphaShape[1] === 1 ? 0 : col)]! += ws[j]! * v;
        }
      });
      expect(
        closeness(
          y.dataSync(),
          xs.map((v, j) => (v >= 0 ? v : alphaAt(j) * v)),
          1e-6,
          1e-7,
        ),
      ).toBeLessThanOrEqual(1);
      expect(
        closeness(
          dx.dataSync(),
          xs.map((v, j) => ws[j]! * (v >= 0 ? 1 : alphaAt(j))),
          1e-6,
          1e-7,
        ),
      ).toBeLessThanOrEqual(1);
      expect(closeness(grads[layer.alpha!.name]!.dataSync(), dAlpha, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
      tf.dispose([x, w, y, dx, ...Object.values(grads)]);
    });
  }

  it('matches tfjs-layers with the same alpha (value and gradients)', () => {
    const layer = prelu({sharedAxes: [1]});
    layer.build(SHAPE, context('p'));
    const alpha = tf.tensor(uniform(randomGenerator(3), 5, 0, 0.5), [1, 5]);
    layer.alpha!.assign(alpha);
    const oracle = tfl.layers.prelu({sharedAxes: [1], weights: [alpha]});
    const x = tf.tensor(xs, [BATCH, ...SHAPE]);
    const w = tf.tensor(ws, [BATCH, ...SHAPE]);
    expectLikeOracle(layer, oracle, x, w);
    tf.dispose([alpha, x, w]);
    oracle.dispose();
  });

  it('passes its initializer, regularizer and constraint to the context', () => {
    const init = withSpec({id: 'acme/quarter', config: {}}, (shape: readonly number[]) => tf.fill([...shape], 0.25));
    const reg = withSpec({id: 'acme/l1', config: {}}, (v: tf.Tensor) => tf.sum(tf.abs(v)) as tf.Scalar);
    const cons = withSpec({id: 'acme/nonNeg', config: {}}, (v: tf.Tensor) => tf.relu(v));
    const layer = prelu({alphaInitializer: init as never, alphaRegularizer: reg, alphaConstraint: cons});
    const c = context('p');
    layer.build([4], c);
    expect(c.requests[0]!.regularizer).toBe(reg);
    expect(c.requests[0]!.constraint).toBe(cons);
    expect(Array.from(layer.alpha!.dataSync())).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('lets a shared axis change size between calls but not the others', () => {
    const layer = prelu({sharedAxes: [1], name: 'p'});
    layer.build([3, 2], context('p'));
    const ok = tf.ones([2, 7, 2]);
    const bad = tf.ones([2, 3, 4]);
    const y = layer.call(ok, callContext(false));
    expect(y.shape).toEqual([2, 7, 2]);
    expect(catchError(() => layer.call(bad, callContext(false))).message).toContain('[batch, *, 2]');
    tf.dispose([ok, bad, y]);
  });

  it('rejects bad options and shapes', () => {
    expect(() => prelu({sharedAxes: [0]})).toThrow(ConfigError);
    expect(() => prelu({sharedAxes: [1, 1]})).toThrow(ConfigError);
    expect(() => prelu({sharedAxes: 1 as never})).toThrow(ConfigError);
    expect(() => prelu({alphaInitializer: ((s: number[]) => tf.zeros(s)) as never})).toThrow(ConfigError);
    expect(() => prelu(null as never)).toThrow(ConfigError);
    expect(() => prelu({sharedAxes: [3]}).build([2, 2], context('p'))).toThrow(ShapeError);
    const layer = prelu();
    const x = tf.ones([1, 2]);
    expect(() => layer.call(x, callContext(false))).toThrow(StateError);
    x.dispose();
  });

  it('leaks no tensors', async () => {
    const layer = prelu({sharedAxes: [2]});
    layer.build(SHAPE, context('p'));
    const x = tf.tensor(xs, [BATCH, ...SHAPE]);
    await expectNoTensorLeaks(() => {
      tf.dispose(layer.call(x, callContext(false)));
      const {value, grads} = tf.variableGrads(() => tf.sum(layer.call(x, callContext(true))) as tf.Scalar, [layer.alpha!]);
      tf.dispose([value, ...Object.values(grads)]);
    });
    x.dispose();
  });
});

describe('activation layer specs', () => {
  const layers: [string, () => Layer][] = [
    ['leakyReLU', () => leakyReLU({negativeSlope: 0.1, name: 'leaky', inputShape: [4]})],
    ['eluLayer', () => eluLayer({alpha: 0.5})],
    ['reLU', () => reLU({maxValue: 6, negativeSlope: 0.1, threshold: 0.5, name: 'r'})],
    ['softmaxLayer', () => softmaxLayer({axis: [1, 2]})],
    ['prelu', () => prelu({sharedAxes: [1, 2], inputShape: [4, 4, 3]})],
  ];

  it('hold every option with Keras defaults', () => {
    expect(leakyReLU().spec).toEqual({id: 'trellis/leakyRelu', config: {name: '', negativeSlope: 0.3}});
    expect(eluLayer().spec).toEqual({id: 'trellis/elu', config: {name: '', alpha: 1}});
    expect(reLU().spec).toEqual({id: 'trellis/relu', config: {name: '', maxValue: null, negativeSlope: 0, threshold: 0}});
    expect(softmaxLayer().spec).toEqual({id: 'trellis/softmax', config: {name: '', axis: -1}});
    expect(prelu().spec).toEqual({
      id: 'trellis/prelu',
      config: {
        name: '',
        alphaInitializer: {id: 'trellis/zeros', config: {}},
        alphaRegularizer: null,
        alphaConstraint: null,
        sharedAxes: null,
      },
    });
  });

  it('dense and activation layers store a configured activation by its spec and rebuild it', () => {
    const registry = createRegistry(layersPlugin);
    for (const original of [
      dense({units: 2, activation: leakyRelu.with({negativeSlope: 0.1})}),
      activation({activation: gelu.with({approximate: true})}),
    ]) {
      const spec = JSON.parse(JSON.stringify(original.spec));
      const rebuilt = registry.resolve('layer', spec) as Layer & {activation: Activation};
      expect(rebuilt.spec).toEqual(original.spec);
      expect(rebuilt.activation.spec).toEqual((original as {activation: Activation}).activation.spec);
    }
    expect(dense({units: 2, activation: 'gelu'}).spec.config.activation).toBe('gelu');
    expect(activation({activation: leakyRelu.with({negativeSlope: 0.1})}).spec.config.activation).toEqual({
      id: 'trellis/leakyRelu',
      config: {negativeSlope: 0.1},
    });
  });

  for (const withInitializers of [false, true]) {
    it.each(layers)(
      `%s rebuilds an equal layer from its JSON spec (${withInitializers ? 'with' : 'without'} the initializers plugin)`,
      (_title, make) => {
        const registry = createRegistry(layersPlugin, ...(withInitializers ? [initializersPlugin] : []));
        const original = make();
        const spec = JSON.parse(JSON.stringify(original.spec));
        const rebuilt = registry.resolve('layer', spec);
        expect(rebuilt).not.toBe(original);
        expect(rebuilt.spec).toEqual(original.spec);
      },
    );
  }
});
