/**
 * The interop suite's Python: a virtualenv under `interop/.cache/venv`
 * holding exactly `interop/requirements.txt`, rebuilt only when those pins (or
 * the base Python) change.
 * @module
 */
import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';

/** Why the suite cannot run: no usable Python, or the install failed. */
export class InteropSetupError extends Error {
  override name = 'InteropSetupError';
}

/** The interop package's folder. */
export const interopRoot = join(import.meta.dirname, '..', '..');
const MIN_PYTHON: readonly [number, number] = [3, 10];

/**
 * The base interpreter: `$TRELLIS_PYTHON`, else `python3`, else `python`,
 * checked to be Python ≥ 3.10 with the `venv` module.
 * @throws InteropSetupError naming what was tried and how to fix it.
 */
export function findPython(env: NodeJS.ProcessEnv = process.env): {command: string; version: string} {
  const requested = env.TRELLIS_PYTHON;
  const candidates = requested ? [requested] : ['python3', 'python'];
  const seen: string[] = [];
  for (const command of candidates) {
    const probe = spawnSync(command, ['-c', 'import sys, venv; print("%d.%d.%d" % sys.version_info[:3])'], {encoding: 'utf8'});
    if (probe.error || probe.status !== 0) {
      seen.push(`${command}: ${probe.error ? (probe.error as NodeJS.ErrnoException).code : probe.stderr.trim().split('\n').at(-1)}`);
      continue;
    }
    const version = probe.stdout.trim();
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
      seen.push(`${command}: Python ${version}`);
      continue;
    }
    return {command, version};
  }
  throw new InteropSetupError(
    `The interop suite needs Python >= ${MIN_PYTHON.join('.')} with the venv module and pip; ` +
      `found none (${seen.join('; ')}). Install Python 3 (e.g. apt install python3 python3-venv), ` +
      `or point TRELLIS_PYTHON at an interpreter.`,
  );
}

/** The fingerprint of what the virtualenv must hold. */
function wantedStamp(pythonVersion: string, requirementsFile: string): string {
  const pins = readFileSync(requirementsFile);
  return createHash('sha256').update(`python ${pythonVersion}\n`).update(pins).digest('hex');
}

function run(command: string, args: readonly string[], what: string, logFile: string, hint: string): void {
  const result = spawnSync(command, args, {encoding: 'utf8', maxBuffer: 256 * 1024 * 1024});
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  writeFileSync(logFile, `$ ${command} ${args.join(' ')}\n${output}`);
  if (result.error || result.status !== 0) {
    const tail = output.trim().split('\n').slice(-25).join('\n');
    throw new InteropSetupError(
      `${what} failed (${result.error?.message ?? `exit code ${result.status}`}). ` + `Full log: ${logFile}. Last lines:\n${tail}\n` + hint,
    );
  }
}

/** Where the virtualenv lives and what it holds (defaults: the suite's own). */
export type PythonEnvOptions = {
  /** Pinned requirements (default `interop/requirements.txt`). */
  readonly requirements?: string;
  /** The virtualenv folder (default `interop/.cache/venv`, git-ignored). */
  readonly venvDir?: string;
  /** Where the base interpreter is looked up (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** Progress lines. */
  readonly log?: (line: string) => void;
};

/**
 * Creates or refreshes the virtualenv and returns its python. Installs only
 * when the pins (or the base Python's version) changed since the last
 * successful install; a failed install leaves no stamp, so the next run
 * starts over.
 * @throws InteropSetupError when Python is missing or pip fails.
 */
export function ensurePythonEnv(options: PythonEnvOptions = {}): string {
  const requirements = options.requirements ?? join(interopRoot, 'requirements.txt');
  const venvDir = options.venvDir ?? join(interopRoot, '.cache', 'venv');
  const stampFile = join(venvDir, 'trellis-requirements.sha256');
  const base = findPython(options.env);
  const python = join(venvDir, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
  const wanted = wantedStamp(base.version, requirements);
  if (existsSync(python) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === wanted) return python;

  options.log?.(`interop: installing ${requirements} into ${venvDir} (Python ${base.version})`);
  rmSync(venvDir, {recursive: true, force: true});
  mkdirSync(dirname(venvDir), {recursive: true});
  const logFile = `${venvDir}-setup.log`;
  const hint = `Check the network access to PyPI and the pins in ${requirements}, then run again.`;
  run(
    base.command,
    ['-m', 'venv', venvDir],
    'Creating the virtualenv',
    logFile,
    'Install the venv module (e.g. apt install python3-venv).',
  );
  run(
    python,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '-r', requirements],
    `pip install -r ${requirements}`,
    logFile,
    hint,
  );
  writeFileSync(`${stampFile}.partial`, wanted);
  renameSync(`${stampFile}.partial`, stampFile);
  return python;
}
