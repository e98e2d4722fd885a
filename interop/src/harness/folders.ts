/**
 * Where cases and artifacts are written: `interop/.cache/runs/<group>/<name>`,
 * kept after the run so that a case can be rerun by hand in Python.
 * @module
 */
import {mkdirSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {interopRoot} from './python-env';

/** The folder of `group` (and of `name` in it), without touching it. */
export function runsFolder(group: string, name = ''): string {
  return join(interopRoot, '.cache', 'runs', group, name);
}

/** A fresh, empty folder for one case or artifact. */
export function freshFolder(group: string, name: string): string {
  const folder = runsFolder(group, name);
  rmSync(folder, {recursive: true, force: true});
  mkdirSync(folder, {recursive: true});
  return folder;
}
