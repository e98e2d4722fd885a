// The confusion-count metrics of @trellis/metrics against keras.metrics, fed the
// same seeded batches: TruePositives … FalseNegatives, Precision and Recall
// (thresholds, top_k, class_id), the four *At* metrics, and AUC (ROC and PR,
// every summation method, custom thresholds, from_logits, multi_label, label
// weights). The value after every batch is compared (streaming), on cpu and wasm.
// Predictions include the edge values 0, 1, exact thresholds and grid points.
//
// Sample weights are multiples of 1/16, so every weighted count is exact in
// float32 whatever the order of summation: with evenly spaced thresholds Keras
// counts negatives as "total minus positives", and where that difference is
// near 0 (the specificity at a low threshold) the summation order of XLA and
// tfjs would show as a large relative error of a tiny number. Full-mantissa
// weights are used for precision, recall and ROC AUC, which have no such difference.
import * as tf from '@tensorflow/tfjs-core';
import {metrics, type Metric} from 'trellis';
import {afterAll, beforeAll, describe, it} from 'vitest';
import {BACKENDS, activate, bits, classIds, normalizeRows, oneHot, toTensor, uniformTensor} from './harness/cases';
import {expectClose, field, worstErrors} from './harness/compare';
import {runKeras, type KerasCase} from './harness/keras';
import type {HostTensor, TreeOut} from './harness/tensor-tree';

/** Counts and ratios of float32 sums: a few ulps apart at most. */
const TOLERANCE = 1e-6;
/** AUC sums up to 200 terms (and PR interpolation takes logs): summation order shows at about 1e-7. */
const AUC_TOLERANCE = 1e-5;
const SIZES = [11, 24, 5, 20];
const ROWS = SIZES.reduce((a, b) => a + b, 0);
const CLASSES = 5;
const LABELS = 4;

/** `host` with some values replaced: index → value. */
function withValues(host: HostTensor, replace: Record<number, number>): HostTensor {
  const values = Float32Array.from(host.values);
  for (const [i, v] of Object.entries(replace)) values[Number(i)] = v;
  return {...host, values};
}

/** `host` rounded to multiples of `1 / steps`. */
function quantize(host: HostTensor, steps: number): HostTensor {
  return {...host, values: host.values.map((v) => Math.round(v * steps) / steps) as Float32Array};
}

/** Rows `[start, start + size)` of `host`. */
function rows(host: HostTensor, start: number, size: number): HostTensor {
  const width = host.shape.slice(1).reduce((a, b) => a * b, 1);
  const values = host.values.slice(start * width, (start + size) * width);
  return {...host, shape: [size, ...host.shape.slice(1)], values} as HostTensor;
}

// Binary predictions with edge values: 0, 1, the default threshold, grid points of 200 and 3 thresholds.
const binaryPred = withValues(uniformTensor([ROWS], 31, 0, 1), {0: 0, 1: 1, 2: 0.5, 3: 0.25, 4: 100 / 199, 5: 0.75, 40: 0, 41: 1});
const binaryTrue = bits([ROWS], 32);
const binaryLogits = uniformTensor([ROWS], 33, -4, 4);
/** Sample weights in [0, 2] in steps of 1/16, so every weighted count is an exact float32 sum in any order (see the header). */
const weights = quantize(withValues(uniformTensor([ROWS], 34, 0, 2), {7: 0, 20: 0}), 16);
/** Weights with a full mantissa, for the metrics without a difference of sums. */
const rawWeights = uniformTensor([ROWS], 39, 0, 2);
const classPred = normalizeRows(uniformTensor([ROWS, CLASSES], 35, 0.01, 1));
const classTrue = oneHot(classIds([ROWS], CLASSES, 36), CLASSES);
const labelPred = withValues(uniformTensor([ROWS, LABELS], 37, 0, 1), {0: 0, 5: 1, 10: 0.5});
const labelTrue = bits([ROWS, LABELS], 38);
const binaryColumn: HostTensor = {...binaryTrue, shape: [ROWS, 1]};

type Data = {readonly yTrue: HostTensor; readonly yPred: HostTensor};
const DATA = {
  binary: {yTrue: binaryTrue, yPred: binaryPred},
  binaryColumnTrue: {yTrue: binaryColumn, yPred: binaryPred},
  logits: {yTrue: binaryTrue, yPred: binaryLogits},
  classes: {yTrue: classTrue, yPred: classPred},
  labels: {yTrue: labelTrue, yPred: labelPred},
} satisfies Record<string, Data>;

type Case = {
  readonly make: () => Metric;
  readonly keras: {readonly class_name: string; readonly config: Record<string, unknown>};
  readonly data: keyof typeof DATA;
  /** Sample weights: `true` for the quantized ones, `'raw'` for full-mantissa ones. */
  readonly weighted?: boolean | 'raw';
};

const k = (class_name: string, config: Record<string, unknown> = {}) => ({class_name, config});

const cases: Readonly<Record<string, Case>> = {
  // Counts.
  truePositives: {make: () => metrics.truePositives(), keras: k('TruePositives'), data: 'binary'},
  falsePositivesWeighted: {make: () => metrics.falsePositives(), keras: k('FalsePositives'), data: 'binary', weighted: true},
  trueNegativesList: {
    make: () => metrics.trueNegatives({thresholds: [0.1, 0.5, 0.9, 0.3]}),
    keras: k('TrueNegatives', {thresholds: [0.1, 0.5, 0.9, 0.3]}),
    data: 'binary',
    weighted: true,
  },
  falseNegativesEvenGrid: {
    make: () => metrics.falseNegatives({thresholds: [0, 0.25, 0.5, 0.75, 1]}),
    keras: k('FalseNegatives', {thresholds: [0, 0.25, 0.5, 0.75, 1]}),
    data: 'binary',
    weighted: true,
  },
  truePositivesClasses: {
    make: () => metrics.truePositives({thresholds: 0.3}),
    keras: k('TruePositives', {thresholds: 0.3}),
    data: 'classes',
    weighted: true,
  },
  falsePositivesLabelsEven: {
    make: () => metrics.falsePositives({thresholds: [0, 0.5, 1]}),
    keras: k('FalsePositives', {thresholds: [0, 0.5, 1]}),
    data: 'labels',
  },
  // Precision and recall.
  precision: {make: () => metrics.precision(), keras: k('Precision'), data: 'binary'},
  precisionWeighted: {make: () => metrics.precision(), keras: k('Precision'), data: 'binary', weighted: true},
  precisionRawWeights: {
    make: () => metrics.precision({thresholds: [0.3, 0.6]}),
    keras: k('Precision', {thresholds: [0.3, 0.6]}),
    data: 'classes',
    weighted: 'raw',
  },
  recallRawWeights: {make: () => metrics.recall({topK: 2}), keras: k('Recall', {top_k: 2}), data: 'classes', weighted: 'raw'},
  aucRocRawWeights: {
    make: () => metrics.auc({numThresholds: 100}),
    keras: k('AUC', {num_thresholds: 100}),
    data: 'binary',
    weighted: 'raw',
  },
  precisionColumnTargets: {make: () => metrics.precision(), keras: k('Precision'), data: 'binaryColumnTrue', weighted: true},
  precisionThresholds: {
    make: () => metrics.precision({thresholds: [0.2, 0.5, 0.8]}),
    keras: k('Precision', {thresholds: [0.2, 0.5, 0.8]}),
    data: 'binary',
    weighted: true,
  },
  precisionTop1: {make: () => metrics.precision({topK: 1}), keras: k('Precision', {top_k: 1}), data: 'classes', weighted: true},
  precisionTop2Class: {
    make: () => metrics.precision({topK: 2, classId: 3}),
    keras: k('Precision', {top_k: 2, class_id: 3}),
    data: 'classes',
  },
  precisionClassThresholds: {
    make: () => metrics.precision({classId: 1, thresholds: [0.1, 0.2]}),
    keras: k('Precision', {class_id: 1, thresholds: [0.1, 0.2]}),
    data: 'classes',
    weighted: true,
  },
  precisionTopKThreshold: {
    make: () => metrics.precision({topK: 2, thresholds: 0.2}),
    keras: k('Precision', {top_k: 2, thresholds: 0.2}),
    data: 'classes',
  },
  precisionLabels: {
    make: () => metrics.precision({thresholds: 0.6}),
    keras: k('Precision', {thresholds: 0.6}),
    data: 'labels',
    weighted: true,
  },
  recall: {make: () => metrics.recall(), keras: k('Recall'), data: 'binary'},
  recallWeighted: {make: () => metrics.recall(), keras: k('Recall'), data: 'binary', weighted: true},
  recallEvenGrid: {
    make: () => metrics.recall({thresholds: [0, 0.5, 1]}),
    keras: k('Recall', {thresholds: [0, 0.5, 1]}),
    data: 'binary',
    weighted: true,
  },
  recallTop3: {make: () => metrics.recall({topK: 3}), keras: k('Recall', {top_k: 3}), data: 'classes', weighted: true},
  recallClass: {make: () => metrics.recall({classId: 4}), keras: k('Recall', {class_id: 4}), data: 'classes', weighted: true},
  recallTop1Class: {make: () => metrics.recall({topK: 1, classId: 0}), keras: k('Recall', {top_k: 1, class_id: 0}), data: 'classes'},
  // The *At* metrics.
  precisionAtRecall: {
    make: () => metrics.precisionAtRecall({recall: 0.7}),
    keras: k('PrecisionAtRecall', {recall: 0.7}),
    data: 'binary',
    weighted: true,
  },
  precisionAtRecall20: {
    make: () => metrics.precisionAtRecall({recall: 0.4, numThresholds: 20}),
    keras: k('PrecisionAtRecall', {recall: 0.4, num_thresholds: 20}),
    data: 'binary',
  },
  recallAtPrecision: {
    make: () => metrics.recallAtPrecision({precision: 0.6}),
    keras: k('RecallAtPrecision', {precision: 0.6}),
    data: 'binary',
    weighted: true,
  },
  recallAtPrecisionClass: {
    make: () => metrics.recallAtPrecision({precision: 0.3, classId: 2, numThresholds: 50}),
    keras: k('RecallAtPrecision', {precision: 0.3, class_id: 2, num_thresholds: 50}),
    data: 'classes',
    weighted: true,
  },
  sensitivityAtSpecificity: {
    make: () => metrics.sensitivityAtSpecificity({specificity: 0.5}),
    keras: k('SensitivityAtSpecificity', {specificity: 0.5}),
    data: 'binary',
    weighted: true,
  },
  sensitivityAtSpecificity1: {
    make: () => metrics.sensitivityAtSpecificity({specificity: 1, numThresholds: 3}),
    keras: k('SensitivityAtSpecificity', {specificity: 1, num_thresholds: 3}),
    data: 'binary',
  },
  specificityAtSensitivity: {
    make: () => metrics.specificityAtSensitivity({sensitivity: 0.8}),
    keras: k('SpecificityAtSensitivity', {sensitivity: 0.8}),
    data: 'binary',
    weighted: true,
  },
  specificityAtSensitivityLabels: {
    make: () => metrics.specificityAtSensitivity({sensitivity: 0.9, numThresholds: 11}),
    keras: k('SpecificityAtSensitivity', {sensitivity: 0.9, num_thresholds: 11}),
    data: 'labels',
    weighted: true,
  },
  // AUC.
  aucRoc: {make: () => metrics.auc(), keras: k('AUC'), data: 'binary'},
  aucRocWeighted: {make: () => metrics.auc(), keras: k('AUC'), data: 'binary', weighted: true},
  aucRocMinoring: {
    make: () => metrics.auc({summationMethod: 'minoring'}),
    keras: k('AUC', {summation_method: 'minoring'}),
    data: 'binary',
    weighted: true,
  },
  aucRocMajoring: {
    make: () => metrics.auc({summationMethod: 'majoring', numThresholds: 17}),
    keras: k('AUC', {summation_method: 'majoring', num_thresholds: 17}),
    data: 'binary',
    weighted: true,
  },
  aucPr: {make: () => metrics.auc({curve: 'PR'}), keras: k('AUC', {curve: 'PR'}), data: 'binary', weighted: true},
  aucPrFew: {make: () => metrics.auc({curve: 'PR', numThresholds: 7}), keras: k('AUC', {curve: 'PR', num_thresholds: 7}), data: 'binary'},
  aucPrMinoring: {
    make: () => metrics.auc({curve: 'PR', summationMethod: 'minoring'}),
    keras: k('AUC', {curve: 'PR', summation_method: 'minoring'}),
    data: 'binary',
    weighted: true,
  },
  aucPrMajoring: {
    make: () => metrics.auc({curve: 'PR', summationMethod: 'majoring'}),
    keras: k('AUC', {curve: 'PR', summation_method: 'majoring'}),
    data: 'binary',
  },
  aucThresholds: {
    make: () => metrics.auc({thresholds: [0.7, 0.1, 0.3, 0.5]}),
    keras: k('AUC', {thresholds: [0.7, 0.1, 0.3, 0.5]}),
    data: 'binary',
    weighted: true,
  },
  aucThresholdsEven: {
    make: () => metrics.auc({curve: 'PR', thresholds: [0.25, 0.5, 0.75]}),
    keras: k('AUC', {curve: 'PR', thresholds: [0.25, 0.5, 0.75]}),
    data: 'binary',
    weighted: true,
  },
  aucFromLogits: {make: () => metrics.auc({fromLogits: true}), keras: k('AUC', {from_logits: true}), data: 'logits', weighted: true},
  aucFlattenedClasses: {make: () => metrics.auc(), keras: k('AUC'), data: 'classes', weighted: true},
  aucMultiLabel: {make: () => metrics.auc({multiLabel: true}), keras: k('AUC', {multi_label: true}), data: 'labels', weighted: true},
  aucMultiLabelPr: {
    make: () => metrics.auc({multiLabel: true, numLabels: LABELS, curve: 'PR'}),
    keras: k('AUC', {multi_label: true, num_labels: LABELS, curve: 'PR'}),
    data: 'labels',
    weighted: true,
  },
  aucMultiLabelWeights: {
    make: () => metrics.auc({multiLabel: true, labelWeights: [0.5, 2, 0, 1]}),
    keras: k('AUC', {multi_label: true, label_weights: [0.5, 2, 0, 1]}),
    data: 'labels',
  },
  aucLabelWeightsFlattened: {
    make: () => metrics.auc({labelWeights: [0.5, 2, 0, 1], numThresholds: 50}),
    keras: k('AUC', {label_weights: [0.5, 2, 0, 1], num_thresholds: 50}),
    data: 'labels',
    weighted: true,
  },
};

/** The batches of a case, as host tensors. */
function batchesOf(c: Case): {yTrue: HostTensor; yPred: HostTensor; sampleWeight?: HostTensor}[] {
  const data = DATA[c.data];
  let start = 0;
  return SIZES.map((size) => {
    const batch = {
      yTrue: rows(data.yTrue, start, size),
      yPred: rows(data.yPred, start, size),
      ...(c.weighted ? {sampleWeight: rows(c.weighted === 'raw' ? rawWeights : weights, start, size)} : {}),
    };
    start += size;
    return batch;
  });
}

/** Runs `metric` over the batches as fit does; returns the result after each batch. */
function streamed(metric: Metric, c: Case): tf.Tensor[] {
  let state = metric.init();
  const out: tf.Tensor[] = [];
  for (const b of batchesOf(c)) {
    const [yTrue, yPred] = [toTensor(b.yTrue), toTensor(b.yPred)];
    const sw = b.sampleWeight ? toTensor(b.sampleWeight) : undefined;
    const next = metric.update(state, yTrue, yPred, sw);
    tf.dispose([state as never, yTrue, yPred, ...(sw ? [sw] : [])]);
    state = next;
    out.push(metric.result(state));
  }
  tf.dispose(state as never);
  return out;
}

describe('confusion metrics vs keras.metrics', () => {
  let keras: Record<string, TreeOut>;
  beforeAll(async () => {
    const kerasCases: Record<string, KerasCase> = {};
    for (const [name, c] of Object.entries(cases)) {
      kerasCases[name] = {kind: 'metric', metric: c.keras as never, batches: batchesOf(c) as never};
    }
    keras = await runKeras('metrics-confusion', kerasCases);
  }, 300_000);

  for (const backend of BACKENDS) {
    describe(backend, () => {
      beforeAll(() => activate(backend));
      afterAll(() => console.log(`${backend}: ${worstErrors()}`));
      for (const [name, c] of Object.entries(cases)) {
        it(`${name} (${c.keras.class_name})`, async () => {
          const metric = c.make();
          const before = tf.memory().numTensors;
          const ours = streamed(metric, c);
          const tolerance = c.keras.class_name === 'AUC' ? AUC_TOLERANCE : TOLERANCE;
          try {
            for (const [i, r] of ours.entries()) {
              await expectClose(`${backend} ${name} after batch ${i + 1}`, r, field(keras[name], 'results', i), tolerance);
            }
          } finally {
            tf.dispose(ours);
          }
          if (tf.memory().numTensors !== before) throw new Error(`${name}: ${tf.memory().numTensors - before} tensors leaked`);
        });
      }
    });
  }
});
