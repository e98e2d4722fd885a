// Shared by the tests of this package.
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll} from 'vitest';

/**
 * A maker of temporary folders for the tests of the calling file:
 * `makeDir(prefix)` creates an empty folder whose name starts with `prefix`.
 * Every folder made is removed after those tests.
 */
export function temporaryDirs(): (prefix: string) => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    await Promise.all(made.map((d) => rm(d, {recursive: true, force: true})));
  });
  return async (prefix) => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}
