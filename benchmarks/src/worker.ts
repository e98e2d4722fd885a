/**
 * `node dist/worker.js <config id> [timing json]`: measures one configuration
 * in a fresh process (so no engine state, registered kernel or heap growth
 * of one contender can skew another) and prints one result line.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {CONFIGS, FULL_TIMING, MODELS, type BenchConfig, type DenseSpec, type ModelSpec, type Timing} from './configs';
import {tfjsLayersFit, trellisFit, type FitContender} from './fit-contenders';
import {createLoopModel, disposeLoopModel, loopStep} from './loops';
import {BatchSampler, WindowClock, median, type Window} from './measure';
import {RESULT_PREFIX, type WorkerFailure, type WorkerResult} from './result';

/** Images in the MNIST (and Fashion-MNIST) training set. */
const MNIST_TRAIN = 60_000;

/** The measured fit's epoch count: never reached, the windows stop it (an epoch lasts a window or is all 60,000 images). */
const MAX_EPOCHS = 10_000;

/** Steps between readbacks in the loops: long enough that the readback is negligible. */
const CHUNK_MS = 250;

type Measured = {
  windows: Window[];
  warmupMsPerStep: number;
  finalLoss: number;
  tensorGrowth: number;
  samplesPerEpoch: number | null;
  chunkSteps: number | null;
};

function log(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

/** A contender that cannot run here, for a known reason (reported as `status`, not as a crash). */
class NotRun extends Error {
  constructor(
    readonly status: 'cannot train' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

type BackendSetup = Pick<WorkerResult, 'kernels' | 'device' | 'software'>;

/**
 * Activates the configuration's backend. Trellis contenders go through
 * Trellis (`createTrellis` with the backend or its plugin: `wasm`, `cpu`,
 * `nodeBackend({gpu: false})`, `webgpu()`; `useBackend(wasm())` for the loop
 * on Trellis kernels); the others import the tfjs backend package directly and
 * get the stock kernels.
 *
 * @returns whose kernels are registered (checked against what the
 *   configuration expects on wasm) and what computes.
 * @throws NotRun `unavailable` when the native addon or a WebGPU adapter is missing.
 */
async function setupBackend(config: BenchConfig): Promise<BackendSetup> {
  const trellis = await import('trellis');
  const {BackendError, ensureGradients} = await import('@trellis/core');
  const {hasTrellisKernels} = await import('@trellis/backend-wasm');
  const expectedName = config.backend;
  let setup: BackendSetup = {kernels: 'stock'};
  if (config.contender === 'trellis-fit' && (config.backend === 'tensorflow' || config.backend === 'webgpu')) {
    try {
      if (config.backend === 'tensorflow') {
        const {nodeBackend} = await import('@trellis/backend-node');
        await trellis.createTrellis({backend: nodeBackend({gpu: false})});
        const binding = (tf.backend() as {binding?: {TF_Version?: string}}).binding;
        setup = {kernels: 'trellis', device: `libtensorflow ${binding?.TF_Version ?? '?'} (CPU)`};
      } else {
        const gpu = await import('@trellis/backend-webgpu');
        await trellis.createTrellis({backend: gpu.webgpu()});
        const adapter = gpu.describeAdapter() ?? 'unknown adapter';
        setup = {
          kernels: gpu.hasTrellisKernels() ? 'trellis' : 'stock',
          device: adapter,
          software: /software|llvmpipe|lavapipe|swiftshader/i.test(adapter),
        };
      }
    } catch (error) {
      if (error instanceof BackendError) throw new NotRun('unavailable', error.message);
      throw error;
    }
  } else if (config.contender === 'trellis-fit') {
    await trellis.createTrellis({backend: config.backend as 'wasm' | 'cpu'});
  } else if (config.contender === 'loop-trellis-kernels') {
    await trellis.useBackend(trellis.backends.wasm());
  } else {
    if (config.backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
    else await import('@tensorflow/tfjs-backend-cpu');
    if (!(await tf.setBackend(config.backend))) throw new Error(`tfjs backend '${config.backend}' failed to initialize`);
    await tf.ready();
  }
  ensureGradients();
  if (tf.getBackend() !== expectedName) {
    throw new Error(`expected the ${expectedName} backend to be active; got ${tf.getBackend()}`);
  }
  if (config.backend === 'wasm' || config.backend === 'cpu') {
    const kernels = config.backend === 'wasm' && hasTrellisKernels() ? 'trellis' : 'stock';
    const expected =
      config.backend === 'wasm' && config.contender !== 'tfjs-layers-fit' && config.contender !== 'loop-stock' ? 'trellis' : 'stock';
    if (kernels !== expected) throw new Error(`expected ${expected} matmul kernels on ${config.backend}; found ${kernels}`);
    setup = {kernels};
  }
  return setup;
}

/**
 * A missing kernel (tfjs-layers on the stock wasm backend has no
 * `Conv2DBackpropFilter`, so it cannot train a convnet) is what the library
 * can do, not a bug of the benchmark: reported as `cannot train`.
 */
function asNotRun(error: unknown): unknown {
  const missing = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec((error as Error)?.message ?? '');
  if (missing) return new NotRun('cannot train', `no ${missing[1]} kernel on the stock ${missing[2]} backend`);
  return error;
}

/**
 * Stops a contender that trains on garbage: a fresh 10-class model's loss is
 * near ln 10 ≈ 2.3, and a few thousand steps on MNIST leave it well above
 * 1e-4, so anything outside (1e-4, 20) means a broken kernel or input, and
 * its timing would not be comparable.
 */
function checkLoss(loss: number, when: string): void {
  if (!(loss > 1e-4 && loss < 20)) throw new Error(`implausible loss ${loss} ${when}: the contender does not train correctly`);
}

/**
 * The first `rows` training images of the model's data set (`[rows, 784]` for
 * dense models, `[rows, 28, 28, 1]` for convnets, float32) and labels `[rows]`
 * int32, owned by the caller.
 */
type LoadRows = (rows: number) => Promise<{x: tf.Tensor; y: tf.Tensor}>;

/**
 * `fit` contenders. Warm-up: a 2-epoch fit on `warmupSteps` batches; its
 * second epoch estimates the step time. Then one fit over enough samples that
 * an epoch lasts a window (at most all 60,000 images, then several epochs per
 * window); windows are cut at epoch ends, so each holds whole epochs,
 * including the epoch-end readback and bookkeeping `fit` does.
 *
 * Each fit gets freshly loaded data of exactly its size, never a slice of a
 * bigger set: a slice is a copy, and the wasm heap never shrinks, so copies
 * would inflate the peak RSS of the fit contenders.
 */
async function measureFit(contender: FitContender, load: LoadRows, batchSize: number, timing: Timing): Promise<Measured> {
  const {warmupSteps} = timing;
  const available = Math.floor(MNIST_TRAIN / batchSize);
  const warm = Math.min(warmupSteps, available);
  const epochMs: number[] = [];
  let epochStart = 0;
  const warmup = await load(warm * batchSize);
  try {
    const warmupLoss = await contender.fit(warmup.x, warmup.y, 2, {
      onEpochStart: () => void (epochStart = performance.now()),
      onEpochEnd: () => (epochMs.push(performance.now() - epochStart), false),
    });
    checkLoss(warmupLoss, 'after the warm-up fit');
  } finally {
    tf.dispose([warmup.x, warmup.y]);
  }
  const warmupMsPerStep = epochMs[epochMs.length - 1]! / warm;
  // Slack of 10% so that one epoch usually makes one window.
  const stepsPerEpoch = Math.max(warm, Math.min(available, Math.ceil((timing.windowMs * 1.1) / warmupMsPerStep)));
  // At the cap, the whole set (its last batch may be short: 60,000 = 468 × 128 + 96).
  const samples = stepsPerEpoch === available ? MNIST_TRAIN : stepsPerEpoch * batchSize;
  log(`warm-up ${warmupMsPerStep.toFixed(2)} ms/step → ${samples} samples per epoch`);

  const {x, y} = await load(samples);
  const clock = new WindowClock(timing.windows, timing.windowMs);
  // The clock stops the fit once its windows are complete; the warm-up's estimate can be several times
  // off on a busy machine, so the epoch count is only a backstop.
  const epochs = MAX_EPOCHS;
  let started = false;
  try {
    const before = tf.memory().numTensors;
    const finalLoss = await contender.fit(x, y, epochs, {
      onEpochStart: () => {
        if (!started) clock.start();
        started = true;
      },
      onEpochEnd: (steps) => clock.boundary(steps),
    });
    const tensorGrowth = tf.memory().numTensors - before;
    checkLoss(finalLoss, 'at the end');
    if (!clock.done) log(`only ${clock.windows.length} of ${timing.windows} windows completed in ${epochs} epochs`);
    return {windows: clock.windows, warmupMsPerStep, finalLoss, tensorGrowth, samplesPerEpoch: samples, chunkSteps: null};
  } finally {
    tf.dispose([x, y]);
  }
}

/**
 * Loop contenders: shuffled batches over the whole set; chunks of steps with
 * one readback (the last loss) at the end of each; a window is whole chunks.
 */
async function measureLoop(spec: DenseSpec, x: tf.Tensor, y: tf.Tensor, timing: Timing): Promise<Measured> {
  const model = createLoopModel(spec.inputs, spec.units, {seed: 1});
  const optimizer = tf.train.adam(timing.learningRate);
  const sampler = new BatchSampler(x.shape[0]!, spec.batchSize, 1);
  const chunk = async (steps: number): Promise<number> => {
    let loss: tf.Scalar | null = null;
    for (let i = 0; i < steps; i++) {
      loss?.dispose();
      loss = loopStep(model, optimizer, x, y, sampler.next());
    }
    const value = (await loss!.data())[0]!;
    loss!.dispose();
    return value;
  };
  try {
    checkLoss(await chunk(timing.warmupSteps), 'after the warm-up steps');
    const t0 = performance.now();
    await chunk(timing.warmupSteps);
    const warmupMsPerStep = (performance.now() - t0) / timing.warmupSteps;
    const chunkSteps = Math.max(1, Math.round(CHUNK_MS / warmupMsPerStep));
    log(`warm-up ${warmupMsPerStep.toFixed(2)} ms/step → chunks of ${chunkSteps} steps`);
    const clock = new WindowClock(timing.windows, timing.windowMs);
    const before = tf.memory().numTensors;
    let finalLoss = Number.NaN;
    clock.start();
    while (!clock.done) {
      finalLoss = await chunk(chunkSteps);
      clock.boundary(chunkSteps);
    }
    const tensorGrowth = tf.memory().numTensors - before;
    checkLoss(finalLoss, 'at the end');
    return {windows: clock.windows, warmupMsPerStep, finalLoss, tensorGrowth, samplesPerEpoch: null, chunkSteps};
  } finally {
    optimizer.dispose();
    disposeLoopModel(model);
  }
}

/** Runs a full V8 garbage collection when the worker was started with `--expose-gc` (run.js does). */
function collectGarbage(): void {
  (globalThis as {gc?: () => void}).gc?.();
}

/** A loader of the model's training images (see {@link LoadRows}). */
async function dataLoader(spec: ModelSpec): Promise<LoadRows> {
  const {data} = await import('trellis');
  const flatten = spec.kind === 'dense';
  return async (rows) => {
    const {train} =
      spec.dataset === 'mnist'
        ? await data.loadMnist({split: 'train', samples: rows, flatten})
        : await data.loadFashionMnist({split: 'train', samples: rows, flatten});
    // The loader's file buffers are garbage now; collecting them keeps their lifetime
    // (GC timing) out of the peak RSS, which then reflects the data and the contender.
    collectGarbage();
    return train;
  };
}

async function measure(config: BenchConfig, spec: ModelSpec, timing: Timing): Promise<Measured> {
  const load = await dataLoader(spec);
  if (config.contender === 'trellis-fit' || config.contender === 'tfjs-layers-fit') {
    const contender = await (config.contender === 'trellis-fit' ? trellisFit : tfjsLayersFit)(spec, timing);
    try {
      if (contender.parameters !== spec.parameters) {
        throw new Error(`${config.id} built a model of ${contender.parameters} parameters; the benchmark's has ${spec.parameters}`);
      }
      return await measureFit(contender, load, spec.batchSize, timing);
    } catch (error) {
      throw asNotRun(error);
    } finally {
      contender.dispose();
    }
  }
  if (spec.kind !== 'dense') throw new Error(`${config.id}: the hand-written loops train dense models only`);
  const {x, y} = await load(MNIST_TRAIN);
  try {
    return await measureLoop(spec, x, y, timing);
  } finally {
    tf.dispose([x, y]);
  }
}

/** Writes the result line and waits until it is flushed (the process may be ended right after). */
function report(result: WorkerResult | WorkerFailure): Promise<void> {
  return new Promise((resolve) => process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`, () => resolve()));
}

async function main(): Promise<void> {
  const started = performance.now();
  const [id, timingJson] = process.argv.slice(2);
  const config = CONFIGS.find((c) => c.id === id);
  if (!config) throw new Error(`unknown configuration '${id}'; known: ${CONFIGS.map((c) => c.id).join(', ')}`);
  if (config.backend === 'jax') throw new Error(`${config.id} runs in Python (keras.ts), not in this worker`);
  const timing: Timing = {...FULL_TIMING, ...(timingJson ? (JSON.parse(timingJson) as Partial<Timing>) : {})};
  const spec = MODELS[config.model];

  let setup: BackendSetup;
  let measured: Measured;
  try {
    setup = await setupBackend(config);
    measured = await measure(config, spec, timing);
  } catch (error) {
    if (!(error instanceof NotRun)) throw error;
    log(`${error.status}: ${error.message}`);
    await report({id: config.id, status: error.status, error: error.message});
    return;
  }

  const msPerStep = median(measured.windows.map((w) => w.msPerStep));
  await report({
    id: config.id,
    model: config.model,
    backend: config.backend,
    contender: config.contender,
    ...setup,
    msPerStep,
    samplesPerSecond: (spec.batchSize * 1000) / msPerStep,
    windows: measured.windows,
    batchSize: spec.batchSize,
    samplesPerEpoch: measured.samplesPerEpoch,
    chunkSteps: measured.chunkSteps,
    warmupMsPerStep: measured.warmupMsPerStep,
    finalLoss: measured.finalLoss,
    tensorGrowth: measured.tensorGrowth,
    images: measured.samplesPerEpoch ?? MNIST_TRAIN,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    seconds: (performance.now() - started) / 1000,
  });
}

// Exits explicitly: Dawn's device (webgpu) and libtensorflow's thread pools can keep the process alive.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`, () => process.exit(1));
  },
);
