/**
 * The browser's stand-ins for `diagnose()`'s Node builtins (`#node-builtins`
 * under the `"browser"` condition). `diagnose()` looks for packages only in
 * Node, so these are never called; each throws a `BackendError` if one is
 * (internal).
 * @module
 */
import {BackendError} from '@trellis/core';
import type * as nodeBuiltins from './node-builtins';

type Builtins = typeof nodeBuiltins;

const nodeOnly = (): never => {
  throw new BackendError('Looking for installed packages needs Node (this is the browser build of @trellis/backend-webgpu).');
};

export const createRequire = nodeOnly as unknown as Builtins['createRequire'];
export const join = nodeOnly as unknown as Builtins['join'];
export const fileURLToPath = nodeOnly as unknown as Builtins['fileURLToPath'];
