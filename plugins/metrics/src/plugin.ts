import {ConfigError, aliasOf, type Plugin, type Registry, type Spec} from '@trellis/core';
import {accuracy} from './accuracy';
import {binaryAccuracy} from './binary-accuracy';
import {categoricalAccuracy} from './categorical-accuracy';
import {confusionMetricFactories} from './confusion/registrations';
import {confusionMatrix} from './confusion-matrix';
import {f1Score, fBetaScore} from './f-beta-score';
import {mean, sum, type ValueFn} from './mean-wrappers';
import {r2Score} from './r2-score';
import {regressionMetrics} from './regression-metrics';
import {sparseCategoricalAccuracy} from './sparse-categorical-accuracy';
import {sparseTopKCategoricalAccuracy, topKCategoricalAccuracy} from './top-k-accuracy';

/**
 * The config of a `trellis/mean` or `trellis/sum` spec with its `fn` spec
 * resolved as a `loss` through `registry` (a function of `(yTrue, yPred)` with
 * a spec). Without `fn` the factory's own error explains that the spec was
 * saved from a function without a spec.
 */
function withFn(config: unknown, registry: Registry): never {
  const c = (config ?? {}) as {fn?: unknown};
  if (c.fn === undefined) return c as never;
  const fnSpec = c.fn as Spec;
  if (fnSpec === null || typeof fnSpec !== 'object' || typeof fnSpec.id !== 'string') {
    throw new ConfigError(`The fn of a trellis/mean or trellis/sum spec must be a spec {id, config}; got ${JSON.stringify(c.fn)}.`);
  }
  const fn = registry.resolve('loss', fnSpec) as unknown as ValueFn;
  return {...c, fn} as never;
}

/**
 * Registers the metrics of this package (kind `metric`), each built from its
 * JSON config: `trellis/accuracy`, `trellis/binaryAccuracy`,
 * `trellis/categoricalAccuracy`, `trellis/sparseCategoricalAccuracy`,
 * `trellis/topKCategoricalAccuracy`, `trellis/sparseTopKCategoricalAccuracy`,
 * `trellis/f1Score`, `trellis/fBetaScore`, `trellis/confusionMatrix`, the
 * regression metrics (`trellis/meanSquaredError`,
 * `trellis/rootMeanSquaredError`, `trellis/meanAbsoluteError`,
 * `trellis/meanAbsolutePercentageError`,
 * `trellis/meanSquaredLogarithmicError`, `trellis/cosineSimilarity`,
 * `trellis/logCoshError`, `trellis/r2Score`), and `trellis/mean` and
 * `trellis/sum`, whose `fn` spec is resolved as a `loss` (a spec without `fn`
 * came from a function without a spec and is refused with a ConfigError);
 * and the confusion-count metrics: `trellis/truePositives`,
 * `trellis/falsePositives`, `trellis/trueNegatives`, `trellis/falseNegatives`,
 * `trellis/precision`, `trellis/recall`, `trellis/precisionAtRecall`,
 * `trellis/recallAtPrecision`, `trellis/sensitivityAtSpecificity`,
 * `trellis/specificityAtSensitivity` and `trellis/auc`.
 * `'acc'` is accuracy named `acc` (Keras logs the name written). Keras' spellings (`'mse'`, `'mae'`, `'AUC'`, `'Precision'`,
 * `'sparse_categorical_accuracy'`, …) are registered as aliases: they resolve
 * to the same metric, whose spec has the canonical id.
 */
export const metricsPlugin: Plugin = {
  name: '@trellis/metrics',
  specVersion: 1,
  setup(registry) {
    registry.register('metric', 'trellis/accuracy', (config) => accuracy(config ?? {}));
    // As in Keras, `metrics: ['acc']` logs `acc` (not `accuracy`): the same metric under the name written.
    registry.register('metric', 'trellis/acc', aliasOf('metric', 'trellis/accuracy', {name: 'acc'}));
    registry.register('metric', 'trellis/binaryAccuracy', (config) => binaryAccuracy(config ?? {}));
    registry.register('metric', 'trellis/categoricalAccuracy', (config) => categoricalAccuracy(config ?? {}));
    registry.register('metric', 'trellis/sparseCategoricalAccuracy', (config) => sparseCategoricalAccuracy(config ?? {}));
    registry.register('metric', 'trellis/topKCategoricalAccuracy', (config) => topKCategoricalAccuracy(config ?? {}));
    registry.register('metric', 'trellis/sparseTopKCategoricalAccuracy', (config) => sparseTopKCategoricalAccuracy(config ?? {}));
    registry.register('metric', 'trellis/f1Score', (config) => f1Score(config ?? {}));
    registry.register('metric', 'trellis/fBetaScore', (config) => fBetaScore(config ?? {}));
    registry.register('metric', 'trellis/confusionMatrix', (config) => confusionMatrix(config ?? {}));
    for (const [name, factory] of Object.entries(regressionMetrics)) {
      registry.register('metric', `trellis/${name}`, (config) => factory(config ?? {}));
    }
    registry.register('metric', 'trellis/r2Score', (config) => r2Score(config ?? {}));
    registry.register('metric', 'trellis/mean', (config, reg) => mean(withFn(config, reg)));
    registry.register('metric', 'trellis/sum', (config, reg) => sum(withFn(config, reg)));
    for (const [id, factory] of Object.entries(confusionMetricFactories)) registry.register('metric', id, factory);
    for (const [alias, id] of Object.entries(KERAS_METRIC_ALIASES)) {
      registry.register('metric', alias, aliasOf('metric', id));
    }
  },
};

/** Keras' spellings of the metrics (short names, snake_case names, class names), each an alias of a canonical id. */
const KERAS_METRIC_ALIASES: Readonly<Record<string, string>> = {
  'trellis/Accuracy': 'trellis/accuracy',
  'trellis/binary_accuracy': 'trellis/binaryAccuracy',
  'trellis/BinaryAccuracy': 'trellis/binaryAccuracy',
  'trellis/categorical_accuracy': 'trellis/categoricalAccuracy',
  'trellis/CategoricalAccuracy': 'trellis/categoricalAccuracy',
  'trellis/sparse_categorical_accuracy': 'trellis/sparseCategoricalAccuracy',
  'trellis/SparseCategoricalAccuracy': 'trellis/sparseCategoricalAccuracy',
  'trellis/top_k_categorical_accuracy': 'trellis/topKCategoricalAccuracy',
  'trellis/TopKCategoricalAccuracy': 'trellis/topKCategoricalAccuracy',
  'trellis/sparse_top_k_categorical_accuracy': 'trellis/sparseTopKCategoricalAccuracy',
  'trellis/SparseTopKCategoricalAccuracy': 'trellis/sparseTopKCategoricalAccuracy',
  'trellis/f1_score': 'trellis/f1Score',
  'trellis/F1Score': 'trellis/f1Score',
  'trellis/fbeta_score': 'trellis/fBetaScore',
  'trellis/FBetaScore': 'trellis/fBetaScore',
  'trellis/mse': 'trellis/meanSquaredError',
  'trellis/MSE': 'trellis/meanSquaredError',
  'trellis/mean_squared_error': 'trellis/meanSquaredError',
  'trellis/MeanSquaredError': 'trellis/meanSquaredError',
  'trellis/root_mean_squared_error': 'trellis/rootMeanSquaredError',
  'trellis/RootMeanSquaredError': 'trellis/rootMeanSquaredError',
  'trellis/mae': 'trellis/meanAbsoluteError',
  'trellis/MAE': 'trellis/meanAbsoluteError',
  'trellis/mean_absolute_error': 'trellis/meanAbsoluteError',
  'trellis/MeanAbsoluteError': 'trellis/meanAbsoluteError',
  'trellis/mape': 'trellis/meanAbsolutePercentageError',
  'trellis/MAPE': 'trellis/meanAbsolutePercentageError',
  'trellis/mean_absolute_percentage_error': 'trellis/meanAbsolutePercentageError',
  'trellis/MeanAbsolutePercentageError': 'trellis/meanAbsolutePercentageError',
  'trellis/msle': 'trellis/meanSquaredLogarithmicError',
  'trellis/MSLE': 'trellis/meanSquaredLogarithmicError',
  'trellis/mean_squared_logarithmic_error': 'trellis/meanSquaredLogarithmicError',
  'trellis/MeanSquaredLogarithmicError': 'trellis/meanSquaredLogarithmicError',
  'trellis/cosine_similarity': 'trellis/cosineSimilarity',
  'trellis/CosineSimilarity': 'trellis/cosineSimilarity',
  'trellis/log_cosh_error': 'trellis/logCoshError',
  'trellis/LogCoshError': 'trellis/logCoshError',
  'trellis/logcosh': 'trellis/logCoshError',
  'trellis/r2_score': 'trellis/r2Score',
  'trellis/R2Score': 'trellis/r2Score',
  'trellis/true_positives': 'trellis/truePositives',
  'trellis/TruePositives': 'trellis/truePositives',
  'trellis/false_positives': 'trellis/falsePositives',
  'trellis/FalsePositives': 'trellis/falsePositives',
  'trellis/true_negatives': 'trellis/trueNegatives',
  'trellis/TrueNegatives': 'trellis/trueNegatives',
  'trellis/false_negatives': 'trellis/falseNegatives',
  'trellis/FalseNegatives': 'trellis/falseNegatives',
  'trellis/Precision': 'trellis/precision',
  'trellis/Recall': 'trellis/recall',
  'trellis/PrecisionAtRecall': 'trellis/precisionAtRecall',
  'trellis/RecallAtPrecision': 'trellis/recallAtPrecision',
  'trellis/SensitivityAtSpecificity': 'trellis/sensitivityAtSpecificity',
  'trellis/SpecificityAtSensitivity': 'trellis/specificityAtSensitivity',
  'trellis/AUC': 'trellis/auc',
};
