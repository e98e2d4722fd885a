// The Keras-style namespaces reach every public factory of the package, under its plain name,
// as the very same function the flat export names.
import {describe, expect, expectTypeOf, it} from 'vitest';
import {describeNamespaces} from '@trellis/testing';
import * as api from './index';
import {activations, layers, losses} from './index';

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
// Flat names bent to dodge clashes -> their plain namespace member.
const renamed = {
  eluLayer: layers.elu,
  softmaxLayer: layers.softmax,
  reLU: layers.relu,
  leakyReLU: layers.leakyRelu,
} as const;

describeNamespaces(api, namespaces, {notFactories, renamed});

describe('layers, activations and losses namespaces', () => {
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
