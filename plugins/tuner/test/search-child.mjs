// A search process for the kill-and-resume test (src/tuner/kill-resume.test.ts), run with node on
// the built packages. Appends `start <id>` / `end <id>` lines to the log as trials start and end, and
// writes the finished trials as JSON. Usage: node search-child.mjs <directory> <project> <log> <out>
import {appendFileSync} from 'node:fs';
import {rename, writeFile} from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import {randomSearch} from '@trellis/tuner';
import {setup} from './hypermodel.mjs';

const [directory, projectName, log, out] = process.argv.slice(2);
await setup();
const rows = Array.from({length: 48}, (_, i) => [Math.sin(i * 1.3), Math.cos(i * 0.7)]);
const x = tf.tensor2d(rows);
const y = tf.tidy(() => tf.add(tf.matMul(x, tf.tensor2d([[2], [-1]])), 0.5));
// A pause after each batch widens the moments a kill can land in.
const pause = {name: 'pause', onBatchEnd: () => new Promise((resolve) => setTimeout(resolve, 10))};
const tuner = randomSearch({
  hypermodel: new URL('./hypermodel.mjs', import.meta.url),
  maxTrials: 6,
  seed: 11,
  directory,
  projectName,
  onTrialStart: (t) => appendFileSync(log, `start ${t.trialId}\n`),
  onTrialEnd: (t) => appendFileSync(log, `end ${t.trialId}\n`),
});
const trials = await tuner.search(x, y, {epochs: 4, batchSize: 8, validationSplit: 0.25, callbacks: [pause]});
const best = tuner.getBestHyperparameters()[0].values;
await writeFile(`${out}.tmp`, JSON.stringify({best, scores: trials.map((t) => t.score)}));
await rename(`${out}.tmp`, out);
