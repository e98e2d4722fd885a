/**
 * Runs the suite's Python modules (`interop/python`) in the virtualenv.
 * @module
 */
import {spawn} from 'node:child_process';
import {join} from 'node:path';
import {inject} from 'vitest';
import {interopRoot} from './python-env';

/** Where the Python modules live; also their working directory. */
export const pythonRoot = join(interopRoot, 'python');

/**
 * `python -m <module> ...args` in the virtualenv; resolves when it exits 0,
 * rejects with its stderr otherwise.
 */
export function runPythonModule(module: string, args: readonly string[]): Promise<void> {
  const python = inject('python');
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-m', module, ...args], {
      cwd: pythonRoot,
      env: {...process.env, KERAS_BACKEND: 'jax', JAX_PLATFORMS: 'cpu', TF_CPP_MIN_LOG_LEVEL: '2', PYTHONDONTWRITEBYTECODE: '1'},
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.on('data', () => {});
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`python -m ${module} ${args.join(' ')} exited with ${code}:\n${stderr.trim()}`));
    });
  });
}
