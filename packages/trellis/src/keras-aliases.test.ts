// Ids as Keras users write them: after createTrellis(), string ids work in
// compile and in layer options without a registry, and Keras' spellings
// resolve to the same object (the same spec) as the canonical ids.
import * as tf from '@tensorflow/tfjs-core';
import {defaultRegistry, type Kind, UnknownIdError as CoreUnknownIdError} from '@trellis/core';
import {getActivation} from '@trellis/layers';
import {describe, expect, it} from 'vitest';
import {onCpu} from '../test/cpu';
import {Sequential, UnknownIdError, createTrellis, layers, setSeed} from './index';

onCpu();

/** [kind, Keras' spelling, canonical id]. */
const ALIASES: readonly (readonly [Kind, string, string])[] = [
  ['loss', 'mse', 'trellis/meanSquaredError'],
  ['loss', 'MSE', 'trellis/meanSquaredError'],
  ['loss', 'mean_squared_error', 'trellis/meanSquaredError'],
  ['loss', 'mae', 'trellis/meanAbsoluteError'],
  ['loss', 'mape', 'trellis/meanAbsolutePercentageError'],
  ['loss', 'msle', 'trellis/meanSquaredLogarithmicError'],
  ['loss', 'binary_crossentropy', 'trellis/binaryCrossentropy'],
  ['loss', 'BinaryCrossentropy', 'trellis/binaryCrossentropy'],
  ['loss', 'categorical_crossentropy', 'trellis/categoricalCrossentropy'],
  ['loss', 'sparse_categorical_crossentropy', 'trellis/sparseCategoricalCrossentropy'],
  ['loss', 'binary_focal_crossentropy', 'trellis/binaryFocalCrossentropy'],
  ['loss', 'hinge', 'trellis/hinge'],
  ['loss', 'squared_hinge', 'trellis/squaredHinge'],
  ['loss', 'categorical_hinge', 'trellis/categoricalHinge'],
  ['loss', 'huber', 'trellis/huber'],
  ['loss', 'Huber', 'trellis/huber'],
  ['loss', 'kld', 'trellis/kullbackLeiblerDivergence'],
  ['loss', 'kl_divergence', 'trellis/kullbackLeiblerDivergence'],
  ['loss', 'KLDivergence', 'trellis/kullbackLeiblerDivergence'],
  ['loss', 'log_cosh', 'trellis/logCosh'],
  ['loss', 'logcosh', 'trellis/logCosh'],
  ['loss', 'poisson', 'trellis/poisson'],
  ['loss', 'cosine_similarity', 'trellis/cosineSimilarity'],
  ['metric', 'accuracy', 'trellis/accuracy'],
  ['metric', 'mse', 'trellis/meanSquaredError'],
  ['metric', 'mae', 'trellis/meanAbsoluteError'],
  ['metric', 'mape', 'trellis/meanAbsolutePercentageError'],
  ['metric', 'sparse_categorical_accuracy', 'trellis/sparseCategoricalAccuracy'],
  ['metric', 'binary_accuracy', 'trellis/binaryAccuracy'],
  ['metric', 'RootMeanSquaredError', 'trellis/rootMeanSquaredError'],
  ['metric', 'AUC', 'trellis/auc'],
  ['metric', 'Precision', 'trellis/precision'],
  ['metric', 'Recall', 'trellis/recall'],
  ['metric', 'f1_score', 'trellis/f1Score'],
  ['optimizer', 'SGD', 'trellis/sgd'],
  ['optimizer', 'sgd', 'trellis/sgd'],
  ['optimizer', 'Adam', 'trellis/adam'],
  ['optimizer', 'RMSprop', 'trellis/rmsprop'],
  ['optimizer', 'Adagrad', 'trellis/adagrad'],
  ['optimizer', 'Adadelta', 'trellis/adadelta'],
  ['optimizer', 'Adamax', 'trellis/adamax'],
  ['optimizer', 'Nadam', 'trellis/nadam'],
  ['optimizer', 'AdamW', 'trellis/adamw'],
  ['optimizer', 'Lion', 'trellis/lion'],
  ['initializer', 'he_normal', 'trellis/heNormal'],
  ['initializer', 'he_uniform', 'trellis/heUniform'],
  ['initializer', 'glorot_uniform', 'trellis/glorotUniform'],
  ['initializer', 'glorot_normal', 'trellis/glorotNormal'],
  ['initializer', 'lecun_normal', 'trellis/lecunNormal'],
  ['initializer', 'Zeros', 'trellis/zeros'],
  ['initializer', 'zeros', 'trellis/zeros'],
  ['initializer', 'Ones', 'trellis/ones'],
  ['initializer', 'random_normal', 'trellis/randomNormal'],
  ['initializer', 'truncated_normal', 'trellis/truncatedNormal'],
  ['initializer', 'orthogonal', 'trellis/orthogonal'],
  ['initializer', 'VarianceScaling', 'trellis/varianceScaling'],
  ['regularizer', 'l1', 'trellis/l1'],
  ['regularizer', 'l2', 'trellis/l2'],
  ['regularizer', 'l1_l2', 'trellis/l1l2'],
  ['regularizer', 'L2', 'trellis/l2'],
  ['constraint', 'max_norm', 'trellis/maxNorm'],
  ['constraint', 'NonNeg', 'trellis/nonNeg'],
];

describe("Keras' spellings", () => {
  it.each(ALIASES)("the %s '%s' resolves to what '%s' resolves to", (kind, alias, canonical) => {
    const registry = defaultRegistry();
    const fromAlias = registry.resolve(kind, alias) as {spec: unknown};
    const fromCanonical = registry.resolve(kind, canonical) as {spec: unknown};
    expect(fromAlias.spec).toEqual(fromCanonical.spec);
    expect((fromAlias.spec as {id: string}).id).toBe(canonical);
  });

  it("'acc' is accuracy logged as acc, as in Keras", () => {
    const acc = defaultRegistry().resolve('metric', 'acc') as {name: string; spec: unknown};
    expect(acc.name).toBe('acc');
    expect(acc.spec).toEqual({id: 'trellis/accuracy', config: {name: 'acc'}});
  });

  it('an alias passes its config on to the canonical factory', () => {
    const opt = defaultRegistry().resolve('optimizer', {id: 'trellis/SGD', config: {learningRate: 0.05, momentum: 0.9}});
    expect(opt.spec).toEqual(defaultRegistry().resolve('optimizer', {id: 'trellis/sgd', config: {learningRate: 0.05, momentum: 0.9}}).spec);
  });

  it.each([
    ['relu', 'relu'],
    ['leaky_relu', 'leakyRelu'],
    ['softmax', 'softmax'],
    ['log_softmax', 'logSoftmax'],
    ['hard_sigmoid', 'hardSigmoid'],
    ['sigmoid', 'sigmoid'],
    ['tanh', 'tanh'],
    ['gelu', 'gelu'],
    ['swish', 'swish'],
  ])("the activation '%s' is the very activation '%s'", (alias, canonical) => {
    expect(getActivation(alias)).toBe(getActivation(canonical));
  });

  it('an unknown spelling names the close matches, with the known ids', () => {
    let error: unknown;
    try {
      defaultRegistry().resolve('loss', 'sparse_categorical_crossentropie');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownIdError);
    expect((error as CoreUnknownIdError).closeMatches).toEqual([
      'trellis/sparse_categorical_crossentropy',
      'trellis/categorical_crossentropy',
    ]);
    expect((error as Error).message).toMatch(
      /Unknown loss id 'sparse_categorical_crossentropie' \(did you mean 'trellis\/sparse_categorical_crossentropy' or .*\? known ids: .*trellis\/binaryCrossentropy/,
    );
    expect(() => defaultRegistry().resolve('optimizer', 'adamm')).toThrow(
      /did you mean 'trellis\/adam' or 'trellis\/adamw' or 'trellis\/adamax'\?/,
    );
    expect(() => getActivation('relux')).toThrow(/did you mean 'relu'/);
  });

  it('createTrellis() twice sets nothing up twice', async () => {
    const before = defaultRegistry().ids('loss');
    await createTrellis({backend: false});
    expect(defaultRegistry().ids('loss')).toEqual(before);
  });
});

describe('ids without a registry after createTrellis()', () => {
  it("compile and layer options take Keras' spellings, and train as the objects do", async () => {
    const x = tf.randomUniform([32, 4], -1, 1, 'float32', 3);
    const y = tf.randomUniform([32, 1], -1, 1, 'float32', 4);
    const build = (byId: boolean) => {
      setSeed(5);
      const model = new Sequential([
        byId
          ? layers.dense({units: 6, activation: 'leaky_relu', inputShape: [4], kernelInitializer: 'he_normal', kernelRegularizer: 'l2'})
          : layers.dense({
              units: 6,
              activation: 'leakyRelu',
              inputShape: [4],
              kernelInitializer: defaultRegistry().resolve('initializer', 'trellis/heNormal'),
              kernelRegularizer: defaultRegistry().resolve('regularizer', 'trellis/l2'),
            }),
        layers.dense({units: 1, biasInitializer: byId ? 'Zeros' : undefined}),
      ]);
      model.compile(
        byId
          ? {optimizer: 'SGD', loss: 'mse', metrics: ['mae', 'RootMeanSquaredError']}
          : {
              optimizer: defaultRegistry().resolve('optimizer', 'trellis/sgd'),
              loss: defaultRegistry().resolve('loss', 'trellis/meanSquaredError'),
              metrics: [
                defaultRegistry().resolve('metric', 'trellis/meanAbsoluteError'),
                defaultRegistry().resolve('metric', 'trellis/rootMeanSquaredError'),
              ],
            },
      );
      return model;
    };
    const [byId, byObject] = [build(true), build(false)];
    const a = await byId.fit(x, y, {epochs: 2, batchSize: 8, shuffle: false, verbose: 0});
    const b = await byObject.fit(x, y, {epochs: 2, batchSize: 8, shuffle: false, verbose: 0});
    expect(Object.keys(a.history).sort()).toEqual(['loss', 'mean_absolute_error', 'regularization_loss', 'root_mean_squared_error']);
    expect(a.history).toEqual(b.history);
    expect(byId.layers[0]!.spec).toEqual(byObject.layers[0]!.spec);
    byId.dispose();
    byObject.dispose();
    tf.dispose([x, y]);
  });
});
