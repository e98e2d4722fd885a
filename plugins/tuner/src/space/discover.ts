/**
 * Space discovery before the first trial (Keras Tuner's
 * `_activate_all_conditions`): build with the defaults, then once more for
 * every conditional scope no build has entered yet, with its condition met,
 * until every scope was entered.
 * @module
 */
import {HyperParameters} from './hyperparameters';
import {conditionsHold, type Condition, type HpValue, type HyperParameter} from './hyperparameter';

/**
 * Runs `build` (which declares hyperparameters on the `hp` it gets) until
 * every conditional scope it declares has been entered once, and returns the
 * whole space, in declaration order. `declared` comes first (hyperparameters
 * declared in advance). What a build returns is handed to `release` (a
 * model: disposed); a build that throws ends nothing: the hyperparameters it
 * declared before throwing count, and the trial that meets the error records it.
 */
export async function discoverSpace(
  declared: readonly HyperParameter[],
  build: (hp: HyperParameters) => unknown,
  release: (built: unknown) => void,
): Promise<HyperParameter[]> {
  let space = [...declared];
  const once = new Set<string>();
  const never: Condition[][] = [];
  let values = defaultValues(space, {});
  for (let round = 0; round < 100; round++) {
    const hp = new HyperParameters({space, values});
    try {
      release(await build(hp));
    } catch {
      // The trial that builds with these values records the error.
    }
    space = [...hp.space];
    const {active, inactive} = hp.scopes();
    for (const scope of active) {
      once.add(JSON.stringify(scope));
      const at = never.findIndex((s) => JSON.stringify(s) === JSON.stringify(scope));
      if (at !== -1) never.splice(at, 1);
    }
    for (const scope of inactive) {
      const key = JSON.stringify(scope);
      if (!once.has(key) && !never.some((s) => JSON.stringify(s) === key)) never.push(scope);
    }
    const next = never.shift();
    if (next === undefined) break;
    // Keras Tuner: set each parent of the scope to its first allowed value, the rest to defaults.
    const forced: Record<string, unknown> = {};
    for (const condition of next) forced[condition.name] = condition.values[0];
    values = defaultValues(space, forced);
    once.add(JSON.stringify(next));
  }
  return space;
}

/** The default of every hyperparameter that is active under `forced` values (in space order). */
function defaultValues(space: readonly HyperParameter[], forced: Record<string, unknown>) {
  const values: Record<string, HpValue> = {};
  for (const hp of space) {
    if (conditionsHold(hp.conditions, values)) values[hp.name] = (hp.name in forced ? forced[hp.name] : hp.default) as HpValue;
  }
  return values;
}
