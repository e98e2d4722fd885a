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
 * loss and checks that log names are unique. `outputNames` are the model's
 * outputs when it has several (a functional model with an array of
 * outputs): then `loss`, `lossWeights` and `metrics` may be given per output,
 * as arrays in output order or records keyed by output name. Throws
 * `ConfigError` or `UnknownIdError`; allocates no tensors.
 */
export function resolveCompileOptions(options: CompileOptions, outputNames: readonly string[] | null = null): Compiled {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(`compile expects {optimizer, loss, metrics?}; got ${describe(options)}.`);
  }
  const registry = options.registry ?? defaultRegistry();
  const transform = resolveWith(registry, 'optimizer', options.optimizer, isTransform);
  const outputs = outputNames ?? [];
  const losses = outputNames
    ? perOutput('loss', options.loss, outputs, false).map((l) => resolveWith(registry, 'loss', l as Resolvable<Loss>, isLoss))
    : [resolveWith(registry, 'loss', options.loss as Resolvable<Loss>, isLoss)];
  const lossWeights = resolveLossWeights(options.lossWeights, outputNames);
  const metrics = resolveMetrics(registry, options.metrics, losses, outputNames);
  const names = new Set(['loss', 'batch_loss', ...outputs.map((o) => `${o}_loss`)]);
  for (const metric of metrics) {
    if (names.has(metric.name)) {
      throw new ConfigError(`Two metrics (or a metric and the loss) are both named '${metric.name}'; give one a distinct name.`);
    }
    names.add(metric.name);
  }
  return {optimizer: new StatefulOptimizer(transform), loss: losses[0]!, losses, lossWeights, metrics, outputNames};
}

/** One value per output from an array (output order) or a record keyed by output name. */
function perOutput(what: string, value: unknown, outputs: readonly string[], optional: boolean): unknown[] {
  const n = outputs.length;
  const list = `the ${n} outputs (${outputs.join(', ')})`;
  if (Array.isArray(value)) {
    if (value.length !== n) {
      throw new ConfigError(
        `The model has ${n} outputs (${outputs.join(', ')}); got ${value.length} ${what === 'loss' ? 'losses' : what}. ` +
          `Pass one per output, in output order, or a record keyed by output name.`,
      );
    }
    return value;
  }
  if (value !== null && typeof value === 'object' && !('id' in value && 'config' in value) && typeof value !== 'function') {
    const record = value as Record<string, unknown>;
    const unknown = Object.keys(record).filter((k) => !outputs.includes(k));
    if (unknown.length > 0) {
      throw new ConfigError(`${what} names ${unknown.map((k) => `'${k}'`).join(', ')}, which ${unknown.length > 1 ? 'are not outputs' : 'is not an output'}; the model has ${list}.`);
    }
    const missing = outputs.filter((o) => !(o in record));
    if (!optional && missing.length > 0) {
      throw new ConfigError(`${what} gives nothing for the output${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the model has ${list}. Give one per output.`);
    }
    return outputs.map((o) => record[o]);
  }
  if (what === 'loss') {
    throw new ConfigError(`The model has ${list}; pass one loss per output (an array in output order, or a record keyed by output name); got ${describe(value)}.`);
  }
  throw new ConfigError(`${what} must be an array (one per output) or a record keyed by output name; got ${describe(value)}.`);
}

function resolveLossWeights(value: CompileOptions['lossWeights'], outputNames: readonly string[] | null): readonly number[] | null {
  if (value === undefined) return null;
  const weights = outputNames ? perOutput('lossWeights', value, outputNames, true).map((w) => w ?? 1) : Array.isArray(value) ? value : [value];
  if (!outputNames && weights.length !== 1) {
    throw new ConfigError(`The model has one output; got ${weights.length} lossWeights. Pass one number (or none).`);
  }
  weights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new ConfigError(`lossWeights${outputNames ? ` for '${outputNames[i]}'` : ''} must be a finite number >= 0; got ${describe(w)}.`);
    }
  });
  return weights as number[];
}

function resolveMetrics(
  registry: Registry,
  value: CompileOptions['metrics'],
  losses: readonly Loss[],
  outputNames: readonly string[] | null,
): Metric[] {
  if (value === undefined) return [];
  const resolveFor = (m: Resolvable<Metric>, loss: Loss): Metric => {
    const metric = resolveWith(registry, 'metric', m, isMetric);
    return metric.forLoss ? metric.forLoss(loss) : metric;
  };
  if (!outputNames) {
    if (!Array.isArray(value)) throw new ConfigError(`metrics must be an array; got ${describe(value)}.`);
    return (value as Resolvable<Metric>[]).map((m) => resolveFor(m, losses[0]!));
  }
  // A flat list applies to every output; else one list per output.
  const flat = Array.isArray(value) && value.every((m) => !Array.isArray(m));
  const lists = flat ? outputNames.map(() => value) : perOutput('metrics', value, outputNames, true).map((l) => l ?? []);
  return lists.flatMap((list, i) => {
    if (!Array.isArray(list)) throw new ConfigError(`metrics for '${outputNames[i]}' must be an array; got ${describe(list)}.`);
    return (list as Resolvable<Metric>[]).map((m) => forOutput(resolveFor(m, losses[i]!), i, outputNames[i]!));
  });
}

/** A metric of output `index` of a multi-output model, logged as `<output>_<metric>`. */
function forOutput(metric: Metric, index: number, output: string): Metric {
  return {
    name: `${output}_${metric.name}`,
    spec: metric.spec,
    init: () => metric.init(),
    update: (state, yTrue, yPred, sampleWeight) => {
      const pick = (t: unknown) => (Array.isArray(t) ? (t[index] as typeof yTrue) : t as typeof yTrue);
      return metric.update(state, pick(yTrue), pick(yPred), sampleWeight);
    },
    result: (state) => metric.result(state),
  };
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
