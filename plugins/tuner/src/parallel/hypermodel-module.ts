/**
 * The hypermodel module: an ES module exporting `buildModel(hp)`, and
 * optionally `setup()` and `registry`, loadable on any thread (internal).
 * @module
 */
import {isAbsolute, pathToFileURL} from '#node-builtins';
import {ConfigError, describeValue, type Registry} from '@trellis/core';
import type {BuildModel} from '../tuner/run-trial';

/** What a hypermodel module exports. */
export interface HypermodelModule {
  readonly buildModel: BuildModel;
  readonly setup?: () => unknown;
  readonly registry?: Registry;
}

/** The import specifier of `hypermodel`: a URL as is, a file path as a `file:` URL. */
export function hypermodelHref(hypermodel: string): string {
  return isAbsolute(hypermodel) ? pathToFileURL(hypermodel).href : hypermodel;
}

/** Imports the module. @throws ConfigError when it cannot be imported or exports no `buildModel` function. */
export async function loadHypermodel(hypermodel: string): Promise<HypermodelModule> {
  let module: Partial<HypermodelModule>;
  try {
    module = (await import(/* webpackIgnore: true */ /* @vite-ignore */ hypermodelHref(hypermodel))) as Partial<HypermodelModule>;
  } catch (cause) {
    throw new ConfigError(
      `hypermodel '${hypermodel}' could not be imported (${(cause as Error).message}). Pass the URL of a JavaScript module, ` +
        "e.g. new URL('./build-model.js', import.meta.url).",
      {cause},
    );
  }
  if (typeof module.buildModel !== 'function') {
    throw new ConfigError(
      `hypermodel '${hypermodel}' exports no function buildModel (it exports ${describeValue(Object.keys(module))}); add export function buildModel(hp) {...}.`,
    );
  }
  return module as HypermodelModule;
}
