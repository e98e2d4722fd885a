/**
 * Learning-rate (and other hyperparameter) schedules.
 *
 * Contract version 1. A schedule is a pure function of the host step counter
 * (0 for the first update) that carries its spec.
 * @module
 */
import type {Json, Serializable} from './json';

/** `schedule(step)` → value for that step. */
export interface Schedule<C extends Json = Json> extends Serializable<C> {
  (step: number): number;
}

/** A constant or a schedule, as optimizers accept for `learningRate`. */
export type ScalarOrSchedule = number | Schedule;
