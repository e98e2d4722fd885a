/**
 * A compiled model's settings as specs, and compiling a model from them
 * (or from the `trainingConfig` tfjs-layers and Keras write).
 * @module
 */
import {ConfigError, type AnyModel, type Compiled, type Json, type Registry, type Spec} from '@trellis/core';
import {lossSpecFromKeras, metricSpecFromKeras, optimizerSpecFromKeras} from './keras-config/training';
import {isObject} from './keras-config/types';
import type {CompileConfig} from './tfjs-format/trellis-block';

/** What `compile` set up, or undefined when the model is not compiled. */
export function compiledOf(model: AnyModel): Compiled | undefined {
  try {
    return model.compiled;
  } catch {
    return undefined;
  }
}

/**
 * The specs of what `compile` set up.
 * @throws ConfigError when the optimizer, a loss or a metric has no spec
 *   (a hand-built gradient transform): save with `includeOptimizer: false`.
 */
export function compileConfigOf(model: AnyModel, compiled: Compiled): CompileConfig {
  const need = (what: string, spec: Spec | undefined): Spec => {
    if (!spec || typeof spec.id !== 'string') {
      throw new ConfigError(
        `saveModel: the ${what} of model '${model.name}' has no spec, so the compile config cannot be saved. ` +
          'Use a registered optimizer/loss/metric (adam(), chain() of registered transforms…), or save with {includeOptimizer: false}.',
      );
    }
    return {id: spec.id, config: spec.config};
  };
  return {
    optimizer: need('optimizer', compiled.optimizer.spec),
    losses: compiled.losses.map((l, i) => need(`loss ${i}`, l.spec)),
    outputNames: compiled.outputNames ? [...compiled.outputNames] : null,
    lossWeights: compiled.lossWeights ? [...compiled.lossWeights] : null,
    metrics: compiled.metrics.map((m) => ({name: m.name, spec: need(`metric '${m.name}'`, m.spec), weighted: m.usesSampleWeight === true})),
  };
}

/** Compiles `model` as {@link compileConfigOf} saved it. */
export function compileFromConfig(model: AnyModel, config: CompileConfig, registry: Registry): void {
  const outputs = config.outputNames;
  const owner = (name: string): string | undefined =>
    outputs?.filter((o) => name.startsWith(`${o}_`)).sort((a, b) => b.length - a.length)[0];
  const group = (weighted: boolean) => {
    const list = config.metrics.filter((m) => m.weighted === weighted);
    if (!outputs) return list.map((m) => m.spec);
    return Object.fromEntries(outputs.map((o) => [o, list.filter((m) => owner(m.name) === o).map((m) => m.spec)]));
  };
  model.compile({
    optimizer: config.optimizer,
    loss: outputs ? config.losses : config.losses[0]!,
    ...(config.lossWeights ? {lossWeights: outputs ? config.lossWeights : config.lossWeights[0]!} : {}),
    metrics: group(false),
    weightedMetrics: group(true),
    registry,
  });
}

/**
 * Compiles `model` from a tfjs-layers / Keras `trainingConfig`
 * (`{optimizer_config, loss, metrics}`).
 * @throws UnknownIdError / ConfigError for an optimizer, loss or metric Trellis cannot rebuild
 *   (load with `compile: false` to skip compiling).
 */
export function compileFromTrainingConfig(model: AnyModel, trainingConfig: Json, registry: Registry): void {
  if (!isObject(trainingConfig)) throw new ConfigError(`trainingConfig must be an object.`);
  const optimizer = optimizerSpecFromKeras(trainingConfig.optimizer_config ?? null);
  const lossJson = trainingConfig.loss ?? null;
  const outputs = model.multiOutput ? model.outputNames : null;
  let loss: Spec | Spec[] | Record<string, Spec>;
  if (Array.isArray(lossJson)) loss = lossJson.map((l) => lossSpecFromKeras(l));
  else if (isObject(lossJson) && !('class_name' in lossJson))
    loss = Object.fromEntries(Object.entries(lossJson).map(([k, l]) => [k, lossSpecFromKeras(l ?? null)]));
  else loss = outputs ? outputs.map(() => lossSpecFromKeras(lossJson)) : lossSpecFromKeras(lossJson);
  const metricsJson = trainingConfig.metrics;
  const metrics = Array.isArray(metricsJson) ? metricsJson.map((m) => metricSpecFromKeras(m)) : [];
  model.compile({optimizer, loss: loss as Spec, metrics, registry});
}
