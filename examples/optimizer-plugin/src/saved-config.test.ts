// A training configuration saved as JSON names the optimizer by its spec
// (`acme/adabelief`); a registry with the plugin loads it and trains.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {Sequential, createRegistry, setSeed, tensorsIn, withSpec, type CompileOptions, type Spec} from '@trellis/core';
import {dense, layersPlugin} from '@trellis/layers';
import {beforeAll, describe, expect, it} from 'vitest';
import {adabelief, adaBeliefPlugin} from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** y = 2·x0 − x1 + 0.5 on 64 points. */
function data() {
  return tf.tidy(() => {
    const x = tf.tensor2d(Array.from({length: 64}, (_, i) => [Math.sin(i), Math.cos(0.5 * i)]));
    return {x, y: tf.add(tf.matMul(x, tf.tensor2d([[2], [-1]])), 0.5)};
  });
}

/** Trains a seeded one-layer model compiled with `compile`; returns the losses per epoch and the weights. */
async function train(compile: Omit<CompileOptions, 'registry'>, registry = createRegistry(layersPlugin, adaBeliefPlugin)) {
  setSeed(7);
  const {x, y} = data();
  const model = new Sequential([dense({units: 1, inputShape: [2]})]);
  model.compile({...compile, registry});
  const history = await model.fit(x, y, {epochs: 20, batchSize: 16, shuffle: false});
  const copies = model.getWeights();
  const weights = Object.fromEntries(Object.entries(copies).map(([name, w]) => [name, Array.from(w.dataSync())]));
  const spec = model.optimizer.spec;
  const saved = model.optimizer.getState();
  const slots = Object.keys((saved.state as [{mu: object}])[0].mu).sort();
  tf.dispose([x, y, ...Object.values(copies), ...tensorsIn(saved.state)]);
  model.dispose();
  return {loss: history.history.loss as number[], weights, spec, slots};
}

describe('a saved training configuration', () => {
  it('loads acme/adabelief by spec through a registry with the plugin and trains as the object does', async () => {
    const saved = JSON.stringify({optimizer: adabelief({learningRate: 0.05, beta2: 0.99}).spec, loss: 'meanSquaredError'});
    const loaded = await train(JSON.parse(saved) as {optimizer: Spec; loss: string});
    expect(loaded.spec).toEqual(JSON.parse(saved).optimizer);
    expect(loaded.slots).toEqual(['dense/bias', 'dense/kernel']);
    expect(loaded.loss[19]!).toBeLessThan(loaded.loss[0]! / 100);

    const direct = await train({optimizer: adabelief({learningRate: 0.05, beta2: 0.99}), loss: 'meanSquaredError'});
    expect(loaded.weights).toEqual(direct.weights);
    expect(loaded.loss).toEqual(direct.loss);
  });

  it("resolves the bare name 'adabelief' with the defaults", async () => {
    const byName = await train({optimizer: 'adabelief', loss: 'meanSquaredError'});
    expect(byName.spec).toEqual(adabelief().spec);
    expect(byName.loss[19]!).toBeLessThan(byName.loss[0]!);
  });

  it('rebuilds a learning-rate schedule saved in the spec through the same registry', async () => {
    const decay = (config: {initial: number; rate: number}) =>
      withSpec({id: 'acme/exponential', config}, (step: number) => config.initial * config.rate ** step);
    const registry = createRegistry(layersPlugin, adaBeliefPlugin, {
      name: 'schedules',
      specVersion: 1,
      setup: (r) => void r.register('schedule', 'acme/exponential', (config) => decay(config)),
    });
    const optimizer = adabelief({learningRate: decay({initial: 0.05, rate: 0.99})});
    const json = JSON.parse(JSON.stringify({optimizer: optimizer.spec, loss: 'meanSquaredError'})) as {optimizer: Spec; loss: string};
    expect(json.optimizer.config).toEqual({
      learningRate: {id: 'acme/exponential', config: {initial: 0.05, rate: 0.99}},
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-16,
      epsilonRoot: 1e-16,
    });
    const loaded = await train(json, registry);
    const direct = await train({optimizer, loss: 'meanSquaredError'}, registry);
    expect(loaded.weights).toEqual(direct.weights);
    const constant = await train({optimizer: adabelief({learningRate: 0.05}), loss: 'meanSquaredError'}, registry);
    expect(loaded.weights).not.toEqual(constant.weights);
  });
});
