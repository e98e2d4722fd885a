/**
 * The Node builtins the tuner uses (its trial store, its TensorBoard logs and
 * its worker threads), reached through the package's `#node-builtins` import.
 * Under the `"browser"` condition that import is `node-builtins.browser.ts`
 * instead, so a browser bundle of the package holds no Node builtin (internal).
 * @module
 */
export {existsSync} from 'node:fs';
export {mkdir, readFile, readdir, rm} from 'node:fs/promises';
export {availableParallelism} from 'node:os';
export {isAbsolute, join} from 'node:path';
export {fileURLToPath, pathToFileURL} from 'node:url';
export {Worker} from 'node:worker_threads';
