// The regularizers and constraints of @trellis/regularizers in training against
// Keras' model.fit (`fit` kind): from identical weights, SGD without shuffling;
// the loss of every epoch, the running loss after every batch and the final
// weights, on cpu and wasm. Keras adds weight penalties and activity penalties
// (divided by the batch size) to the loss, and projects every constrained
// variable after each optimizer update.
import {Sequential, constraints, dense, meanSquaredError, regularizers, sgd} from 'trellis';
import {afterAll, beforeAll, describe, it} from 'vitest';
import {BACKENDS, activate, uniformTensor} from './harness/cases';
import {worstErrors} from './harness/compare';
import {beforeAllKerasFits, expectSameFit, type FitCase} from './harness/fit-cases';
import {threeClassFitOnFiveFeatures} from './harness/fit-problems';

const TOLERANCE = 1e-4;

// Large rates and tight norms, so penalties and projections change every step; batch sizes
// leave a smaller last batch in each epoch.
const cases: Record<string, FitCase> = {
  'dense L1L2 kernel, L2 activity, maxNorm kernel → dense softmax': {
    model: () =>
      new Sequential([
        dense({
          units: 6,
          activation: 'tanh',
          kernelRegularizer: regularizers.l1l2({l1: 0.01, l2: 0.02}),
          activityRegularizer: regularizers.l2(0.05),
          kernelConstraint: constraints.maxNorm({maxValue: 0.5}),
          inputShape: [5],
        }),
        dense({units: 3, activation: 'softmax'}),
      ]),
    ...threeClassFitOnFiveFeatures(900),
  },
  'dense unitNorm kernel, nonNeg bias, L1 kernel → dense orthogonal, minMaxNorm kernel': {
    model: () =>
      new Sequential([
        dense({
          units: 5,
          activation: 'relu',
          kernelRegularizer: regularizers.l1(0.02),
          kernelConstraint: constraints.unitNorm({axis: 0}),
          biasConstraint: constraints.nonNeg(),
          inputShape: [4],
        }),
        dense({
          units: 3,
          kernelRegularizer: regularizers.orthogonal({factor: 0.1, mode: 'columns'}),
          kernelConstraint: constraints.minMaxNorm({minValue: 0.4, maxValue: 0.9, rate: 0.5, axis: 0}),
        }),
      ]),
    inputShape: [4],
    x: uniformTensor([25, 4], 910, -1, 1),
    y: uniformTensor([25, 3], 911, -1, 1),
    loss: () => meanSquaredError(),
    optimizer: () => sgd({learningRate: 0.1, momentum: 0.5}),
    epochs: 3,
    batchSize: 7,
  },
};

const {initial, keras} = beforeAllKerasFits('regularizers', cases, 41);

describe.each(BACKENDS)('@trellis/regularizers in fit on %s vs Keras', (backend) => {
  beforeAll(() => activate(backend));
  afterAll(() => console.log(`${backend}: ${worstErrors()}`));

  it.each(Object.keys(cases))(`%s: losses and weights within ${TOLERANCE}`, async (name) => {
    await expectSameFit(name, cases[name]!, initial[name]!, keras[name], TOLERANCE);
  });
});
