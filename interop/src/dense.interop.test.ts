// The dense layer against keras.layers.Dense: output, and the gradients of
// the input, kernel and bias for a random cotangent, on cpu and wasm.
import {dense} from 'trellis';
import type {DenseOptions} from '@trellis/layers';
import {afterAll, beforeAll, describe, it} from 'vitest';
import {BACKENDS, activate, uniformTensor} from './harness/cases';
import {worstErrors} from './harness/compare';
import {kerasLayer} from './harness/keras-config';
import {runKeras, type KerasCase} from './harness/keras';
import {expectLayerMatchesKeras} from './harness/layer-check';
import type {HostTensor, TreeOut} from './harness/tensor-tree';

const TOLERANCE = 1e-5;

type DenseCase = {options: DenseOptions; inputShape: number[]; batch: number[]};
const cases: Record<string, DenseCase> = {
  relu: {options: {units: 5, activation: 'relu'}, inputShape: [7], batch: [6]},
  linearWithoutBias: {options: {units: 4, useBias: false}, inputShape: [9], batch: [5]},
  softmax: {options: {units: 6, activation: 'softmax'}, inputShape: [8], batch: [4]},
  tanhOnRank3: {options: {units: 3, activation: 'tanh'}, inputShape: [4, 7], batch: [2]},
  sigmoid: {options: {units: 10, activation: 'sigmoid'}, inputShape: [32], batch: [16]},
};

type Inputs = {x: HostTensor; dy: HostTensor; weights: Record<string, HostTensor>};
const inputs: Record<string, Inputs> = {};
Object.entries(cases).forEach(([name, {options, inputShape, batch}], i) => {
  const seed = 1000 * (i + 1);
  const inFeatures = inputShape.at(-1)!;
  const weights: Record<string, HostTensor> = {kernel: uniformTensor([inFeatures, options.units], seed + 1, -0.8, 0.8)};
  if (options.useBias ?? true) weights.bias = uniformTensor([options.units], seed + 2, -0.5, 0.5);
  inputs[name] = {
    x: uniformTensor([...batch, ...inputShape], seed + 3, -2, 2),
    dy: uniformTensor([...batch, ...inputShape.slice(0, -1), options.units], seed + 4, -1, 1),
    weights,
  };
});

let keras: Record<string, TreeOut>;
beforeAll(async () => {
  const kerasCases: Record<string, KerasCase> = {};
  for (const [name, {options, inputShape}] of Object.entries(cases)) {
    const {x, dy, weights} = inputs[name]!;
    kerasCases[name] = {kind: 'layer', layer: kerasLayer(dense(options)), inputShape, weights, x, dy, training: false};
  }
  keras = await runKeras('dense', kerasCases);
});

describe.each(BACKENDS)('dense on %s vs Keras', (backend) => {
  beforeAll(() => activate(backend));
  afterAll(() => console.log(`${backend}: ${worstErrors()}`));

  it.each(Object.keys(cases))(`%s: output and gradients within ${TOLERANCE}`, async (name) => {
    const {options, inputShape} = cases[name]!;
    await expectLayerMatchesKeras({
      name,
      layer: dense(options),
      inputShape,
      ...inputs[name]!,
      keras: keras[name],
      tolerance: TOLERANCE,
      contextName: 'dense',
    });
  });
});
