export {backupAndRestore, type BackupAndRestoreConfig, type BackupAndRestoreOptions} from './backup/backup-and-restore';
export {csvLogger, type CsvLoggerConfig, type CsvLoggerOptions} from './csv-logger';
export {earlyStopping, type EarlyStoppingCallback, type EarlyStoppingConfig, type EarlyStoppingOptions} from './early-stopping';
export {
  gradientMonitor,
  type GradientMonitor,
  type GradientMonitorConfig,
  type GradientMonitorOptions,
  type GradientRecord,
} from './gradient-monitor/gradient-monitor';
export type {DiagnosisLimits, Trouble} from './gradient-monitor/diagnosis';
export type {LayerStatistics} from './gradient-monitor/layer-statistics';
export {lambdaCallback, type LambdaCallbackOptions} from './lambda-callback';
export {learningRateScheduler, type EpochSchedule, type LearningRateSchedulerOptions} from './learning-rate-scheduler';
export type {Print} from './output';
export {progressBar, type ProgressBarConfig, type ProgressBarOptions, type ProgressStream} from './progress-bar';
export {
  reduceLROnPlateau,
  type ReduceLROnPlateauCallback,
  type ReduceLROnPlateauConfig,
  type ReduceLROnPlateauOptions,
} from './reduce-lr-on-plateau';
export {terminateOnNaN, type TerminateOnNaNConfig, type TerminateOnNaNOptions} from './terminate-on-nan';
export {callbacksPlugin} from './plugin';
export {callbacks} from './namespace';
