/**
 * The Keras 3 contender: `python/keras_bench.py` run by the interop suite's
 * virtualenv (Keras 3 on JAX, CPU), on the same images as the JavaScript
 * contenders, handed over as `.npy` files.
 * @module
 */
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {runChild} from './child';
import type {BenchConfig, ModelSpec, Timing} from './configs';
import {npyBytes} from './npy';
import type {WorkerFailure, WorkerResult} from './result';

/** The interop suite's virtualenv python (created by `pnpm test:interop` from `interop/requirements.txt`). */
export const INTEROP_PYTHON = fileURLToPath(new URL('../../interop/.cache/venv/bin/python', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../python/keras_bench.py', import.meta.url));

/**
 * Whether the Keras contender can run: the python to use, or why not (the
 * `unavailable` reason shown in the table).
 *
 * @param python - an interpreter given with `--python`; by default the
 *   interop virtualenv's, if it exists.
 */
export function findKeras(python?: string): {python: string} | {unavailable: string} {
  const candidate = python ?? INTEROP_PYTHON;
  if (!existsSync(candidate)) {
    return {
      unavailable:
        python === undefined
          ? 'no interop virtualenv (interop/.cache/venv): create it with `pnpm test:interop`, which installs interop/requirements.txt (Keras 3, JAX)'
          : `no python at ${python}`,
    };
  }
  const probe = spawnSync(candidate, ['-c', 'import jax, keras; print(keras.__version__, jax.__version__)'], {
    encoding: 'utf8',
    env: {...process.env, KERAS_BACKEND: 'jax', JAX_PLATFORMS: 'cpu'},
  });
  if (probe.error || probe.status !== 0) {
    const why = probe.error?.message ?? probe.stderr.trim().split('\n').at(-1) ?? `exit code ${probe.status}`;
    return {unavailable: `${candidate} cannot import keras and jax (${why}): rerun \`pnpm test:interop\` to rebuild the virtualenv`};
  }
  return {python: candidate};
}

/** The data sets of the benchmark, as `.npy` files for Python; {@link dispose} removes them. */
export class PythonData {
  readonly #dir = mkdtempSync(join(tmpdir(), 'trellis-bench-'));
  readonly #files = new Map<ModelSpec['dataset'], {images: string; labels: string}>();

  /**
   * The 60,000 training images (uint8 `[60000, 28, 28, 1]`, pixel × 255) and
   * labels (uint8 `[60000]`) of `dataset`, as Trellis' loaders give them to
   * the JavaScript contenders (same order), written once per run.
   */
  async files(dataset: ModelSpec['dataset']): Promise<{images: string; labels: string}> {
    const known = this.#files.get(dataset);
    if (known) return known;
    const tf = await import('@tensorflow/tfjs-core');
    const {createTrellis, data} = await import('trellis');
    await createTrellis({backend: 'cpu'});
    const loaded =
      dataset === 'mnist'
        ? await data.loadMnist({split: 'train', flatten: false})
        : await data.loadFashionMnist({split: 'train', flatten: false});
    const {x, y} = loaded.train;
    try {
      const pixels = await x.data();
      const images = new Uint8Array(pixels.length);
      for (let i = 0; i < pixels.length; i++) images[i] = Math.round(pixels[i]! * 255);
      const labels = Uint8Array.from(await y.data());
      const files = {images: join(this.#dir, `${dataset}-x.npy`), labels: join(this.#dir, `${dataset}-y.npy`)};
      writeAtomic(files.images, npyBytes(images, [labels.length, 28, 28, 1]));
      writeAtomic(files.labels, npyBytes(labels, [labels.length]));
      this.#files.set(dataset, files);
      return files;
    } finally {
      tf.dispose([x, y]);
    }
  }

  dispose(): void {
    rmSync(this.#dir, {recursive: true, force: true});
  }
}

function writeAtomic(file: string, bytes: Uint8Array): void {
  writeFileSync(`${file}.partial`, bytes);
  renameSync(`${file}.partial`, file);
}

/**
 * Measures `config` (a `keras-fit` configuration) in a Python process: the
 * same model, batch, optimizer (Adam, `timing.learningRate`), loss, metric,
 * windows and warm-up steps as the JavaScript `fit` contenders.
 */
export async function runKeras(
  config: BenchConfig,
  spec: ModelSpec,
  timing: Timing,
  python: string,
  data: PythonData,
): Promise<WorkerResult | WorkerFailure> {
  // The virtualenv may be rebuilt while the run goes on (a changed pin and `pnpm test:interop`).
  if (!existsSync(python)) return {id: config.id, status: 'unavailable', error: `${python} is gone (the virtualenv is being rebuilt?)`};
  const files = await data.files(spec.dataset);
  // biome-ignore format: one option per line
  const args = [
    SCRIPT,
    '--id', config.id,
    '--model', spec.name,
    '--images', files.images,
    '--labels', files.labels,
    '--batch-size', String(spec.batchSize),
    '--parameters', String(spec.parameters),
    '--learning-rate', String(timing.learningRate),
    '--windows', String(timing.windows),
    '--window-seconds', String(timing.windowMs / 1000),
    '--warmup-steps', String(timing.warmupSteps),
  ];
  const outcome = await runChild(python, args, {...process.env, KERAS_BACKEND: 'jax', JAX_PLATFORMS: 'cpu'});
  if (!outcome.ok) return {id: config.id, status: 'failed', error: outcome.error};
  const measured = outcome.value as Omit<WorkerResult, 'model' | 'backend' | 'contender' | 'kernels' | 'tensorGrowth'>;
  return {
    ...measured,
    id: config.id,
    model: config.model,
    backend: config.backend,
    contender: config.contender,
    kernels: 'xla',
    tensorGrowth: null,
  };
}
