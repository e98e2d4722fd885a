/**
 * Points of a search space: random draws, keys for telling trials apart.
 * @module
 */
import type {Rng} from '@trellis/core';
import {conditionsHold, probToValue, type HpValue, type HyperParameter} from './hyperparameter';

/**
 * A random point: each active hyperparameter, in space order, drawn
 * uniformly in its sampling (one `rng.next()` per active hyperparameter).
 */
export function randomValues(space: readonly HyperParameter[], rng: Rng): Record<string, HpValue> {
  const values: Record<string, HpValue> = {};
  for (const hp of space) {
    if (conditionsHold(hp.conditions, values)) values[hp.name] = probToValue(hp, rng.next());
  }
  return values;
}

/** The values at unit-interval coordinates `probs` (one per hyperparameter of `space`, in order); inactive ones are left out. */
export function valuesAt(space: readonly HyperParameter[], probs: readonly number[]): Record<string, HpValue> {
  const values: Record<string, HpValue> = {};
  space.forEach((hp, i) => {
    if (conditionsHold(hp.conditions, values)) values[hp.name] = probToValue(hp, probs[i]!);
  });
  return values;
}

/** A key equal for equal points (names sorted; the oracle's own `tuner/` keys left out). */
export function valuesKey(values: Readonly<Record<string, HpValue>>): string {
  const names = Object.keys(values)
    .filter((k) => !k.startsWith('tuner/'))
    .sort();
  return JSON.stringify(names.map((k) => [k, values[k]]));
}
