// `trellis` (through `trellis/chained-ops`, which scoped-package users import on their own) adds
// tfjs-core's chained tensor methods to every tensor.
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import {beforeAll, expect, it} from 'vitest';
import {createTrellis} from './index';

beforeAll(async () => {
  await createTrellis({backend: 'cpu'});
});

it('tensor.slice, add, square and friends work once trellis is imported', async () => {
  const x = tf.tensor2d([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const y = x.slice([0, 1], [2, 2]).add(1).square();
  expect(y.shape).toEqual([2, 2]);
  expect(await y.array()).toEqual([
    [9, 16],
    [36, 49],
  ]);
  expect(await x.sum().data()).toEqual(new Float32Array([21]));
  tf.dispose([x, y]);
});

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

it.runIf(existsSync(`${dist}chained-ops.js`))(
  'the built entries: the methods after importing trellis or trellis/chained-ops, from ESM and CJS',
  () => {
    const probe = (imports: string) =>
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import * as tf from '@tensorflow/tfjs-core'; ${imports} console.log(typeof tf.Tensor.prototype.slice);`,
        ],
        {cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8'},
      ).trim();
    expect(probe('')).toBe('undefined');
    expect(probe("import 'trellis';")).toBe('function');
    expect(probe("import 'trellis/chained-ops';")).toBe('function');
    for (const entry of ['trellis', 'trellis/chained-ops']) {
      const cjs = execFileSync(
        process.execPath,
        ['-e', `const tf = require('@tensorflow/tfjs-core'); require('${entry}'); console.log(typeof tf.Tensor.prototype.slice);`],
        {cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8'},
      ).trim();
      expect(cjs, entry).toBe('function');
    }
  },
);
