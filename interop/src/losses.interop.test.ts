// Every loss of @trellis/layers, with each of its options, against
// keras.losses: per-sample values, the mean Keras reports, and its gradient
// with respect to the predictions, on cpu and wasm. Then reduceLoss with
// sample weights under each of Keras' reductions.
import * as tf from '@tensorflow/tfjs-core';
import {binaryCrossentropy, categoricalCrossentropy, losses, meanSquaredError, sparseCategoricalCrossentropy, type Loss} from 'trellis';
import {reduceLoss, type LossReduction} from '@trellis/layers';
import {afterAll, beforeAll, describe, it} from 'vitest';
import {BACKENDS, activate, bits, classIds, normalizeRows, oneHot, tidyAsync, toTensor, uniformTensor} from './harness/cases';
import {expectClose, field, worstErrors} from './harness/compare';
import {kerasLoss} from './harness/keras-config';
import {runKeras, type KerasCase} from './harness/keras';
import type {HostTensor, TreeOut} from './harness/tensor-tree';

const TOLERANCE = 1e-5;
const BATCH = 16;
const CLASSES = 7;
/** Rank-3 cases put the classes at axis 1: `[BATCH, CLASSES, STEPS]`. */
const STEPS = 4;

const ids = classIds([BATCH], CLASSES, 11);
/** Positive scores that do not sum to 1 (Keras renormalizes probabilities). */
const scores = uniformTensor([BATCH, CLASSES], 12, 0.02, 1);
const logits = uniformTensor([BATCH, CLASSES], 13, -5, 5);

/** `values` with every odd element negated. */
function alternateSigns(host: HostTensor): HostTensor {
  return {...host, values: host.values.map((v, i) => (i % 2 === 0 ? v : -v)) as Float32Array};
}

/** One-hot `[BATCH, CLASSES, steps]` targets (classes at axis 1) for `ids` of shape `[BATCH, steps]`. */
function oneHotAxis1(idsBT: HostTensor, steps: number): HostTensor {
  const values = new Float32Array(BATCH * CLASSES * steps);
  idsBT.values.forEach((id, i) => {
    const b = Math.floor(i / steps);
    values[(b * CLASSES + id) * steps + (i % steps)] = 1;
  });
  return {dtype: 'float32', shape: [BATCH, CLASSES, steps], values};
}

type LossCase = {loss: Loss; yTrue: HostTensor; yPred: HostTensor};
const regression = {yTrue: uniformTensor([BATCH, 5], 1), yPred: uniformTensor([BATCH, 5], 2)};
const wideRegression = {yTrue: uniformTensor([BATCH, 5], 21, -3, 3), yPred: uniformTensor([BATCH, 5], 22, -3, 3)};
const binary = {yTrue: bits([BATCH, 5], 3), yPred: uniformTensor([BATCH, 5], 4, 0.01, 0.99)};
const binaryLogits = {yTrue: bits([BATCH, 5], 7), yPred: uniformTensor([BATCH, 5], 8, -6, 6)};
const softBinary = {yTrue: uniformTensor([BATCH, 5], 5, 0, 1), yPred: uniformTensor([BATCH, 5], 6, 0.01, 0.99)};
const softCategorical = normalizeRows(uniformTensor([BATCH, CLASSES], 23, 0.01, 1));
const idsBT = classIds([BATCH, STEPS], CLASSES, 24);
const oneHotBCT = oneHotAxis1(idsBT, STEPS);
const scoresBCT = uniformTensor([BATCH, CLASSES, STEPS], 25, 0.02, 1);
const logitsBCT = uniformTensor([BATCH, CLASSES, STEPS], 26, -4, 4);
// Keras 3 on JAX accepts sparse targets with axis=1 only when the class axis and the last axis have the same size.
const idsSquare = classIds([BATCH, CLASSES], CLASSES, 27);
const logitsSquare = uniformTensor([BATCH, CLASSES, CLASSES], 28, -4, 4);
const scoresSquare = uniformTensor([BATCH, CLASSES, CLASSES], 29, 0.02, 1);

const cases: Record<string, LossCase> = {
  meanSquaredError: {loss: meanSquaredError(), ...regression},
  binaryCrossentropy: {loss: binaryCrossentropy(), ...binary},
  binaryCrossentropySoftTargets: {loss: binaryCrossentropy(), ...softBinary},
  binaryCrossentropyFromLogits: {loss: binaryCrossentropy({fromLogits: true}), ...binaryLogits},
  binaryCrossentropyLabelSmoothing: {loss: binaryCrossentropy({labelSmoothing: 0.2}), ...binary},
  binaryCrossentropyFromLogitsLabelSmoothing: {
    loss: binaryCrossentropy({fromLogits: true, labelSmoothing: 0.1}),
    ...binaryLogits,
  },
  categoricalCrossentropy: {loss: categoricalCrossentropy(), yTrue: oneHot(ids, CLASSES), yPred: scores},
  categoricalCrossentropyFromLogits: {
    loss: categoricalCrossentropy({fromLogits: true}),
    yTrue: oneHot(ids, CLASSES),
    yPred: logits,
  },
  categoricalCrossentropyLabelSmoothing: {
    loss: categoricalCrossentropy({labelSmoothing: 0.3}),
    yTrue: oneHot(ids, CLASSES),
    yPred: scores,
  },
  categoricalCrossentropyAxis1: {loss: categoricalCrossentropy({axis: 1}), yTrue: oneHotBCT, yPred: scoresBCT},
  categoricalCrossentropyAxis1FromLogitsLabelSmoothing: {
    loss: categoricalCrossentropy({axis: 1, fromLogits: true, labelSmoothing: 0.2}),
    yTrue: oneHotBCT,
    yPred: logitsBCT,
  },
  sparseCategoricalCrossentropy: {loss: sparseCategoricalCrossentropy(), yTrue: ids, yPred: scores},
  sparseCategoricalCrossentropyFromLogits: {
    loss: sparseCategoricalCrossentropy({fromLogits: true}),
    yTrue: ids,
    yPred: logits,
  },
  sparseCategoricalCrossentropyAxis1: {loss: sparseCategoricalCrossentropy({axis: 1}), yTrue: idsSquare, yPred: scoresSquare},
  sparseCategoricalCrossentropyAxis1FromLogits: {
    loss: sparseCategoricalCrossentropy({axis: 1, fromLogits: true}),
    yTrue: idsSquare,
    yPred: logitsSquare,
  },
  meanAbsoluteError: {loss: losses.meanAbsoluteError(), ...regression},
  meanAbsolutePercentageError: {
    loss: losses.meanAbsolutePercentageError(),
    yTrue: alternateSigns(uniformTensor([BATCH, 5], 30, 0.5, 3)),
    yPred: uniformTensor([BATCH, 5], 31, -3, 3),
  },
  meanSquaredLogarithmicError: {
    loss: losses.meanSquaredLogarithmicError(),
    yTrue: uniformTensor([BATCH, 5], 32, 0, 4),
    yPred: uniformTensor([BATCH, 5], 33, -1, 4),
  },
  huber: {loss: losses.huber(), ...wideRegression},
  huberDelta: {loss: losses.huber({delta: 2.5}), ...wideRegression},
  logCosh: {loss: losses.logCosh(), ...wideRegression},
  poisson: {
    loss: losses.poisson(),
    yTrue: {...uniformTensor([BATCH, 5], 34, 0, 6), values: uniformTensor([BATCH, 5], 34, 0, 6).values.map(Math.floor)},
    yPred: uniformTensor([BATCH, 5], 35, 0.01, 5),
  },
  cosineSimilarity: {loss: losses.cosineSimilarity(), ...regression},
  cosineSimilarityAxis1: {loss: losses.cosineSimilarity({axis: 1}), yTrue: scoresBCT, yPred: logitsBCT},
  hingeZeroOne: {loss: losses.hinge(), yTrue: bits([BATCH, 5], 36), yPred: uniformTensor([BATCH, 5], 37, -2, 2)},
  hingeSigns: {
    loss: losses.hinge(),
    yTrue: {...bits([BATCH, 5], 38), values: bits([BATCH, 5], 38).values.map((v) => 2 * v - 1)},
    yPred: uniformTensor([BATCH, 5], 39, -2, 2),
  },
  hingeRealTargets: {
    loss: losses.hinge(),
    yTrue: uniformTensor([BATCH, 5], 40, -1.5, 1.5),
    yPred: uniformTensor([BATCH, 5], 41, -2, 2),
  },
  squaredHingeZeroOne: {loss: losses.squaredHinge(), yTrue: bits([BATCH, 5], 42), yPred: uniformTensor([BATCH, 5], 43, -2, 2)},
  squaredHingeRealTargets: {
    loss: losses.squaredHinge(),
    yTrue: uniformTensor([BATCH, 5], 44, -1.5, 1.5),
    yPred: uniformTensor([BATCH, 5], 45, -2, 2),
  },
  categoricalHinge: {loss: losses.categoricalHinge(), yTrue: oneHot(ids, CLASSES), yPred: logits},
  kullbackLeiblerDivergence: {loss: losses.kullbackLeiblerDivergence(), yTrue: softCategorical, yPred: normalizeRows(scores)},
  binaryFocalCrossentropy: {loss: losses.binaryFocalCrossentropy(), ...binary},
  binaryFocalCrossentropyAllOptions: {
    loss: losses.binaryFocalCrossentropy({applyClassBalancing: true, alpha: 0.4, gamma: 1.5, labelSmoothing: 0.1}),
    ...softBinary,
  },
  binaryFocalCrossentropyFromLogits: {
    loss: losses.binaryFocalCrossentropy({fromLogits: true, applyClassBalancing: true, gamma: 3}),
    ...binaryLogits,
  },
  categoricalFocalCrossentropy: {loss: losses.categoricalFocalCrossentropy(), yTrue: oneHot(ids, CLASSES), yPred: scores},
  categoricalFocalCrossentropyFromLogits: {
    loss: losses.categoricalFocalCrossentropy({fromLogits: true, alpha: 0.5, gamma: 1, labelSmoothing: 0.1}),
    yTrue: softCategorical,
    yPred: logits,
  },
  categoricalFocalCrossentropyAxis1: {
    loss: losses.categoricalFocalCrossentropy({axis: 1, fromLogits: true, labelSmoothing: 0.2}),
    yTrue: oneHotBCT,
    yPred: logitsBCT,
  },
};

/** reduceLoss cases: a loss, with sample weights, under one of Keras' reductions. */
type ReductionCase = LossCase & {reduction: LossReduction; sampleWeight?: HostTensor};
const weights = uniformTensor([BATCH], 50, 0, 2);
const weightsColumn: HostTensor = {...weights, shape: [BATCH, 1]};
const KERAS_REDUCTIONS: Record<LossReduction, string> = {
  sum: 'sum',
  sumOverBatchSize: 'sum_over_batch_size',
  mean: 'mean',
  meanWithSampleWeight: 'mean_with_sample_weight',
  none: 'none',
};
const reductionCases: Record<string, ReductionCase> = {
  sumOverBatchSizeWeighted: {
    loss: binaryCrossentropy({fromLogits: true}),
    ...binaryLogits,
    reduction: 'sumOverBatchSize',
    sampleWeight: weights,
  },
  sumWeightedColumn: {
    loss: binaryCrossentropy({fromLogits: true}),
    ...binaryLogits,
    reduction: 'sum',
    sampleWeight: weightsColumn,
  },
  meanWeighted: {loss: losses.huber(), ...wideRegression, reduction: 'mean', sampleWeight: weights},
  meanWithSampleWeightWeighted: {
    loss: sparseCategoricalCrossentropy({fromLogits: true}),
    yTrue: ids,
    yPred: logits,
    reduction: 'meanWithSampleWeight',
    sampleWeight: weights,
  },
  meanWithSampleWeightUnweighted: {loss: losses.meanAbsoluteError(), ...regression, reduction: 'meanWithSampleWeight'},
  sumUnweighted: {loss: categoricalCrossentropy(), yTrue: oneHot(ids, CLASSES), yPred: scores, reduction: 'sum'},
  noneWeighted: {loss: meanSquaredError(), ...regression, reduction: 'none', sampleWeight: weights},
};

let keras: Record<string, TreeOut>;
beforeAll(async () => {
  const kerasCases: Record<string, KerasCase> = {};
  for (const [name, {loss, yTrue, yPred}] of Object.entries(cases)) {
    kerasCases[name] = {kind: 'loss', loss: kerasLoss(loss), yTrue, yPred};
  }
  for (const [name, {loss, yTrue, yPred, reduction, sampleWeight}] of Object.entries(reductionCases)) {
    kerasCases[`reduceLoss-${name}`] = {
      kind: 'loss',
      loss: kerasLoss(loss),
      yTrue,
      yPred,
      reduction: KERAS_REDUCTIONS[reduction],
      ...(sampleWeight ? {sampleWeight} : {}),
    };
  }
  keras = await runKeras('losses', kerasCases);
});

/** Keras' per-element losses (`[batch, ...]`) averaged into per-sample values, as Trellis reports them. */
function kerasPerSample(name: string): tf.Tensor {
  const host = field(keras[name], 'perSample') as HostTensor;
  const t = toTensor(host);
  return t.rank === 1
    ? t
    : tf.mean(
        t,
        Array.from({length: t.rank - 1}, (_, i) => i + 1),
      );
}

describe.each(BACKENDS)('losses on %s vs Keras', (backend) => {
  beforeAll(() => activate(backend));
  afterAll(() => console.log(`${backend}: ${worstErrors()}`));

  it.each(Object.keys(cases))(`%s: per-sample values, mean and gradient within ${TOLERANCE}`, async (name) => {
    const {loss, yTrue, yPred} = cases[name]!;
    await tidyAsync(async () => {
      const target = toTensor(yTrue);
      const prediction = toTensor(yPred);
      const mean = (p: tf.Tensor) => tf.mean(loss(target, p));
      await expectClose(`${name} per sample`, loss(target, prediction), kerasPerSample(name), TOLERANCE);
      await expectClose(`${name} mean`, mean(prediction), field(keras[name], 'value'), TOLERANCE);
      await expectClose(`${name} gradient`, tf.grad(mean)(prediction), field(keras[name], 'dyPred'), TOLERANCE);
    });
  });

  it.each(Object.keys(reductionCases))(`reduceLoss %s: value and gradient within ${TOLERANCE}`, async (name) => {
    const {loss, yTrue, yPred, reduction, sampleWeight} = reductionCases[name]!;
    const kerasName = `reduceLoss-${name}`;
    await tidyAsync(async () => {
      const target = toTensor(yTrue);
      const prediction = toTensor(yPred);
      const weight = sampleWeight ? toTensor(sampleWeight) : undefined;
      const reduced = (p: tf.Tensor) => reduceLoss(loss(target, p), {reduction, sampleWeight: weight});
      const kerasValue = field(keras[kerasName], 'value');
      await expectClose(`reduceLoss ${name} value`, reduced(prediction), kerasValue, TOLERANCE);
      const gradient = tf.grad((p) => tf.sum(reduced(p)))(prediction);
      await expectClose(`reduceLoss ${name} gradient`, gradient, field(keras[kerasName], 'dyPred'), TOLERANCE);
    });
  });
});
