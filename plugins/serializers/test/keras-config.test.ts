import {describe, expect, it} from 'vitest';
import {ConfigError, UnknownIdError, isMultiInputLayer, type Layer} from '@trellis/core';
import {activations, dense, embedding} from '@trellis/layers';
import {catchError} from '@trellis/testing';
import {
  kerasLayerConfig,
  kerasLayerIds,
  kerasNested,
  kerasOptimizerConfig,
  layerSpecFromKeras,
  lossSpecFromKeras,
  modelFromKerasConfig,
  nestedFromKeras,
  optimizerSpecFromKeras,
} from '../src/index';
import {testRegistry} from './helpers';

const registry = testRegistry();

/** The smallest config each layer needs. */
const NEEDS: Record<string, object> = {
  'trellis/dense': {units: 3},
  'trellis/conv1d': {filters: 2, kernelSize: 3},
  'trellis/conv2d': {filters: 2, kernelSize: 3},
  'trellis/conv2dTranspose': {filters: 2, kernelSize: 3},
  'trellis/depthwiseConv2d': {kernelSize: 3},
  'trellis/separableConv2d': {filters: 2, kernelSize: 3},
  'trellis/dropout': {rate: 0.5},
  'trellis/spatialDropout1d': {rate: 0.5},
  'trellis/spatialDropout2d': {rate: 0.5},
  'trellis/gaussianNoise': {stddev: 0.1},
  'trellis/gaussianDropout': {rate: 0.1},
  'trellis/alphaDropout': {rate: 0.1},
  'trellis/activation': {activation: 'relu'},
  'trellis/reshape': {targetShape: [2, 3]},
  'trellis/permute': {dims: [2, 1]},
  'trellis/embedding': {inputDim: 10, outputDim: 4},
  'trellis/rescaling': {scale: 2},
  'trellis/randomCrop': {height: 2, width: 2},
  'trellis/randomRotation': {factor: 0.1},
  'trellis/randomTranslation': {heightFactor: 0.1, widthFactor: 0.1},
  'trellis/randomZoom': {heightFactor: 0.1},
  'trellis/randomContrast': {factor: 0.1},
  'trellis/randomBrightness': {factor: 0.1},
};

const DEPRECATED = new Set(['trellis/eluLayer', 'trellis/leakyReLU', 'trellis/reLU', 'trellis/softmaxLayer']);

describe('Keras layer configs', () => {
  it('maps every layer the default assembly registers, both ways, to an equal spec', () => {
    const ids = registry.ids('layer').filter((id) => !DEPRECATED.has(id));
    expect(ids.filter((id) => !kerasLayerIds().includes(id))).toEqual([]);
    for (const id of ids) {
      const layer = registry.resolve('layer', {id, config: {name: 'x', ...NEEDS[id]}}) as Layer;
      const keras = kerasLayerConfig(layer);
      expect(keras.config.name, id).toBe('x');
      expect(JSON.stringify(keras), id).not.toMatch(/"[a-z]+[A-Z]\w*":/); // snake_case keys only
      const back = layerSpecFromKeras(keras);
      expect(back, id).toEqual(layer.spec);
      const rebuilt = registry.resolve('layer', back) as Layer;
      expect(rebuilt.spec).toEqual(layer.spec);
      expect(isMultiInputLayer(rebuilt)).toBe(isMultiInputLayer(layer));
    }
  });

  it('writes Keras spellings: snake_case, nested class configs, batch_input_shape', () => {
    const keras = kerasLayerConfig(dense({units: 4, activation: 'leakyRelu', inputShape: [7], name: 'd'}));
    expect(keras).toEqual({
      class_name: 'Dense',
      config: {
        name: 'd',
        units: 4,
        activation: 'leaky_relu',
        use_bias: true,
        kernel_initializer: {class_name: 'GlorotUniform', config: {}},
        bias_initializer: {class_name: 'Zeros', config: {}},
        kernel_regularizer: null,
        bias_regularizer: null,
        activity_regularizer: null,
        kernel_constraint: null,
        bias_constraint: null,
        batch_input_shape: [null, 7],
        trainable: true,
        dtype: 'float32',
      },
    });
  });

  it('refuses a Trellis option Keras cannot express, naming it', () => {
    const error = catchError(() =>
      kerasLayerConfig(dense({units: 2, activation: activations.leakyRelu.with({negativeSlope: 0.1}) as never})),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/leakyRelu.*negativeSlope/);
  });

  it('refuses an unknown class (a Lambda, a custom layer) with UnknownIdError listing the known ones', () => {
    for (const className of ['Lambda', 'MyCustomLayer']) {
      const error = catchError(() => layerSpecFromKeras({class_name: className, config: {function: 'lambda x: x'}}));
      expect(error).toBeInstanceOf(UnknownIdError);
      expect((error as UnknownIdError).knownIds).toContain('Dense');
      expect((error as Error).message).toContain(className);
    }
    expect(() => kerasLayerConfig({id: 'acme/fancy', config: {}})).toThrow(UnknownIdError);
    expect(() => modelFromKerasConfig({class_name: 'Subclassed', config: {}}, registry)).toThrow(UnknownIdError);
  });

  it('refuses Keras options Trellis cannot honour, naming them', () => {
    const error = catchError(() => layerSpecFromKeras({class_name: 'Embedding', config: {input_dim: 5, output_dim: 2, mask_zero: true}}));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('mask_zero');
    expect(() => layerSpecFromKeras({class_name: 'Dense', config: {units: 2, dtype: 'float16'}})).toThrow(/float32/);
    expect(() => registry.resolve('layer', layerSpecFromKeras({class_name: 'Dense', config: {units: 2, made_up_option: 1}}))).toThrow(
      /madeUpOption/,
    );
    // Neutral Keras-only values are accepted.
    expect(
      layerSpecFromKeras({class_name: 'Embedding', config: {input_dim: 5, output_dim: 2, mask_zero: false, input_length: null}}).config,
    ).toEqual({inputDim: 5, outputDim: 2});
  });

  it('reads Keras 3 spellings (batch_shape, DTypePolicy, negative_slope) and tfjs-layers ones (alpha, L1L2, LeCunNormal)', () => {
    expect(layerSpecFromKeras({class_name: 'LeakyReLU', config: {negative_slope: 0.2}})).toEqual({
      id: 'trellis/leakyRelu',
      config: {negativeSlope: 0.2},
    });
    expect(layerSpecFromKeras({class_name: 'LeakyReLU', config: {alpha: 0.2}})).toEqual({
      id: 'trellis/leakyRelu',
      config: {negativeSlope: 0.2},
    });
    expect(
      layerSpecFromKeras({
        class_name: 'Dense',
        config: {units: 1, batch_shape: [null, 3], dtype: {module: 'keras', class_name: 'DTypePolicy', config: {name: 'float32'}}},
      }),
    ).toEqual({id: 'trellis/dense', config: {units: 1, inputShape: [3]}});
    expect(nestedFromKeras('regularizer', {class_name: 'L1L2', config: {l1: 0, l2: 0.01}}, 'x')).toEqual({
      id: 'trellis/l2',
      config: {l2: 0.01},
    });
    expect(nestedFromKeras('initializer', {class_name: 'LeCunNormal', config: {seed: null}}, 'x')).toEqual({
      id: 'trellis/lecunNormal',
      config: {},
    });
    expect(
      nestedFromKeras(
        'initializer',
        {class_name: 'VarianceScaling', config: {scale: 1, mode: 'fan_avg', distribution: 'normal', seed: null}},
        'x',
      ),
    ).toEqual({
      id: 'trellis/varianceScaling',
      config: {scale: 1, mode: 'fanAvg', distribution: 'truncatedNormal'},
    });
    expect(kerasNested('regularizer', {id: 'trellis/l2', config: {l2: 0.5}}, 'x', 'keras')).toEqual({class_name: 'L2', config: {l2: 0.5}});
    expect(kerasNested('initializer', {id: 'trellis/lecunNormal', config: {}}, 'x', 'keras')).toEqual({
      class_name: 'LecunNormal',
      config: {},
    });
  });

  it('rebuilds a functional model from a Keras 3 config (inbound nodes as {args, kwargs})', () => {
    const tensor = (name: string) => ({
      class_name: '__keras_tensor__',
      config: {shape: [null, 3], dtype: 'float32', keras_history: [name, 0, 0]},
    });
    const config = {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: {
        name: 'k3',
        layers: [
          {class_name: 'InputLayer', name: 'in_a', config: {batch_shape: [null, 3], dtype: 'float32', name: 'in_a'}, inbound_nodes: []},
          {class_name: 'InputLayer', name: 'in_b', config: {batch_shape: [null, 3], dtype: 'float32', name: 'in_b'}, inbound_nodes: []},
          {
            class_name: 'Add',
            name: 'add',
            config: {name: 'add', trainable: true, dtype: 'float32'},
            inbound_nodes: [{args: [[tensor('in_a'), tensor('in_b')]], kwargs: {}}],
          },
          {
            class_name: 'Dense',
            name: 'dense',
            config: {name: 'dense', units: 2, trainable: false},
            inbound_nodes: [{args: [tensor('add')], kwargs: {}}],
          },
        ],
        input_layers: [
          ['in_a', 0, 0],
          ['in_b', 0, 0],
        ],
        output_layers: [['dense', 0, 0]],
      },
    };
    const m = modelFromKerasConfig(config, registry);
    expect(m.name).toBe('k3');
    expect(m.inputNames).toEqual(['in_a', 'in_b']);
    expect(m.weights.map((w) => w.name)).toEqual(['dense/kernel', 'dense/bias']);
    expect(m.trainableWeights).toHaveLength(0);
    m.dispose();
  });

  it('maps optimizers and losses of trainingConfig', () => {
    expect(optimizerSpecFromKeras({class_name: 'Adam', config: {learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-7}})).toEqual({
      id: 'trellis/adam',
      config: {learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-7},
    });
    expect(
      optimizerSpecFromKeras({
        class_name: 'SGD',
        config: {name: 'SGD', learning_rate: 0.1, momentum: 0.9, nesterov: false, clipnorm: null},
      }),
    ).toEqual({
      id: 'trellis/sgd',
      config: {learningRate: 0.1, momentum: 0.9, nesterov: false},
    });
    expect(() => optimizerSpecFromKeras({class_name: 'Adam', config: {learning_rate: 0.1, clipnorm: 1}})).toThrow(/clipnorm/);
    expect(kerasOptimizerConfig({id: 'trellis/adam', config: {learningRate: 0.01, beta1: 0.9}})).toEqual({
      class_name: 'Adam',
      config: {learning_rate: 0.01, beta_1: 0.9},
    });
    expect(lossSpecFromKeras('categorical_crossentropy')).toEqual({id: 'trellis/categoricalCrossentropy', config: {}});
    expect(lossSpecFromKeras('meanSquaredError')).toEqual({id: 'trellis/meanSquaredError', config: {}});
    expect(() => lossSpecFromKeras('my_loss')).toThrow(UnknownIdError);
  });

  it('never lets a config reach prototypes', () => {
    const hostile = JSON.parse(
      '{"class_name": "Dense", "config": {"units": 2, "__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}}',
    );
    expect(() => registry.resolve('layer', layerSpecFromKeras(hostile))).toThrow(ConfigError);
    expect(() => layerSpecFromKeras(JSON.parse('{"class_name": "Dense", "config": {"units": 2, "activation": "constructor"}}'))).toThrow(
      UnknownIdError,
    );
    expect(() => layerSpecFromKeras({class_name: 'toString', config: {}})).toThrow(UnknownIdError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps a frozen layer frozen and a layer without options spelled minimally', () => {
    const e = embedding({inputDim: 4, outputDim: 2, name: 'e'});
    e.trainable = false;
    expect(kerasLayerConfig(e).config.trainable).toBe(false);
  });
});
