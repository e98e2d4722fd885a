import {ConfigError} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {kerasLayerPaths, toSnakeCase} from '../src/index';
import {SEQUENTIAL_CONFIG} from './helpers';

describe('kerasLayerPaths', () => {
  it.each([
    ['Dense', 'dense'],
    ['Conv2D', 'conv2d'],
    ['BatchNormalization', 'batch_normalization'],
    ['MaxPooling2D', 'max_pooling2d'],
    ['ReLU', 're_lu'],
    ['LSTM', 'lstm'],
    ['GlobalAveragePooling1D', 'global_average_pooling1d'],
    ['PReLU', 'p_re_lu'],
  ])('toSnakeCase(%s) = %s (Keras to_snake_case)', (name, snake) => {
    expect(toSnakeCase(name)).toBe(snake);
  });

  it('numbers repeated classes and leaves out the InputLayer of a Sequential model', () => {
    expect(kerasLayerPaths(SEQUENTIAL_CONFIG)).toEqual(['layers/dense', 'layers/batch_normalization', 'layers/dense_1']);
  });

  it('keeps the InputLayer of a Functional model', () => {
    const functional = {
      class_name: 'Functional',
      config: {layers: [{class_name: 'InputLayer'}, {class_name: 'Dense'}, {class_name: 'Dense'}, {class_name: 'Dense'}]},
    };
    expect(kerasLayerPaths(functional)).toEqual(['layers/input_layer', 'layers/dense', 'layers/dense_1', 'layers/dense_2']);
    expect(kerasLayerPaths(functional, 'layers/functional/')).toEqual([
      'layers/functional/layers/input_layer',
      'layers/functional/layers/dense',
      'layers/functional/layers/dense_1',
      'layers/functional/layers/dense_2',
    ]);
  });

  it('refuses what is not a model config', () => {
    expect(() => kerasLayerPaths({class_name: 'Dense', config: {}})).toThrow(ConfigError);
    expect(() => kerasLayerPaths([])).toThrow(ConfigError);
  });
});
