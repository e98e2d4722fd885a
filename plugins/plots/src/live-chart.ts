/**
 * What every live chart shares: events checked and taken in, redraws
 * throttled, `clear`, and `destroy` after which it refuses events.
 * @module
 */
import {StateError} from '@trellis/core';
import {checkPlotEvent, type PlotEvent} from './events';
import {throttle} from './throttle';

/** What a live chart supplies; {@link liveChart} adds the lifecycle. @internal */
export type LiveChartParts<Curves> = {
  /** The chart's function name, for messages. */
  readonly who: string;
  /** The element holding the chart(s); removed by `destroy()`. */
  readonly element: HTMLElement;
  /** The least time between two redraws, in ms. */
  readonly every: number;
  /** Takes one checked event into the curves; true when the charts need a redraw. */
  take(event: PlotEvent): boolean;
  /** Draws the curves. */
  draw(): void;
  /** Empties the curves and removes the drawn charts. */
  clear(): void;
  /** The data drawn (or about to be). */
  curves(): Curves;
};

/** A live chart's methods. @internal */
export type LiveChart<Curves> = {
  readonly element: HTMLElement;
  push(event: PlotEvent): void;
  flush(): void;
  clear(): void;
  curves(): Curves;
  destroy(): void;
};

/**
 * Wraps `parts` into a live chart: `push` checks an event, clears the curves
 * on `fitStart` with `initialEpoch: 0`, lets `take` add it and redraws within
 * `every` ms, at once on `fitEnd`. Every method but `destroy` throws a
 * `StateError` after `destroy()`. @internal
 */
export function liveChart<Curves>(parts: LiveChartParts<Curves>): LiveChart<Curves> {
  const {who, element} = parts;
  const redraw = throttle(parts.draw, parts.every);
  let destroyed = false;
  const clear = () => {
    redraw.cancel();
    parts.clear();
  };
  const alive = (what: string) => {
    if (destroyed) throw new StateError(`${who}: ${what} after destroy(); make a new chart.`);
  };
  return {
    element,
    push(event) {
      alive('push');
      const e = checkPlotEvent(who, event);
      if (e.kind === 'fitStart' && e.initialEpoch === 0) clear();
      if (parts.take(e)) redraw.request();
      if (e.kind === 'fitEnd') redraw.flush();
    },
    flush() {
      alive('flush');
      redraw.flush();
    },
    clear() {
      alive('clear');
      clear();
    },
    curves: () => parts.curves(),
    destroy() {
      if (destroyed) return;
      clear();
      element.remove();
      destroyed = true;
    },
  };
}
