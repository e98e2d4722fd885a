import {ConfigError, createRegistry} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {callbacksPlugin} from './plugin';
import {csvLogger} from './csv-logger';
import {earlyStopping} from './early-stopping';
import {progressBar} from './progress-bar';
import {reduceLROnPlateau} from './reduce-lr-on-plateau';
import {terminateOnNaN} from './terminate-on-nan';

describe('callbacksPlugin', () => {
  const registry = createRegistry(callbacksPlugin);

  it('registers the serializable callbacks under trellis/ ids of kind callback', () => {
    expect(registry.ids('callback')).toEqual([
      'trellis/backupAndRestore',
      'trellis/csvLogger',
      'trellis/earlyStopping',
      'trellis/gradientMonitor',
      'trellis/progressBar',
      'trellis/reduceLROnPlateau',
      'trellis/terminateOnNaN',
    ]);
    expect(registry.resolve('callback', 'earlyStopping').name).toBe('earlyStopping');
  });

  it('rebuilds each from its spec, through JSON', () => {
    const made = [
      earlyStopping({patience: 3, baseline: 0.2, restoreBestWeights: true, monitor: 'val_accuracy'}),
      reduceLROnPlateau({factor: 0.5, cooldown: 2, minLr: 1e-5}),
      csvLogger({path: 'training.csv', separator: ';'}),
      terminateOnNaN({raiseError: true}),
      progressBar({verbose: 2, width: 40}),
    ];
    for (const callback of made) {
      const spec = JSON.parse(JSON.stringify(callback.spec));
      const rebuilt = registry.resolve('callback', spec) as typeof callback;
      expect(rebuilt.spec).toEqual(callback.spec);
      expect(rebuilt.name).toBe(callback.name);
    }
  });

  it('a csvLogger config names a file: a sink cannot come from JSON, and neither can nothing', () => {
    expect(() => registry.resolve('callback', {id: 'trellis/csvLogger', config: {sink: 'x'}})).toThrow(
      /a sink is a function and cannot come from JSON/,
    );
    expect(() => registry.resolve('callback', 'csvLogger')).toThrow(ConfigError);
  });
});
