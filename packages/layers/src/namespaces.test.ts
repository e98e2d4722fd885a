// The Keras-style namespaces reach every public factory of the package, under its plain name,
// as the very same function the flat export names.
import {describe, expect, expectTypeOf, it} from 'vitest';
import {describeNamespaces} from '@trellis/testing';
import * as api from './index';
import {createRegistry} from '@trellis/core';
import {activations, layers, layersPlugin, losses} from './index';

const namespaces = {layers, activations, losses} as const;
// Value exports that are not factories of a namespace's kind: lookup helpers, name lists, the plugin.
const notFactories = [
  'activationNames',
  'activationToName',
  'getActivation',
  'getLoss',
  'lossNames',
  'lossReductions',
  'reduceLoss',
  'layersPlugin',
];
// Deprecated flat names bent to dodge clashes -> their plain namespace member.
const renamed = {
  eluLayer: layers.elu,
  softmaxLayer: layers.softmax,
  reLU: layers.relu,
  leakyReLU: layers.leakyRelu,
} as const;
// Arguments for the factories that need some, so the spec id check sees every layer's spec.
const specArgs: Record<string, readonly unknown[]> = {
  'layers.activation': [{activation: 'relu'}],
  'layers.alphaDropout': [{rate: 0.5}],
  'layers.conv1d': [{filters: 2, kernelSize: 3}],
  'layers.conv2d': [{filters: 2, kernelSize: 3}],
  'layers.conv2dTranspose': [{filters: 2, kernelSize: 3}],
  'layers.dense': [{units: 2}],
  'layers.depthwiseConv2d': [{kernelSize: 3}],
  'layers.dropout': [{rate: 0.5}],
  'layers.embedding': [{inputDim: 4, outputDim: 2}],
  'layers.gaussianDropout': [{rate: 0.5}],
  'layers.gaussianNoise': [{stddev: 0.5}],
  'layers.permute': [{dims: [2, 1]}],
  'layers.randomBrightness': [{factor: 0.2}],
  'layers.randomContrast': [{factor: 0.2}],
  'layers.randomCrop': [{height: 2, width: 2}],
  'layers.randomRotation': [{factor: 0.2}],
  'layers.randomShear': [{xFactor: 0.2}],
  'layers.randomTranslation': [{heightFactor: 0.2, widthFactor: 0.2}],
  'layers.randomZoom': [{heightFactor: 0.2}],
  'layers.rescaling': [{scale: 0.5}],
  'layers.reshape': [{targetShape: [2, 2]}],
  'layers.separableConv2d': [{filters: 2, kernelSize: 3}],
  'layers.spatialDropout1d': [{rate: 0.5}],
  'layers.spatialDropout2d': [{rate: 0.5}],
};

describeNamespaces(api, namespaces, {notFactories, renamed, specArgs, callFactories: true});

describe('layers, activations and losses namespaces', () => {
  it('give the activation layers plain spec ids, and keep loading the deprecated ones', () => {
    const registry = createRegistry(layersPlugin);
    const cases = [
      [layers.elu({alpha: 0.5}), 'trellis/elu', 'trellis/eluLayer'],
      [layers.softmax({axis: 1}), 'trellis/softmax', 'trellis/softmaxLayer'],
      [layers.relu({maxValue: 6}), 'trellis/relu', 'trellis/reLU'],
      [layers.leakyRelu({negativeSlope: 0.1}), 'trellis/leakyRelu', 'trellis/leakyReLU'],
    ] as const;
    for (const [layer, id, deprecated] of cases) {
      expect(layer.spec.id).toBe(id);
      const old = registry.resolve('layer', {id: deprecated, config: layer.spec.config});
      expect(old.spec).toEqual(layer.spec);
      expect(registry.resolve('layer', layer.spec).spec).toEqual(layer.spec);
    }
    expect(registry.resolve('layer', 'relu').spec.id).toBe('trellis/relu');
  });

  it('separate the ELU/softmax/ReLU layers from the activations', () => {
    expect(layers.elu).toBe(api.eluLayer);
    expect(layers.softmax).toBe(api.softmaxLayer);
    expect(layers.relu).toBe(api.reLU);
    expect(layers.leakyRelu).toBe(api.leakyReLU);
    expect(activations.elu).toBe(api.elu);
    expect(activations.softmax).toBe(api.softmax);
    expect(activations.relu).toBe(api.relu);
    expect(activations.leakyRelu).toBe(api.leakyRelu);
    expect(layers.dense).toBe(api.dense);
    expect(losses.meanSquaredError).toBe(api.meanSquaredError);
  });

  it('are fully typed', () => {
    expectTypeOf(layers.dense).toEqualTypeOf(api.dense);
    expectTypeOf(layers.elu).toEqualTypeOf(api.eluLayer);
    expectTypeOf(losses.huber).toEqualTypeOf(api.huber);
    const layer = layers.dense({units: 3});
    expect(layer.spec.config.units).toBe(3);
  });
});
