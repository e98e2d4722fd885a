import {beforeAll, describe, expect, it} from 'vitest';
import {ConfigError, Sequential, createRegistry, setSeed, type Artifacts} from '@trellis/core';
import {dense} from '@trellis/layers';
import {MODEL_TOPOLOGY_SPEC_ID, kerasModelConfig, loadModel, saveModel, serializersPlugin} from '../src/index';
import {data, removeDir, tempDir, testRegistry, tf, useCpu, values} from './helpers';

const registry = testRegistry();

/** An in-memory store behind tfjs' own io router registry (as indexeddb:// is in browsers). */
const store = new Map<string, tf.io.ModelArtifacts>();
const memoryRouter = (url: string | string[]): tf.io.IOHandler | null => {
  const key = Array.isArray(url) ? url[0]! : url;
  if (!key.startsWith('memory://')) return null;
  return {
    save: async (a) => (store.set(key, a), {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}}),
    load: async () => {
      const a = store.get(key);
      if (!a) throw new Error(`nothing at ${key}`);
      return a;
    },
  };
};

beforeAll(async () => {
  await useCpu();
  tf.io.registerSaveRouter(memoryRouter as Parameters<typeof tf.io.registerSaveRouter>[0]);
  tf.io.registerLoadRouter(memoryRouter as Parameters<typeof tf.io.registerSaveRouter>[0]);
});

describe('serializersPlugin and tfjs io schemes', () => {
  it('routes other schemes through tfjs-core io handlers', async () => {
    setSeed(5);
    const m = new Sequential([dense({units: 3, inputShape: [2]})]);
    await saveModel(m, 'memory://one');
    expect(store.get('memory://one')!.format).toBe('layers-model');
    const loaded = await loadModel('memory://one', {registry});
    const x = data([3, 2]);
    expect(Array.from(values(loaded.predict(x)))).toEqual(Array.from(values(m.predict(x))));
    await expect(saveModel(m, 'nosuch://x')).rejects.toThrow(ConfigError);
    for (const model of [m, loaded]) model.dispose();
    x.dispose();
  });

  it('registers the trellis/tfjsLayers serializer, which stores Artifacts both ways', async () => {
    const serializers = createRegistry(serializersPlugin);
    expect(serializers.ids('serializer')).toEqual(['trellis/tfjsLayers']);
    const serializer = serializers.resolve('serializer', 'tfjsLayers');
    expect(serializer.schemes).toContain('file:');
    expect(serializer.schemes).toContain('indexeddb:');
    const m = new Sequential([dense({units: 2, inputShape: [3], name: 'd'})]);
    const tensors = {...m.getWeights(), 'optimizer/step_scale': tf.scalar(3, 'int32')};
    const artifacts: Artifacts = {
      format: 'trellis/v1',
      specs: {
        callback: {id: 'trellis/earlyStopping', config: {patience: 2}},
        modelTopology: {id: MODEL_TOPOLOGY_SPEC_ID, config: kerasModelConfig(m) as never},
      },
      tensors,
      meta: {epoch: 3},
    };
    const dir = await tempDir();
    try {
      await serializer.save(artifacts, `file://${dir}`);
      const before = tf.memory().numTensors;
      const back = await serializer.load(dir);
      expect(back.specs).toEqual(artifacts.specs);
      expect(back.meta).toEqual({epoch: 3});
      expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(tensors).sort());
      for (const [name, t] of Object.entries(tensors)) expect(Array.from(back.tensors[name]!.dataSync())).toEqual(Array.from(t.dataSync()));
      tf.dispose(Object.values(back.tensors));
      expect(tf.memory().numTensors).toBe(before);
      // The model.json is a layers model tfjs can read: loadModel rebuilds it.
      const model = await loadModel(dir, {registry});
      expect(model.weights.map((w) => w.name)).toEqual(['d/kernel', 'd/bias']);
      model.dispose();
    } finally {
      await removeDir(dir);
      tf.dispose(Object.values(tensors));
      m.dispose();
    }
  });
});
