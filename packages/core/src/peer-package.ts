/**
 * `peerPackageLoader()`: a backend plugin's optional tfjs package, imported
 * once per process.
 * @module
 */
import {BackendError} from './errors';

/** The tfjs release range a backend plugin's peer package must match (the one `@trellis/core` itself needs). */
const TFJS_RANGE = '^4.22.0';

/**
 * Makes the loader of a backend plugin's optional peer package `name`
 * (`'@tensorflow/tfjs-backend-wasm'`): the first call runs `load` (the
 * plugin's own `() => import('…')`, so bundlers see the literal name), later
 * calls share its promise; a failed import is retried on the next call.
 *
 * The loader resolves to the functions named in `pick`, each read from the
 * module or, for a CommonJS build seen from ESM, from its `default`. With
 * no `pick` it resolves to `{}` (importing the package is all the plugin
 * needs, e.g. to register its tfjs backend).
 *
 * @param name - the package name, as the messages give it.
 * @param load - imports the package.
 * @param pick - the exports the plugin calls; each must be a function (or class).
 * @returns the loader; call it from the plugin's `register()`.
 * @throws {BackendError} from the loader when the import fails
 *   (`… could not be imported (…). Install it next to @tensorflow/tfjs-core:
 *   npm install <name>@^4.22.0.`, the import error as `cause`; retried next
 *   time) or an export of `pick` is missing (`… loaded but exports no X:
 *   expected version ^4.22.0.`; not retried, the installed package stays the same).
 * @example
 * const loadWasm = peerPackageLoader<{setWasmPaths(paths: string): void}>(
 *   '@tensorflow/tfjs-backend-wasm',
 *   () => import('@tensorflow/tfjs-backend-wasm'),
 *   ['setWasmPaths'],
 * );
 * const {setWasmPaths} = await loadWasm(); // in register()
 */
export function peerPackageLoader<T extends object = Record<never, never>>(
  name: string,
  load: () => Promise<unknown>,
  pick: readonly (keyof T & string)[] = [],
): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().then(
      (module) => pickExports<T>(name, module, pick),
      (error: unknown) => {
        loading = undefined;
        throw new BackendError(
          `${name} could not be imported (${(error as Error)?.message ?? String(error)}). ` +
            `Install it next to @tensorflow/tfjs-core: npm install ${name}@${TFJS_RANGE}.`,
          {cause: error},
        );
      },
    );
    return loading;
  };
}

/** The functions `pick` names, from `module` or its `default`. */
function pickExports<T>(name: string, module: unknown, pick: readonly string[]): T {
  const candidate = module as Record<string, unknown> & {default?: Record<string, unknown>};
  const picked: Record<string, unknown> = {};
  for (const key of pick) {
    const value = candidate[key] ?? candidate.default?.[key];
    if (typeof value !== 'function') throw new BackendError(`${name} loaded but exports no ${key}: expected version ${TFJS_RANGE}.`);
    picked[key] = value;
  }
  return picked as T;
}
