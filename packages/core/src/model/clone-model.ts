/**
 * `cloneModel`: Keras' `clone_model`, a copy of a model's architecture with
 * weights of its own.
 * @module
 */
import {ConfigError, describe} from '../errors';
import {FunctionalModel} from '../functional/functional-model';
import {applyLayer, input, type SymbolicTensor} from '../functional/symbolic';
import {checkOptions} from '../options-check';
import {defaultRegistry} from '../registry';
import type {Layer, MultiInputLayer} from '../spec/layer';
import type {Registry} from '../spec/plugin';
import type {AnyModel} from './model';
import {Sequential} from './sequential';

/** Options of {@link cloneModel}. */
export type CloneModelOptions = {
  /** Where the layers' specs are rebuilt (default `defaultRegistry()`, which `createTrellis()` fills). */
  readonly registry?: Registry;
  /**
   * Copy the weights' values too (default false: fresh weights from the
   * layers' initializers, as Keras' `clone_model`). Needs a built model.
   */
  readonly copyWeights?: boolean;
};

/**
 * Keras' `keras.models.clone_model`: a new model with the same architecture
 * (every layer rebuilt from its spec through `registry`, same names and
 * options) and new variables of its own, so training or disposing one model
 * never touches the other. Works for `Sequential` and functional models
 * (shared layers stay shared within the clone). The clone is not compiled.
 *
 * Unlike putting a model's layers into another model (which shares them,
 * weights included, as in Keras), a clone is independent. By default its
 * weights are freshly initialized, as in Keras; `copyWeights: true` copies
 * the values (Keras: `clone.set_weights(model.get_weights())`).
 *
 * @example
 * const copy = cloneModel(model, {copyWeights: true});
 * @throws ConfigError for a subclassed model (its layers live in code; construct a new instance instead);
 *   UnknownIdError when a layer's id is not registered (call createTrellis() or register the layers plugin).
 */
export function cloneModel<M extends AnyModel>(model: M, options: CloneModelOptions = {}): M {
  checkOptions('cloneModel', options, ['registry', 'copyWeights']);
  const registry = options.registry ?? defaultRegistry();
  const rebuild = <L extends Layer | MultiInputLayer>(layer: L): L => registry.resolve('layer', layer.spec) as unknown as L;
  let clone: AnyModel;
  if (model instanceof Sequential) {
    clone = new Sequential(model.layers.map(rebuild), {name: model.name});
  } else if (model instanceof FunctionalModel) {
    clone = cloneGraph(model, rebuild);
  } else {
    throw new ConfigError(
      `cloneModel rebuilds Sequential and functional models from their layers' specs; got ${model instanceof Object ? `the subclassed model '${(model as AnyModel).name}'` : describe(model)}. ` +
        'Construct a new instance of the subclass instead.',
    );
  }
  if (options.copyWeights) {
    if (!model.built)
      throw new ConfigError(
        `cloneModel: model '${model.name}' is not built, so it has no weights to copy; build it first or leave copyWeights off.`,
      );
    if (!clone.built) clone.build([...model.inputShape!]);
    const values = model.getWeights();
    try {
      clone.setWeights(values);
    } finally {
      for (const t of Object.values(values)) t.dispose();
    }
  }
  return clone as M;
}

/** The graph of `source` with every layer replaced by its rebuilt copy (one copy per layer, so sharing is kept). */
function cloneGraph(source: FunctionalModel, rebuild: <L extends Layer | MultiInputLayer>(layer: L) => L): FunctionalModel {
  const layers = new Map<Layer | MultiInputLayer, Layer | MultiInputLayer>();
  const tensors = new Map<SymbolicTensor, SymbolicTensor>();
  for (const t of source.inputs) {
    tensors.set(t, input({shape: t.shape, name: t.name, dtype: t.dtype as 'float32' | 'int32'}));
  }
  const copy = (t: SymbolicTensor): SymbolicTensor => {
    const done = tensors.get(t);
    if (done) return done;
    if (t.source.kind !== 'layer') throw new ConfigError(`cloneModel: the input '${t.name}' is not an input of model '${source.name}'.`);
    const {layer, inputs} = t.source;
    let twin = layers.get(layer);
    if (!twin) layers.set(layer, (twin = rebuild(layer)));
    const args = inputs.map(copy);
    const out = applyLayer(twin, (layer as MultiInputLayer).multiInput === true ? args : args[0]!);
    tensors.set(t, out);
    return out;
  };
  const outputs = source.outputs.map(copy);
  return new FunctionalModel({
    inputs: source.inputs.map((t) => tensors.get(t)!),
    outputs: source.multiOutput ? outputs : outputs[0]!,
    name: source.name,
  });
}
