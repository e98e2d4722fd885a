/**
 * Where a training step's time goes on the wasm backend, kernel by kernel.
 *
 * Trains the benchmark MLP (784-512-128-10 relu, batch 128), the CNN
 * c32-p-c64-p-d128-10 (batch 64) and the Fashion CNN (augmentation, two
 * conv → batch norm → relu → max-pool blocks, dropout; batch 64) with
 * `fit` on random data of the benchmarks' shapes, Adam 1e-3, and prints for
 * each model:
 *
 * - the wall time and the process' CPU time per training step: `fit` over a
 *   few epochs after a warm-up epoch, the median epoch time divided by its
 *   steps (on a busy machine the CPU time is the steadier of the two);
 * - the kernels `tf.profile` records over a few `trainOnBatch` steps, summed
 *   per kernel name and divided by the steps, slowest first (the profiler's
 *   own bookkeeping makes these steps slower than the unprofiled ones).
 *
 * A script, not a test (speed is never asserted). Run it from `benchmarks/`
 * on the workspace sources (kernel changes count without a build), either
 * with vitest (all models, default settings):
 *
 *     npx vitest bench --run src/wasm-kernel-profile.bench.ts
 *
 * or with tsx, which takes options:
 *
 *     npx tsx --conditions=@trellis/source src/wasm-kernel-profile.bench.ts \
 *       [--models mlp,cnn,fashion-cnn] [--epochs 3] [--batches 20] [--steps 8] [--top 15]
 *
 * Random data trains like real data for timing purposes (the same shapes,
 * the same kernels); the accuracy is meaningless.
 * @module
 */
import {parseArgs} from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import {adam, createTrellis, setSeed, sparseCategoricalCrossentropy, type Sequential} from 'trellis';
import {trellisModel} from './bench-models';
import {MODELS as SPECS, type ModelSpec} from './configs';

/** The profiled models: the benchmark's MLP, CNN and Fashion CNN, built as `pnpm bench` builds them. */
const MODELS: readonly ModelSpec[] = [SPECS.A, SPECS.C, SPECS.D];

const inputShape = (spec: ModelSpec): number[] => (spec.kind === 'dense' ? [spec.inputs] : [28, 28, 1]);

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Wall and CPU milliseconds per `fit` step: medians over `epochs` timed epochs, after one warm-up epoch. */
async function msPerStep(
  model: Sequential,
  x: tf.Tensor,
  y: tf.Tensor,
  batchSize: number,
  epochs: number,
): Promise<{wall: number; cpu: number}> {
  const wall: number[] = [];
  const cpu: number[] = [];
  let started = 0;
  let cpuStarted = process.cpuUsage();
  let steps = 1;
  await model.fit(x, y, {
    epochs: epochs + 1,
    batchSize,
    verbose: 0,
    callbacks: [
      {
        name: 'epoch-timer',
        onEpochStart: () => {
          started = performance.now();
          cpuStarted = process.cpuUsage();
        },
        onEpochEnd: (context) => {
          const used = process.cpuUsage(cpuStarted);
          steps = context.params.stepsPerEpoch;
          if (context.epoch === 0) return;
          wall.push(performance.now() - started);
          cpu.push((used.user + used.system) / 1000);
        },
      },
    ],
  });
  return {wall: median(wall) / steps, cpu: median(cpu) / steps};
}

/** Kernel name → milliseconds per step over `steps` profiled `trainOnBatch` calls. */
async function kernelTimes(
  model: Sequential,
  x: tf.Tensor,
  y: tf.Tensor,
  steps: number,
): Promise<Map<string, {ms: number; calls: number}>> {
  const totals = new Map<string, {ms: number; calls: number}>();
  for (let i = 0; i < steps; i++) {
    const info = await tf.profile(async () => {
      await model.trainOnBatch(x, y);
    });
    for (const kernel of info.kernels) {
      const ms = await kernel.kernelTimeMs;
      const time = typeof ms === 'number' ? ms : 0;
      const entry = totals.get(kernel.name) ?? {ms: 0, calls: 0};
      entry.ms += time / steps;
      entry.calls += 1 / steps;
      totals.set(kernel.name, entry);
    }
  }
  return totals;
}

async function main(): Promise<void> {
  // Not strict: under vitest the arguments are vitest's own.
  const {values} = parseArgs({
    strict: false,
    options: {
      models: {type: 'string'},
      epochs: {type: 'string'},
      steps: {type: 'string'},
      top: {type: 'string'},
      batches: {type: 'string'},
    },
  });
  const option = (name: string, fallback: string): string => {
    const value = values[name];
    return typeof value === 'string' ? value : fallback;
  };
  const wanted = option('models', MODELS.map((m) => m.name).join(',')).split(',');
  const epochs = Number(option('epochs', '3'));
  const steps = Number(option('steps', '8'));
  const top = Number(option('top', '15'));
  const batches = Number(option('batches', '20'));
  await createTrellis({backend: 'wasm'});
  console.log(`backend ${tf.getBackend()}; ${epochs} timed epochs of ${batches} steps; kernels over ${steps} profiled steps`);
  for (const spec of MODELS.filter((m) => wanted.includes(m.name))) {
    setSeed(1);
    const samples = spec.batchSize * batches;
    const x = tf.randomUniform([samples, ...inputShape(spec)], 0, 1, 'float32', 1);
    const y = tf.randomUniform([samples], 0, 10, 'int32', 2);
    const batchX = tf.slice(x, 0, spec.batchSize);
    const batchY = tf.slice(y, 0, spec.batchSize);
    const model = await trellisModel(spec);
    try {
      model.compile({optimizer: adam({learningRate: 1e-3}), loss: sparseCategoricalCrossentropy()});
      const ms = await msPerStep(model, x, y, spec.batchSize, epochs);
      const kernels = await kernelTimes(model, batchX, batchY, steps);
      const rows = [...kernels.entries()].sort((a, b) => b[1].ms - a[1].ms);
      const profiled = rows.reduce((sum, [, k]) => sum + k.ms, 0);
      console.log(
        `\n${spec.name} (batch ${spec.batchSize}): ${ms.wall.toFixed(1)} ms/step (CPU ${ms.cpu.toFixed(1)} ms); ` +
          `kernels ${profiled.toFixed(1)} ms/step in profiled steps`,
      );
      for (const [name, k] of rows.slice(0, top)) {
        console.log(`  ${name.padEnd(28)} ${k.ms.toFixed(2).padStart(8)} ms  ${k.calls.toFixed(0).padStart(4)} calls`);
      }
    } finally {
      model.dispose();
      tf.dispose([x, y, batchX, batchY]);
    }
  }
}

await main();
