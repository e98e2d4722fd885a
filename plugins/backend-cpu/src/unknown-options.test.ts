import {ConfigError} from '@trellis/core';
import {catchError} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import * as api from './index';

/** A call as JavaScript callers can write it. */
const loosely =
  (...args: unknown[]) =>
  () =>
    (api.cpu as (...a: unknown[]) => unknown)(...args);

describe('unknown options', () => {
  it('cpu is the only export, and it takes no options', () => {
    expect(Object.keys(api)).toEqual(['cpu']);
    expect(api.cpu().name).toBe('cpu');
    expect(api.cpu({}).name).toBe('cpu');
  });

  it('cpu refuses any option (a wasm() option too), naming it', () => {
    const error = catchError(loosely({wasmPaths: '/static/tfjs/'}));
    expect(ConfigError.is(error)).toBe(true);
    expect(error.message).toContain("cpu takes no options (the cpu backend has nothing to configure); got 'wasmPaths'");
    expect(error.message).toContain('wasm() from @trellis/backend-wasm');
    expect(loosely({threads: 4})).toThrow(/got 'threads'/);
  });

  it('cpu refuses arguments that are not options objects', () => {
    expect(loosely(4)).toThrow(ConfigError);
    expect(loosely('cpu')).toThrow(ConfigError);
  });
});
