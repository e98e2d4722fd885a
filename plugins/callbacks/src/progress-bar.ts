import {ConfigError, checkNumber, checkOptions, describe, optionKeys, type Callback, type FitContext, type Json} from '@trellis/core';
import {stateObject} from './monitor';

/** Where {@link progressBar} writes: Node's `process.stdout`, or anything with its `write`. */
export type ProgressStream = {
  write(text: string): unknown;
  /** Whether it is a terminal (one line redrawn in place); default false. */
  readonly isTTY?: boolean;
  /** The terminal's width; longer lines are cut to fit. */
  readonly columns?: number;
};

/** Options of {@link progressBar}. */
export type ProgressBarOptions = {
  /** 0 writes nothing; 1 a bar redrawn in place on a terminal (one line per epoch otherwise); 2 one line per epoch; default 1. */
  readonly verbose?: 0 | 1 | 2;
  /** Default: `process.stdout` in Node; in a browser, `console.log` of each finished line. */
  readonly stream?: ProgressStream;
  /** Characters of the bar; default 30. */
  readonly width?: number;
  /** Least milliseconds between two redraws (each reads the logs back once); default 100. */
  readonly interval?: number;
};

/** The JSON config of `trellis/progressBar`: the options without `stream`. */
export type ProgressBarConfig = Omit<ProgressBarOptions, 'stream'>;

const KEYS = optionKeys<ProgressBarOptions>({verbose: true, stream: true, width: true, interval: true});
const WHO = 'progressBar';

/**
 * Shows training progress. On a terminal (`stream.isTTY`, verbose 1) one
 * line per epoch is redrawn in place:
 * `Epoch 2/10 [=========>....................] 31/100 ETA 4s 3,968 samples/s - loss: 0.3112 - accuracy: 0.9012`
 * with the epoch's running metrics, and finished with the elapsed time and
 * the validation logs. The logs are read back at most every `interval` ms,
 * not at every batch. When the output is not a terminal (piped, a CI log,
 * a browser console) or with verbose 2, it writes one plain line per epoch
 * and reads nothing per batch. Colours only on a terminal, and never when
 * the `NO_COLOR` environment variable is set. Verbose 0 writes nothing.
 *
 * Values print as Keras prints them (`%.4f`, or `%.4e` at most 1e-3);
 * `batch_loss` is left out. No state (`saveState()` is `{}`).
 *
 * @throws ConfigError for an unknown option, a verbose other than 0, 1 or
 *   2, a width that is not an integer in [5, 200], a negative interval, or
 *   a stream without `write`.
 */
export function progressBar(
  options: ProgressBarOptions = {},
): Callback & {readonly spec: {readonly id: 'trellis/progressBar'; readonly config: ProgressBarConfig}} {
  checkOptions(WHO, options, KEYS);
  const verbose = options.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) {
    throw new ConfigError(
      `${WHO}: verbose must be 0 (silent), 1 (a bar on a terminal) or 2 (one line per epoch); got ${describe(verbose)}.`,
    );
  }
  const width = checkNumber(WHO, 'width', options.width ?? 30, {min: 5, max: 200, integer: true, example: 30});
  const interval = checkNumber(WHO, 'interval', options.interval ?? 100, {min: 0, example: 100});
  if (options.stream !== undefined && (options.stream === null || typeof (options.stream as {write?: unknown}).write !== 'function')) {
    throw new ConfigError(`${WHO}: stream must have a write(text) method, as process.stdout; got ${describe(options.stream)}.`);
  }
  const spec = {id: 'trellis/progressBar' as const, config: {verbose, width, interval}};
  const base = {
    name: WHO,
    spec,
    saveState: (): Json => ({}),
    loadState: (state: Json) => void stateObject(WHO, state, []),
  };
  if (verbose === 0) return base;

  const stream = options.stream ?? defaultStream();
  const live = verbose === 1 && stream.isTTY === true;
  const color = live && !noColor();
  const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

  let started = 0;
  let lastDraw = -Infinity;
  let previous = 0;
  let drawing = false;

  const line = (context: FitContext, done: number, logs: Readonly<Record<string, number>>, final: boolean): string => {
    const {epochs, stepsPerEpoch} = context.params;
    const elapsed = (performance.now() - started) / 1000;
    const seen = samplesAfter(context, done);
    const parts = [paint('1', `Epoch ${context.epoch + 1}/${epochs}`)];
    const total = Number.isFinite(stepsPerEpoch) && stepsPerEpoch > 0 ? stepsPerEpoch : null;
    if (live && total !== null) parts.push(bar(done / total, width, paint));
    parts.push(total === null ? `${done}` : `${String(done).padStart(String(total).length)}/${total}`);
    if (final || total === null || done === 0) parts.push(duration(elapsed));
    else parts.push(`ETA ${duration((elapsed / done) * (total - done))}`);
    if (elapsed > 0 && seen > 0) parts.push(`${Math.round(seen / elapsed).toLocaleString('en-US')} samples/s`);
    let text = parts.join(' ');
    for (const key of Object.keys(logs)
      .filter((k) => k !== 'batch_loss')
      .sort())
      text += ` - ${key}: ${formatValue(logs[key]!)}`;
    return text;
  };

  const fit = (text: string): string => {
    const columns = stream.columns;
    if (!columns || columns < 10) return text;
    const max = columns - 1;
    return visible(text) > max ? cut(text, max) : text;
  };

  const draw = (text: string, final: boolean) => {
    const shown = fit(text);
    const length = visible(shown);
    const padding = previous > length ? ' '.repeat(previous - length) : '';
    stream.write(`\r${shown}${padding}${final ? '\n' : ''}`);
    previous = final ? 0 : length;
  };

  return {
    ...base,
    onEpochStart() {
      started = performance.now();
      lastDraw = -Infinity;
      previous = 0;
    },
    ...(live
      ? {
          async onBatchEnd(context: FitContext) {
            const now = performance.now();
            if (drawing || now - lastDraw < interval) return;
            drawing = true;
            try {
              const logs = await context.readLogs();
              lastDraw = performance.now();
              draw(line(context, context.batch + 1, logs, false), false);
            } finally {
              drawing = false;
            }
          },
        }
      : {}),
    async onEpochEnd(context: FitContext) {
      const logs = await context.readLogs();
      const text = line(context, context.batch + 1, logs, true);
      if (live) draw(text, true);
      else stream.write(`${text}\n`);
    },
  };
}

/** Samples seen after `done` batches of the epoch (the last batch may be smaller). */
function samplesAfter(context: FitContext, done: number): number {
  const {batchSize, samples} = context.params;
  const seen = done * batchSize;
  return samples > 0 ? Math.min(seen, samples) : seen;
}

function bar(fraction: number, width: number, paint: (code: string, text: string) => string): string {
  const filled = Math.min(width, Math.floor(fraction * width));
  const head = filled < width ? '>' : '';
  const rest = Math.max(0, width - filled - head.length);
  return `[${paint('32', '='.repeat(filled) + head)}${'.'.repeat(rest)}]`;
}

/** `45s`, `2:05`, `1:02:03` (whole seconds). */
function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s >= 3600) return `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  if (s >= 60) return `${Math.floor(s / 60)}:${pad(s % 60)}`;
  return `${s}s`;
}

/** Keras' `%.4f`, or `%.4e` when at most 1e-3 in size. */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Math.abs(value) > 1e-3 || value === 0) return value.toFixed(4);
  const [mantissa, exponent] = value.toExponential(4).split('e') as [string, string];
  return `${mantissa}e${exponent.startsWith('-') ? '-' : '+'}${exponent.replace(/^[-+]/, '').padStart(2, '0')}`;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

function visible(text: string): number {
  return text.replace(ANSI, '').length;
}

/** `text` cut to `max` visible characters, keeping its colour codes closed. */
function cut(text: string, max: number): string {
  let out = '';
  let count = 0;
  for (let i = 0; i < text.length && count < max; ) {
    // eslint-disable-next-line no-control-regex
    const m = /^\x1b\[[0-9;]*m/.exec(text.slice(i));
    if (m) {
      out += m[0];
      i += m[0].length;
      continue;
    }
    out += text[i];
    i++;
    count++;
  }
  return out.includes('\x1b[') ? `${out}\x1b[0m` : out;
}

function noColor(): boolean {
  const env = (globalThis as {process?: {env?: Record<string, string | undefined>}}).process?.env;
  return env?.NO_COLOR !== undefined && env.NO_COLOR !== '';
}

/** Node's stdout, or in a browser a stream that logs each finished line. */
function defaultStream(): ProgressStream {
  const stdout = (globalThis as {process?: {stdout?: ProgressStream}}).process?.stdout;
  if (stdout && typeof stdout.write === 'function') return stdout;
  return {
    write(text: string) {
      if (text.endsWith('\n')) console.log(text.replace(/^\r/, '').replace(/\s+$/, ''));
    },
  };
}
