/**
 * Keras as oracle: write cases, run them all in one Python process
 * (`python -m oracle`), read Keras' results.
 * @module
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {freshFolder} from './folders';
import {runPythonModule} from './python';
import {decodeTree, encodeTree, type TreeIn, type TreeOut} from './tensor-tree';

/** A case for `python/oracle/kinds.py`: `kind` picks the handler (`HANDLERS` of `python/oracle/__main__.py`). */
export type KerasCase = {readonly kind: string; readonly [key: string]: TreeIn};

/**
 * Runs every case of a batch through Keras and returns Keras' results by case
 * name. Cases go to `interop/.cache/runs/<batch>/<name>/case.json`.
 * @throws Error with Keras' traceback when a case fails in Python.
 */
export async function runKeras(batch: string, cases: Readonly<Record<string, KerasCase>>): Promise<Record<string, TreeOut>> {
  const root = freshFolder(batch, '');
  for (const [name, kerasCase] of Object.entries(cases)) {
    const folder = freshFolder(batch, name);
    writeFileSync(join(folder, 'case.json'), JSON.stringify(encodeTree(folder, kerasCase)));
  }
  await runPythonModule('oracle', [root]);
  const results: Record<string, TreeOut> = {};
  for (const name of Object.keys(cases)) {
    const folder = join(root, name);
    const result = JSON.parse(readFileSync(join(folder, 'result.json'), 'utf8')) as {ok: boolean; values?: unknown; error?: string};
    if (!result.ok) throw new Error(`Keras failed on case ${batch}/${name} (${folder}):\n${result.error}`);
    results[name] = decodeTree(folder, result.values);
  }
  return results;
}
