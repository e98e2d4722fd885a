/**
 * Data and options on their way to worker threads: tensors become typed
 * arrays with shape and dtype (copied, so the caller keeps its tensors);
 * functions cannot go and are refused (internal).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, type Callback, type Spec} from '@trellis/core';

interface WireTensor {
  readonly $tensor: true;
  readonly shape: number[];
  readonly dtype: tf.DataType;
  readonly values: tf.TypedArray | string[];
}

function isWireTensor(value: unknown): value is WireTensor {
  return typeof value === 'object' && value !== null && (value as WireTensor).$tensor === true;
}

/**
 * `value` with every tensor replaced by its data (a readback per tensor).
 * @throws ConfigError for a function or another non-cloneable value, naming `where`.
 */
export function toWire(value: unknown, where: string): unknown {
  if (value instanceof tf.Tensor) {
    return {$tensor: true, shape: [...value.shape], dtype: value.dtype, values: value.dataSync().slice()} satisfies WireTensor;
  }
  if (typeof value === 'function') {
    throw new ConfigError(
      `${where} is a function, which cannot be sent to a worker thread. With parallelism above 1, pass data (tensors, arrays, numbers) only, or use parallelism: 1.`,
    );
  }
  if (Array.isArray(value)) return value.map((v, i) => toWire(v, `${where}[${i}]`));
  if (ArrayBuffer.isView(value)) return value;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v, `${where}.${k}`)]));
  }
  return value;
}

/** `value` with every wired tensor made a tensor again; `created` collects them (the caller disposes them). */
export function fromWire(value: unknown, created: tf.Tensor[]): unknown {
  if (isWireTensor(value)) {
    const t = tf.tensor(value.values as tf.TypedArray, value.shape, value.dtype);
    created.push(t);
    return t;
  }
  if (Array.isArray(value)) return value.map((v) => fromWire(v, created));
  if (ArrayBuffer.isView(value)) return value;
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromWire(v, created)]));
  return value;
}

/**
 * The specs of `callbacks`, which workers rebuild through a registry.
 * @throws ConfigError for a callback without a spec (a closure).
 */
export function callbackSpecs(callbacks: readonly Callback[]): Spec[] {
  return callbacks.map((c, i) => {
    const spec = (c as {spec?: Spec}).spec;
    if (spec === undefined || typeof spec.id !== 'string') {
      throw new ConfigError(
        `fitOptions.callbacks[${i}] ('${c?.name ?? 'unnamed'}') has no spec, so it cannot be rebuilt in a worker thread. ` +
          'With parallelism above 1, pass callbacks that carry a spec (earlyStopping, reduceLROnPlateau, csvLogger...), resolvable through the registry the hypermodel module exports (default: defaultRegistry()), or use parallelism: 1.',
      );
    }
    return {id: spec.id, config: spec.config};
  });
}
