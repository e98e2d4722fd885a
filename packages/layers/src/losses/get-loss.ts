import {ConfigError, UnknownIdError, describe, type Loss} from '@trellis/core';
import {binaryCrossentropy} from './binary-crossentropy';
import {binaryFocalCrossentropy} from './binary-focal-crossentropy';
import {categoricalCrossentropy} from './categorical-crossentropy';
import {categoricalFocalCrossentropy} from './categorical-focal-crossentropy';
import {categoricalHinge} from './categorical-hinge';
import {cosineSimilarity} from './cosine-similarity';
import {hinge} from './hinge';
import {huber} from './huber';
import {kullbackLeiblerDivergence} from './kullback-leibler-divergence';
import {logCosh} from './log-cosh';
import {meanAbsoluteError} from './mean-absolute-error';
import {meanAbsolutePercentageError} from './mean-absolute-percentage-error';
import {meanSquaredError} from './mean-squared-error';
import {meanSquaredLogarithmicError} from './mean-squared-logarithmic-error';
import {poisson} from './poisson';
import {sparseCategoricalCrossentropy} from './sparse-categorical-crossentropy';
import {squaredHinge} from './squared-hinge';

/** The loss names {@link getLoss} accepts. */
export type LossName =
  | 'meanSquaredError'
  | 'mse'
  | 'meanAbsoluteError'
  | 'mae'
  | 'meanAbsolutePercentageError'
  | 'mape'
  | 'meanSquaredLogarithmicError'
  | 'msle'
  | 'huber'
  | 'logCosh'
  | 'poisson'
  | 'cosineSimilarity'
  | 'hinge'
  | 'squaredHinge'
  | 'categoricalHinge'
  | 'kullbackLeiblerDivergence'
  | 'kld'
  | 'binaryCrossentropy'
  | 'binaryFocalCrossentropy'
  | 'categoricalCrossentropy'
  | 'categoricalFocalCrossentropy'
  | 'sparseCategoricalCrossentropy';

const FACTORIES: Readonly<Record<string, () => Loss>> = {
  meanSquaredError,
  mse: meanSquaredError,
  meanAbsoluteError,
  mae: meanAbsoluteError,
  meanAbsolutePercentageError,
  mape: meanAbsolutePercentageError,
  meanSquaredLogarithmicError,
  msle: meanSquaredLogarithmicError,
  huber,
  logCosh,
  poisson,
  cosineSimilarity,
  hinge,
  squaredHinge,
  categoricalHinge,
  kullbackLeiblerDivergence,
  kld: kullbackLeiblerDivergence,
  binaryCrossentropy,
  binaryFocalCrossentropy,
  categoricalCrossentropy,
  categoricalFocalCrossentropy,
  sparseCategoricalCrossentropy,
};

// Keras' snake_case spellings, class names and legacy aliases, so what a Keras user writes (and a model config written by Keras) resolves too.
const KERAS_ALIASES: Readonly<Record<string, string>> = {
  MSE: 'meanSquaredError',
  MAE: 'meanAbsoluteError',
  MAPE: 'meanAbsolutePercentageError',
  MSLE: 'meanSquaredLogarithmicError',
  KLD: 'kullbackLeiblerDivergence',
  MeanSquaredError: 'meanSquaredError',
  MeanAbsoluteError: 'meanAbsoluteError',
  MeanAbsolutePercentageError: 'meanAbsolutePercentageError',
  MeanSquaredLogarithmicError: 'meanSquaredLogarithmicError',
  Huber: 'huber',
  huber_loss: 'huber',
  LogCosh: 'logCosh',
  Poisson: 'poisson',
  CosineSimilarity: 'cosineSimilarity',
  Hinge: 'hinge',
  SquaredHinge: 'squaredHinge',
  CategoricalHinge: 'categoricalHinge',
  KLDivergence: 'kullbackLeiblerDivergence',
  BinaryCrossentropy: 'binaryCrossentropy',
  BinaryFocalCrossentropy: 'binaryFocalCrossentropy',
  CategoricalCrossentropy: 'categoricalCrossentropy',
  CategoricalFocalCrossentropy: 'categoricalFocalCrossentropy',
  SparseCategoricalCrossentropy: 'sparseCategoricalCrossentropy',
  mean_squared_error: 'meanSquaredError',
  mean_absolute_error: 'meanAbsoluteError',
  mean_absolute_percentage_error: 'meanAbsolutePercentageError',
  mean_squared_logarithmic_error: 'meanSquaredLogarithmicError',
  log_cosh: 'logCosh',
  logcosh: 'logCosh',
  cosine_similarity: 'cosineSimilarity',
  squared_hinge: 'squaredHinge',
  categorical_hinge: 'categoricalHinge',
  kl_divergence: 'kullbackLeiblerDivergence',
  kullback_leibler_divergence: 'kullbackLeiblerDivergence',
  binary_crossentropy: 'binaryCrossentropy',
  binary_focal_crossentropy: 'binaryFocalCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  categorical_focal_crossentropy: 'categoricalFocalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
};

/** The names {@link getLoss} lists in its errors. */
export const lossNames: readonly LossName[] = Object.freeze(Object.keys(FACTORIES) as LossName[]);

/**
 * Every other spelling of a loss name {@link getLoss} accepts (`'mse'`,
 * `'sparse_categorical_crossentropy'`, `'KLDivergence'`), each to its name
 * (`'meanSquaredError'`); `layersPlugin` registers them as aliases of the
 * `trellis/<name>` ids (internal).
 */
export const lossAliases: Readonly<Record<string, string>> = Object.freeze({
  // The short names of FACTORIES ('mse'), each to the first (canonical) name of the same factory.
  ...Object.fromEntries(
    Object.entries(FACTORIES)
      .map(([alias, factory]) => [alias, Object.keys(FACTORIES).find((name) => FACTORIES[name] === factory)!])
      .filter(([alias, name]) => alias !== name),
  ),
  ...KERAS_ALIASES,
});

/**
 * Resolves what `compile({loss})` accepts (Keras' `keras.losses.get`): a name
 * (`'sparseCategoricalCrossentropy'`, `'mse'`, `'mae'`, a Keras snake_case
 * name such as `'kl_divergence'`, or the spec id `'trellis/huber'`) gives a
 * new loss with default options (probabilities, not logits); a {@link Loss}
 * is returned as is.
 *
 * @throws UnknownIdError for an unknown name (the message lists the known names).
 * @throws ConfigError for a function that is not a Loss (no spec or targetKind), or any other value.
 */
export function getLoss(identifier: LossName | string | Loss): Loss {
  if (typeof identifier === 'string') {
    const bare = identifier.startsWith('trellis/') ? identifier.slice('trellis/'.length) : identifier;
    const name = KERAS_ALIASES[bare] ?? bare;
    const factory = Object.hasOwn(FACTORIES, name) ? FACTORIES[name] : undefined;
    if (!factory) throw new UnknownIdError('loss', identifier, lossNames, {aliases: Object.keys(KERAS_ALIASES)});
    return factory();
  }
  if (typeof identifier === 'function') {
    const candidate = identifier as Partial<Loss>;
    if (!candidate.spec || typeof candidate.spec.id !== 'string' || typeof candidate.targetKind !== 'string') {
      throw new ConfigError(
        'A custom loss must be a Loss: a function (yTrue, yPred) => per-sample losses [batch] carrying ' +
          "spec, name, targetKind and fromLogits (use withSpec({id: 'acme/myLoss', config: {}}, fn, " +
          "{name: 'myLoss', targetKind: 'regression', fromLogits: false})).",
      );
    }
    return identifier;
  }
  throw new ConfigError(`Expected a loss name (${lossNames.join(', ')}) or a Loss; got ${describe(identifier)}.`);
}
