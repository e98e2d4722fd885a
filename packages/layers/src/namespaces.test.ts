// The Keras-style namespaces reach every public factory of the package, under its plain name,
// as the very same function the flat export names.
import {describe, expect, expectTypeOf, it} from 'vitest';
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

describe('layers, activations and losses namespaces', () => {
  it('are frozen', () => {
    for (const ns of Object.values(namespaces)) expect(Object.isFrozen(ns)).toBe(true);
  });

  it('reach every value export of the package (and nothing else)', () => {
    const flat = Object.entries(api).filter(([name]) => !(name in namespaces) && !notFactories.includes(name));
    const members = new Set(Object.values(namespaces).flatMap((ns) => Object.values(ns) as unknown[]));
    expect(flat.filter(([, value]) => !members.has(value)).map(([name]) => name)).toEqual([]);
    const flatValues = new Set(flat.map(([, value]) => value));
    const strays = Object.entries(namespaces).flatMap(([nsName, ns]) =>
      Object.entries(ns)
        .filter(([, value]) => !flatValues.has(value))
        .map(([name]) => `${nsName}.${name}`),
    );
    expect(strays).toEqual([]);
    for (const name of notFactories) expect(name in api).toBe(true);
  });

  it('keep plain names: a member is the flat export of the same name unless renamed', () => {
    for (const [nsName, ns] of Object.entries(namespaces)) {
      for (const [name, value] of Object.entries(ns)) {
        const flatName = Object.entries(renamed).find(([, v]) => v === value)?.[0] ?? name;
        expect(value, `${nsName}.${name}`).toBe((api as Record<string, unknown>)[flatName]);
      }
    }
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
