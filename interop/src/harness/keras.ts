/**
 * Keras as oracle: write cases, run them all in one Python process
 * (`python -m oracle`), read Keras' results. A batch whose cases and oracle
 * sources are byte for byte those of the previous run reuses its results
 * (the same suite run again on another backend asks Keras nothing new).
 * @module
 */
import {createHash} from 'node:crypto';
import {existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {freshFolder, runsFolder} from './folders';
import {interopRoot} from './python-env';
import {pythonRoot, runPythonModule} from './python';
import {decodeTree, encodeTree, type TreeIn, type TreeOut} from './tensor-tree';

/** A case for `python/oracle/kinds.py`: `kind` picks the handler (`HANDLERS` of `python/oracle/__main__.py`). */
export type KerasCase = {readonly kind: string; readonly [key: string]: TreeIn};

/**
 * Runs every case of a batch through Keras and returns Keras' results by case
 * name. Cases go to `interop/.cache/runs/<batch>/<name>/case.json`.
 * @throws Error with Keras' traceback when a case fails in Python.
 */
export async function runKeras(batch: string, cases: Readonly<Record<string, KerasCase>>): Promise<Record<string, TreeOut>> {
  const staging = freshFolder('.staging', batch);
  for (const [name, kerasCase] of Object.entries(cases)) {
    const folder = freshFolder(join('.staging', batch), name);
    writeFileSync(join(folder, 'case.json'), JSON.stringify(await encodeTree(folder, kerasCase)));
  }
  const digest = digestOf([staging, join(pythonRoot, 'oracle'), join(interopRoot, 'requirements.txt')]);
  const root = runsFolder(batch);
  const digestFile = join(root, 'digest.txt');
  if (existsSync(digestFile) && readFileSync(digestFile, 'utf8') === digest) {
    rmSync(staging, {recursive: true, force: true});
  } else {
    rmSync(root, {recursive: true, force: true});
    renameSync(staging, root);
    await runPythonModule('oracle', [root]);
    writeFileSync(digestFile, digest);
  }
  const results: Record<string, TreeOut> = {};
  for (const name of Object.keys(cases)) {
    const folder = join(root, name);
    const result = JSON.parse(readFileSync(join(folder, 'result.json'), 'utf8')) as {ok: boolean; values?: unknown; error?: string};
    if (!result.ok) throw new Error(`Keras failed on case ${batch}/${name} (${folder}):\n${result.error}`);
    results[name] = decodeTree(folder, result.values);
  }
  return results;
}

/** SHA-256 of `paths`: files, and every file below folders (paths and contents, in a fixed order; `__pycache__` left out). */
function digestOf(paths: readonly string[]): string {
  const hash = createHash('sha256');
  const visit = (base: string, dir: string) => {
    for (const entry of readdirSync(dir, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name === '__pycache__') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(base, path);
      else
        hash
          .update(`${relative(base, path)}\0`)
          .update(readFileSync(path))
          .update('\0');
    }
  };
  for (const path of paths) {
    if (statSync(path).isDirectory()) visit(path, path);
    else hash.update(readFileSync(path));
  }
  return hash.digest('hex');
}
