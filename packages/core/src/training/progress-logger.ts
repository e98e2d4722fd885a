/**
 * Keras' `ProgbarLogger`: the progress `fit` prints with `verbose` 1 or 2.
 * @module
 */
import {ConfigError, describe} from '../errors';
import {checkOptions} from '../options-check';
import type {Callback, FitContext} from '../spec/callback';

/**
 * Keras' `verbose`: 0 silent, 1 a progress bar per batch updated in place, 2
 * one line per epoch, `'auto'` (the default) 1 on an interactive terminal in
 * Node and 0 elsewhere (see {@link autoVerbosity}).
 */
export type Verbosity = 0 | 1 | 2 | 'auto';

/** Options of {@link progressLogger}. */
export type ProgressLoggerOptions = {
  /** 1: a bar redrawn in place (`\r`), at most every `interval` ms, then a full line per epoch; 2: one line per epoch. */
  readonly verbose: 1 | 2;
  /**
   * Receives raw text: lines end with `\n`; with `verbose` 1, in-place
   * updates start with `\r` and end without `\n`. Default:
   * `process.stdout.write` when it exists, else `console.log` of the
   * complete lines only (a console cannot redraw a line).
   */
  readonly print?: (text: string) => void;
  /** Least wall time between two in-place updates (each reads the logs back once); default 100 ms. */
  readonly interval?: number;
  /** Keras' bold/green ANSI styling of the bar; default: when printing to a terminal. */
  readonly ansi?: boolean;
};

/** Checks `fit`'s `verbose` option and resolves `'auto'` (see {@link autoVerbosity}). @internal */
export function checkVerbose(value: unknown): 0 | 1 | 2 {
  if (value === 'auto') return autoVerbosity();
  if (value !== 0 && value !== 1 && value !== 2) {
    throw new ConfigError(
      `verbose must be 'auto' (the default), 0 (silent), 1 (progress bar) or 2 (one line per epoch); got ${describe(value)}.`,
    );
  }
  return value;
}

/** The environment variables test runners set (vitest, Jest, Mocha through its own, node:test, Ava). */
const TEST_RUNNER_VARIABLES = ['VITEST', 'JEST_WORKER_ID', 'NODE_TEST_CONTEXT', 'AVA_PATH'];

/**
 * What `verbose: 'auto'` means here, as Keras' `'auto'` (a bar in an
 * interactive session): 1 in Node when `process.stdout` is a terminal
 * (`isTTY`) and no test runner is running (`VITEST`, `JEST_WORKER_ID`,
 * `NODE_TEST_CONTEXT` or `AVA_PATH` unset); 0 when the output is piped or
 * redirected, under a test runner, and in browsers and workers (no
 * `process.stdout`), so a host application's output stays its own.
 */
export function autoVerbosity(): 0 | 1 {
  const process = (globalThis as {process?: {stdout?: Stdout; env?: Record<string, string | undefined>}}).process;
  if (process?.stdout?.isTTY !== true) return 0;
  const env = process.env ?? {};
  return TEST_RUNNER_VARIABLES.some((name) => env[name] !== undefined && env[name] !== '') ? 0 : 1;
}

const BAR_WIDTH = 20;

/**
 * A callback printing Keras' progress output (`keras.utils.Progbar` with
 * `unit_name='step'`): `Epoch 1/5` (when `epochs > 1`) at each epoch start,
 * then at its end `422/422 - 6s - 14ms/step - accuracy: 0.9256 - loss: 0.2526`
 * (verbose 2; logs sorted by name, as Keras' `fit` passes them, values as
 * `%.4f`, or `%.4e` at most 1e-3). With verbose 1 the line carries a bar and
 * the ETA while the epoch runs, redrawn from `readLogs` (one readback) at
 * most every `interval` ms; verbose 2 reads nothing per batch.
 * `fit({verbose})` adds it; allocates no tensors.
 */
export function progressLogger(options: ProgressLoggerOptions): Callback {
  checkOptions('progressLogger', options, ['verbose', 'print', 'interval', 'ansi']);
  const verbose = checkVerbose(options.verbose);
  if (verbose === 0) throw new ConfigError('progressLogger needs verbose 1 or 2; verbose 0 prints nothing, so add no logger.');
  const interval = options.interval ?? 100;
  const stdout = nodeStdout();
  const print = options.print ?? (stdout ? (text: string) => stdout.write(text) : consoleLines());
  const ansi = options.ansi ?? (options.print === undefined && stdout?.isTTY === true);
  const style = (code: string, text: string) => (ansi ? `\x1b[${code}m${text}\x1b[0m` : text);

  let start = 0;
  let warnedNonFinite = false;
  let afterFirstStep: number | null = null;
  let lastDraw = -Infinity;
  let previousWidth = 0;
  let drawing = false;

  /** Keras' `_estimate_step_duration`, in seconds (the first step is left out once there are more). */
  const stepDuration = (current: number, now: number): number => {
    if (current === 0) return 0;
    const perStep = afterFirstStep !== null && current > 1 ? (now - afterFirstStep) / (current - 1) : (now - start) / current;
    if (current === 1) afterFirstStep = now;
    return perStep / 1000;
  };

  const counter = (current: number, target: number) => `${String(current).padStart(String(target).length)}/${target}`;

  const draw = (context: FitContext, current: number, logs: Readonly<Record<string, number>>, perStep: number, final: boolean): void => {
    const target = context.params.stepsPerEpoch;
    const filled = Math.floor((BAR_WIDTH * current) / target);
    let bar = `${style('1', counter(current, target))} `;
    if (filled > 0) bar += style('32', '━'.repeat(filled));
    // Without colours the rest of the bar is drawn lighter so that progress shows.
    bar += style('37', (ansi ? '━' : '─').repeat(BAR_WIDTH - filled));
    const elapsed = final ? `${formatFixed((performance.now() - start) / 1000, 0)}s` : eta(perStep * (target - current));
    let info = ` ${style('1', elapsed)}${formatStepTime(perStep)}`;
    for (const key of displayed(logs)) info += ` - ${key}: ${formatValue(logs[key]!, true)}`;
    const width = visibleLength(bar) + visibleLength(info);
    const padding = previousWidth > width ? ' '.repeat(previousWidth - width) : '';
    print(`\r${bar}${info}${padding}${final ? '\n' : ''}`);
    previousWidth = final ? 0 : width;
  };

  return {
    name: 'progressLogger',
    onEpochStart(context) {
      start = performance.now();
      afterFirstStep = null;
      lastDraw = -Infinity;
      previousWidth = 0;
      if (context.params.epochs > 1) print(`Epoch ${context.epoch + 1}/${context.params.epochs}\n`);
    },
    ...(verbose === 1
      ? {
          async onBatchEnd(context: FitContext) {
            const current = context.batch + 1;
            const now = performance.now();
            const perStep = stepDuration(current, now);
            if (drawing || now - lastDraw < interval) return;
            drawing = true;
            try {
              const logs = await context.readLogs();
              lastDraw = performance.now();
              draw(context, current, logs, perStep, false);
            } finally {
              drawing = false;
            }
          },
        }
      : {}),
    async onEpochEnd(context) {
      const logs = await context.readLogs();
      // Keras finalizes the bar at the planned step count.
      const target = context.params.stepsPerEpoch;
      const now = performance.now();
      const perStep = verbose === 1 ? stepDuration(target, now) : (now - start) / 1000 / target;
      if (verbose === 1) {
        draw(context, target, logs, perStep, true);
      } else {
        let line = `${counter(target, target)} - ${formatFixed((now - start) / 1000, 0)}s -${formatStepTime(perStep)}`;
        for (const key of displayed(logs)) line += ` - ${key}: ${formatValue(logs[key]!, false)}`;
        print(`${line}\n`);
      }
      if (!warnedNonFinite && logs.loss !== undefined && !Number.isFinite(logs.loss)) {
        warnedNonFinite = true;
        print(`${nonFiniteWarning(context, logs.loss)}\n`);
      }
    },
  };
}

/** The one line printed when the loss first stops being finite. */
function nonFiniteWarning(context: FitContext, loss: number): string {
  const first = context.model.history?.firstNonFinite;
  const where = first ? `at batch ${first.batch + 1} of epoch ${first.epoch + 1}` : `in epoch ${context.epoch + 1}`;
  return (
    `Warning: the loss became ${loss} ${where}: training diverged (try a lower learning rate, clipNorm, or check the data for ` +
    'NaN). Training goes on, as in Keras; to stop there, add a callback that calls context.stop() when the loss is not finite.'
  );
}

/** The logs Keras prints: sorted by name (Keras' `fit` sorts its logs), without Trellis' `batch_loss`. */
function displayed(logs: Readonly<Record<string, number>>): string[] {
  return Object.keys(logs)
    .filter((k) => k !== 'batch_loss')
    .sort();
}

/** Python's `%.4f` above 1e-3, else `%.4e` (`abs` in the bar, the signed value in the epoch line, as Keras). */
export function formatValue(value: number, absolute: boolean): string {
  const large = absolute ? Math.abs(value) > 1e-3 : value > 1e-3;
  return large ? formatFixed(value, 4) : formatExponent(value, 4);
}

/** Python's `%.{digits}f`. */
function formatFixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  return value.toFixed(digits);
}

/** Python's `%.{digits}e`: at least two exponent digits (`1.0000e-04`). */
function formatExponent(value: number, digits: number): string {
  if (!Number.isFinite(value)) return formatFixed(value, digits);
  const [mantissa, exponent] = value.toExponential(digits).split('e') as [string, string];
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${exponent.replace(/^[-+]/, '').padStart(2, '0')}`;
}

/** Keras' `Progbar._format_time`: ` 14ms/step`, ` 2s/step` or ` 350us/step`. */
function formatStepTime(seconds: number): string {
  if (seconds >= 1 || seconds === 0) return ` ${formatFixed(seconds, 0)}s/step`;
  if (seconds >= 1e-3) return ` ${formatFixed(seconds * 1000, 0)}ms/step`;
  return ` ${formatFixed(seconds * 1e6, 0)}us/step`;
}

/** Keras' ETA: `1:02:03`, `2:05` or `45s`. */
function eta(seconds: number): string {
  const pad = (n: number) => String(Math.floor(n)).padStart(2, '0');
  if (seconds > 3600) return `${Math.floor(seconds / 3600)}:${pad((seconds % 3600) / 60)}:${pad(seconds % 60)}`;
  if (seconds > 60) return `${Math.floor(seconds / 60)}:${pad(seconds % 60)}`;
  return `${Math.floor(seconds)}s`;
}

function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}

type Stdout = {write(text: string): unknown; isTTY?: boolean};

/** Node's stdout, or null in a browser. */
function nodeStdout(): Stdout | null {
  const process = (globalThis as {process?: {stdout?: Stdout}}).process;
  return process?.stdout && typeof process.stdout.write === 'function' ? process.stdout : null;
}

/** A `print` for consoles: logs each complete line, drops in-place redraws. */
function consoleLines(): (text: string) => void {
  return (text) => {
    if (!text.endsWith('\n')) return;
    console.log(text.replace(/^\r/, '').replace(/\s+$/, ''));
  };
}
