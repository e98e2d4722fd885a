/**
 * Initializers, regularizers and constraints: Trellis specs ↔ Keras class
 * configs, one table per kind.
 * @module
 */
import {ConfigError, describeValue, type Json, type Spec} from '@trellis/core';
import {
  ClassTable,
  camelCase,
  checkClassConfig,
  checkSpec,
  isObject,
  snakeCase,
  type JsonObject,
  type KerasClassConfig,
  type KerasDialect,
} from './types';

/** One Trellis id and its Keras class. */
type NestedEntry = {
  readonly id: string;
  readonly className: string;
  /** The class tfjs-layers writes, when it differs. */
  readonly tfjsClassName?: string;
  readonly aliases?: readonly string[];
  /** Config keys Keras has and Trellis lacks, with the value that means what Trellis does. */
  readonly kerasOnly?: JsonObject;
  /** Custom reading (a class that maps to several ids). */
  readonly read?: (config: JsonObject) => Spec;
  /** Custom writing. */
  readonly write?: (config: JsonObject, dialect: KerasDialect) => KerasClassConfig;
};

/** Keras string values that Trellis spells in camelCase (`fan_in` ↔ `fanIn`). */
const ENUM_KEYS = new Set(['mode', 'distribution']);

const INITIALIZERS = new ClassTable<NestedEntry>('initializer', [
  {id: 'trellis/zeros', className: 'Zeros', aliases: ['zeros']},
  {id: 'trellis/ones', className: 'Ones', aliases: ['ones']},
  {id: 'trellis/constant', className: 'Constant', aliases: ['constant']},
  {id: 'trellis/glorotNormal', className: 'GlorotNormal', aliases: ['glorot_normal']},
  {id: 'trellis/glorotUniform', className: 'GlorotUniform', aliases: ['glorot_uniform']},
  {id: 'trellis/heNormal', className: 'HeNormal', aliases: ['he_normal']},
  {id: 'trellis/heUniform', className: 'HeUniform', aliases: ['he_uniform']},
  {id: 'trellis/lecunNormal', className: 'LecunNormal', tfjsClassName: 'LeCunNormal', aliases: ['LeCunNormal', 'lecun_normal']},
  {id: 'trellis/lecunUniform', className: 'LecunUniform', tfjsClassName: 'LeCunUniform', aliases: ['LeCunUniform', 'lecun_uniform']},
  {id: 'trellis/identity', className: 'Identity', aliases: ['IdentityInitializer', 'identity']},
  {id: 'trellis/orthogonal', className: 'Orthogonal', aliases: ['OrthogonalInitializer', 'orthogonal']},
  {id: 'trellis/randomNormal', className: 'RandomNormal', aliases: ['random_normal']},
  {id: 'trellis/randomUniform', className: 'RandomUniform', aliases: ['random_uniform']},
  {id: 'trellis/truncatedNormal', className: 'TruncatedNormal', aliases: ['truncated_normal']},
  {
    id: 'trellis/varianceScaling',
    className: 'VarianceScaling',
    aliases: ['variance_scaling'],
    read: (config) => {
      const c = fromKerasConfig(config, 'initializer VarianceScaling', {});
      // Keras 2 and tfjs-layers: 'normal' is the truncated normal.
      if (c.distribution === 'normal') c.distribution = 'truncatedNormal';
      return {id: 'trellis/varianceScaling', config: c as Json};
    },
  },
]);

/** Regularizers: tfjs-layers knows only `L1L2`, which Keras 3 reads too. */
const REGULARIZERS = new ClassTable<NestedEntry>('regularizer', [
  {
    id: 'trellis/l1',
    className: 'L1',
    aliases: ['l1'],
    write: (c, d) =>
      d === 'tfjs' ? {class_name: 'L1L2', config: {l1: c.l1 ?? 0.01, l2: 0}} : {class_name: 'L1', config: {l1: c.l1 ?? 0.01}},
  },
  {
    id: 'trellis/l2',
    className: 'L2',
    aliases: ['l2'],
    write: (c, d) =>
      d === 'tfjs' ? {class_name: 'L1L2', config: {l1: 0, l2: c.l2 ?? 0.01}} : {class_name: 'L2', config: {l2: c.l2 ?? 0.01}},
  },
  {
    id: 'trellis/l1l2',
    className: 'L1L2',
    aliases: ['l1_l2'],
    read: (config) => {
      const c = fromKerasConfig(config, 'regularizer L1L2', {});
      const l1 = typeof c.l1 === 'number' ? c.l1 : 0;
      const l2 = typeof c.l2 === 'number' ? c.l2 : 0;
      // What tfjs-layers writes for l1() and l2().
      if (l1 === 0 && l2 !== 0) return {id: 'trellis/l2', config: {l2}};
      if (l2 === 0 && l1 !== 0) return {id: 'trellis/l1', config: {l1}};
      return {id: 'trellis/l1l2', config: {l1, l2}};
    },
  },
  {id: 'trellis/orthogonal', className: 'OrthogonalRegularizer', aliases: ['orthogonal_regularizer']},
]);

const CONSTRAINTS = new ClassTable<NestedEntry>('constraint', [
  {id: 'trellis/maxNorm', className: 'MaxNorm', aliases: ['max_norm']},
  {id: 'trellis/minMaxNorm', className: 'MinMaxNorm', aliases: ['min_max_norm']},
  {id: 'trellis/nonNeg', className: 'NonNeg', aliases: ['non_neg']},
  {id: 'trellis/unitNorm', className: 'UnitNorm', aliases: ['unit_norm']},
]);

const TABLES = {initializer: INITIALIZERS, regularizer: REGULARIZERS, constraint: CONSTRAINTS};

/** A kind of nested object in a layer config. */
export type NestedKind = keyof typeof TABLES;

/** The Trellis ids with a Keras class, per nested kind. */
export function nestedIds(kind: NestedKind): string[] {
  return TABLES[kind].ids();
}

/**
 * The Keras `{class_name, config}` of an initializer, regularizer or
 * constraint spec (null stays null).
 * @throws UnknownIdError for an id without a Keras class.
 */
export function kerasNested(
  kind: NestedKind,
  spec: Json | undefined,
  where: string,
  dialect: KerasDialect = 'tfjs',
): KerasClassConfig | null {
  if (spec === undefined || spec === null) return null;
  const s =
    typeof spec === 'string' ? {id: spec.includes('/') ? spec : `trellis/${spec}`, config: {}} : checkSpec(spec, `the ${kind} of ${where}`);
  const entry = TABLES[kind].forId(s.id);
  const config = (isObject(s.config) ? s.config : {}) as JsonObject;
  if (entry.write) return entry.write(config, dialect);
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    out[snakeCase(key)] = ENUM_KEYS.has(key) && typeof value === 'string' ? snakeCase(value) : value;
  }
  return {class_name: dialect === 'tfjs' && entry.tfjsClassName ? entry.tfjsClassName : entry.className, config: out};
}

/**
 * The Trellis spec of a Keras initializer, regularizer or constraint
 * (`{class_name, config}`, or a bare name such as `'glorot_uniform'`).
 * @throws UnknownIdError for a class Trellis does not know (nothing is ever evaluated).
 */
export function nestedFromKeras(kind: NestedKind, value: Json | undefined, where: string): Spec | null {
  if (value === undefined || value === null) return null;
  const classConfig = typeof value === 'string' ? {class_name: value, config: {}} : checkClassConfig(value, `the ${kind} of ${where}`);
  const entry = TABLES[kind].forClass(classConfig.class_name);
  if (entry.read) return entry.read(classConfig.config);
  return {
    id: entry.id,
    config: fromKerasConfig(classConfig.config, `${kind} ${classConfig.class_name} of ${where}`, entry.kerasOnly ?? {}) as Json,
  };
}

/** A nested Keras config in camelCase, without `seed: null` and the neutral Keras-only keys. */
function fromKerasConfig(config: JsonObject, where: string, kerasOnly: JsonObject): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (key === 'seed' && value === null) continue;
    // Keras 3.15's fan-based initializers: null axes are Keras' default fans (Trellis' own).
    if ((key === 'input_axes' || key === 'output_axes') && value === null) continue;
    if (Object.hasOwn(kerasOnly, key)) {
      if (JSON.stringify(value) !== JSON.stringify(kerasOnly[key])) {
        throw new ConfigError(
          `${where}: Trellis has no '${key}' option; only ${JSON.stringify(kerasOnly[key])} (what Trellis does) can be read, got ${describeValue(value)}.`,
        );
      }
      continue;
    }
    const ours = camelCase(key);
    out[ours] = ENUM_KEYS.has(ours) && typeof value === 'string' ? camelCase(value) : value;
  }
  return out;
}
