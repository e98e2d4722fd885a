// The activation layers (leakyReLU, prelu, eluLayer, reLU, softmaxLayer)
// against keras.layers.LeakyReLU, PReLU, ELU, ReLU and Softmax: output, and
// the gradients of the input and of PReLU's alpha for a random cotangent, on
// cpu and wasm.
import {layers, type Layer} from 'trellis';
import {afterAll, beforeAll, describe, it} from 'vitest';
import {BACKENDS, activate, uniformTensor} from './harness/cases';
import {worstErrors} from './harness/compare';
import {kerasLayer} from './harness/keras-config';
import {runKeras, type KerasCase} from './harness/keras';
import {expectLayerMatchesKeras} from './harness/layer-check';
import type {HostTensor, TreeOut} from './harness/tensor-tree';

const TOLERANCE = 1e-4;

type LayerCase = {
  make: () => Layer;
  inputShape: number[];
  /** Inputs are uniform in [-range, range]. */
  range?: number;
  /** PReLU's alpha shape (its values are random, so that the gradient of every slope shows). */
  alphaShape?: number[];
};

const cases: Record<string, LayerCase> = {
  leakyReLU: {make: () => layers.leakyRelu(), inputShape: [10]},
  'leakyReLU negativeSlope 0.1 on rank 3': {make: () => layers.leakyRelu({negativeSlope: 0.1}), inputShape: [3, 4]},
  eluLayer: {make: () => layers.elu(), inputShape: [10]},
  'eluLayer alpha 0.5': {make: () => layers.elu({alpha: 0.5}), inputShape: [3, 4]},
  reLU: {make: () => layers.relu(), inputShape: [10]},
  'reLU maxValue 6': {make: () => layers.relu({maxValue: 6}), inputShape: [10], range: 9},
  'reLU maxValue 2.5': {make: () => layers.relu({maxValue: 2.5}), inputShape: [10], range: 4},
  'reLU negativeSlope 0.2': {make: () => layers.relu({negativeSlope: 0.2}), inputShape: [10]},
  'reLU threshold 0.5': {make: () => layers.relu({threshold: 0.5}), inputShape: [10]},
  'reLU threshold 1, negativeSlope 0.1, maxValue 3': {
    make: () => layers.relu({threshold: 1, negativeSlope: 0.1, maxValue: 3}),
    inputShape: [3, 4],
    range: 5,
  },
  softmaxLayer: {make: () => layers.softmax(), inputShape: [10], range: 5},
  'softmaxLayer axis 1 on rank 3': {make: () => layers.softmax({axis: 1}), inputShape: [4, 5], range: 5},
  'softmaxLayer axes [1, 2]': {make: () => layers.softmax({axis: [1, 2]}), inputShape: [3, 4], range: 5},
  prelu: {make: () => layers.prelu(), inputShape: [10], alphaShape: [10]},
  'prelu sharedAxes [1] on rank 3': {make: () => layers.prelu({sharedAxes: [1]}), inputShape: [4, 5], alphaShape: [1, 5]},
  'prelu sharedAxes [1, 2] on rank 4': {
    make: () => layers.prelu({sharedAxes: [1, 2]}),
    inputShape: [3, 4, 2],
    alphaShape: [1, 1, 2],
  },
};

/** The cases of layers made without options. */
const DEFAULTS = new Set(['leakyReLU', 'eluLayer', 'reLU', 'softmaxLayer', 'prelu']);

const BATCH = 6;

type Inputs = {x: HostTensor; dy: HostTensor; weights: Record<string, HostTensor>};
const inputs: Record<string, Inputs> = {};
Object.entries(cases).forEach(([name, {inputShape, range = 3, alphaShape}], i) => {
  const seed = 5000 + 10 * i;
  inputs[name] = {
    x: uniformTensor([BATCH, ...inputShape], seed + 1, -range, range),
    dy: uniformTensor([BATCH, ...inputShape], seed + 2, -1, 1),
    weights: alphaShape ? {alpha: uniformTensor(alphaShape, seed + 3, -0.5, 0.5)} : {},
  };
});

let keras: Record<string, TreeOut>;
beforeAll(async () => {
  const kerasCases: Record<string, KerasCase> = {};
  for (const [name, {make, inputShape}] of Object.entries(cases)) {
    const {x, dy, weights} = inputs[name]!;
    // A layer made without options runs Keras with its own defaults, which checks ours.
    const spec = kerasLayer(make());
    const layer = DEFAULTS.has(name) ? {class_name: spec.class_name, config: {}} : spec;
    kerasCases[name] = {kind: 'layer', layer, inputShape, weights, x, dy, training: false};
  }
  keras = await runKeras('activation-layers', kerasCases);
});

describe.each(BACKENDS)('activation layers on %s vs Keras', (backend) => {
  beforeAll(() => activate(backend));
  afterAll(() => console.log(`${backend}: ${worstErrors()}`));

  it.each(Object.keys(cases))(`%s: output and gradients within ${TOLERANCE}`, async (name) => {
    const {make, inputShape} = cases[name]!;
    await expectLayerMatchesKeras({name, layer: make(), inputShape, ...inputs[name]!, keras: keras[name], tolerance: TOLERANCE});
  });
});
