import {ConfigError, type Plugin} from '@trellis/core';
import {backupAndRestore, type BackupAndRestoreOptions} from './backup/backup-and-restore';
import {csvLogger, type CsvLoggerConfig} from './csv-logger';
import {earlyStopping} from './early-stopping';
import {gradientMonitor} from './gradient-monitor/gradient-monitor';
import {progressBar} from './progress-bar';
import {reduceLROnPlateau} from './reduce-lr-on-plateau';
import {terminateOnNaN} from './terminate-on-nan';

/**
 * Registers the callbacks of this package that a JSON config describes
 * (kind `callback`): `trellis/earlyStopping`, `trellis/reduceLROnPlateau`,
 * `trellis/csvLogger` (a file `path`; a sink is a function, so not
 * serializable), `trellis/terminateOnNaN`, `trellis/progressBar`
 * (printing to `process.stdout`), `trellis/gradientMonitor` (warning
 * through `console.warn`) and `trellis/backupAndRestore`. `learningRateScheduler` and
 * `lambdaCallback` take functions and are not registered.
 */
export const callbacksPlugin: Plugin = {
  name: '@trellis/callbacks',
  specVersion: 1,
  setup(registry) {
    registry.register('callback', 'trellis/earlyStopping', (config) => earlyStopping(config ?? {}));
    registry.register('callback', 'trellis/reduceLROnPlateau', (config) => reduceLROnPlateau(config ?? {}));
    registry.register('callback', 'trellis/csvLogger', (config: CsvLoggerConfig | undefined) => {
      if (config !== undefined && config !== null && typeof config === 'object' && 'sink' in config) {
        throw new ConfigError(
          'trellis/csvLogger: a registry config names a file (path); a sink is a function and cannot come from JSON. Call csvLogger({sink}) instead.',
        );
      }
      return csvLogger(config ?? ({} as CsvLoggerConfig));
    });
    registry.register('callback', 'trellis/terminateOnNaN', (config) => terminateOnNaN(config ?? {}));
    registry.register('callback', 'trellis/progressBar', (config) => progressBar(config ?? {}));
    registry.register('callback', 'trellis/gradientMonitor', (config) => gradientMonitor(config ?? {}));
    registry.register('callback', 'trellis/backupAndRestore', (config: BackupAndRestoreOptions) =>
      backupAndRestore(config ?? ({} as BackupAndRestoreOptions)),
    );
  },
};
