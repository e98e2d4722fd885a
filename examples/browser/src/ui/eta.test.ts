import {describe, expect, it} from 'vitest';
import {formatDuration, remainingMs} from './eta';

describe('remainingMs', () => {
  it('extrapolates the average pace so far', () => {
    expect(remainingMs(25, 100, 1000)).toBe(3000);
    expect(remainingMs(100, 100, 4000)).toBe(0);
  });

  it('has no estimate before the first step', () => {
    expect(remainingMs(0, 100, 500)).toBeNull();
    expect(remainingMs(3, 0, 500)).toBeNull();
  });
});

describe('formatDuration', () => {
  it('writes seconds, minutes and hours', () => {
    expect(formatDuration(4_400)).toBe('4 s');
    expect(formatDuration(65_000)).toBe('1 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
    expect(formatDuration(-5)).toBe('0 s');
  });
});
