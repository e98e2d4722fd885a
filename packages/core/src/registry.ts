/**
 * `createRegistry()`: namespaced ids to factories, by kind.
 * @module
 */
import {ConfigError, UnknownIdError, describe} from './errors';
import type {Json, Spec} from './spec/json';
import type {Factories, Factory, Kind, Plugin, Registry} from './spec/plugin';

const ID = /^[a-z0-9][a-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Creates a registry and sets up the given plugins in order. Registries are
 * explicit objects: fork one per experiment, or share the default one.
 *
 * @example
 * const registry = createRegistry(optimizersPlugin, layersPlugin);
 * const opt = registry.resolve('optimizer', {id: 'trellis/adam', config: {learningRate: 1e-3}});
 */
export function createRegistry(...plugins: Plugin[]): Registry {
  return makeRegistry(new Map(), plugins);
}

function makeRegistry(entries: Map<Kind, Map<string, Factory<Kind>>>, plugins: Plugin[]): Registry {
  const table = (kind: Kind) => {
    let t = entries.get(kind);
    if (!t) entries.set(kind, (t = new Map()));
    return t;
  };
  const lookup = (kind: Kind, id: string): [string, Factory<Kind>] | undefined => {
    const t = table(kind);
    const exact = t.get(id);
    if (exact) return [id, exact];
    if (id.includes('/')) return undefined;
    const matches = [...t.keys()].filter((k) => k.slice(k.indexOf('/') + 1) === id);
    if (matches.length > 1) {
      throw new ConfigError(
        `The ${kind} name '${id}' is ambiguous: it matches ${matches.join(', ')}. Use the full id.`,
      );
    }
    return matches[0] === undefined ? undefined : [matches[0], t.get(matches[0])!];
  };
  const registry: Registry = {
    register<K extends Kind>(kind: K, id: string, factory: Factory<K>) {
      if (typeof id !== 'string' || !ID.test(id)) {
        throw new ConfigError(
          `A ${kind} id must be namespaced as 'owner/name' (e.g. 'acme/lion'); got ${describe(id)}.`,
        );
      }
      if (typeof factory !== 'function') {
        throw new ConfigError(`The factory for ${kind} '${id}' must be a function; got ${describe(factory)}.`);
      }
      const t = table(kind);
      if (t.has(id) && t.get(id) !== factory) {
        throw new ConfigError(
          `The ${kind} id '${id}' is already registered. Choose another namespace, or fork() the registry.`,
        );
      }
      t.set(id, factory as Factory<Kind>);
      return () => {
        if (t.get(id) === factory) t.delete(id);
      };
    },
    resolve<K extends Kind>(kind: K, specOrId: Spec | string, config?: Json): Factories[K] {
      const spec: Spec =
        typeof specOrId === 'string' ? {id: specOrId, config: config ?? {}} : (specOrId as Spec);
      if (spec === null || typeof spec !== 'object' || typeof spec.id !== 'string') {
        throw new ConfigError(`Expected a ${kind} id or a {id, config} spec; got ${describe(specOrId)}.`);
      }
      const found = lookup(kind, spec.id);
      if (!found) throw new UnknownIdError(kind, spec.id, registry.ids(kind));
      return found[1](spec.config ?? {}, registry) as Factories[K];
    },
    has(kind, id) {
      try {
        return lookup(kind, id) !== undefined;
      } catch {
        return false;
      }
    },
    ids(kind) {
      return [...table(kind).keys()].sort();
    },
    use(...more) {
      for (const plugin of more) {
        if (!plugin || typeof plugin.setup !== 'function') {
          throw new ConfigError(`Expected a plugin with a setup(registry) function; got ${describe(plugin)}.`);
        }
        if (plugin.specVersion !== 1) {
          throw new ConfigError(
            `Plugin '${plugin.name}' targets contract version ${String(plugin.specVersion)}, ` +
              `but this @trellis/core speaks version 1. Install matching versions.`,
          );
        }
        plugin.setup(registry);
      }
      return registry;
    },
    fork() {
      const copy = new Map<Kind, Map<string, Factory<Kind>>>();
      for (const [kind, t] of entries) copy.set(kind, new Map(t));
      return makeRegistry(copy, []);
    },
  };
  registry.use(...plugins);
  return registry;
}

const DEFAULT_KEY = Symbol.for('@trellis/core/registry@1');

/**
 * The process-wide registry, shared by every copy of `@trellis/core` (ESM and
 * CJS) through `globalThis`. Empty until plugins are set up into it.
 */
export function defaultRegistry(): Registry {
  const g = globalThis as Record<symbol, Registry | undefined>;
  return (g[DEFAULT_KEY] ??= createRegistry());
}
