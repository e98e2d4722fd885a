// What a bundler makes of the built packages: @trellis/core's "module" build
// keeps tfjs-core's gradient registration as an import, so the bundle holds one
// copy of tfjs-core and training works. Needs the packages built (turbo's test
// task builds dependencies first).
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {afterAll, expect, it} from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'trellis-bundle-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

it('bundles with one copy of tfjs-core and registered gradients, and trains', async () => {
  const entry = join(here, '..', 'bundle-entry.mjs');
  writeFileSync(
    entry,
    `import * as tf from '@tensorflow/tfjs-core';
import {Sequential, createTrellis, dense, sgd, meanSquaredError} from 'trellis';
import {ensureGradients} from '@trellis/core';
await createTrellis({backend: 'cpu'});
ensureGradients();
const x = tf.tensor2d([[0], [1], [2], [3]]);
const y = tf.tensor2d([[1], [3], [5], [7]]);
const model = new Sequential([dense({units: 1, inputShape: [1]})]);
model.compile({optimizer: sgd({learningRate: 0.05}), loss: meanSquaredError()});
const h = await model.fit(x, y, {epochs: 300, batchSize: 4});
console.log(JSON.stringify({loss: h.history.loss.at(-1), engines: tf.engine() === globalThis._tfengine}));
`,
  );
  const outfile = join(dir, 'bundle.mjs');
  try {
    await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outfile,
      conditions: ['module'],
      mainFields: ['module', 'main'],
      external: ['@tensorflow/tfjs-backend-wasm'],
      // An alias: a bundled dependency (fflate, through fast-png) imports createRequire itself.
      banner: {
        js: "import {createRequire as bannerCreateRequire} from 'node:module'; const require = bannerCreateRequire(import.meta.url);",
      },
      logLevel: 'silent',
    });
  } finally {
    rmSync(entry, {force: true});
  }
  const code = readFileSync(outfile, 'utf8');
  // One tfjs-core: its engine class and its gradient registry appear once.
  expect(code.match(/has already been set. /g)?.length).toBe(1);
  expect(code.match(/function registerGradient\(/g)?.length).toBe(1);
  const out = JSON.parse(execFileSync(process.execPath, [outfile], {cwd: dir, encoding: 'utf8'}).trim().split('\n').pop()!);
  expect(out.engines).toBe(true);
  expect(out.loss).toBeLessThan(1e-3);
});
