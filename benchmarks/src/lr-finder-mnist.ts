/**
 * `node dist/lr-finder-mnist.js [--backend wasm|cpu] [--seed N]` (or `pnpm bench:lr-finder` at the
 * repository root): checks `lrFinder` of `@trellis/tuner` on the main job, the MLP 784-512-128-10
 * (relu, Adam, batch 128) on the 60,000 MNIST training images, against brute force.
 *
 * 1. The range test with its defaults (1e-7 → 10 over 100 steps, β 0.98, stop at 4× the best) and
 *    with 300 steps, from the initial weights of `--seeds` seeds (default 5), each checked to leave
 *    every weight and the whole optimizer state bit-identical and no tensor behind.
 * 2. A sweep of fixed learning rates, half a decade apart from 1e-5 to 1: from the first seed's
 *    initial weights, one epoch each (same shuffling), then the loss on the 10,000 test images.
 * 3. The verdict, for each suggestion, against the best rate `b` of the decade grid 1e-5, 1e-4, …, 1
 *    (by test loss), read two ways: in b's decade, `b <= s < 10 b` (same power of ten), and within
 *    half a decade of b, `|log10(s / b)| <= 0.5` (b is the grid rate nearest to s). The exit code
 *    is 1 when a range test changed the model or leaked, or the median default suggestion (100 steps,
 *    `suggested`) is not within half a decade of b.
 *
 * The report goes to the terminal and to `results/lr-finder-mnist.json` (written atomically).
 * @module
 */
import {renameSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import {tensorsIn} from '@trellis/core';
import {lrFinder, type LrFinderResult} from '@trellis/tuner';
import {Sequential, accuracy, adam, createTrellis, dense, loadMnist, setSeed, sparseCategoricalCrossentropy} from 'trellis';

const BATCH = 128;

/** The main job's MLP, from the same initial weights every time (the seed is set first). */
function mlp(seed: number, learningRate: number): Sequential {
  setSeed(seed);
  const model = new Sequential([
    dense({units: 512, activation: 'relu', inputShape: [784]}),
    dense({units: 128, activation: 'relu'}),
    dense({units: 10, activation: 'softmax'}),
  ]);
  model.compile({optimizer: adam({learningRate}), loss: sparseCategoricalCrossentropy(), metrics: [accuracy()]});
  return model;
}

/** The bytes of every weight and optimizer state tensor, and the optimizer's counters, as one string. */
function fingerprint(model: Sequential): string {
  const weights = model.getWeights();
  const state = model.optimizer.getState();
  const tensors = [...Object.values(weights), ...tensorsIn(state.state)];
  const parts = tensors.map((t) => Buffer.from(t.dataSync().slice().buffer).toString('base64'));
  tf.dispose(tensors);
  return JSON.stringify({parts, step: state.step, scale: state.learningRateScale ?? 1, rate: model.optimizer.learningRate});
}

/** How `rate` reads against the sweep's best rate `best`: decades above it, in its decade, within half a decade. */
function against(rate: number | null, best: number) {
  if (rate === null) return {decadesAbove: null, sameDecade: false, withinHalfDecade: false};
  const decadesAbove = Math.log10(rate / best);
  return {decadesAbove, sameDecade: decadesAbove >= -1e-9 && decadesAbove < 1 - 1e-9, withinHalfDecade: Math.abs(decadesAbove) <= 0.5};
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.sqrt(sorted[mid - 1]! * sorted[mid]!);
};

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {backend: {type: 'string', default: 'wasm'}, seeds: {type: 'string', default: '5'}, sweep: {type: 'boolean', default: true}},
    allowNegative: true,
  });
  const backend = values.backend === 'cpu' ? 'cpu' : 'wasm';
  const seeds = Array.from({length: Number(values.seeds)}, (_, i) => i + 1);
  await createTrellis({backend});
  const {train, test} = await loadMnist({split: 'both'});
  console.log(`lrFinder vs a sweep of fixed rates · MNIST MLP 784-512-128-10 · Adam · batch ${BATCH} · ${backend}`);

  // 1. The range tests.
  const tests: {numSteps: number; seed: number; seconds: number; bitIdentical: boolean; tensorsLeft: number; result: LrFinderResult}[] = [];
  for (const numSteps of [100, 300]) {
    for (const seed of seeds) {
      const model = mlp(seed, 1e-3);
      const before = fingerprint(model);
      const tensors = tf.memory().numTensors;
      const started = performance.now();
      const result = await lrFinder(model, train.x, train.y, {batchSize: BATCH, numSteps});
      const seconds = (performance.now() - started) / 1000;
      const bitIdentical = fingerprint(model) === before;
      const tensorsLeft = tf.memory().numTensors - tensors;
      model.dispose();
      tests.push({numSteps, seed, seconds, bitIdentical, tensorsLeft, result});
      const {suggestions: s} = result;
      console.log(
        `range test, ${numSteps} steps, seed ${seed}: ${result.losses.length} steps (${result.stopReason}) in ${seconds.toFixed(1)} s; ` +
          `minimum/10 ${s?.minimumDividedBy10.toExponential(2)}, steepest ${s?.steepest.toExponential(2)}; ` +
          `bit-identical afterwards: ${bitIdentical}; tensors left: ${tensorsLeft}`,
      );
    }
  }

  // 2. The sweep, half a decade apart.
  const sweep: {rate: number; trainLoss: number; testLoss: number; testAccuracy: number; seconds: number}[] = [];
  const rates = values.sweep ? Array.from({length: 11}, (_, i) => 10 ** (-5 + i / 2)) : [];
  for (const rate of rates) {
    const run = mlp(seeds[0]!, rate);
    const started = performance.now();
    const history = await run.fit(train.x, train.y, {epochs: 1, batchSize: BATCH, verbose: 0});
    const seconds = (performance.now() - started) / 1000;
    const evaluated = await run.evaluate(test.x, test.y, {batchSize: 1000});
    run.dispose();
    const row = {rate, trainLoss: history.history.loss![0]!, testLoss: evaluated.loss!, testAccuracy: evaluated.accuracy!, seconds};
    sweep.push(row);
    console.log(
      `fixed rate ${rate.toExponential(1).padStart(7)}, 1 epoch: train loss ${row.trainLoss.toFixed(4)}  test loss ${row.testLoss.toFixed(4)}  ` +
        `test accuracy ${row.testAccuracy.toFixed(4)}  (${seconds.toFixed(1)} s)`,
    );
  }
  tf.dispose([train, test]);

  // 3. The verdict.
  const finite = (l: number) => (Number.isFinite(l) ? l : Number.POSITIVE_INFINITY);
  const decadeGrid = sweep.filter((_, i) => i % 2 === 0);
  const best = decadeGrid.length ? decadeGrid.reduce((a, b) => (finite(b.testLoss) < finite(a.testLoss) ? b : a)).rate : Number.NaN;
  const summary = [100, 300].flatMap((numSteps) => {
    const runs = tests.filter((t) => t.numSteps === numSteps);
    return (['suggested', 'steepest', 'minimumDividedBy10'] as const).map((name) => {
      const suggested = runs.map((t) => (name === 'suggested' ? t.result.suggested : t.result.suggestions?.[name]) ?? Number.NaN);
      const middle = median(suggested);
      const reading = against(Number.isNaN(middle) ? null : middle, best);
      console.log(
        `${numSteps} steps, ${name}: median ${middle.toExponential(2)} (seeds: ${suggested.map((r) => r.toExponential(1)).join(', ')}); ` +
          `${reading.decadesAbove?.toFixed(2)} decades from ${best.toExponential(0)}: same decade ${reading.sameDecade}, within half a decade ${reading.withinHalfDecade}`,
      );
      return {numSteps, suggestion: name, median: middle, perSeed: suggested, ...reading};
    });
  });
  console.log(`best fixed rate after one epoch (test loss, decade grid): ${best.toExponential(0)}`);
  const allRestored = tests.every((t) => t.bitIdentical && t.tensorsLeft === 0);
  // The verdict is on lrFinder's defaults: 100 steps, the `suggested` rate.
  const primary = summary.find((s) => s.numSteps === 100 && s.suggestion === 'suggested')!;

  const report = {
    date: new Date().toISOString(),
    backend,
    model: 'MLP 784-512-128-10 relu, softmax, Adam, sparse categorical crossentropy',
    batchSize: BATCH,
    best,
    summary,
    allRestored,
    sweep,
    rangeTests: tests,
  };
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', 'lr-finder-mnist.json');
  writeFileSync(`${file}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  console.log(`every range test left the model bit-identical and no tensor behind: ${allRestored}; report: ${file}`);
  if (!allRestored || (sweep.length > 0 && !primary.withinHalfDecade)) process.exitCode = 1;
}

await main();
