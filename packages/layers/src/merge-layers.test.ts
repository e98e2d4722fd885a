import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  DTypeError,
  ShapeError,
  Sequential,
  StateError,
  createRegistry,
  isMultiInputLayer,
  type MultiInputLayer,
} from '@trellis/core';
import {expectNoNewTensors, expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {add, average, concatenate, dense, layersPlugin, maximum, minimum, multiply, subtract} from './index';
import {callContext, closeness, createBuildContext, uniform} from '../test/testing';

/** A float64 array with its full shape (batch first). */
type Float64Tensor = {shape: number[]; values: number[]};

/**
 * The float64 reference of an elementwise merge: output and the gradient of
 * `sum(y · dy)` for each input, by Keras' rule (lower-rank inputs get axes of
 * size 1 after the batch axis; axes of size 1 broadcast). `partial(v, i)` is
 * ∂f/∂v[i].
 */
function elementwiseReference(
  inputs: Float64Tensor[],
  dy: number[],
  f: (v: number[]) => number,
  partial: (v: number[], i: number) => number,
): {y: Float64Tensor; dxs: number[][]} {
  const rank = Math.max(...inputs.map((x) => x.shape.length));
  const shapes = inputs.map((x) => [x.shape[0]!, ...new Array<number>(rank - x.shape.length).fill(1), ...x.shape.slice(1)]);
  const outShape = shapes[0]!.map((_, k) => Math.max(...shapes.map((s) => s[k]!)));
  const size = outShape.reduce((a, b) => a * b, 1);
  const y: number[] = [];
  const dxs = inputs.map((x) => new Array<number>(x.values.length).fill(0));
  for (let flat = 0; flat < size; flat++) {
    const index: number[] = [];
    let rest = flat;
    for (let k = rank - 1; k >= 0; k--) {
      index[k] = rest % outShape[k]!;
      rest = Math.floor(rest / outShape[k]!);
    }
    const at = shapes.map((s) => s.reduce((offset, d, k) => offset * d + (d === 1 ? 0 : index[k]!), 0));
    const v = inputs.map((x, i) => x.values[at[i]!]!);
    y.push(f(v));
    inputs.forEach((_, i) => (dxs[i]![at[i]!]! += dy[flat]! * partial(v, i)));
  }
  return {y: {shape: outShape, values: y}, dxs};
}

/** The index of the first largest (or smallest) value: tfjs gives ties' gradient to the earlier input. */
function firstExtreme(v: number[], better: (a: number, b: number) => boolean): number {
  return v.reduce((best, x, i) => (better(x, v[best]!) ? i : best), 0);
}

type Elementwise = {
  make: (options?: {name?: string}) => MultiInputLayer;
  f: (v: number[]) => number;
  partial: (v: number[], i: number) => number;
};

const ELEMENTWISE: Record<string, Elementwise> = {
  add: {make: add, f: (v) => v.reduce((a, b) => a + b), partial: () => 1},
  subtract: {make: subtract, f: (v) => v[0]! - v[1]!, partial: (_, i) => (i === 0 ? 1 : -1)},
  multiply: {
    make: multiply,
    f: (v) => v.reduce((a, b) => a * b),
    partial: (v, i) => v.reduce((a, b, j) => (j === i ? a : a * b), 1),
  },
  average: {make: average, f: (v) => v.reduce((a, b) => a + b) / v.length, partial: (v) => 1 / v.length},
  maximum: {
    make: maximum,
    f: (v) => Math.max(...v),
    partial: (v, i) => (firstExtreme(v, (a, b) => a > b) === i ? 1 : 0),
  },
  minimum: {
    make: minimum,
    f: (v) => Math.min(...v),
    partial: (v, i) => (firstExtreme(v, (a, b) => a < b) === i ? 1 : 0),
  },
};

/** Sample shapes (without batch) and the expected output shape. */
const ELEMENTWISE_SHAPES: [number[][], number[]][] = [
  [
    [
      [2, 3],
      [2, 3],
    ],
    [2, 3],
  ],
  [
    [
      [2, 3],
      [2, 3],
      [2, 3],
    ],
    [2, 3],
  ],
  [
    [
      [1, 3],
      [4, 1],
    ],
    [4, 3],
  ],
  [
    [[4, 3], [3]],
    [4, 3],
  ],
  [
    [[3], [2, 1], [1]],
    [2, 3],
  ],
  [
    [[], [2, 3]],
    [2, 3],
  ],
  [
    [[2, 1, 4], [3, 1], [4]],
    [2, 3, 4],
  ],
];

const BATCH = 3;

function randomInputs(shapes: number[][], seed: number): Float64Tensor[] {
  return shapes.map((s, i) => {
    const shape = [BATCH, ...s];
    const n = shape.reduce((a, b) => a * b, 1);
    return {shape, values: uniform(randomGenerator(seed + i), n, -2, 2)};
  });
}

/** Output and input gradients of `layer` on cpu for `inputs` and cotangent `dy`. */
function runLayer(layer: MultiInputLayer, inputs: Float64Tensor[], dy: number[], outShape: number[]) {
  return tf.tidy(() => {
    const xs = inputs.map((x) => tf.tensor(x.values, x.shape));
    const cotangent = tf.tensor(dy, outShape);
    const y = layer.call(xs, callContext(false));
    const dxs = tf.grads((...ts: tf.Tensor[]) => tf.sum(tf.mul(layer.call(ts, callContext(true)), cotangent)))(xs);
    return {y: {shape: y.shape, values: Array.from(y.dataSync())}, dxs: dxs.map((g) => Array.from(g.dataSync()))};
  });
}

describe('elementwise merge layers', () => {
  for (const [kind, {make, f, partial}] of Object.entries(ELEMENTWISE)) {
    const cases = ELEMENTWISE_SHAPES.filter(([shapes]) => kind !== 'subtract' || shapes.length === 2);
    for (const [shapes, outputShape] of cases) {
      it(`${kind} of ${JSON.stringify(shapes)}: output ${JSON.stringify(outputShape)}, values and every input's gradient`, () => {
        const layer = make();
        expect(layer.build(shapes, createBuildContext())).toEqual(outputShape);
        const inputs = randomInputs(shapes, 100 + shapes.length);
        const outShape = [BATCH, ...outputShape];
        const dy = uniform(
          randomGenerator(7),
          outShape.reduce((a, b) => a * b, 1),
          -1,
          1,
        );
        const expected = elementwiseReference(inputs, dy, f, partial);
        const ours = runLayer(layer, inputs, dy, outShape);
        expect(ours.y.shape).toEqual(expected.y.shape);
        expect(closeness(ours.y.values, expected.y.values, 1e-6, 1e-6)).toBeLessThanOrEqual(1);
        expect(ours.dxs.length).toBe(inputs.length);
        ours.dxs.forEach((g, i) => {
          expect(g.length, `gradient ${i}`).toBe(inputs[i]!.values.length);
          expect(closeness(g, expected.dxs[i]!, 1e-6, 1e-6), `gradient ${i}`).toBeLessThanOrEqual(1);
        });
      });
    }
  }

  it('gives ties the gradient of the earlier input (maximum and minimum)', () => {
    // Column 0 ties; in column 1 the second input wins (5 > 2 for maximum, -1 < 2 for minimum).
    for (const [make, second] of [
      [maximum, 5],
      [minimum, -1],
    ] as const) {
      const layer = make();
      layer.build([[2], [2]], createBuildContext());
      const [g0, g1] = tf.tidy(() =>
        tf
          .grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(layer.call([a, b], callContext(false))))([
            tf.tensor2d([[1, 2]]),
            tf.tensor2d([[1, second]]),
          ])
          .map((g) => Array.from(g.dataSync())),
      );
      expect([g0, g1]).toEqual([
        [1, 0],
        [0, 1],
      ]);
    }
  });

  it('casts int32 inputs to float32', () => {
    const layer = add();
    layer.build([[2], [2]], createBuildContext());
    const a = tf.tensor2d([[1, 2]], [1, 2], 'int32');
    const b = tf.tensor2d([[0.5, 0.25]]);
    const y = layer.call([a, b], callContext(false));
    expect(y.dtype).toBe('float32');
    expect(Array.from(y.dataSync())).toEqual([1.5, 2.25]);
    tf.dispose([a, b, y]);
  });
});

describe('concatenate', () => {
  /** axis, sample shapes, output shape. */
  const CASES: [number | undefined, number[][], number[]][] = [
    [
      undefined,
      [
        [2, 3],
        [2, 5],
      ],
      [2, 8],
    ],
    [-1, [[4], [1], [2]], [7]],
    [
      1,
      [
        [2, 3],
        [4, 3],
        [1, 3],
      ],
      [7, 3],
    ],
    [
      -2,
      [
        [2, 3],
        [4, 3],
      ],
      [6, 3],
    ],
    [
      2,
      [
        [2, 1, 4],
        [2, 3, 4],
      ],
      [2, 4, 4],
    ],
    [
      3,
      [
        [2, 1, 4],
        [2, 1, 1],
      ],
      [2, 1, 5],
    ],
  ];
  for (const [axis, shapes, outputShape] of CASES) {
    it(`joins ${JSON.stringify(shapes)} on axis ${axis ?? '-1 (default)'}: values and every input's gradient`, () => {
      const layer = concatenate(axis === undefined ? undefined : {axis});
      expect(layer.axis).toBe(axis ?? -1);
      expect(layer.build(shapes, createBuildContext())).toEqual(outputShape);
      const inputs = randomInputs(shapes, 300);
      const outShape = [BATCH, ...outputShape];
      const dy = uniform(
        randomGenerator(9),
        outShape.reduce((a, b) => a * b, 1),
        -1,
        1,
      );
      // Reference: each output position [b, ..., j, ...] comes from the input whose range holds j.
      const k = (axis ?? -1) < 0 ? (axis ?? -1) + outShape.length : axis!;
      const outer = outShape.slice(0, k).reduce((a, b) => a * b, 1);
      const blocks = inputs.map((x) => x.shape.slice(k).reduce((a, b) => a * b, 1));
      const rowLength = blocks.reduce((a, b) => a + b, 0);
      const y: number[] = [];
      const dxs = inputs.map(() => [] as number[]);
      for (let o = 0; o < outer; o++) {
        let start = o * rowLength;
        inputs.forEach((x, i) => {
          y.push(...x.values.slice(o * blocks[i]!, (o + 1) * blocks[i]!));
          dxs[i]!.push(...dy.slice(start, start + blocks[i]!));
          start += blocks[i]!;
        });
      }
      const ours = runLayer(layer, inputs, dy, outShape);
      expect(ours.y.shape).toEqual(outShape);
      expect(ours.y.values).toEqual(y.map(Math.fround));
      ours.dxs.forEach((g, i) => expect(g, `gradient ${i}`).toEqual(dxs[i]!.map(Math.fround)));
    });
  }
});

describe('merge layers: contract, specs and errors', () => {
  const factories: [string, () => MultiInputLayer][] = [
    ['add', () => add({name: 'sum'})],
    ['subtract', () => subtract()],
    ['multiply', () => multiply({name: 'product'})],
    ['average', () => average()],
    ['maximum', () => maximum({name: 'max'})],
    ['minimum', () => minimum()],
    ['concatenate', () => concatenate({axis: 1, name: 'join'})],
  ];

  it('are multi-input layers, told apart from one-input layers by isMultiInputLayer', () => {
    for (const [, make] of factories) expect(isMultiInputLayer(make())).toBe(true);
    expect(isMultiInputLayer(dense({units: 2}))).toBe(false);
    for (const value of [null, undefined, 3, {multiInput: 'yes'}]) expect(isMultiInputLayer(value)).toBe(false);
  });

  it('cannot be layers of a Sequential model: building one throws a ShapeError, and nothing leaks', async () => {
    const model = new Sequential([add({name: 'sum'}) as never]);
    const x = tf.ones([2, 3]);
    expect(() => model.predict(x)).toThrow(ShapeError);
    expect(() => model.predict(x)).toThrow("add layer 'sum' expects a list of input shapes");
    await expectNoNewTensors(() => model.predict(x));
    x.dispose();
    model.dispose();
  });

  it('have specs that round-trip through the registry', () => {
    const registry = createRegistry(layersPlugin);
    for (const [kind, make] of factories) {
      const layer = make();
      expect(layer.spec.id).toBe(`trellis/${kind}`);
      const spec = JSON.parse(JSON.stringify(layer.spec));
      const rebuilt = registry.resolve('layer', spec);
      expect(rebuilt).not.toBe(layer);
      expect(rebuilt.spec).toEqual(layer.spec);
      expect(isMultiInputLayer(rebuilt)).toBe(true);
      if (!isMultiInputLayer(rebuilt)) continue;
      // Same behaviour.
      expect(
        rebuilt.build(
          [
            [2, 3],
            [2, 3],
          ],
          createBuildContext(),
        ),
      ).toEqual(
        layer.build(
          [
            [2, 3],
            [2, 3],
          ],
          createBuildContext(),
        ),
      );
      const xs = [1, 2].map((seed) => tf.tensor(uniform(randomGenerator(seed), 12, -1, 1), [2, 2, 3]));
      const y1 = layer.call(xs, callContext(false));
      const y2 = rebuilt.call(xs, callContext(false));
      expect(Array.from(y2.dataSync())).toEqual(Array.from(y1.dataSync()));
      tf.dispose([...xs, y1, y2]);
    }
    expect(add().spec).toEqual({id: 'trellis/add', config: {name: ''}});
    expect(concatenate().spec).toEqual({id: 'trellis/concatenate', config: {name: '', axis: -1}});
    expect(registry.resolve('layer', 'concatenate').spec).toEqual(concatenate().spec);
  });

  it('reject invalid options with ConfigError', () => {
    for (const [, make] of factories) expect(make().name).toBeTypeOf('string');
    for (const factory of [add, subtract, multiply, average, maximum, minimum, concatenate]) {
      expect(() => factory(3 as never)).toThrow(ConfigError);
      expect(() => factory([] as never)).toThrow(ConfigError);
      expect(() => factory({name: 'a/b'})).toThrow(ConfigError);
    }
    for (const axis of [0, 1.5, '1', Number.NaN, null]) {
      expect(() => concatenate({axis} as never), String(axis)).toThrow(ConfigError);
    }
    expect(() => concatenate({axis: 0})).toThrow('Joining along the batch axis (0) is not supported');
  });

  it('reject input shapes they cannot merge with a ShapeError naming the layer and the shapes', () => {
    const build = (layer: MultiInputLayer, shapes: unknown) => () => layer.build(shapes as number[][], createBuildContext());
    expect(build(add({name: 'sum'}), [[3]])).toThrow("add layer 'sum' expects at least 2 inputs; got 1: [[3]]");
    expect(build(add(), [])).toThrow(ShapeError);
    expect(build(subtract(), [[3], [3], [3]])).toThrow('subtract layer (unnamed) expects exactly 2 inputs; got 3: [[3], [3], [3]]');
    expect(build(subtract(), [[3]])).toThrow('exactly 2 inputs');
    expect(build(multiply({name: 'm'}), [[3], [4]])).toThrow("multiply layer 'm' cannot combine input shapes [3], [4]");
    expect(
      build(maximum(), [
        [2, 3],
        [3, 3],
      ]),
    ).toThrow(ShapeError);
    expect(build(average(), [[2, 3], [2, 3], [4]])).toThrow('input 2 does not fit');
    // A Sequential model would pass one shape, not a list of shapes.
    expect(build(add(), [3])).toThrow('expects a list of input shapes');
    expect(build(add(), [3])).toThrow('Sequential');
    expect(build(add(), [[3], [0]])).toThrow(ShapeError);
    expect(build(add(), 'x')).toThrow(ShapeError);

    const join = concatenate({name: 'join'});
    expect(build(join, [[2, 3]])).toThrow('at least 2 inputs');
    expect(
      build(join, [
        [2, 3],
        [3, 3],
      ]),
    ).toThrow("concatenate layer 'join' expects inputs with equal shapes except on axis -1; got [2, 3], [3, 3]");
    expect(build(join, [[2, 3], [3]])).toThrow('the same number of axes; got shapes [2, 3], [3]');
    expect(
      build(concatenate({axis: 3}), [
        [2, 3],
        [2, 3],
      ]),
    ).toThrow('axis 3 is out of range for inputs of shapes [2, 3], [2, 3]');
    expect(
      build(concatenate({axis: -3}), [
        [2, 3],
        [2, 3],
      ]),
    ).toThrow(ShapeError);
    expect(build(concatenate({axis: -1}), [[], []])).toThrow('the inputs have none (shapes [], [] without the batch axis');
  });

  it('reject bad calls: before build (StateError), wrong shapes or batch sizes (ShapeError), dtypes (DTypeError); nothing leaks', async () => {
    const layer = add({name: 'sum'});
    const a = tf.zeros([2, 3]);
    const b = tf.zeros([2, 3]);
    const c = tf.zeros([4, 3]);
    const d = tf.zeros([2, 4]);
    const flags = tf.zeros([2, 3], 'bool');
    expect(() => layer.call([a, b], callContext(false))).toThrow(StateError);
    layer.build([[3], [3]], createBuildContext());
    expect(() => layer.call([a], callContext(false))).toThrow(
      "add layer 'sum' was built for 2 inputs ([3], [3] without batch); got 1: [2, 3].",
    );
    expect(() => layer.call([a, d], callContext(false))).toThrow('expects input 1 of shape [batch, 3]');
    expect(() => layer.call([a, c], callContext(false))).toThrow(
      "add layer 'sum' cannot merge inputs with different batch sizes: [2, 3], [4, 3].",
    );
    expect(() => layer.call([a, c], callContext(false))).toThrow(ShapeError);
    expect(() => layer.call([a, flags], callContext(false))).toThrow(DTypeError);
    expect(() => layer.call([a, flags], callContext(false))).toThrow('input 1 is bool');
    expect(() => layer.call(a as never, callContext(false))).toThrow(ShapeError);
    const join = concatenate();
    join.build([[3], [4]], createBuildContext());
    expect(() => join.call([a, c], callContext(false))).toThrow(ShapeError);
    expect(() => join.call([a, a], callContext(false))).toThrow('expects input 1 of shape [batch, 4]');
    await expectNoNewTensors(() => layer.call([a, c], callContext(false)));
    await expectNoNewTensors(() => layer.call([a, flags], callContext(false)));
    await expectNoNewTensors(() => join.call([a, c], callContext(false)));
    tf.dispose([a, b, c, d, flags]);
  });

  it('leak no tensors, forward or backward', async () => {
    const int = tf.ones([2, 3], 'int32');
    const x = tf.ones([2, 4, 3]);
    const y = tf.ones([2, 3]);
    for (const [kind, make] of factories) {
      const layer = make();
      const shapes =
        kind === 'concatenate'
          ? [
              [4, 3],
              [2, 3],
            ]
          : [[4, 3], [3]];
      const second = kind === 'concatenate' ? tf.ones([2, 2, 3]) : y;
      layer.build(shapes, createBuildContext());
      await expectNoTensorLeaks(() => {
        tf.dispose(layer.call([x, second], callContext(false)));
        tf.dispose(tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(layer.call([p, q], callContext(true))))([x, second]));
      });
      if (kind !== 'concatenate') {
        await expectNoNewTensors(() => layer.call([x, int], callContext(false)));
      } else {
        second.dispose();
      }
    }
    tf.dispose([int, x, y]);
  });
});
