// Every Keras-style namespace is exported by exactly one package, so the umbrella's `export *`
// keeps it (two packages exporting one name would silently drop it), and a model built only
// through namespaces trains.
import * as tf from '@tensorflow/tfjs-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import * as trellis from './index';
import {
  Sequential,
  activations,
  callbacks,
  constraints,
  createTrellis,
  data,
  initializers,
  layers,
  losses,
  metrics,
  optimizers,
  regularizers,
  schedules,
} from './index';

let x: tf.Tensor;
let y: tf.Tensor;
beforeAll(async () => {
  await createTrellis({backend: 'cpu'});
  x = tf.tensor2d([
    [0, 1, 2],
    [1, 0, 1],
    [2, 2, 0],
    [1, 1, 1],
  ]);
  y = tf.tensor2d([
    [1, 0],
    [0, 1],
    [1, 1],
    [0, 0],
  ]);
});
afterAll(() => tf.dispose([x, y]));

describe('namespaces from trellis', () => {
  it('exports every namespace, frozen, next to the flat names', () => {
    const all = {layers, activations, losses, initializers, regularizers, constraints, schedules, optimizers, metrics, data, callbacks};
    for (const [name, ns] of Object.entries(all)) {
      expect(ns, name).toBeTypeOf('object');
      expect(Object.isFrozen(ns), name).toBe(true);
      expect((trellis as Record<string, unknown>)[name], name).toBe(ns);
    }
    // The deprecated flat names are the namespace members under a bent name.
    expect(layers.elu).toBe(trellis.eluLayer);
    expect(activations.elu).toBe(trellis.elu);
    expect(layers.relu).toBe(trellis.reLU);
    expect(layers.leakyRelu).toBe(trellis.leakyReLU);
    expect(layers.softmax).toBe(trellis.softmaxLayer);
    expect(activations.relu).toBe(trellis.relu);
    expect(activations.leakyRelu).toBe(trellis.leakyRelu);
    expect(initializers.identity).toBe(trellis.identityInitializer);
    expect(optimizers.identity).toBe(trellis.identity);
    expect(schedules.constant).toBe(trellis.constantSchedule);
    expect(regularizers.orthogonal).toBe(trellis.orthogonalRegularizer);
  });

  it('gives every spec the id trellis/<namespace name>, per kind, and loads the deprecated ids', () => {
    expect(layers.elu().spec.id).toBe('trellis/elu');
    expect(activations.elu.spec.id).toBe('trellis/elu');
    expect(layers.relu().spec.id).toBe('trellis/relu');
    expect(layers.leakyRelu().spec.id).toBe('trellis/leakyRelu');
    expect(layers.softmax().spec.id).toBe('trellis/softmax');
    expect(initializers.identity().spec.id).toBe('trellis/identity');
    expect(schedules.constant(0.1).spec.id).toBe('trellis/constant');
    expect(regularizers.orthogonal().spec.id).toBe('trellis/orthogonal');
    const registry = trellis.createRegistry(trellis.layersPlugin, trellis.regularizersPlugin);
    for (const [old, layer] of [
      ['trellis/eluLayer', layers.elu()],
      ['trellis/reLU', layers.relu()],
      ['trellis/leakyReLU', layers.leakyRelu()],
      ['trellis/softmaxLayer', layers.softmax()],
    ] as const) {
      expect(registry.resolve('layer', {id: old, config: layer.spec.config}).spec).toEqual(layer.spec);
    }
    const orthogonal = registry.resolve('regularizer', {id: 'trellis/orthogonalRegularizer', config: {factor: 0.1, mode: 'rows'}});
    expect(orthogonal.spec).toEqual(regularizers.orthogonal({factor: 0.1}).spec);
    expect(data.loadMnist).toBe(trellis.loadMnist);
    // Both a loss and a metric: flat, the loss; each namespace has its own.
    expect(trellis.meanSquaredError).toBe(losses.meanSquaredError);
    expect(metrics.meanSquaredError).not.toBe(losses.meanSquaredError);
    expect(metrics.meanSquaredError().name).toBe('mean_squared_error');
    expect(callbacks.earlyStopping).toBe(trellis.earlyStopping);
  });

  it('builds, compiles and fits a model through namespaces only', async () => {
    const model = new Sequential([
      layers.dense({
        units: 4,
        inputShape: [3],
        kernelInitializer: initializers.glorotUniform({seed: 1}),
        kernelRegularizer: regularizers.l2(0.01),
        kernelConstraint: constraints.maxNorm({maxValue: 2}),
      }),
      layers.relu(),
      layers.dense({units: 2, activation: activations.sigmoid}),
    ]);
    model.compile({
      optimizer: optimizers.adam({learningRate: schedules.constant(0.01)}),
      loss: losses.meanSquaredError(),
      metrics: [metrics.binaryAccuracy()],
    });
    const history = await model.fit(x, y, {epochs: 1, batchSize: 2});
    expect(history.history.loss).toHaveLength(1);
    expect(Number.isFinite(history.history.loss?.[0])).toBe(true);
    model.dispose?.();
  });
});
