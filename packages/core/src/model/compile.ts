/**
 * Resolving what `compile` is given into objects.
 * @module
 */
import {ConfigError, describe} from '../errors';
import {defaultRegistry} from '../registry';
import type {Spec} from '../spec/json';
import type {Loss} from '../spec/loss';
import type {Metric} from '../spec/metric';
import type {GradientTransform} from '../spec/optimizer';
import type {Registry} from '../spec/plugin';
import {StatefulOptimizer} from '../stateful-optimizer';
import type {CompileOptions, Compiled, Resolvable} from './options';

/**
 * Resolves ids and specs through the registry, specializes metrics for the
 * loss and checks that log names are unique. Throws `ConfigError` or
 * `UnknownIdError`; allocates no tensors.
 */
export function resolveCompileOptions(options: CompileOptions): Compiled {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(`compile expects {optimizer, loss, metrics?}; got ${describe(options)}.`);
  }
  const registry = options.registry ?? defaultRegistry();
  const transform = resolveWith(registry, 'optimizer', options.optimizer, isTransform);
  const loss = resolveWith(registry, 'loss', options.loss, isLoss);
  if (options.metrics !== undefined && !Array.isArray(options.metrics)) {
    throw new ConfigError(`metrics must be an array; got ${describe(options.metrics)}.`);
  }
  const metrics = (options.metrics ?? []).map((m) => {
    const metric = resolveWith(registry, 'metric', m, isMetric);
    return metric.forLoss ? metric.forLoss(loss) : metric;
  });
  const names = new Set(['loss', 'batch_loss']);
  for (const metric of metrics) {
    if (names.has(metric.name)) {
      throw new ConfigError(`Two metrics (or a metric and the loss) are both named '${metric.name}'; give one a distinct name.`);
    }
    names.add(metric.name);
  }
  return {optimizer: new StatefulOptimizer(transform), loss, metrics};
}

export function resolveWith<T>(
  registry: Registry,
  kind: 'optimizer' | 'loss' | 'metric',
  value: Resolvable<T>,
  check: (v: unknown) => boolean,
): T {
  if (typeof value === 'string' || (value !== null && typeof value === 'object' && 'id' in value && 'config' in value && !check(value))) {
    return registry.resolve(kind, value as string | Spec) as T;
  }
  if (!check(value)) {
    const expected = {
      optimizer: 'an optimizer (e.g. adam() from @trellis/optimizers)',
      loss: 'a loss (e.g. sparseCategoricalCrossentropy() from @trellis/layers)',
      metric: 'a metric (e.g. accuracy() from @trellis/metrics)',
    }[kind];
    throw new ConfigError(`${kind} must be ${expected}, an id or a spec; got ${describe(value)}.`);
  }
  return value as T;
}

function isTransform(v: unknown): boolean {
  return v !== null && typeof v === 'object' && typeof (v as GradientTransform).init === 'function' && typeof (v as GradientTransform).update === 'function';
}

function isLoss(v: unknown): boolean {
  return typeof v === 'function' && typeof (v as Loss).targetKind === 'string';
}

function isMetric(v: unknown): boolean {
  return v !== null && typeof v === 'object' && typeof (v as Metric).update === 'function' && typeof (v as Metric).result === 'function';
}
