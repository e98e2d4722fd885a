// Every loss of @trellis/layers (with and without fromLogits) against
// keras.losses: per-sample values, the mean Keras reports, and its gradient
// with respect to the predictions, on cpu and wasm.
import * as tf from '@tensorflow/tfjs-core';
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  meanSquaredError,
  sparseCategoricalCrossentropy,
  type Loss,
} from 'trellis';
import {afterAll, beforeAll, describe, it} from 'vitest';
import {BACKENDS, activate, bits, classIds, oneHot, toTensor, uniformTensor} from './harness/cases';
import {expectClose, field, worstErrors} from './harness/compare';
import {kerasLoss} from './harness/keras-config';
import {runKeras, type KerasCase} from './harness/keras';
import type {HostTensor, TreeOut} from './harness/tensor-tree';

const TOLERANCE = 1e-5;
const BATCH = 16;
const CLASSES = 7;

const ids = classIds([BATCH], CLASSES, 11);
/** Positive scores that do not sum to 1 (Keras renormalizes probabilities). */
const scores = uniformTensor([BATCH, CLASSES], 12, 0.02, 1);
const logits = uniformTensor([BATCH, CLASSES], 13, -5, 5);

type LossCase = {loss: Loss; yTrue: HostTensor; yPred: HostTensor};
const cases: Record<string, LossCase> = {
  meanSquaredError: {loss: meanSquaredError(), yTrue: uniformTensor([BATCH, 5], 1), yPred: uniformTensor([BATCH, 5], 2)},
  binaryCrossentropy: {
    loss: binaryCrossentropy(),
    yTrue: bits([BATCH, 5], 3),
    yPred: uniformTensor([BATCH, 5], 4, 0.01, 0.99),
  },
  binaryCrossentropySoftTargets: {
    loss: binaryCrossentropy(),
    yTrue: uniformTensor([BATCH, 5], 5, 0, 1),
    yPred: uniformTensor([BATCH, 5], 6, 0.01, 0.99),
  },
  binaryCrossentropyFromLogits: {
    loss: binaryCrossentropy({fromLogits: true}),
    yTrue: bits([BATCH, 5], 7),
    yPred: uniformTensor([BATCH, 5], 8, -6, 6),
  },
  categoricalCrossentropy: {loss: categoricalCrossentropy(), yTrue: oneHot(ids, CLASSES), yPred: scores},
  categoricalCrossentropyFromLogits: {
    loss: categoricalCrossentropy({fromLogits: true}),
    yTrue: oneHot(ids, CLASSES),
    yPred: logits,
  },
  sparseCategoricalCrossentropy: {loss: sparseCategoricalCrossentropy(), yTrue: ids, yPred: scores},
  sparseCategoricalCrossentropyFromLogits: {
    loss: sparseCategoricalCrossentropy({fromLogits: true}),
    yTrue: ids,
    yPred: logits,
  },
};

let keras: Record<string, TreeOut>;
beforeAll(async () => {
  const kerasCases: Record<string, KerasCase> = {};
  for (const [name, {loss, yTrue, yPred}] of Object.entries(cases)) {
    kerasCases[name] = {kind: 'loss', loss: kerasLoss(loss), yTrue, yPred};
  }
  keras = await runKeras('losses', kerasCases);
});

describe.each(BACKENDS)('losses on %s vs Keras', (backend) => {
  beforeAll(() => activate(backend));
  afterAll(() => console.log(`${backend}: ${worstErrors()}`));

  it.each(Object.keys(cases))(`%s: per-sample values, mean and gradient within ${TOLERANCE}`, (name) => {
    const {loss, yTrue, yPred} = cases[name]!;
    tf.tidy(() => {
      const target = toTensor(yTrue);
      const prediction = toTensor(yPred);
      const mean = (p: tf.Tensor) => tf.mean(loss(target, p));
      expectClose(`${name} per sample`, loss(target, prediction), field(keras[name], 'perSample'), TOLERANCE);
      expectClose(`${name} mean`, mean(prediction), field(keras[name], 'value'), TOLERANCE);
      expectClose(`${name} gradient`, tf.grad(mean)(prediction), field(keras[name], 'dyPred'), TOLERANCE);
    });
  });
});
