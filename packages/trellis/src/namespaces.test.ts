// The umbrella's public surface: the Keras-style namespaces, about 25 everyday names, the error
// classes and core's types, nothing else (everything else is imported from its scoped package);
// no two public names that differ only by case; and a model built only through namespaces trains.
import {readFileSync} from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import * as backendCpu from '@trellis/backend-cpu';
import * as backendWasm from '@trellis/backend-wasm';
import * as callbacksPackage from '@trellis/callbacks';
import {createRegistry} from '@trellis/core';
import * as dataPackage from '@trellis/data';
import * as initializersPackage from '@trellis/initializers';
import * as layersPackage from '@trellis/layers';
import * as metricsPackage from '@trellis/metrics';
import * as optimizersPackage from '@trellis/optimizers';
import * as plotsPackage from '@trellis/plots';
import * as regularizersPackage from '@trellis/regularizers';
import * as schedulesPackage from '@trellis/schedules';
import * as serializersPackage from '@trellis/serializers';
import * as tensorboardPackage from '@trellis/tensorboard';
import * as tunerPackage from '@trellis/tuner';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {backendCandidates} from './backend-candidates';
import {diagnoseBackends} from './diagnose-backends';
import * as trellis from './index';
import {
  Sequential,
  activations,
  backends,
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
  saving,
  schedules,
  tensorboard,
} from './index';

/** Every runtime name of the umbrella, sorted. */
const RUNTIME_NAMES = [
  // namespaces
  'activations',
  'backends',
  'callbacks',
  'constraints',
  'data',
  'initializers',
  'layers',
  'losses',
  'metrics',
  'optimizers',
  'plots',
  'regularizers',
  'saving',
  'schedules',
  'tensorboard',
  'tuner',
  // everyday names
  'Sequential',
  'accuracy',
  'adam',
  'batchNormalization',
  'binaryCrossentropy',
  'categoricalCrossentropy',
  'conv2d',
  'createTrellis',
  'defaultPlugins',
  'dense',
  'dropout',
  'earlyStopping',
  'flatten',
  'input',
  'loadMnist',
  'loadModel',
  'maxPooling2d',
  'meanSquaredError',
  'model',
  'modelCheckpoint',
  'rmsprop',
  'saveModel',
  'setSeed',
  'sgd',
  'sparseCategoricalCrossentropy',
  'useBackend',
  // error classes
  'BackendError',
  'ConfigError',
  'DTypeError',
  'DataError',
  'FormatError',
  'ShapeError',
  'StateError',
  'TrellisError',
  'UnknownIdError',
].sort();

/** The names of the umbrella's `export type {...}` lists (types have no runtime key to list). */
function typeNames(): string[] {
  const source = readFileSync(new URL('./index.ts', import.meta.url), 'utf8');
  // `export type {A, B} from …` and the `type C` entries of `export {c, type C} from …`.
  return [...source.matchAll(/export (type )?\{([^}]*)\}/g)].flatMap(([, typeOnly, list]) =>
    list!
      .split(',')
      .map((name) => name.trim())
      .filter((name) => (typeOnly ? name !== '' : name.startsWith('type ')))
      .map((name) => name.replace(/^type\s+/, '')),
  );
}

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

describe('the trellis umbrella', () => {
  it('exports exactly the namespaces, the everyday names and the error classes', () => {
    expect(Object.keys(trellis).sort()).toEqual(RUNTIME_NAMES);
  });

  it('has no two public names (values or types) that differ only by case', () => {
    const names = [...Object.keys(trellis), ...typeNames()];
    expect(typeNames().length).toBeGreaterThan(40);
    const byLowerCase = new Map<string, string[]>();
    for (const name of new Set(names)) byLowerCase.set(name.toLowerCase(), [...(byLowerCase.get(name.toLowerCase()) ?? []), name]);
    expect([...byLowerCase.values()].filter((group) => group.length > 1)).toEqual([]);
  });

  it('no longer exports the deprecated bent names (their scoped packages still do)', () => {
    const bent = {
      eluLayer: layersPackage,
      softmaxLayer: layersPackage,
      reLU: layersPackage,
      leakyReLU: layersPackage,
      identityInitializer: initializersPackage,
      constantSchedule: schedulesPackage,
      orthogonalRegularizer: regularizersPackage,
    } as const;
    for (const [name, scoped] of Object.entries(bent)) {
      expect(name in trellis, name).toBe(false);
      expect((scoped as Record<string, unknown>)[name], name).toBeTypeOf('function');
    }
    expect(layersPackage.eluLayer).toBe(layers.elu);
    expect(layersPackage.softmaxLayer).toBe(layers.softmax);
    expect(layersPackage.reLU).toBe(layers.relu);
    expect(layersPackage.leakyReLU).toBe(layers.leakyRelu);
    expect(initializersPackage.identityInitializer).toBe(initializers.identity);
    expect(schedulesPackage.constantSchedule).toBe(schedules.constant);
    expect(regularizersPackage.orthogonalRegularizer).toBe(regularizers.orthogonal);
  });
});

/** The members `names` of each object, by name (for checks that a name means the same value elsewhere). */
function namedMembers(sources: readonly (readonly [object, readonly string[]])[]): Record<string, unknown> {
  return Object.fromEntries(sources.flatMap(([source, names]) => names.map((name) => [name, (source as Record<string, unknown>)[name]])));
}

describe('namespaces from trellis', () => {
  it('exports every namespace frozen, each the one of its scoped package', () => {
    // Each scoped package with the namespaces it exports under the same names.
    const fromPackages = namedMembers([
      [layersPackage, ['layers', 'activations', 'losses']],
      [initializersPackage, ['initializers']],
      [regularizersPackage, ['regularizers', 'constraints']],
      [schedulesPackage, ['schedules']],
      [optimizersPackage, ['optimizers']],
      [metricsPackage, ['metrics']],
      [dataPackage, ['data']],
      [serializersPackage, ['saving']],
      [tensorboardPackage, ['tensorboard']],
      [tunerPackage, ['tuner']],
      [plotsPackage, ['plots']],
    ]);
    for (const [name, ns] of Object.entries(fromPackages)) {
      expect(ns, name).toBeTypeOf('object');
      expect(Object.isFrozen(ns), name).toBe(true);
      expect((trellis as Record<string, unknown>)[name], name).toBe(ns);
    }
    for (const ns of [callbacks, backends]) expect(Object.isFrozen(ns)).toBe(true);
    expect(activations.elu).not.toBe(layers.elu);
    expect(optimizers.identity).toBe(optimizersPackage.identity);
    expect(data.loadMnist).toBe(dataPackage.loadMnist);
  });

  it('composes callbacks as keras.callbacks: the callbacks package plus modelCheckpoint and tensorBoard', () => {
    expect(Object.keys(callbacks).sort()).toEqual([...Object.keys(callbacksPackage.callbacks), 'modelCheckpoint', 'tensorBoard'].sort());
    for (const [name, factory] of Object.entries(callbacksPackage.callbacks)) {
      expect((callbacks as Record<string, unknown>)[name], name).toBe(factory);
    }
    expect(callbacks.modelCheckpoint).toBe(serializersPackage.modelCheckpoint);
    expect(callbacks.tensorBoard).toBe(tensorboardPackage.tensorBoard);
    expect(tensorboard.tensorBoard).toBe(tensorboardPackage.tensorBoard);
  });

  it('gives saving, tensorboard and backends the scoped packages’ own functions', () => {
    expect(saving).toEqual({
      loadModel: serializersPackage.loadModel,
      loadWeights: serializersPackage.loadWeights,
      saveModel: serializersPackage.saveModel,
      saveWeights: serializersPackage.saveWeights,
    });
    for (const [name, value] of Object.entries(tensorboard)) {
      expect(value, name).toBe((tensorboardPackage as Record<string, unknown>)[name]);
    }
    expect(tensorboard.SummaryWriter).toBe(tensorboardPackage.SummaryWriter);
    expect(tensorboard.readEvents).toBe(tensorboardPackage.readEvents);
    expect(backends).toEqual({cpu: backendCpu.cpu, wasm: backendWasm.wasm, candidates: backendCandidates, diagnose: diagnoseBackends});
  });

  it('gives every everyday name the value of its namespace member', () => {
    // Each namespace with the everyday names taken from it.
    const members = namedMembers([
      [layers, ['dense', 'conv2d', 'maxPooling2d', 'flatten', 'dropout', 'batchNormalization']],
      [optimizers, ['adam', 'sgd', 'rmsprop']],
      // meanSquaredError is both a loss and a metric: flat, the loss; the metric is metrics.meanSquaredError.
      [losses, ['categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError']],
      [metrics, ['accuracy']],
      [callbacks, ['earlyStopping', 'modelCheckpoint']],
      [saving, ['saveModel', 'loadModel']],
      [data, ['loadMnist']],
    ]);
    for (const [name, member] of Object.entries(members)) {
      expect(member, name).toBeDefined();
      expect((trellis as Record<string, unknown>)[name], name).toBe(member);
    }
    expect(metrics.meanSquaredError).not.toBe(losses.meanSquaredError);
    expect(metrics.meanSquaredError().name).toBe('mean_squared_error');
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
    const registry = createRegistry(layersPackage.layersPlugin, regularizersPackage.regularizersPlugin);
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
