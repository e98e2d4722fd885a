/**
 * `createRegistry()`: namespaced ids to factories, by kind.
 * @module
 */
import {ConfigError, UnknownIdError, describe} from './errors';
import type {Json, Spec} from './spec/json';
import type {Factories, Factory, Kind, Plugin, Registry} from './spec/plugin';
import {contractOf} from './kind-contracts';
import {isAlias} from './alias';

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

function makeRegistry(
  entries: Map<Kind, Map<string, Factory<Kind>>>,
  plugins: Plugin[],
  owners = new Map<string, string>(),
  installed = new Set<Plugin>(),
): Registry {
  /** The plugin whose setup is running, whose registrations are recorded (to undo them if it fails). */
  let installing: {name: string; undo: (() => void)[]} | null = null;
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
      throw new ConfigError(`The ${kind} name '${id}' is ambiguous: it matches ${matches.join(', ')}. Use the full id.`);
    }
    return matches[0] === undefined ? undefined : [matches[0], t.get(matches[0])!];
  };
  const registry: Registry = {
    register<K extends Kind>(kind: K, id: string, factory: Factory<K>) {
      if (typeof id !== 'string' || !ID.test(id)) {
        throw new ConfigError(`A ${kind} id must be namespaced as 'owner/name' (e.g. 'acme/lion'); got ${describe(id)}.`);
      }
      if (typeof factory !== 'function') {
        throw new ConfigError(`The factory for ${kind} '${id}' must be a function; got ${describe(factory)}.`);
      }
      const t = table(kind);
      if (t.has(id) && t.get(id) !== factory) {
        throw new ConfigError(`The ${kind} id '${id}' is already registered. Choose another namespace, or fork() the registry.`);
      }
      const isNew = !t.has(id);
      t.set(id, factory as Factory<Kind>);
      const unregister = () => {
        if (t.get(id) === factory) {
          t.delete(id);
          owners.delete(`${kind}:${id}`);
        }
      };
      if (isNew && installing) {
        owners.set(`${kind}:${id}`, installing.name);
        installing.undo.push(unregister);
      }
      return unregister;
    },
    resolve<K extends Kind>(kind: K, specOrId: Spec | string, config?: Json): Factories[K] {
      const spec: Spec = typeof specOrId === 'string' ? {id: specOrId, config: config ?? {}} : (specOrId as Spec);
      if (spec === null || typeof spec !== 'object' || typeof spec.id !== 'string') {
        const id = spec !== null && typeof spec === 'object' ? ` whose id is ${describe((spec as {id?: unknown}).id)}` : '';
        throw new ConfigError(`Expected a ${kind} id or a {id, config} spec with a string id; got ${describe(specOrId)}${id}.`);
      }
      const found = lookup(kind, spec.id);
      if (!found) {
        const aliases = [...table(kind)].filter(([, f]) => isAlias(f)).map(([id]) => id);
        throw new UnknownIdError(kind, spec.id, registry.ids(kind), {aliases});
      }
      const made = found[1](spec.config ?? {}, registry);
      const contract = contractOf(kind);
      if (contract && !contract.test(made)) {
        const owner = owners.get(`${kind}:${found[0]}`);
        throw new ConfigError(
          `The ${kind} factory registered as '${found[0]}'${owner ? ` by plugin '${owner}'` : ''} returned ${describe(made)}; ` +
            `a ${kind} must be ${contract.expected}. Fix the factory (or the plugin) that registers it.`,
        );
      }
      return made as Factories[K];
    },
    has(kind, id) {
      try {
        return lookup(kind, id) !== undefined;
      } catch {
        return false;
      }
    },
    ids(kind) {
      return [...table(kind)]
        .filter(([, factory]) => !isAlias(factory))
        .map(([id]) => id)
        .sort();
    },
    use(...more) {
      for (const plugin of more) {
        if (!plugin || typeof plugin.setup !== 'function') {
          throw new ConfigError(`Expected a plugin with a setup(registry) function; got ${describe(plugin)}.`);
        }
        if (plugin.specVersion !== 1) {
          const hint = plugin.specVersion === '1' ? " (the string '1'; it must be the number 1)" : '';
          throw new ConfigError(
            `Plugin '${String(plugin.name)}' declares specVersion ${describe(plugin.specVersion)}${hint}, ` +
              'but this @trellis/core speaks contract version 1 (specVersion: 1). Set specVersion: 1, or install matching versions of the plugin and @trellis/core.',
          );
        }
        // The same plugin object twice is a no-op, so the default assembly can be set up again into the same registry.
        if (installed.has(plugin)) continue;
        install(plugin);
        installed.add(plugin);
      }
      return registry;
    },
    fork() {
      const copy = new Map<Kind, Map<string, Factory<Kind>>>();
      for (const [kind, t] of entries) copy.set(kind, new Map(t));
      return makeRegistry(copy, [], new Map(owners), new Set(installed));
    },
  };
  /** Runs `plugin.setup`; when it throws, every id it registered is removed again and a `ConfigError` says so. */
  const install = (plugin: Plugin) => {
    const outer = installing;
    const current = {name: String(plugin.name), undo: [] as (() => void)[]};
    installing = current;
    try {
      plugin.setup(registry);
    } catch (error) {
      for (const undo of current.undo.reverse()) undo();
      throw new ConfigError(
        `Plugin '${current.name}' failed in setup: ${(error as Error)?.message ?? String(error)}. ` +
          'Nothing it registered was kept; fix the plugin (or its options) and call use() again.',
        {cause: error},
      );
    } finally {
      installing = outer;
    }
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
