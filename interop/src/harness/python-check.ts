/**
 * Python as consumer: write an artifact, let a check in `python/checks` load
 * it with the real library, read its report.
 * @module
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {freshFolder} from './folders';
import {runPythonModule} from './python';
import {decodeTree, encodeTree, type TreeIn, type TreeOut} from './tensor-tree';

/**
 * Writes `artifact` as `artifact.json` (plus tensor files; `files` are written
 * as they are, for artifacts in their own formats) to a fresh folder, runs
 * `python -m checks <check> <folder>` and returns the check's report.
 * @throws Error with the Python traceback when the check fails.
 */
export async function runPythonCheck(
  check: string,
  name: string,
  artifact: TreeIn,
  files: Readonly<Record<string, Uint8Array>> = {},
): Promise<TreeOut> {
  const folder = freshFolder(`checks-${check}`, name);
  writeFileSync(join(folder, 'artifact.json'), JSON.stringify(await encodeTree(folder, artifact)));
  for (const [file, bytes] of Object.entries(files)) writeFileSync(join(folder, file), bytes);
  await runPythonModule('checks', [check, folder]);
  const report = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')) as {ok: boolean; values?: unknown; error?: string};
  if (!report.ok) throw new Error(`Python check ${check} failed on ${folder}:\n${report.error}`);
  return decodeTree(folder, report.values);
}
