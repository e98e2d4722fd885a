// Test helper: a schedule's values at chosen steps against expected numbers.
import type {Schedule} from '@trellis/core';
import {expect} from 'vitest';

/** Expects `schedule(step)` within 1e-12 relative (float64 rounding) of each `[step, value]`. */
export function expectValues(schedule: Schedule, points: ReadonlyArray<readonly [number, number]>): void {
  for (const [step, value] of points) {
    const got = schedule(step);
    const tolerance = 1e-12 * Math.max(1e-300, Math.abs(value));
    if (!(Math.abs(got - value) <= tolerance)) {
      expect.fail(`at step ${step}: got ${got}, expected ${value}`);
    }
  }
}
