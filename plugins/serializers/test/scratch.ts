import {afterEach, beforeAll} from 'vitest';
import {removeDir, tempDir, useCpu} from './helpers';

const made: string[] = [];

/** A fresh folder under the OS temp folder, removed after the test that made it (see {@link useScratchFolders}). */
export async function scratchDir(): Promise<string> {
  const dir = await tempDir();
  made.push(dir);
  return dir;
}

/**
 * The setup the save/load test files share: the CPU backend before the file's tests, and every
 * folder {@link scratchDir} made removed after each test.
 */
export function useScratchFolders(): void {
  beforeAll(useCpu);
  afterEach(async () => {
    for (const dir of made.splice(0)) await removeDir(dir);
  });
}
