/**
 * What an object of each registered kind must look like, checked on what a
 * factory returns (internal).
 * @module
 */
import type {Kind} from './spec/plugin';

type Check = {readonly expected: string; readonly test: (value: unknown) => boolean};

const isObject = (v: unknown): v is Record<string, unknown> => (typeof v === 'object' || typeof v === 'function') && v !== null;
const hasFunctions = (v: unknown, ...names: string[]) => isObject(v) && names.every((n) => typeof v[n] === 'function');
const hasSpec = (v: unknown) => isObject(v) && isObject(v.spec) && typeof (v.spec as {id?: unknown}).id === 'string';

/** The contract check of every built-in kind; kinds added by other packages have none. */
const CONTRACTS: Readonly<Record<Kind, Check>> = {
  optimizer: {expected: 'a gradient transform with init and update functions', test: (v) => hasFunctions(v, 'init', 'update')},
  schedule: {expected: 'a function of the step with a spec', test: (v) => typeof v === 'function' && hasSpec(v)},
  initializer: {expected: 'a function (shape, dtype, seed) => Tensor with a spec', test: (v) => typeof v === 'function' && hasSpec(v)},
  regularizer: {expected: 'a function (weight) => Scalar with a spec', test: (v) => typeof v === 'function' && hasSpec(v)},
  constraint: {expected: 'a function (weight) => Tensor with a spec', test: (v) => typeof v === 'function' && hasSpec(v)},
  loss: {
    expected: 'a function (yTrue, yPred) => Tensor1D with a name and a targetKind',
    test: (v) => typeof v === 'function' && typeof (v as unknown as {targetKind?: unknown}).targetKind === 'string',
  },
  metric: {
    expected: 'an object with a name and init, update and result functions',
    test: (v) => isObject(v) && hasFunctions(v, 'init', 'update', 'result') && typeof v.name === 'string',
  },
  layer: {expected: 'a layer with build and call functions and a spec', test: (v) => hasFunctions(v, 'build', 'call') && hasSpec(v)},
  callback: {expected: 'a callback object', test: (v) => isObject(v)},
  logger: {expected: 'a logger with a logMetrics function', test: (v) => hasFunctions(v, 'logMetrics')},
  serializer: {expected: 'a serializer with save and load functions', test: (v) => hasFunctions(v, 'save', 'load')},
};

/** What `kind` must be, and whether `value` is that; null for kinds without a known contract. */
export function contractOf(kind: string): Check | null {
  return (CONTRACTS as Record<string, Check>)[kind] ?? null;
}
