// The metrics of @trellis/metrics against keras.metrics (and scikit-learn for
// the confusion matrix): the same seeded batches are fed to both, with and
// without sample weights, and the value after every batch is compared
// (streaming, so the state's sums are checked, not just one result). Top-k
// accuracies (ties included), F1/F-beta (every average, argmax and
// thresholds, multi-class, multi-label, binary), every regression metric and
// R², on cpu and wasm.
import * as tf from '@tensorflow/tfjs-core';
import {randomGenerator} from '@trellis/testing';
import {metrics, type Json, type Metric} from 'trellis';
import {StreamingMetric, computeMetricAsync} from '@trellis/metrics';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {BACKENDS, activate, classIds, oneHot, toTensor, uniformTensor} from './harness/cases';
import {expectClose, field, worstErrors} from './harness/compare';
import {runKeras, type KerasCase} from './harness/keras';
import type {HostTensor, TreeOut} from './harness/tensor-tree';

const TOLERANCE = 1e-6;
const SIZES = [16, 23, 7, 32];
const CLASSES = 5;
const total = SIZES.reduce((a, b) => a + b, 0);

/** Float32 values on a grid of `steps` levels in [0, 1): frequent ties. */
function gridTensor(shape: number[], seed: number, steps: number): HostTensor {
  const next = randomGenerator(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return {dtype: 'float32', shape, values: Float32Array.from({length: n}, () => Math.floor(next() * steps) / steps)};
}

/** Multi-hot 0/1 targets that agree with `scores > 0.5` about 70% of the time. */
function multiHot(scores: HostTensor, seed: number): HostTensor {
  const next = randomGenerator(seed);
  return {...scores, values: scores.values.map((v) => (next() < 0.7 ? (v > 0.5 ? 1 : 0) : next() < 0.5 ? 1 : 0)) as Float32Array};
}

/** Rows `[from, to)` of a host tensor. */
function rows(host: HostTensor, from: number, to: number): HostTensor {
  const w = host.shape.slice(1).reduce((a, b) => a * b, 1);
  return {dtype: host.dtype, shape: [to - from, ...host.shape.slice(1)], values: host.values.slice(from * w, to * w)};
}

type Data = {yTrue: HostTensor; yPred: HostTensor};
type Case = {make: () => Metric; keras: {class_name: string; config: Record<string, Json>}; data: Data; weighted: boolean};

/** Cuts whole-data tensors into the batches of SIZES. */
function batches(data: Data, weights?: HostTensor): {yTrue: HostTensor; yPred: HostTensor; sampleWeight?: HostTensor}[] {
  let at = 0;
  return SIZES.map((n) => {
    const b = {
      yTrue: rows(data.yTrue, at, at + n),
      yPred: rows(data.yPred, at, at + n),
      ...(weights ? {sampleWeight: rows(weights, at, at + n)} : {}),
    };
    at += n;
    return b;
  });
}

// Shared seeded data.
const weights = uniformTensor([total], 31, 0, 2);
const classScores = gridTensor([total, CLASSES], 32, 8);
const sparseIds = classIds([total], CLASSES, 33);
const sparseColumn: HostTensor = {...sparseIds, shape: [total, 1]};
const oneHotIds = oneHot(sparseIds, CLASSES);
const probabilities = uniformTensor([total, CLASSES], 34, 0, 1);
const labelsMulti = multiHot(probabilities, 35);
const binaryScores = uniformTensor([total, 1], 36, 0, 1);
const binaryLabels = multiHot(binaryScores, 37);
const regTrue = uniformTensor([total, 3], 38, -2, 3);
const regPred: HostTensor = {...regTrue, values: regTrue.values.map((v, i) => v + Math.sin(i * 1.7) * 0.8) as Float32Array};
const regTrue1: HostTensor = {
  ...rows(regTrue, 0, total),
  shape: [total, 1],
  values: regTrue.values.filter((_, i) => i % 3 === 0) as Float32Array,
};
const regPred1: HostTensor = {...regTrue1, values: regTrue1.values.map((v, i) => v * 0.9 + Math.cos(i) * 0.5) as Float32Array};
const positiveTrue: HostTensor = {...regTrue, values: regTrue.values.map((v) => Math.abs(v) + 0.1) as Float32Array};
const positivePred: HostTensor = {...regPred, values: regPred.values.map((v) => Math.abs(v)) as Float32Array};

const multiClass = {yTrue: oneHotIds, yPred: classScores};
const multiClassProbabilities = {yTrue: oneHotIds, yPred: probabilities};
const multiLabel = {yTrue: labelsMulti, yPred: probabilities};
const binary = {yTrue: binaryLabels, yPred: binaryScores};
const regression = {yTrue: regTrue, yPred: regPred};
const regression1 = {yTrue: regTrue1, yPred: regPred1};
const positive = {yTrue: positiveTrue, yPred: positivePred};

const base: Record<string, Omit<Case, 'weighted'>> = {};
const add = (name: string, make: () => Metric, class_name: string, config: Record<string, Json>, data: Data) => {
  base[name] = {make, keras: {class_name, config}, data};
};

for (const k of [1, 2, 3]) add(`topK${k}`, () => metrics.topKCategoricalAccuracy({k}), 'TopKCategoricalAccuracy', {k}, multiClass);
for (const k of [1, 3]) {
  add(
    `sparseTopK${k}`,
    () => metrics.sparseTopKCategoricalAccuracy({k}),
    'SparseTopKCategoricalAccuracy',
    {k},
    {yTrue: sparseIds, yPred: classScores},
  );
  add(
    `sparseTopK${k}Column`,
    () => metrics.sparseTopKCategoricalAccuracy({k}),
    'SparseTopKCategoricalAccuracy',
    {k},
    {yTrue: sparseColumn, yPred: classScores},
  );
}
const averages = [null, 'micro', 'macro', 'weighted'] as const;
for (const average of averages) {
  const tag = average ?? 'none';
  add(`f1Argmax_${tag}`, () => metrics.f1Score({average}), 'F1Score', {average}, multiClassProbabilities);
  add(`f1ArgmaxTies_${tag}`, () => metrics.f1Score({average}), 'F1Score', {average}, multiClass);
  add(`f1MultiLabel_${tag}`, () => metrics.f1Score({average, threshold: 0.5}), 'F1Score', {average, threshold: 0.5}, multiLabel);
  add(`f1Binary_${tag}`, () => metrics.f1Score({average, threshold: 0.5}), 'F1Score', {average, threshold: 0.5}, binary);
  // Keras wants a Python float: JSON cannot say 2.0, so a beta with a fraction.
  add(`fBeta1_5_${tag}`, () => metrics.fBetaScore({average, beta: 1.5}), 'FBetaScore', {average, beta: 1.5}, multiClassProbabilities);
  add(
    `fBetaHalf_${tag}`,
    () => metrics.fBetaScore({average, beta: 0.5, threshold: 0.3}),
    'FBetaScore',
    {average, beta: 0.5, threshold: 0.3},
    multiLabel,
  );
}
add('mse', () => metrics.meanSquaredError(), 'MeanSquaredError', {}, regression);
add('mse1', () => metrics.meanSquaredError(), 'MeanSquaredError', {}, regression1);
add('rmse', () => metrics.rootMeanSquaredError(), 'RootMeanSquaredError', {}, regression);
add('mae', () => metrics.meanAbsoluteError(), 'MeanAbsoluteError', {}, regression);
add('mape', () => metrics.meanAbsolutePercentageError(), 'MeanAbsolutePercentageError', {}, regression);
add('msle', () => metrics.meanSquaredLogarithmicError(), 'MeanSquaredLogarithmicError', {}, positive);
add('msleNegative', () => metrics.meanSquaredLogarithmicError(), 'MeanSquaredLogarithmicError', {}, regression);
add('cosine', () => metrics.cosineSimilarity(), 'CosineSimilarity', {}, regression);
add('logCosh', () => metrics.logCoshError(), 'LogCoshError', {}, regression);
add('r2Uniform', () => metrics.r2Score(), 'R2Score', {}, regression);
add(
  'r2VarianceWeighted',
  () => metrics.r2Score({classAggregation: 'variance_weighted_average'}),
  'R2Score',
  {class_aggregation: 'variance_weighted_average'},
  regression,
);
add('r2PerOutput', () => metrics.r2Score({classAggregation: null}), 'R2Score', {class_aggregation: null}, regression);
add('r2Single', () => metrics.r2Score(), 'R2Score', {}, regression1);
add('r2Adjusted', () => metrics.r2Score({numRegressors: 2}), 'R2Score', {num_regressors: 2}, regression1);

const cases: Record<string, Case> = {};
for (const [name, c] of Object.entries(base)) {
  cases[name] = {...c, weighted: false};
  cases[`${name}Weighted`] = {...c, weighted: true};
}
// Adjusted R² with weights: Keras 3.15.1 counts every sample for n, later Keras only those with a
// non-zero weight (as Trellis); the weights here are all positive so both agree.
const positiveWeights: HostTensor = {...weights, values: weights.values.map((w) => w + 0.25) as Float32Array};

function kerasCase(c: Case): KerasCase {
  const w = c.weighted ? (c.keras.class_name === 'R2Score' ? positiveWeights : weights) : undefined;
  return {kind: 'metric', metric: c.keras, batches: batches(c.data, w)};
}

// sklearn's confusion matrix on the whole data, with and without weights.
const predictedIds: HostTensor = {
  dtype: 'int32',
  shape: [total],
  values: Int32Array.from({length: total}, (_, i) => {
    const row = probabilities.values.subarray(i * CLASSES, (i + 1) * CLASSES);
    return row.indexOf(Math.max(...row));
  }),
};
const confusionCases: Record<string, KerasCase> = {
  confusion: {kind: 'confusionMatrix', yTrue: sparseIds, yPred: predictedIds, numClasses: CLASSES},
  confusionWeighted: {kind: 'confusionMatrix', yTrue: sparseIds, yPred: predictedIds, sampleWeight: weights, numClasses: CLASSES},
  confusionExtraClass: {kind: 'confusionMatrix', yTrue: sparseIds, yPred: predictedIds, numClasses: CLASSES + 2},
};

let keras: Record<string, TreeOut>;
beforeAll(async () => {
  const all: Record<string, KerasCase> = {...confusionCases};
  for (const [name, c] of Object.entries(cases)) all[name] = kerasCase(c);
  keras = await runKeras('metrics', all);
}, 600_000);

describe.each(BACKENDS)('metrics on %s vs keras.metrics', (backend) => {
  beforeAll(() => activate(backend));
  afterAll(() => console.log(`${backend}: ${worstErrors()}`));

  for (const [name, c] of Object.entries(cases)) {
    it(`${name} (${c.keras.class_name} ${JSON.stringify(c.keras.config)})`, async () => {
      const w = c.weighted ? (c.keras.class_name === 'R2Score' ? positiveWeights : weights) : undefined;
      const streaming = new StreamingMetric(c.make());
      const expected = field(keras[name], 'results') as TreeOut[];
      for (const [i, b] of batches(c.data, w).entries()) {
        const inputs = [toTensor(b.yTrue), toTensor(b.yPred), b.sampleWeight ? toTensor(b.sampleWeight) : undefined] as const;
        streaming.update(inputs[0], inputs[1], inputs[2]);
        tf.dispose(inputs.filter((t) => t !== undefined));
        const ours = streaming.resultTensor();
        try {
          await expectClose(`${name} after batch ${i}`, ours, expected[i], TOLERANCE);
        } finally {
          ours.dispose();
        }
      }
      streaming.dispose();
    });
  }

  for (const [name, c] of Object.entries(confusionCases)) {
    it(`${name} equals sklearn.metrics.confusion_matrix`, async () => {
      const numClasses = c['numClasses'] as number;
      // Scores (argmax) for the matching class count, else the predicted ids.
      const predictions = numClasses === CLASSES ? probabilities : predictedIds;
      const inputs = [toTensor(sparseIds), toTensor(predictions), c['sampleWeight'] ? toTensor(weights) : undefined] as const;
      const ours = (await computeMetricAsync(metrics.confusionMatrix({numClasses}), inputs[0], inputs[1], inputs[2])) as number[][];
      tf.dispose(inputs.filter((t) => t !== undefined));
      const sklearn = field(keras[name], 'matrix') as HostTensor;
      expect(sklearn.shape).toEqual([numClasses, numClasses]);
      const comparison = await expectClose(`${name} matrix`, ours.flat(), sklearn, c['sampleWeight'] ? TOLERANCE : 0);
      expect(comparison.error).toBeLessThanOrEqual(c['sampleWeight'] ? TOLERANCE : 0);
    });
  }
});
