import {ConfigError} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {constantSchedule} from './constant-schedule';

describe('constantSchedule', () => {
  it('returns its value at every step', () => {
    const s = constantSchedule(0.003);
    expect([0, 1, 99, 1e9].map((step) => s(step))).toEqual([0.003, 0.003, 0.003, 0.003]);
    expect(s.spec).toEqual({id: 'trellis/constant', config: {value: 0.003}});
  });

  it.each([[-0.1], [Number.NaN], ['0.1'], [undefined]])('rejects %j with a ConfigError', (value) => {
    expect(() => constantSchedule(value as never)).toThrow(ConfigError);
    expect(() => constantSchedule(value as never)).toThrow(/constantSchedule: value (must be|is required)/);
  });
});
