// The redraw throttle under fake timers: leading edge at once, requests in between merged into
// one trailing draw, flush and cancel.
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {throttle} from './throttle';

beforeEach(() => {
  vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date']});
});
afterEach(() => vi.useRealTimers());

describe('throttle', () => {
  it('draws the first request at once, synchronously', () => {
    const draw = vi.fn();
    throttle(draw, 250).request();
    expect(draw).toHaveBeenCalledTimes(1);
  });

  it('merges the requests within every ms into one draw when the time is up', () => {
    const draw = vi.fn();
    const t = throttle(draw, 250);
    t.request();
    vi.advanceTimersByTime(10);
    t.request();
    t.request();
    vi.advanceTimersByTime(100);
    t.request();
    expect(draw).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(139);
    expect(draw).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(draw).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1000);
    expect(draw).toHaveBeenCalledTimes(2);
  });

  it('never draws more than once per every ms under a steady stream of requests', () => {
    const draw = vi.fn();
    const t = throttle(draw, 250);
    const times: number[] = [];
    draw.mockImplementation(() => times.push(performance.now()));
    for (let ms = 0; ms < 2000; ms += 7) {
      t.request();
      vi.advanceTimersByTime(7);
    }
    vi.runAllTimers();
    const gaps = times.slice(1).map((at, i) => at - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(250);
    // 2 s of requests: a draw at 0, then one every 250 ms (the last request drawn too).
    expect(times.length).toBe(9);
    expect(times.at(-1)).toBeGreaterThanOrEqual(1995);
  });

  it('draws a request after a quiet spell at once again', () => {
    const draw = vi.fn();
    const t = throttle(draw, 250);
    t.request();
    vi.advanceTimersByTime(300);
    t.request();
    expect(draw).toHaveBeenCalledTimes(2);
  });

  it('with every 0 draws every request at once', () => {
    const draw = vi.fn();
    const t = throttle(draw, 0);
    for (let i = 0; i < 5; i++) t.request();
    expect(draw).toHaveBeenCalledTimes(5);
  });

  it('flush draws a pending request now and drops its timer; with nothing pending it does nothing', () => {
    const draw = vi.fn();
    const t = throttle(draw, 250);
    t.flush();
    expect(draw).toHaveBeenCalledTimes(0);
    t.request();
    t.request();
    t.flush();
    expect(draw).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1000);
    expect(draw).toHaveBeenCalledTimes(2);
  });

  it('cancel drops a pending draw', () => {
    const draw = vi.fn();
    const t = throttle(draw, 250);
    t.request();
    t.request();
    t.cancel();
    vi.advanceTimersByTime(1000);
    expect(draw).toHaveBeenCalledTimes(1);
  });
});
