/**
 * The data of the gradient chart: one curve per layer of a statistic of the
 * inspected steps, aligned on the optimizer step.
 * @module
 */
import type {GradientNormRecord} from './events';
import {lowerBound} from './loss-curves';

/** Which statistic of a record's layer (`GradientNormLayer`) the gradient chart draws. */
export type GradientStatistic = 'gradNorm' | 'gradRms' | 'weightNorm' | 'updateRatio';

/** The gradient chart's data: `x` the optimizer steps, ascending; one curve per layer, `null` where it has no point. */
export type GradientCurves = {
  readonly x: readonly number[];
  readonly layers: readonly {readonly layer: string; readonly values: readonly (number | null)[]}[];
};

/** The gradient curves store of {@link createGradientCurves}. */
export type GradientCurveStore = {
  /** Adds records; a record at a step already there replaces it. */
  add(records: readonly GradientNormRecord[]): void;
  clear(): void;
  /** The curves, layers in order of first appearance. */
  curves(): GradientCurves;
};

/**
 * A store of per-layer curves of `statistic`. A value is drawn when it is
 * finite and, with `logScale`, above 0; otherwise it is a gap (`null`).
 */
export function createGradientCurves(statistic: GradientStatistic, logScale: boolean): GradientCurveStore {
  let steps: number[] = [];
  let byLayer = new Map<string, (number | null)[]>();
  const column = (layer: string): (number | null)[] => {
    let values = byLayer.get(layer);
    if (values === undefined) {
      values = steps.map(() => null);
      byLayer.set(layer, values);
    }
    return values;
  };
  const add = (record: GradientNormRecord) => {
    const i = lowerBound(steps, record.step);
    if (steps[i] !== record.step) {
      steps.splice(i, 0, record.step);
      for (const values of byLayer.values()) values.splice(i, 0, null);
    } else {
      for (const values of byLayer.values()) values[i] = null;
    }
    for (const entry of record.layers) {
      const value = entry[statistic];
      const drawn = typeof value === 'number' && Number.isFinite(value) && (!logScale || value > 0);
      column(entry.layer)[i] = drawn ? value : null;
    }
  };
  return {
    add: (records) => {
      for (const record of records) add(record);
    },
    clear() {
      steps = [];
      byLayer = new Map();
    },
    curves: () => ({x: [...steps], layers: [...byLayer].map(([layer, values]) => ({layer, values: [...values]}))}),
  };
}
