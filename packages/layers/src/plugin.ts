import {
  ConfigError,
  describe,
  type Constraint,
  type Initializer,
  type Json,
  type Plugin,
  type Regularizer,
  type Registry,
} from '@trellis/core';
import {glorotUniform, zeros} from '@trellis/initializers';
import {activation} from './layers/activation';
import {dense} from './layers/dense';
import {dropout} from './layers/dropout';
import {flatten} from './layers/flatten';
import {binaryCrossentropy} from './losses/binary-crossentropy';
import {categoricalCrossentropy} from './losses/categorical-crossentropy';
import {meanSquaredError} from './losses/mean-squared-error';
import {sparseCategoricalCrossentropy} from './losses/sparse-categorical-crossentropy';

/**
 * Registers the layers (`trellis/dense`, `trellis/flatten`,
 * `trellis/dropout`, `trellis/activation`) and losses
 * (`trellis/meanSquaredError`, `trellis/binaryCrossentropy`,
 * `trellis/categoricalCrossentropy`, `trellis/sparseCategoricalCrossentropy`)
 * of this package. Each factory takes the JSON config of the object's spec,
 * so `registry.resolve('layer', layer.spec)` rebuilds an equal layer.
 *
 * Nested specs in a layer config (initializers, regularizers, constraints)
 * are resolved through the same registry; `trellis/zeros` and
 * `trellis/glorotUniform`, the dense defaults, resolve even when the
 * initializers plugin is not set up.
 */
export const layersPlugin: Plugin = {
  name: '@trellis/layers',
  specVersion: 1,
  setup(registry) {
    registry.register('layer', 'trellis/dense', (config) => {
      const c = objectConfig('trellis/dense', config);
      return dense({
        ...(c as {units: number}),
        kernelInitializer: initializer(registry, c.kernelInitializer),
        biasInitializer: initializer(registry, c.biasInitializer),
        kernelRegularizer: nested(registry, 'regularizer', c.kernelRegularizer) as Regularizer | undefined,
        biasRegularizer: nested(registry, 'regularizer', c.biasRegularizer) as Regularizer | undefined,
        kernelConstraint: nested(registry, 'constraint', c.kernelConstraint) as Constraint | undefined,
        biasConstraint: nested(registry, 'constraint', c.biasConstraint) as Constraint | undefined,
      });
    });
    registry.register('layer', 'trellis/flatten', (config) => flatten(objectConfig('trellis/flatten', config)));
    registry.register('layer', 'trellis/dropout', (config) =>
      dropout(objectConfig('trellis/dropout', config) as {rate: number}),
    );
    registry.register('layer', 'trellis/activation', (config) =>
      activation(objectConfig('trellis/activation', config) as {activation: string} as never),
    );
    registry.register('loss', 'trellis/meanSquaredError', () => meanSquaredError());
    registry.register('loss', 'trellis/binaryCrossentropy', (config) =>
      binaryCrossentropy(objectConfig('trellis/binaryCrossentropy', config)),
    );
    registry.register('loss', 'trellis/categoricalCrossentropy', (config) =>
      categoricalCrossentropy(objectConfig('trellis/categoricalCrossentropy', config)),
    );
    registry.register('loss', 'trellis/sparseCategoricalCrossentropy', (config) =>
      sparseCategoricalCrossentropy(objectConfig('trellis/sparseCategoricalCrossentropy', config)),
    );
  },
};

type JsonObject = {readonly [key: string]: Json | undefined};

function objectConfig(id: string, config: unknown): JsonObject {
  if (config === undefined || config === null) return {};
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new ConfigError(`The config of '${id}' must be a JSON object; got ${describe(config)}.`);
  }
  return config as JsonObject;
}

const BUILT_IN_INITIALIZERS: Readonly<Record<string, (config: never) => Initializer>> = {
  'trellis/zeros': () => zeros(),
  'trellis/glorotUniform': (config) => glorotUniform(config),
};

function initializer(registry: Registry, spec: Json | undefined): Initializer | undefined {
  if (spec === undefined || spec === null) return undefined;
  const id = (spec as {id?: unknown}).id;
  if (typeof id === 'string' && !registry.has('initializer', id) && Object.hasOwn(BUILT_IN_INITIALIZERS, id)) {
    return BUILT_IN_INITIALIZERS[id]!(((spec as {config?: Json}).config ?? {}) as never);
  }
  return nested(registry, 'initializer', spec) as Initializer | undefined;
}

function nested(registry: Registry, kind: 'initializer' | 'regularizer' | 'constraint', spec: Json | undefined) {
  if (spec === undefined || spec === null) return undefined;
  if (typeof spec === 'string') return registry.resolve(kind, spec);
  if (typeof spec !== 'object' || Array.isArray(spec) || typeof (spec as {id?: unknown}).id !== 'string') {
    throw new ConfigError(`Expected a ${kind} spec {id, config} or id; got ${describe(spec)}.`);
  }
  return registry.resolve(kind, spec as {id: string; config: Json});
}
