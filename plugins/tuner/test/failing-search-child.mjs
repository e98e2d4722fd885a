// A parallel search that fails while its worker threads start, for src/parallel/parallel.test.ts:
// `space` — its space declaration throws; `setup` — the hypermodel's setup() throws in every worker.
// Prints the error's name and message, then must exit on its own, which it can only do once no worker
// is left. Run with node on the built packages. Usage: node failing-search-child.mjs space|setup
import * as tf from '@tensorflow/tfjs-core';
import {randomSearch} from '@trellis/tuner';
import {setup} from './hypermodel.mjs';

const how = process.argv[2];
await setup();
const x = tf.zeros([8, 2]);
const y = tf.zeros([8, 1]);
const tuner = randomSearch({
  hypermodel: new URL(how === 'setup' ? './broken-setup-hypermodel.mjs' : './hypermodel.mjs', import.meta.url),
  maxTrials: 2,
  parallelism: 2,
  ...(how === 'space'
    ? {
        hyperparameters: () => {
          throw new Error('the declared space is broken');
        },
      }
    : {}),
});
await tuner.search(x, y, {epochs: 1}).catch((error) => console.log(`${error.name}: ${error.message}`));
