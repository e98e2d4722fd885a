/**
 * `HyperParameters`: what `buildModel(hp)` receives: it declares the search
 * space (`hp.int`, `hp.float`, ...) and answers with the current trial's values.
 * @module
 */
import {ConfigError, describeValue} from '@trellis/core';
import {
  checkName,
  defineBoolean,
  defineChoice,
  defineFixed,
  defineFloat,
  defineInt,
  type BooleanOptions,
  type ChoiceOptions,
  type FloatOptions,
  type IntOptions,
} from './define';
import {conditionsHold, describeHyperParameter, sameConditions, type Condition, type HpValue, type HyperParameter} from './hyperparameter';

/** A search space and one point in it, as JSON (trial files, worker messages). */
export interface HyperParametersJson {
  readonly space: readonly HyperParameter[];
  readonly values: Readonly<Record<string, HpValue>>;
}

/**
 * Keras Tuner's `HyperParameters`: a search space and the values of one
 * trial. `buildModel(hp)` calls `hp.int`, `hp.float`, `hp.choice`,
 * `hp.boolean` and `hp.fixed` to declare a hyperparameter and get its value
 * for the trial (its default while the space is being discovered); asking
 * again for the same name returns the same value. Only active
 * hyperparameters have values: those outside any conditional scope, and
 * those whose scopes' conditions hold.
 *
 * @example
 * function buildModel(hp: HyperParameters) {
 *   const model = new Sequential([dense({units: hp.int('units', {min: 32, max: 512, step: 32}), activation: 'relu', inputShape: [784]})]);
 *   if (hp.boolean('dropout')) model.add(dropout({rate: 0.25}));
 *   model.add(dense({units: 10, activation: 'softmax'}));
 *   model.compile({optimizer: adam({learningRate: hp.float('lr', {min: 1e-4, max: 1e-2, sampling: 'log'})}), loss: 'sparseCategoricalCrossentropy'});
 *   return model;
 * }
 */
export class HyperParameters {
  readonly #space: HyperParameter[] = [];
  readonly #values: Record<string, HpValue> = {};
  readonly #conditions: Condition[] = [];
  readonly #activeScopes: Condition[][] = [];
  readonly #inactiveScopes: Condition[][] = [];

  /** A space and values, e.g. from {@link HyperParameters.toJSON}. Values of inactive hyperparameters are dropped. */
  constructor(json: Partial<HyperParametersJson> = {}) {
    for (const hp of json.space ?? []) this.#space.push(hp);
    Object.assign(this.#values, json.values ?? {});
  }

  /** The declared hyperparameters, in declaration order (parents before their conditional children). */
  get space(): readonly HyperParameter[] {
    return [...this.#space];
  }

  /** The current values of the active hyperparameters by name (a copy). */
  get values(): Record<string, HpValue> {
    return {...this.#values};
  }

  /**
   * An integer in `[min, max]` (Keras Tuner's `hp.Int`): every integer, every
   * `step`-th, or with `sampling: 'log'` uniform in log space.
   * @throws ConfigError for min > max, an empty range, log sampling with
   *   min ≤ 0, or a name already declared as another kind or range.
   */
  int(name: string, options: IntOptions): number {
    checkName('hp.int', name);
    return this.#retrieve(defineInt(name, options, this.#scope())) as number;
  }

  /**
   * A number in `[min, max]` (Keras Tuner's `hp.Float`); `sampling: 'log'`
   * draws uniformly in log space (learning rates), `step` makes it discrete.
   * @throws ConfigError as {@link HyperParameters.int}.
   */
  float(name: string, options: FloatOptions): number {
    checkName('hp.float', name);
    return this.#retrieve(defineFloat(name, options, this.#scope())) as number;
  }

  /**
   * One of `values` (numbers, strings or booleans, one type), Keras Tuner's `hp.Choice`.
   * @throws ConfigError for no values, mixed types, repeats, or a default not among them.
   */
  choice<const T extends HpValue>(name: string, values: readonly T[], options: ChoiceOptions<T> = {}): T {
    checkName('hp.choice', name);
    return this.#retrieve(defineChoice(name, values, options, this.#scope())) as T;
  }

  /** True or false (default false), Keras Tuner's `hp.Boolean`. */
  boolean(name: string, options: BooleanOptions = {}): boolean {
    checkName('hp.boolean', name);
    return this.#retrieve(defineBoolean(name, options, this.#scope())) as boolean;
  }

  /** A constant recorded with each trial but not searched (Keras Tuner's `hp.Fixed`). */
  fixed<const T extends HpValue>(name: string, value: T): T {
    checkName('hp.fixed', name);
    return this.#retrieve(defineFixed(name, value, this.#scope())) as T;
  }

  /**
   * Keras Tuner's `conditional_scope`: the hyperparameters declared in `body`
   * exist only while the hyperparameter `parentName` takes one of
   * `parentValues`. Runs `body` and returns what it returns when the
   * condition holds; otherwise skips it and returns `undefined` (the search
   * still discovers what it declares, by building with the condition met).
   * Scopes nest.
   * @throws ConfigError when `parentName` is not declared before the scope.
   *
   * @example
   * const kind = hp.choice('model', ['mlp', 'cnn']);
   * hp.conditionalScope('model', 'mlp', () => hp.int('mlpUnits', {min: 32, max: 256, step: 32}));
   */
  conditionalScope<R>(parentName: string, parentValues: HpValue | readonly HpValue[], body: () => R): R | undefined {
    checkName('hp.conditionalScope', parentName);
    if (!this.#space.some((hp) => hp.name === parentName)) {
      throw new ConfigError(
        `hp.conditionalScope('${parentName}'): no hyperparameter '${parentName}' is declared yet; declare the parent ` +
          `(hp.choice('${parentName}', [...])) before the scope that depends on it.`,
      );
    }
    const values = (Array.isArray(parentValues) ? [...parentValues] : [parentValues]) as HpValue[];
    if (values.length === 0 || !values.every((v) => ['number', 'string', 'boolean'].includes(typeof v))) {
      throw new ConfigError(
        `hp.conditionalScope('${parentName}'): parentValues must be a value or a non-empty array of values; got ${describeValue(parentValues)}.`,
      );
    }
    this.#conditions.push({name: parentName, values});
    try {
      const scope = this.#scope();
      if (!conditionsHold(scope, this.#values)) {
        this.#inactiveScopes.push(scope);
        return undefined;
      }
      this.#activeScopes.push(scope);
      return body();
    } finally {
      this.#conditions.pop();
    }
  }

  /**
   * The current value of `name`.
   * @throws ConfigError when `name` is not declared, or declared but inactive.
   */
  get(name: string): HpValue {
    if (name in this.#values) return this.#values[name]!;
    if (this.#space.some((hp) => hp.name === name)) {
      throw new ConfigError(`Hyperparameter '${name}' is inactive in this trial (its conditional scope does not hold).`);
    }
    const known = this.#space.map((hp) => hp.name);
    throw new ConfigError(`No hyperparameter '${name}'; declared: ${known.length ? known.join(', ') : 'none'}.`);
  }

  /** Whether `name` has a value (is declared and active). */
  has(name: string): boolean {
    return name in this.#values;
  }

  /** Whether `hp` is active for the current values. */
  isActive(hp: HyperParameter): boolean {
    return conditionsHold(hp.conditions, this.#values);
  }

  /** The space and values as JSON. */
  toJSON(): HyperParametersJson {
    return {space: this.space, values: this.values};
  }

  /** The scopes entered while their conditions held, and those that did not (discovery reads them). @internal */
  scopes(): {readonly active: readonly Condition[][]; readonly inactive: readonly Condition[][]} {
    return {active: this.#activeScopes, inactive: this.#inactiveScopes};
  }

  #scope(): Condition[] {
    return this.#conditions.map((c) => ({name: c.name, values: [...c.values]}));
  }

  /** Gets or registers `hp` (Keras Tuner's `_retrieve`). */
  #retrieve(hp: HyperParameter): HpValue {
    const existing = this.#space.find((h) => h.name === hp.name && sameConditions(h.conditions, hp.conditions));
    if (existing) {
      if (existing.kind !== hp.kind) {
        throw new ConfigError(
          `Hyperparameter '${hp.name}' is already declared as ${describeHyperParameter(existing)}; it cannot also be ` +
            `${describeHyperParameter(hp)}. Give the second one another name.`,
        );
      }
      if (JSON.stringify(existing) !== JSON.stringify(hp)) {
        throw new ConfigError(
          `Hyperparameter '${hp.name}' is already declared as ${describeHyperParameter(existing)} (default ${JSON.stringify(existing.default)}); ` +
            `declared again as ${describeHyperParameter(hp)} (default ${JSON.stringify(hp.default)}). Declare it the same way each time, or use another name.`,
        );
      }
    } else {
      const other = this.#space.find((h) => h.name === hp.name && h.kind !== hp.kind && this.isActive(h));
      if (other) {
        throw new ConfigError(
          `Hyperparameter '${hp.name}' is already declared as ${describeHyperParameter(other)}; it cannot also be ` +
            `${describeHyperParameter(hp)}. Give the second one another name.`,
        );
      }
      this.#space.push(hp);
    }
    const target = existing ?? hp;
    if (!this.isActive(target)) return target.default;
    if (!(hp.name in this.#values)) this.#values[hp.name] = target.default;
    return this.#values[hp.name]!;
  }
}
