// Without @trellis/keras-files, Keras formats fail with KerasFilesMissingError; the TensorFlow.js
// format does not need it.
import {describe, expect, it, vi} from 'vitest';
import {ConfigError, Sequential} from '@trellis/core';
import {dense} from '@trellis/layers';
import {join} from 'node:path';
import {KerasFilesMissingError, loadModel, saveModel} from '../src/index';
import {removeDir, tempDir, testRegistry} from './helpers';

vi.mock('@trellis/keras-files', () => {
  throw new Error("Cannot find package '@trellis/keras-files'");
});

describe('without @trellis/keras-files', () => {
  it('saveModel / loadModel of .keras and .h5 throw KerasFilesMissingError saying what to install', async () => {
    const dir = await tempDir();
    const model = new Sequential([dense({units: 2, inputShape: [3]})]);
    for (const file of ['m.keras', 'm.h5']) {
      const error = await saveModel(model, join(dir, file)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KerasFilesMissingError);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/npm install @trellis\/keras-files/);
    }
    await expect(loadModel(join(dir, 'm.keras'), {registry: testRegistry()})).rejects.toBeInstanceOf(KerasFilesMissingError);
    await saveModel(model, join(dir, 'tfjs'));
    const loaded = await loadModel(join(dir, 'tfjs'), {registry: testRegistry()});
    loaded.dispose();
    model.dispose();
    await removeDir(dir);
  });
});
