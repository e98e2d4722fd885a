// Every contender must train the same network: the Trellis and tfjs-layers
// builders give each model the weight count the benchmark states (which the
// Keras script checks too), with the same weight shapes. Nothing is timed.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {createTrellis} from 'trellis';
import {beforeAll, describe, expect, it} from 'vitest';
import {layersModel, trellisModel} from './bench-models';
import {MODELS} from './configs';

beforeAll(async () => {
  await createTrellis({backend: 'cpu'});
});

describe('the benchmark models', () => {
  for (const spec of Object.values(MODELS)) {
    it(`${spec.label}: ${spec.parameters} parameters in Trellis and in tfjs-layers, with the same weight shapes`, async () => {
      const before = tf.memory().numTensors;
      const trellis = await trellisModel(spec);
      const layers = await layersModel(spec);
      try {
        expect(trellis.countParams()).toBe(spec.parameters);
        expect(layers.countParams()).toBe(spec.parameters);
        const shapes = (ws: readonly {shape: readonly (number | null)[]}[]) => ws.map((w) => w.shape.join('×')).sort();
        expect(shapes(trellis.weights.map((w) => w.variable))).toEqual(shapes(layers.weights));
      } finally {
        trellis.dispose();
        layers.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
