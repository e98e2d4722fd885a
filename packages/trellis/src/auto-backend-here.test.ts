// 'auto' on this machine with the real optional packages (@trellis/backend-node
// with @tensorflow/tfjs-node built by scripts/install-native.sh, and
// @trellis/backend-webgpu with Dawn): what it chooses follows from what is
// installed here, which is measured apart from the choice (the plugins'
// diagnose(): the addon loaded in a child process, the WebGPU adapter asked for
// directly). Plain `pnpm test` skips it,
// saying so, when the native addon is not built; with TRELLIS_NATIVE_REQUIRED=1
// it fails instead.
import '@tensorflow/tfjs-backend-cpu';
import {existsSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {diagnose as diagnoseNode} from '@trellis/backend-node';
import {diagnose as diagnoseWebGpu} from '@trellis/backend-webgpu';
import {describeWith, nativeAddon} from '@trellis/testing';
import {expect, it} from 'vitest';
import {Sequential, createTrellis, dense, meanSquaredError, sgd, useBackend} from './index';

const nodePluginDir = dirname(createRequire(import.meta.url).resolve('@trellis/backend-node/package.json'));

/** Whether `name` is installed where @trellis/backend-node looks for it (its node_modules folders and the working directory's). */
function installed(name: string): boolean {
  for (const start of [nodePluginDir, process.cwd()]) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return true;
      if (dirname(dir) === dir) break;
    }
  }
  return false;
}

describeWith(nativeAddon(await diagnoseNode()), "'auto' on this machine", () => {
  it("createTrellis({backend: 'auto'}) takes what works here, says why it skipped the faster ones, and trains", {
    timeout: 180_000,
  }, async () => {
    const webgpu = await diagnoseWebGpu();
    const printed: string[] = [];
    const {backend, choice} = await createTrellis({backend: 'auto', print: (text) => printed.push(text)});
    expect(printed).toEqual([choice!.text]);

    if (webgpu.adapter !== null && !webgpu.adapter.software) {
      // A machine with a GPU WebGPU can use: that is the faster backend.
      expect(choice!.chosen).toBe('webgpu');
      return;
    }
    expect(choice!.chosen).toBe('node');
    expect(backend).toBe('tensorflow');
    expect(tf.getBackend()).toBe('tensorflow');
    // The package and libtensorflow that @trellis/backend-node's own diagnosis finds.
    const cpuPackage = (await diagnoseNode()).packages.find((p) => p.name === '@tensorflow/tfjs-node')!;
    expect(choice!.detail).toBe(`@tensorflow/tfjs-node ${cpuPackage.version}, libtensorflow ${cpuPackage.addon!.tensorflowVersion}`);
    const [nodeGpu, web, ...rest] = choice!.skipped;
    expect(rest).toEqual([]);
    expect(nodeGpu!.name).toBe('node-gpu');
    if (!installed('@tensorflow/tfjs-node-gpu')) expect(nodeGpu!.reason).toMatch(/^@tensorflow\/tfjs-node-gpu is not installed/);
    expect(web!.name).toBe('webgpu');
    if (webgpu.adapter?.software) {
      expect(web!.reason).toBe(`software adapter (${webgpu.adapter.name}; computes on the CPU, slower than wasm)`);
    } else {
      expect(webgpu.problems[0]).toContain(web!.reason);
    }

    // It trains there.
    const x = tf.tensor2d([[0], [1], [2], [3]]);
    const y = tf.tensor2d([[1], [3], [5], [7]]);
    const model = new Sequential([dense({units: 1, inputShape: [1]})]);
    model.compile({optimizer: sgd({learningRate: 0.05}), loss: meanSquaredError()});
    const history = await model.fit(x, y, {epochs: 20, batchSize: 4, verbose: 0});
    expect(history.history.loss!.at(-1)!).toBeLessThan(history.history.loss![0]! / 10);
    model.dispose();
    tf.dispose([x, y]);

    // The umbrella's useBackend('auto') makes the same choice.
    await tf.setBackend('cpu');
    expect(await useBackend('auto', {print: false})).toBe('tensorflow');
  });
});
