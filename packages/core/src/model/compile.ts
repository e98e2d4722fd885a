/**
 * Resolving what `compile` is given into objects.
 * @module
 */
import {lossFromFunction, type LossFn} from '../define-loss';
import {ConfigError, describe} from '../errors';
import {checkOptions, optionKeys} from '../options-check';
import {defaultRegistry} from '../registry';
import type {Spec} from '../spec/json';
import type {Loss} from '../spec/loss';
import type {Metric} from '../spec/metric';
import type {GradientTransform} from '../spec/optimizer';
import type {Registry} from '../spec/plugin';
import {StatefulOptimizer} from '../stateful-optimizer';
import type {CompileOptions, Compiled, Resolvable} from './options';

/** Every option `compile` reads (see {@link CompileOptions}); a key missing from the type or the list is a compile error. */
const COMPILE_OPTION_KEYS = optionKeys<CompileOptions>({
  optimizer: true,
  loss: true,
  lossWeights: true,
  metrics: true,
  weightedMetrics: true,
  registry: true,
});

/**
 * Resolves ids and specs through the registry, specializes metrics for the
 * loss and checks that log names are unique. `outputNames` are the model's
 * outputs when it has several (a functional model with an array of
 * outputs): then `loss`, `lossWeights` and `metrics` may be given per output,
 * as arrays in output order or records keyed by output name. Throws
 * `ConfigError` or `UnknownIdError`; allocates no tensors.
 */
export function resolveCompileOptions(options: CompileOptions, outputNames: readonly string[] | null = null): Compiled {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError(`compile expects {optimizer, loss, metrics?}; got ${describe(options)}.`);
  }
  checkOptions('compile', options, COMPILE_OPTION_KEYS);
  if (options.optimizer === undefined || options.loss === undefined) {
    throw new ConfigError(
      `compile needs an optimizer and a loss (compile({optimizer: 'adam', loss: 'mse'})); got no ${options.optimizer === undefined ? 'optimizer' : 'loss'}.`,
    );
  }
  const registry = options.registry ?? defaultRegistry();
  if (registry === null || typeof registry !== 'object' || typeof (registry as Partial<Registry>).resolve !== 'function') {
    throw new ConfigError(
      `compile: registry must be a registry (createRegistry(...) or the one createTrellis() returns); got ${describe(registry)}.`,
    );
  }
  const transform = resolveWith(registry, 'optimizer', options.optimizer, isTransform);
  const outputs = outputNames ?? [];
  const losses = outputNames
    ? perOutput('loss', options.loss, outputs, false).map((l) => resolveWith(registry, 'loss', l as Resolvable<Loss>, isLoss))
    : [resolveWith(registry, 'loss', options.loss as Resolvable<Loss>, isLoss)];
  const lossWeights = resolveLossWeights(options.lossWeights, outputNames);
  const metrics = resolveMetrics(registry, options, losses, outputNames);
  // With several outputs, the loop logs each output's loss as `<output>_loss`, as Keras.
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
      throw new ConfigError(
        `${what} names ${unknown.map((k) => `'${k}'`).join(', ')}, which ${unknown.length > 1 ? 'are not outputs' : 'is not an output'}; the model has ${list}.`,
      );
    }
    const missing = outputs.filter((o) => !(o in record));
    if (!optional && missing.length > 0) {
      throw new ConfigError(
        `${what} gives nothing for the output${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the model has ${list}. Give one per output.`,
      );
    }
    return outputs.map((o) => record[o]);
  }
  if (what === 'loss') {
    throw new ConfigError(
      `The model has ${list}; pass one loss per output (an array in output order, or a record keyed by output name); got ${describe(value)}.`,
    );
  }
  throw new ConfigError(`${what} must be an array (one per output) or a record keyed by output name; got ${describe(value)}.`);
}

function resolveLossWeights(value: CompileOptions['lossWeights'], outputNames: readonly string[] | null): readonly number[] | null {
  if (value === undefined) return null;
  const weights = outputNames
    ? perOutput('lossWeights', value, outputNames, true).map((w) => w ?? 1)
    : Array.isArray(value)
      ? value
      : [value];
  if (!outputNames && weights.length !== 1) {
    throw new ConfigError(`The model has one output; got ${weights.length} lossWeights. Pass one number (or none).`);
  }
  weights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new ConfigError(
        `lossWeights${outputNames ? ` for '${outputNames[i]}'` : ''} must be a finite number >= 0; got ${describe(w)}.`,
      );
    }
  });
  return weights as number[];
}

/**
 * The compiled metrics, in order: `metrics` (unweighted), then
 * `weightedMetrics` (given the batch's sample weights). With several outputs
 * each is logged as `<output>_<name>`; a weighted metric whose name is taken
 * by an unweighted one becomes `weighted_<name>` (`<output>_weighted_<name>`),
 * as Keras names them.
 */
function resolveMetrics(
  registry: Registry,
  options: CompileOptions,
  losses: readonly Loss[],
  outputNames: readonly string[] | null,
): Metric[] {
  const plain = metricsPerOutput(registry, 'metrics', options.metrics, losses, outputNames);
  const weighted = metricsPerOutput(registry, 'weightedMetrics', options.weightedMetrics, losses, outputNames);
  const taken = new Set(plain.map(({metric, index}) => logName(metric.name, index, outputNames)));
  return [
    ...plain.map(({metric, index}) => forOutput(metric, index, logName(metric.name, index, outputNames), false)),
    ...weighted.map(({metric, index}) => {
      const name = logName(metric.name, index, outputNames);
      return forOutput(metric, index, taken.has(name) ? logName(`weighted_${metric.name}`, index, outputNames) : name, true);
    }),
  ];
}

function logName(name: string, index: number | null, outputNames: readonly string[] | null): string {
  return outputNames && index !== null ? `${outputNames[index]}_${name}` : name;
}

/** The metrics of `value`, resolved and specialized for their output's loss, with their output index (null: one output). */
function metricsPerOutput(
  registry: Registry,
  what: 'metrics' | 'weightedMetrics',
  value: CompileOptions['metrics'],
  losses: readonly Loss[],
  outputNames: readonly string[] | null,
): {metric: Metric; index: number | null}[] {
  if (value === undefined) return [];
  const resolveFor = (m: Resolvable<Metric>, loss: Loss): Metric => {
    const metric = resolveWith(registry, 'metric', m, isMetric);
    return metric.forLoss ? metric.forLoss(loss) : metric;
  };
  if (!outputNames) {
    if (!Array.isArray(value)) throw new ConfigError(`${what} must be an array; got ${describe(value)}.`);
    return (value as Resolvable<Metric>[]).map((m) => ({metric: resolveFor(m, losses[0]!), index: null}));
  }
  // A flat list applies to every output; else one list per output.
  const flat = Array.isArray(value) && value.every((m) => !Array.isArray(m));
  const lists = flat ? outputNames.map(() => value) : perOutput(what, value, outputNames, true).map((l) => l ?? []);
  return lists.flatMap((list, i) => {
    if (!Array.isArray(list)) throw new ConfigError(`${what} for '${outputNames[i]}' must be an array; got ${describe(list)}.`);
    return (list as Resolvable<Metric>[]).map((m) => ({metric: resolveFor(m, losses[i]!), index: i}));
  });
}

/**
 * `metric` logged as `name`, reading output `index` of a multi-output
 * model's arrays (null: a one-output model), and given the batch's sample
 * weights when `weighted`.
 */
function forOutput(metric: Metric, index: number | null, name: string, weighted: boolean): Metric {
  if (index === null && !weighted && name === metric.name) return metric;
  const pick = <T>(t: T): T => (index !== null && Array.isArray(t) ? (t[index] as T) : t);
  return {
    name,
    spec: metric.spec,
    usesSampleWeight: weighted,
    init: () => metric.init(),
    update: (state, yTrue, yPred, sampleWeight) =>
      metric.update(state, pick(yTrue), pick(yPred), sampleWeight === undefined ? undefined : pick(sampleWeight)),
    result: (state) => metric.result(state),
    ...(metric.settled ? {settled: () => metric.settled!()} : {}),
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
  if (kind === 'loss' && typeof value === 'function' && !check(value)) return lossFromFunction(value as unknown as LossFn) as T;
  if (kind === 'metric' && typeof value === 'function') {
    throw new ConfigError(
      'metric is a plain function; wrap it as a streaming metric with defineMetric({name, fn}) from @trellis/metrics ' +
        "(Keras' MeanMetricWrapper: the mean of fn(yTrue, yPred) over the samples).",
    );
  }
  if (!check(value)) {
    const expected = {
      optimizer: 'an optimizer (e.g. adam() from @trellis/optimizers)',
      loss: 'a loss (e.g. sparseCategoricalCrossentropy() from @trellis/layers) or a function (yTrue, yPred) => losses',
      metric: 'a metric (e.g. accuracy() from @trellis/metrics)',
    }[kind];
    throw new ConfigError(`${kind} must be ${expected}, an id or a spec; got ${describe(value)}.`);
  }
  return value as T;
}

/** Whether `v` is a gradient transform (an object with init and update functions). */
export function isTransform(v: unknown): boolean {
  return (
    v !== null &&
    typeof v === 'object' &&
    typeof (v as GradientTransform).init === 'function' &&
    typeof (v as GradientTransform).update === 'function'
  );
}

/** Whether `v` is a loss (a function with a `targetKind`). */
export function isLoss(v: unknown): boolean {
  return typeof v === 'function' && typeof (v as Loss).targetKind === 'string';
}

function isMetric(v: unknown): boolean {
  return v !== null && typeof v === 'object' && typeof (v as Metric).update === 'function' && typeof (v as Metric).result === 'function';
}
