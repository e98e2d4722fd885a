// wrapMethod/unwrapMethod on a plain class: wrapping once, a no-op second wrap, and unwrapping.
import {describe, expect, it} from 'vitest';
import {unwrapMethod, wrapMethod} from './prototype-wrap';

class Counter {
  count = 1;
  read(): number {
    return this.count;
  }
}

type Read = (this: Counter) => number;
const marker = Symbol.for('@trellis/backend-webgpu/test-wrap');
const doubling = (read: Read): Read =>
  function (this: Counter) {
    return 2 * read.call(this);
  };

describe('wrapMethod / unwrapMethod', () => {
  it('wraps a prototype method once, keeps `this`, and puts the original back', () => {
    const stock = Counter.prototype.read;
    wrapMethod(Counter.prototype, 'read', marker, doubling);
    wrapMethod(Counter.prototype, 'read', marker, doubling);
    expect(new Counter().read()).toBe(2);
    expect(unwrapMethod(Counter.prototype, 'read', marker)).toBe(true);
    expect(Counter.prototype.read).toBe(stock);
    expect(unwrapMethod(Counter.prototype, 'read', marker)).toBe(false);
  });
});
