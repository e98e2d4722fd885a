/**
 * The browser's stand-ins for the tuner's Node builtins (`#node-builtins`
 * under the `"browser"` condition): a tuner keeps its trials in a folder and
 * runs them in worker threads, which a browser has not, so each throws a
 * `ConfigError` saying so; `availableParallelism` is the browser's own
 * `navigator.hardwareConcurrency`, and the path helpers work on `/` paths
 * (internal).
 * @module
 */
import {ConfigError} from '@trellis/core';
import type * as nodeBuiltins from './node-builtins';

type Builtins = typeof nodeBuiltins;

function needsNode(what: string): never {
  throw new ConfigError(
    `The tuner ${what}, which needs Node (this is the browser build of @trellis/tuner). ` +
      'Run the search in Node; in a browser, lrFinder and HyperParameters work, and a model found by a search loads with loadModel.',
  );
}

const noFolder = (): never =>
  needsNode("keeps its trials in a folder (directory/projectName) and reads and writes them with Node's file system");

export const existsSync = noFolder as unknown as Builtins['existsSync'];
export const mkdir = noFolder as unknown as Builtins['mkdir'];
export const readFile = noFolder as unknown as Builtins['readFile'];
export const readdir = noFolder as unknown as Builtins['readdir'];
export const rm = noFolder as unknown as Builtins['rm'];

/** The browser's logical processor count (1 when it does not say). */
export const availableParallelism: Builtins['availableParallelism'] = () =>
  (globalThis as {navigator?: {hardwareConcurrency?: number}}).navigator?.hardwareConcurrency ?? 1;

/** `/`-separated paths: `join('runs', 'trial_1')` is `runs/trial_1`. */
export const join: Builtins['join'] = (...parts: string[]) =>
  parts
    .filter((p) => p !== '')
    .join('/')
    .replace(/\/{2,}/g, '/');
export const isAbsolute: Builtins['isAbsolute'] = (path: string) => path.startsWith('/');

export const fileURLToPath = noFolder as unknown as Builtins['fileURLToPath'];
export const pathToFileURL = noFolder as unknown as Builtins['pathToFileURL'];

export const Worker = class {
  constructor() {
    needsNode('runs parallel trials in Node worker threads (parallelism > 1)');
  }
} as unknown as Builtins['Worker'];
