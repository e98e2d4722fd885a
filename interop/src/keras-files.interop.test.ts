// Keras 3 files both ways with @trellis/keras-files: Keras trains a small MLP (with Dropout) and a
// small CNN with BatchNormalization for one Adam step and saves each as `.keras` and legacy
// `.h5`. Our readers must see exactly what Keras wrote (configs, `get_weights()` in order, the
// optimizer's variables); our writers write the same content back, and Keras' `load_model` must
// load those files and predict bit for bit as the original model did.
import {readFileSync} from 'node:fs';
import {beforeAll, describe, expect, it} from 'vitest';
import {
  kerasLayerPaths,
  readKerasArchive,
  readLegacyH5,
  writeKerasArchive,
  writeLegacyH5,
  type KerasArchive,
  type KerasArray,
  type LegacyH5Model,
} from '../../plugins/keras-files/src/index';
import {field} from './harness/compare';
import {runPythonCheck} from './harness/python-check';
import type {HostTensor, TreeOut} from './harness/tensor-tree';

const MODELS = ['mlp', 'cnn'] as const;

/** The largest absolute difference; shapes must match. */
function maxAbsDiff(ours: {shape: readonly number[]; values: ArrayLike<number | bigint>}, theirs: HostTensor): number {
  expect([...ours.shape]).toEqual([...theirs.shape]);
  expect(ours.values.length).toBe(theirs.values.length);
  let worst = 0;
  for (let i = 0; i < theirs.values.length; i++) {
    const a = Number(ours.values[i]);
    const b = theirs.values[i]!;
    const d = Number.isNaN(a) && Number.isNaN(b) ? 0 : Math.abs(a - b);
    worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
  }
  return worst;
}

function expectSameArrays(label: string, ours: readonly KerasArray[], theirs: readonly HostTensor[]): void {
  expect(ours.length, `${label}: count`).toBe(theirs.length);
  ours.forEach((array, i) => expect(maxAbsDiff(array, theirs[i]!), `${label}[${i}]`).toBe(0));
}

describe('@trellis/keras-files against Keras 3', () => {
  let made: TreeOut;
  const archives: Record<string, KerasArchive> = {};
  const legacy: Record<string, LegacyH5Model> = {};
  let loaded: TreeOut;

  beforeAll(async () => {
    made = await runPythonCheck('keras_files', 'make', {step: 'make', seed: 7});
    const files: Record<string, Uint8Array> = {};
    const models: Record<string, {files: string[]; x: HostTensor}> = {};
    for (const name of MODELS) {
      const report = field(made, name);
      const kerasBytes = new Uint8Array(readFileSync(field(report, 'kerasFile') as string));
      const h5Bytes = new Uint8Array(readFileSync(field(report, 'h5File') as string));
      archives[name] = await readKerasArchive(kerasBytes, undefined, `${name}.keras`);
      legacy[name] = await readLegacyH5(h5Bytes, undefined, `${name}.h5`);
      files[`${name}.original.keras`] = kerasBytes;
      files[`${name}.original.h5`] = h5Bytes;
      files[`${name}.trellis.keras`] = await writeKerasArchive(archives[name]);
      files[`${name}.trellis.h5`] = await writeLegacyH5(legacy[name]);
      models[name] = {
        files: [`${name}.original.keras`, `${name}.original.h5`, `${name}.trellis.keras`, `${name}.trellis.h5`],
        x: field(report, 'x') as HostTensor,
      };
    }
    loaded = await runPythonCheck('keras_files', 'load', {step: 'load', models}, files);
  });

  describe.each(MODELS)('%s', (name) => {
    it('reads the .keras config and metadata exactly as Keras wrote them', () => {
      const report = field(made, name);
      expect(archives[name]!.config).toEqual(field(report, 'kerasConfig'));
      expect(archives[name]!.metadata).toEqual(field(report, 'kerasMetadata'));
      expect(field(report, 'entries')).toEqual(['metadata.json', 'config.json', 'model.weights.h5']);
    });

    it('reads every .keras weight, in get_weights() order through kerasLayerPaths', () => {
      const archive = archives[name]!;
      const paths = kerasLayerPaths(archive.config);
      const ours = paths.flatMap((path) => {
        expect(archive.weights.layers[path], path).toBeDefined();
        return archive.weights.layers[path]!;
      });
      expectSameArrays('weights', ours, field(field(made, name), 'weights') as HostTensor[]);
      // Every group Keras wrote is one of those paths, or the model's own (empty) vars.
      expect(Object.keys(archive.weights.layers).sort()).toEqual(['', ...paths].sort());
      expect(archive.weights.layers['']).toEqual([]);
    });

    it('reads the .keras optimizer variables in optimizer.variables order', () => {
      const archive = archives[name]!;
      expect(Object.keys(archive.optimizer.vars)).toEqual(['optimizer']);
      const vars = archive.optimizer.vars['optimizer']!;
      expect(vars[0]!.dtype).toBe('int32'); // iteration, int32 on JAX
      expect(vars[0]!.shape).toEqual([]);
      expectSameArrays('optimizer', vars, field(field(made, name), 'optimizerVariables') as HostTensor[]);
    });

    it('reads the legacy .h5 configs, weights in layer order and optimizer weights with their paths', () => {
      const report = field(made, name);
      const model = legacy[name]!;
      expect(model.modelConfig).toEqual(field(report, 'h5Config'));
      expect(model.trainingConfig).toEqual(field(report, 'h5TrainingConfig'));
      expect(model.kerasVersion).toBe('3.15.1');
      expect(model.backend).toBe('jax');
      expectSameArrays(
        'weights',
        model.layers.flatMap((l) => l.weights.map((w) => w.array)),
        field(report, 'weights') as HostTensor[],
      );
      expect(model.layers.flatMap((l) => l.weights.map((w) => w.name))).toEqual(field(report, 'weightPaths'));
      expect(model.topLevelWeights).toEqual([]);
      expect(model.optimizerWeights!.map((w) => w.name)).toEqual(field(report, 'optimizerPaths'));
      expectSameArrays(
        'optimizer',
        model.optimizerWeights!.map((w) => w.array),
        field(report, 'optimizerVariables') as HostTensor[],
      );
    });

    it.each(['keras', 'h5'])('Keras loads our .%s and predicts exactly as the original, with the same state', (format) => {
      const report = field(made, name);
      const ours = field(field(loaded, name), `${name}.trellis.${format}`);
      const control = field(field(loaded, name), `${name}.original.${format}`);
      expect(field(ours, 'warnings'), 'warnings while loading our file').toEqual(field(control, 'warnings'));
      const predictions = field(ours, 'predictions') as HostTensor;
      expect(maxAbsDiff(predictions, field(report, 'predictions') as HostTensor)).toBe(0);
      expectSameArrays(
        'weights',
        (field(ours, 'weights') as HostTensor[]).map((t) => t),
        field(report, 'weights') as HostTensor[],
      );
      expect(field(ours, 'optimizerPaths')).toEqual(field(control, 'optimizerPaths'));
      expectSameArrays(
        'optimizer',
        field(ours, 'optimizerVariables') as HostTensor[],
        field(control, 'optimizerVariables') as HostTensor[],
      );
      if (format === 'keras') {
        // Keras restores the whole optimizer state from a .keras file, ours as its own.
        expectSameArrays(
          'optimizer state',
          field(ours, 'optimizerVariables') as HostTensor[],
          field(report, 'optimizerVariables') as HostTensor[],
        );
      } else {
        // Keras 3's load_model does not restore the optimizer state from a legacy .h5 (its own
        // files neither: iteration and learning_rate only); its legacy reader reads ours in full.
        expect((field(control, 'optimizerVariables') as HostTensor[]).length).toBe(2);
        expectSameArrays(
          'h5 optimizer weights',
          field(ours, 'h5OptimizerWeights') as HostTensor[],
          field(report, 'optimizerVariables') as HostTensor[],
        );
      }
    });
  });
});
