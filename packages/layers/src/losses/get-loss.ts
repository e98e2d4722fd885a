import {ConfigError, UnknownIdError, describe, type Loss} from '@trellis/core';
import {binaryCrossentropy} from './binary-crossentropy';
import {categoricalCrossentropy} from './categorical-crossentropy';
import {meanSquaredError} from './mean-squared-error';
import {sparseCategoricalCrossentropy} from './sparse-categorical-crossentropy';

/** The loss names {@link getLoss} accepts. */
export type LossName =
  | 'meanSquaredError'
  | 'mse'
  | 'binaryCrossentropy'
  | 'categoricalCrossentropy'
  | 'sparseCategoricalCrossentropy';

const FACTORIES: Readonly<Record<string, () => Loss>> = {
  meanSquaredError,
  mse: meanSquaredError,
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
};

// Keras' snake_case spellings, so a model config written by Keras resolves too.
const KERAS_ALIASES: Readonly<Record<string, string>> = {
  mean_squared_error: 'meanSquaredError',
  binary_crossentropy: 'binaryCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
};

/** The names {@link getLoss} lists in its errors. */
export const lossNames: readonly LossName[] = Object.freeze(Object.keys(FACTORIES) as LossName[]);

/**
 * Resolves what `compile({loss})` accepts (Keras' `keras.losses.get`): a name
 * (`'sparseCategoricalCrossentropy'`, `'mse'`, a Keras snake_case name, or the
 * spec id `'trellis/meanSquaredError'`) gives a new loss with default options
 * (probabilities, not logits); a {@link Loss} is returned as is.
 *
 * @throws UnknownIdError for an unknown name (the message lists the known names).
 * @throws ConfigError for a function that is not a Loss (no spec or targetKind), or any other value.
 */
export function getLoss(identifier: LossName | string | Loss): Loss {
  if (typeof identifier === 'string') {
    const bare = identifier.startsWith('trellis/') ? identifier.slice('trellis/'.length) : identifier;
    const name = KERAS_ALIASES[bare] ?? bare;
    const factory = Object.hasOwn(FACTORIES, name) ? FACTORIES[name] : undefined;
    if (!factory) throw new UnknownIdError('loss', identifier, lossNames);
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
