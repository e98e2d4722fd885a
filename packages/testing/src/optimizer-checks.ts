/**
 * The checks behind `describeOptimizer`, as plain functions that throw an
 * `Error` saying what went wrong (so they run under any test runner).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  StatefulOptimizer,
  createRegistry,
  tensorsIn,
  withSpec,
  type Json,
  type Optimizer,
  type Plugin,
  type Schedule,
  type StateTree,
  optionKeys,
} from '@trellis/core';
import {expectNoNewTensors, expectNoTensorLeaks} from './leaks';
import {problemStep, problemVariables, quadraticBowl, readValues, rosenbrock, type OptimizerProblem} from './optimizer-problems';

/** Builds an optimizer from options (`adam`, `sgd`, or your plugin's factory). */
export type OptimizerFactory<O> = (options: O) => Optimizer;

/**
 * Options that must make the factory throw a `ConfigError`, each merged over
 * the default options. Leave out a key that does not apply (sgd has no beta).
 */
export type BadOptimizerConfigs<O> = {
  /** e.g. `{learningRate: -0.1}`. */
  readonly negativeLearningRate?: Partial<O>;
  /** e.g. `{beta1: 1.5}`. */
  readonly betaAboveOne?: Partial<O>;
  /** e.g. `{epsilon: 0}`. */
  readonly zeroEpsilon?: Partial<O>;
};

/** What the conformance checks need to know about an optimizer. */
export type OptimizerCases<O extends object> = {
  /**
   * Options for every check (merged under each check's own options). Its
   * `learningRate` must be a number; the schedule check starts from it.
   */
  readonly options: O;
  /** The plugin that registers the factory, for the spec round trip. */
  readonly plugin: Plugin;
  /** Configs that must throw a `ConfigError`; each key is optional. */
  readonly badConfigs: BadOptimizerConfigs<O>;
  /**
   * The quadratic bowl (loss 8 at the start): within `steps` (default 300)
   * the loss must fall below `threshold` (default 1e-3).
   */
  readonly quadratic?: {readonly options?: Partial<O>; readonly steps?: number; readonly threshold?: number};
  /**
   * Rosenbrock from (−1.2, 1) (loss 24.2): within `steps` (default 3000)
   * the point must come within `tolerance` (default 0.05, the largest
   * coordinate error) of (1, 1), or the loss must fall by `lossFactor`
   * (default 1000).
   */
  readonly rosenbrock?: {
    readonly options?: Partial<O>;
    readonly steps?: number;
    readonly tolerance?: number;
    readonly lossFactor?: number;
  };
  /** Steps of the state, freezing, schedule, round-trip and leak checks (default 12, at least 4). */
  readonly steps?: number;
};

/** The keys of {@link OptimizerCases}. */
export const CASE_KEYS = optionKeys<OptimizerCases<object>>({
  options: true,
  plugin: true,
  badConfigs: true,
  quadratic: true,
  rosenbrock: true,
  steps: true,
});
/** The keys of {@link BadOptimizerConfigs}, one test each. */
export const BAD_CONFIG_KEYS = optionKeys<BadOptimizerConfigs<object>>({negativeLearningRate: true, betaAboveOne: true, zeroEpsilon: true});
/** The keys of `OptimizerCases.quadratic`. */
export const QUADRATIC_KEYS = optionKeys<NonNullable<OptimizerCases<object>['quadratic']>>({options: true, steps: true, threshold: true});
/** The keys of `OptimizerCases.rosenbrock`. */
export const ROSENBROCK_KEYS = optionKeys<NonNullable<OptimizerCases<object>['rosenbrock']>>({
  options: true,
  steps: true,
  tolerance: true,
  lossFactor: true,
});

/** The quadratic-bowl check: the loss falls below the threshold within the step budget. */
export function checkQuadraticBowl<O extends object>(factory: OptimizerFactory<O>, cases: OptimizerCases<O>): void {
  const {options, steps = 300, threshold = 1e-3} = cases.quadratic ?? {};
  const losses = runProblem(quadraticBowl, factory({...cases.options, ...options}), steps);
  const best = Math.min(...losses);
  const last = losses[losses.length - 1]!;
  if (!(last < threshold)) {
    throw new Error(
      `Quadratic bowl: the loss went from ${losses[0]} to ${last} in ${steps} steps (best ${best}); ` +
        `expected below ${threshold}. Check the update's sign and scale, or give a better learning rate in cases.quadratic.options.`,
    );
  }
}

/** The Rosenbrock check: near (1, 1), or the loss reduced by a large factor. */
export function checkRosenbrock<O extends object>(factory: OptimizerFactory<O>, cases: OptimizerCases<O>): void {
  const {options, steps = 3000, tolerance = 0.05, lossFactor = 1000} = cases.rosenbrock ?? {};
  const variables = problemVariables(rosenbrock);
  const optimizer = new StatefulOptimizer(factory({...cases.options, ...options}));
  try {
    for (let s = 0; s < steps; s++) problemStep(rosenbrock, optimizer, variables);
    const values = readValues(variables);
    const [x, y] = values['rosenbrock/xy']! as unknown as [number, number];
    const distance = Math.max(Math.abs(x - 1), Math.abs(y - 1));
    const start = rosenbrock.loss(readStart(rosenbrock));
    const loss = rosenbrock.loss(values);
    if (!(distance <= tolerance || loss * lossFactor <= start)) {
      throw new Error(
        `Rosenbrock: after ${steps} steps from (-1.2, 1) the point is (${x}, ${y}) with loss ${loss} (start ${start}); ` +
          `expected within ${tolerance} of (1, 1) or a loss ${lossFactor}x smaller. Tune cases.rosenbrock.options.`,
      );
    }
  } finally {
    optimizer.dispose();
    tf.dispose(Object.values(variables));
  }
}

/**
 * Saving mid-training and restoring into a fresh optimizer: `getState()`
 * after k steps, `setState()` on a new optimizer, the remaining steps; the
 * variables and the final state must equal an uninterrupted run bit for bit.
 */
export function checkStateRoundTrip<O extends object>(factory: OptimizerFactory<O>, cases: OptimizerCases<O>): void {
  const steps = stepCount(cases);
  const k = Math.floor(steps / 2);
  withRuns((track) => {
    const refVars = track(problemVariables(quadraticBowl));
    const reference = track(new StatefulOptimizer(factory(cases.options)));
    for (let s = 0; s < steps; s++) problemStep(quadraticBowl, reference, refVars);

    const vars = track(problemVariables(quadraticBowl));
    const first = track(new StatefulOptimizer(factory(cases.options)));
    for (let s = 0; s < k; s++) problemStep(quadraticBowl, first, vars);
    const saved = first.getState();
    first.dispose();
    const second = track(new StatefulOptimizer(factory(cases.options)));
    second.init(vars);
    second.setState(saved);
    tf.dispose(tensorsIn(saved.state));
    for (let s = k; s < steps; s++) problemStep(quadraticBowl, second, vars);

    expectSameValues('State round trip: variables after restoring at step ' + k, readValues(vars), readValues(refVars));
    expectSameState('State round trip: the state after restoring at step ' + k, second, reference);
  });
}

/**
 * Every tensor of the state sits under a key that is a variable's name
 * (`{mu: {'bowl/kernel': m}}`), never in an array by position.
 */
export function checkStateKeyedByName<O extends object>(factory: OptimizerFactory<O>, cases: OptimizerCases<O>): void {
  withRuns((track) => {
    const vars = track(problemVariables(quadraticBowl));
    const optimizer = track(new StatefulOptimizer(factory(cases.options)));
    problemStep(quadraticBowl, optimizer, vars);
    const saved = optimizer.getState();
    try {
      const all = tensorsIn(saved.state);
      const named = new Set(Object.keys(vars).flatMap((name) => slotsOf(saved.state, name).map(([, t]) => t)));
      const stray = all.filter((t) => !named.has(t));
      if (stray.length > 0) {
        throw new Error(
          `State keyed by name: ${stray.length} of ${all.length} state tensors are not under a variable's name ` +
            `(variables: ${Object.keys(vars).join(', ')}). Key every slot by the names in params ({mu: {[name]: m}}).`,
        );
      }
    } finally {
      tf.dispose(tensorsIn(saved.state));
    }
  });
}

/**
 * Freezing: `bowl/bias` gets no gradient for a few steps. It must keep its
 * value and slots (bit for bit), `bowl/kernel` must follow the path of an
 * optimizer that only ever saw the kernel, and after unfreezing the run must
 * equal a reference whose bias value and slots were put back by hand to
 * those at freezing time.
 */
export function checkFreezing<O extends object>(factory: OptimizerFactory<O>, cases: OptimizerCases<O>): void {
  const phase = Math.max(2, Math.floor(stepCount(cases) / 3));
  const frozen = 'bowl/bias';
  const kernelOnly = ['bowl/kernel'];
  withRuns((track) => {
    // The run with a frozen phase.
    const vars = track(problemVariables(quadraticBowl));
    const run = track(new StatefulOptimizer(factory(cases.options)));
    for (let s = 0; s < phase; s++) problemStep(quadraticBowl, run, vars);
    const atFreeze = readValues(vars)[frozen]!;
    const slots = slotsTree(track(stateTensors(run.getState().state)).tree, frozen);
    for (let s = 0; s < phase; s++) problemStep(quadraticBowl, run, vars, kernelOnly);
    const afterFrozen = track(stateTensors(run.getState().state));
    expectSameValues(`Freezing: the value of '${frozen}' while frozen`, {[frozen]: readValues(vars)[frozen]!}, {[frozen]: atFreeze});
    expectSameTree(`Freezing: the slots of '${frozen}' while frozen`, slotsTree(afterFrozen.tree, frozen), slots);
    for (let s = 0; s < phase; s++) problemStep(quadraticBowl, run, vars);

    // The kernel's path equals that of an optimizer that never saw the bias.
    const kernelVars = track(problemVariables(quadraticBowl));
    const kernelRun = track(new StatefulOptimizer(factory(cases.options)));
    kernelRun.init({'bowl/kernel': kernelVars['bowl/kernel']!});
    for (let s = 0; s < 3 * phase; s++) problemStep(quadraticBowl, kernelRun, kernelVars, kernelOnly);
    expectSameValues(
      'Freezing: the kernel trained next to a frozen bias vs. trained alone',
      {'bowl/kernel': readValues(vars)['bowl/kernel']!},
      {'bowl/kernel': readValues(kernelVars)['bowl/kernel']!},
    );

    // Reference: the bias trains through the middle phase, then its value
    // and slots are put back to those at freezing time.
    const refVars = track(problemVariables(quadraticBowl));
    const reference = track(new StatefulOptimizer(factory(cases.options)));
    for (let s = 0; s < 2 * phase; s++) problemStep(quadraticBowl, reference, refVars);
    const current = reference.getState();
    track(stateTensors(current.state));
    reference.setState({step: current.step, state: replaceSlots(current.state, frozen, new Map(Object.entries(slots)))});
    const value = tf.tensor(atFreeze, [...quadraticBowl.shapes[frozen]!]);
    refVars[frozen]!.assign(value);
    value.dispose();
    for (let s = 0; s < phase; s++) problemStep(quadraticBowl, reference, refVars);
    expectSameValues('Freezing: variables after unfreezing vs. the reference run', readValues(vars), readValues(refVars));
    expectSameState('Freezing: the state after unfreezing vs. the reference run', run, reference);
  });
}

/**
 * No tensor leak: a flat `tf.memory().numTensors` across steps and across
 * `getState`/`setState`, and every tensor freed by `dispose()`.
 */
export async function checkNoLeaks<O extends object>(factory: OptimizerFactory<O>, cases: OptimizerCases<O>): Promise<void> {
  const before = tf.memory().numTensors;
  const vars = problemVariables(quadraticBowl);
  const optimizer = new StatefulOptimizer(factory(cases.options));
  try {
    await expectNoTensorLeaks(() => problemStep(quadraticBowl, optimizer, vars), {times: stepCount(cases)});
    await expectNoTensorLeaks(() => {
      const saved = optimizer.getState();
      optimizer.setState(saved);
      tf.dispose(tensorsIn(saved.state));
    });
    await expectNoTensorLeaks(() => problemStep(quadraticBowl, optimizer, vars, ['bowl/kernel']), {times: 3});
  } finally {
    optimizer.dispose();
    tf.dispose(Object.values(vars));
  }
  const after = tf.memory().numTensors;
  if (after !== before) {
    throw new Error(`Leak check: ${after - before} tensors outlive the optimizer's dispose(); keep every tensor in the state it returns.`);
  }
}

/**
 * A schedule as `learningRate` (a function with a spec, from `withSpec`):
 * it is called with the step 0, 1, 2, ... (in order, each at least once); a
 * constant schedule gives the same variables as the number (within 1e-6),
 * and a halving schedule gives the same first step but a different run.
 */
export function checkSchedule<O extends object>(factory: OptimizerFactory<O>, cases: OptimizerCases<O>): void {
  const steps = stepCount(cases);
  const rate = (cases.options as {learningRate?: unknown}).learningRate;
  if (typeof rate !== 'number') {
    throw new Error(`Schedule check: cases.options.learningRate must be a number to start the schedules from; got ${String(rate)}.`);
  }
  const calls: number[] = [];
  const halving = withSpec({id: 'testing/halving', config: {initial: rate}}, (step: number) => {
    calls.push(step);
    return rate * 0.5 ** step;
  }) as Schedule;
  const constant = withSpec({id: 'testing/constant', config: {value: rate}}, () => rate) as Schedule;
  const run = (learningRate: number | Schedule, n: number) => trainValues(factory({...cases.options, learningRate} as O), n);

  const numberRun = run(rate, steps);
  const constantRun = run(constant, steps);
  expectClose('Schedule: a constant schedule vs. the same number', constantRun, numberRun, 1e-6);
  calls.length = 0;
  const halvingRun = run(halving, steps);
  const seen = [...new Set(calls)];
  const inOrder = calls.every((c, i) => i === 0 || c >= calls[i - 1]!);
  if (!inOrder || seen.join(',') !== Array.from({length: steps}, (_, i) => i).join(',')) {
    throw new Error(
      `Schedule: over ${steps} steps the schedule was called with [${calls.join(', ')}]; expected 0, 1, ..., ${steps - 1} in order ` +
        '(the host step counter, 0 for the first update).',
    );
  }
  expectClose('Schedule: the first step of a halving schedule vs. the number', run(halving, 1), run(rate, 1), 1e-6);
  const moved = maxAbsDiff(numberRun, startValues());
  const differs = maxAbsDiff(halvingRun, numberRun);
  if (!(differs > 0.05 * moved)) {
    throw new Error(
      `Schedule: a learning rate halving every step changed the variables by at most ${differs} from the constant rate ` +
        `(which moved them by ${moved}); the schedule's value does not reach the update.`,
    );
  }
}

/**
 * The spec survives JSON and a registry built with the plugin: the rebuilt
 * optimizer has an equal spec and trains bit for bit like the original.
 */
export function checkSpecRoundTrip<O extends object>(factory: OptimizerFactory<O>, cases: OptimizerCases<O>): void {
  const optimizer = factory(cases.options);
  const text = JSON.stringify(optimizer.spec);
  if (canonical(JSON.parse(text)) !== canonical(optimizer.spec as unknown as Json)) {
    throw new Error(`Spec round trip: the spec does not survive JSON (${text}); keep only JSON values in it.`);
  }
  const registry = createRegistry(cases.plugin);
  const rebuilt = registry.resolve('optimizer', JSON.parse(text));
  if (canonical(rebuilt.spec as unknown as Json) !== canonical(optimizer.spec as unknown as Json)) {
    throw new Error(
      `Spec round trip: registry.resolve('optimizer', spec) gave the spec ${JSON.stringify(rebuilt.spec)}; expected ${text}.`,
    );
  }
  const steps = stepCount(cases);
  expectSameValues('Spec round trip: training with the rebuilt optimizer', trainValues(rebuilt, steps), trainValues(optimizer, steps));
}

/** Each bad config throws a `ConfigError`, from the factory and through the registry, leaving no tensor behind. */
export async function checkBadConfig<O extends object>(
  factory: OptimizerFactory<O>,
  cases: OptimizerCases<O>,
  key: keyof BadOptimizerConfigs<O>,
): Promise<void> {
  const bad = cases.badConfigs[key];
  if (bad === undefined) throw new Error(`Bad config: cases.badConfigs.${String(key)} is not given.`);
  const options = {...cases.options, ...bad};
  const {id, config} = factory(cases.options).spec;
  const attempts: [string, () => unknown][] = [
    [`factory(${describeOptions(options)})`, () => factory(options)],
    [
      `registry.resolve('optimizer', {id: '${id}', config})`,
      () => createRegistry(cases.plugin).resolve('optimizer', {id, config: {...(config as object), ...bad} as Json}),
    ],
  ];
  for (const [what, attempt] of attempts) {
    let thrown: unknown;
    await expectNoNewTensors(() => {
      try {
        attempt();
      } catch (error) {
        thrown = error;
      }
    });
    if (!ConfigError.is(thrown)) {
      throw new Error(
        `Bad config ${String(key)}: ${what} should throw a ConfigError; ` +
          (thrown === undefined ? 'it returned normally.' : `it threw ${(thrown as Error)?.name}: ${(thrown as Error)?.message}`),
      );
    }
  }
}

// ---------------------------------------------------------------------------

function stepCount(cases: OptimizerCases<object>): number {
  return Math.max(4, cases.steps ?? 12);
}

function runProblem(problem: OptimizerProblem, transform: Optimizer, steps: number): number[] {
  const variables = problemVariables(problem);
  const optimizer = new StatefulOptimizer(transform);
  const losses = [problem.loss(readValues(variables))];
  try {
    for (let s = 0; s < steps; s++) {
      problemStep(problem, optimizer, variables);
      losses.push(problem.loss(readValues(variables)));
    }
  } finally {
    optimizer.dispose();
    tf.dispose(Object.values(variables));
  }
  return losses;
}

/** Trains on the bowl for `steps` steps and returns the variables' values. */
function trainValues(transform: Optimizer, steps: number): Record<string, Float32Array> {
  const variables = problemVariables(quadraticBowl);
  const optimizer = new StatefulOptimizer(transform);
  try {
    for (let s = 0; s < steps; s++) problemStep(quadraticBowl, optimizer, variables);
    return readValues(variables);
  } finally {
    optimizer.dispose();
    tf.dispose(Object.values(variables));
  }
}

function startValues(): Record<string, Float32Array> {
  return readStart(quadraticBowl);
}

function readStart(problem: OptimizerProblem): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(problem.start).map(([name, v]) => [name, Float32Array.from(v)]));
}

/** Registers an optimizer, variables or a saved state for disposal; returns it. */
type Track = <T extends StatefulOptimizer | Record<string, tf.Tensor>>(x: T) => T;

/** Runs `body` with a tracker; every tracked optimizer and variable is disposed afterwards. */
function withRuns(body: (track: Track) => void): void {
  const owned: (StatefulOptimizer | Record<string, tf.Tensor>)[] = [];
  try {
    body((x) => (owned.push(x), x));
  } finally {
    for (const x of owned) {
      if (x instanceof StatefulOptimizer) x.dispose();
      else tf.dispose(Object.values(x));
    }
  }
}

/** Every `[path, tensor]` of the state stored under the key `name`. */
function slotsOf(tree: StateTree, name: string, path = 'state', out: [string, tf.Tensor][] = []): [string, tf.Tensor][] {
  if (typeof tree === 'number' || tree instanceof tf.Tensor) return out;
  if (Array.isArray(tree)) {
    tree.forEach((child, i) => slotsOf(child as StateTree, name, `${path}[${i}]`, out));
    return out;
  }
  for (const [key, child] of Object.entries(tree as Record<string, StateTree>)) {
    if (key === name && child instanceof tf.Tensor) out.push([`${path}['${key}']`, child]);
    else slotsOf(child, name, `${path}.${key}`, out);
  }
  return out;
}

/** The tensors of a state tree as a record (for disposal by `withRuns`), with the tree. */
function stateTensors(tree: StateTree): Record<string, tf.Tensor> & {readonly tree: StateTree} {
  const record = Object.fromEntries(tensorsIn(tree).map((t, i) => [String(i), t]));
  Object.defineProperty(record, 'tree', {value: tree, enumerable: false});
  return record as Record<string, tf.Tensor> & {readonly tree: StateTree};
}

function slotsTree(tree: StateTree, name: string): Record<string, tf.Tensor> {
  return Object.fromEntries(slotsOf(tree, name));
}

/** A copy of `tree` whose slots under `name` are the tensors in `slots` (by path); other tensors are shared. */
function replaceSlots(tree: StateTree, name: string, slots: Map<string, tf.Tensor>, path = 'state'): StateTree {
  if (typeof tree === 'number' || tree instanceof tf.Tensor) return tree;
  if (Array.isArray(tree)) return tree.map((child, i) => replaceSlots(child as StateTree, name, slots, `${path}[${i}]`));
  const out: Record<string, StateTree> = {};
  for (const [key, child] of Object.entries(tree as Record<string, StateTree>)) {
    const slotPath = `${path}['${key}']`;
    out[key] =
      key === name && child instanceof tf.Tensor ? (slots.get(slotPath) ?? child) : replaceSlots(child, name, slots, `${path}.${key}`);
  }
  return out;
}

function expectSameState(what: string, actual: StatefulOptimizer, expected: StatefulOptimizer): void {
  const a = actual.getState();
  const b = expected.getState();
  try {
    if (a.step !== b.step) throw new Error(`${what}: step ${a.step}, expected ${b.step}.`);
    expectSameTree(what, a.state, b.state);
  } finally {
    tf.dispose([...tensorsIn(a.state), ...tensorsIn(b.state)]);
  }
}

/** Same structure, same host numbers, bit-identical tensors. */
function expectSameTree(what: string, actual: StateTree, expected: StateTree, path = 'state'): void {
  if (typeof expected === 'number' || expected instanceof tf.Tensor) {
    if (typeof expected === 'number') {
      if (!Object.is(actual, expected)) throw new Error(`${what}: ${path} is ${String(actual)}, expected ${expected}.`);
      return;
    }
    if (!(actual instanceof tf.Tensor)) throw new Error(`${what}: ${path} is not a tensor.`);
    expectSameValues(`${what}: ${path}`, {[path]: actual.dataSync() as Float32Array}, {[path]: expected.dataSync() as Float32Array});
    return;
  }
  const keysA = Object.keys(actual as object).sort();
  const keysB = Object.keys(expected as object).sort();
  if (keysA.join('\u0000') !== keysB.join('\u0000') || Array.isArray(actual) !== Array.isArray(expected)) {
    throw new Error(`${what}: ${path} has the entries [${keysA.join(', ')}], expected [${keysB.join(', ')}].`);
  }
  for (const key of keysB) {
    const childPath = Array.isArray(expected) ? `${path}[${key}]` : `${path}.${key}`;
    expectSameTree(what, (actual as Record<string, StateTree>)[key]!, (expected as Record<string, StateTree>)[key]!, childPath);
  }
}

/** Bit-identical values (NaN payloads included). */
function expectSameValues(what: string, actual: Record<string, ArrayLike<number>>, expected: Record<string, ArrayLike<number>>): void {
  for (const [name, want] of Object.entries(expected)) {
    const got = actual[name];
    if (got === undefined || got.length !== want.length) throw new Error(`${what}: '${name}' is missing or has another size.`);
    const a = new Uint32Array(Float32Array.from(got).buffer);
    const b = new Uint32Array(Float32Array.from(want).buffer);
    const k = a.findIndex((bits, i) => bits !== b[i]);
    if (k !== -1) {
      throw new Error(`${what}: '${name}'[${k}] is ${got[k]}, expected exactly ${want[k]} (bit-identical on the same backend).`);
    }
  }
}

function expectClose(what: string, actual: Record<string, Float32Array>, expected: Record<string, Float32Array>, tolerance: number): void {
  for (const [name, want] of Object.entries(expected)) {
    const got = actual[name]!;
    const scale = Math.max(1e-30, ...Array.from(want, Math.abs));
    const k = want.findIndex((w, i) => !(Math.abs(got[i]! - w) <= tolerance * scale));
    if (k !== -1) throw new Error(`${what}: '${name}'[${k}] is ${got[k]}, expected ${want[k]} (within ${tolerance} relative).`);
  }
}

function maxAbsDiff(a: Record<string, Float32Array>, b: Record<string, Float32Array>): number {
  let worst = 0;
  for (const [name, x] of Object.entries(b)) x.forEach((v, i) => (worst = Math.max(worst, Math.abs(a[name]![i]! - v))));
  return worst;
}

/** JSON with sorted keys, for comparing specs. */
function canonical(value: Json | undefined): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v)).join(',')}]`;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

function describeOptions(options: object): string {
  return JSON.stringify(options, (_, v) => (typeof v === 'function' ? '[schedule]' : v));
}
