/**
 * `pnpm bench:tuner [--samples N]`: a 16-trial random search on an MNIST MLP (3,000 images unless
 * `--samples` says otherwise, 3 epochs per trial, wasm), once on the main thread and once with 2 worker
 * threads; prints both times and their ratio.
 * Both searches have the same seed, so they run the same trials (the scores are compared too). The
 * parallel time includes starting the workers (each loads Trellis and initializes its own wasm
 * backend), printed apart, as is the CPU time of the process (every thread); the machine's load
 * average is printed too, since the ratio depends on two cores being free: parallel CPU time close to
 * the sequential one with a wall time far above half of it means other processes held the cores.
 */
import {availableParallelism, loadavg} from 'node:os';
import {parseArgs} from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import {createTrellis, loadMnist, tuner} from 'trellis';

const hypermodel = new URL('./tuner-hypermodel.js', import.meta.url);
await createTrellis({backend: 'wasm'});
const samples = Number(parseArgs({options: {samples: {type: 'string', default: '3000'}}}).values.samples);
if (!Number.isInteger(samples) || samples < 100 || samples > 60000) {
  console.error('--samples must be an integer from 100 to 60000 (MNIST training images).');
  process.exit(2);
}
const {train} = await loadMnist({split: 'train', samples});
const fit = {epochs: 3, batchSize: 128, validationSplit: 0.2};
const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores`;

async function timed(parallelism: number) {
  let firstStart = Number.NaN;
  const search = tuner.randomSearch({
    hypermodel,
    objective: 'val_accuracy',
    maxTrials: 16,
    seed: 1,
    parallelism,
    verbose: 0,
    onTrialStart: () => {
      if (Number.isNaN(firstStart)) firstStart = performance.now();
    },
  });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const trials = await search.search(train.x, train.y, fit);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {seconds, cpu: (cpu.user + cpu.system) / 1e6, startup: (firstStart - started) / 1000, scores: trials.map((t) => t.score)};
}

console.log(`16-trial random search, ${samples} MNIST images (20% validation), 3 epochs per trial, wasm`);
console.log(`before: ${load()}`);
const sequential = await timed(1);
console.log(`sequential (main thread): ${sequential.seconds.toFixed(1)} s (CPU ${sequential.cpu.toFixed(1)} s)`);
const parallel = await timed(2);
console.log(
  `parallelism 2 (2 worker threads): ${parallel.seconds.toFixed(1)} s (CPU ${parallel.cpu.toFixed(1)} s), ` +
    `of which ${parallel.startup.toFixed(1)} s before the first trial (starting the workers)`,
);
console.log(`ratio parallel / sequential: ${(parallel.seconds / sequential.seconds).toFixed(2)}`);
const same = JSON.stringify(sequential.scores) === JSON.stringify(parallel.scores);
console.log(`same scores in both: ${same}`);
console.log(`after: ${load()}`);
tf.dispose([train.x, train.y]);
