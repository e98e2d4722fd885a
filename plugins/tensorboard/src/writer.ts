/**
 * `SummaryWriter`: TensorBoard event files, buffered and append-only.
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  DataError,
  StateError,
  checkOptions,
  describeValue,
  importNodeBuiltins,
  type Json,
  type Logger,
  type NodeFs,
} from '@trellis/core';
import {modelGraphDef, type GraphModel} from './graph';
import {encodeImages} from './images';
import {encodeEvent, encodeMessage, writeGraphDef, type GraphDef, type MessageInit} from './proto';
import {frameRecord} from './record';
import {
  DEFAULT_BUCKET_COUNT,
  experimentValue,
  histogramBuckets,
  histogramValue,
  imageValue,
  scalarValue,
  sessionEndValue,
  sessionStartValue,
  textValue,
  type HParamMetric,
  type HParamValue,
  type SessionStatus,
  type SummaryValueInit,
} from './summaries';
import {isTensor} from './is-tensor';
import {checkLogDirOrSink} from './log-dir-or-sink';

/** Where a chunk of an event file goes (for {@link EventSink}). */
export interface EventFileInfo {
  /** The run: `''` for the writer's own directory, else the path below it (`'validation'`). */
  readonly run: string;
  /** The event file's name (`events.out.tfevents.<secs>.<host>.<pid>.<n>`). */
  readonly fileName: string;
}

/**
 * Receives the bytes of an event file as they are flushed, in order (whole
 * records only). Concatenating the chunks of one `fileName` gives the file.
 * The bytes are the writer's: keep them or copy them. A returned promise is
 * awaited before the next chunk.
 */
export type EventSink = (bytes: Uint8Array, file: EventFileInfo) => void | Promise<void>;

/** Options of {@link SummaryWriter}: exactly one of `logDir` and `sink`. */
export interface SummaryWriterOptions {
  /** Node: the run directory to write a new event file into (created with its parents). */
  readonly logDir?: string;
  /** Anywhere (browsers included): receives the file's bytes instead of a file. */
  readonly sink?: EventSink;
  /** Seconds between automatic flushes; default 5. `Infinity`: only `flush()` and `close()` write. */
  readonly flushSeconds?: number;
  /** Appended to the file name (TF2 writers use `'.v2'`); default `''`. */
  readonly filenameSuffix?: string;
  /** The run name a sink receives (`file.run`), for a writer made for one run of several; default `''`. */
  readonly runName?: string;
}

const WHO = 'SummaryWriter';
const KEYS = ['logDir', 'sink', 'flushSeconds', 'filenameSuffix', 'runName'];

/** Distinguishes event files a process opens in the same second (TensorBoard's `global_uid`). */
let fileCounter = 0;

type FileHandle = Awaited<ReturnType<NodeFs['open']>>;

/** `node:fs/promises` and the host's name (in event file names), loaded on first use (the package must import in browsers). */
async function loadNode(): Promise<{fs: NodeFs; hostname: string}> {
  const {fs, os} = await importNodeBuiltins(
    `${WHO}: logDir needs Node's file system, which is not available here; pass sink: (bytes) => ... instead.`,
  );
  return {fs, hostname: os.hostname()};
}

function checkTag(who: string, tag: unknown): string {
  if (typeof tag !== 'string' || tag.length === 0) {
    throw new ConfigError(`${who}: tag must be a non-empty string (use '/' to group: 'loss/train'); got ${describeValue(tag)}.`);
  }
  return tag;
}

function checkStep(who: string, step: unknown): bigint {
  if (typeof step !== 'number' || !Number.isSafeInteger(step)) {
    throw new ConfigError(`${who}: step must be an integer (the x axis: an epoch or a batch count); got ${describeValue(step)}.`);
  }
  return BigInt(step);
}

/** The numbers of a tensor or an array; a `DataError` for anything else. */
function numbersOf(who: string, values: unknown): ArrayLike<number> {
  if (isTensor(values)) {
    if (values.dtype === 'string' || values.dtype === 'complex64') {
      throw new DataError(`${who}: expected a numeric tensor; got ${describeValue(values)}. Pass float32, int32 or bool values.`);
    }
    return values.dataSync() as ArrayLike<number>;
  }
  if (
    ArrayBuffer.isView(values) &&
    !(values instanceof DataView) &&
    !(values instanceof BigInt64Array) &&
    !(values instanceof BigUint64Array)
  ) {
    return values as unknown as ArrayLike<number>;
  }
  if (Array.isArray(values)) {
    const bad = values.findIndex((v) => typeof v !== 'number');
    if (bad >= 0) {
      throw new DataError(
        `${who}: expected numbers; element ${bad} is ${describeValue(values[bad])}. Flatten nested arrays (values.flat()) or pass a tensor.`,
      );
    }
    return values as number[];
  }
  throw new DataError(`${who}: expected a tensor or an array of numbers; got ${describeValue(values)}.`);
}

/** A `GraphDef` (nodes, no model name) rather than a model. */
function isGraphDef(value: unknown): value is MessageInit<GraphDef> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as {node?: unknown}).node) &&
    typeof (value as {name?: unknown}).name !== 'string'
  );
}

function joinPath(dir: string, run: string): string {
  return run === '' ? dir : `${dir.replace(/[\\/]+$/, '')}/${run}`;
}

/**
 * Writes a TensorBoard event file: the TFRecord-framed `Event` protobufs that
 * TensorBoard (and `tf.summary`) read and write, in pure TypeScript.
 *
 * Writes are buffered in memory and appended to the file (or passed to the
 * sink) every `flushSeconds` (a timer that does not keep Node running), on
 * `flush()` and on `close()`. The file is created by the first flush after
 * a summary was written (or by `open()`): a writer used only through its
 * child runs leaves no empty run behind. Each writer creates a new file
 * `events.out.tfevents.<10-digit seconds>.<host>.<pid>.<n><suffix>` in its
 * `logDir` (created with its parents), never rewriting one, so TensorBoard
 * can read it while it grows. The first record is the file version event
 * (`brain.Event:2`).
 *
 * Summaries, as TF2's `tf.summary` writes them (see the README for layouts):
 * scalars as `simple_value` (float32), histograms as the `histograms`
 * plugin's `[k, 3]` float64 tensor, images as PNGs for the `images` plugin,
 * Markdown text for the `text` plugin, and hparams session infos for the
 * `hparams` plugin. Tags are written as given (any non-empty string; `/`
 * groups them in the dashboards).
 *
 * It is also a Trellis `Logger` (`logMetrics`, `logHistogram`,
 * `logHyperparams`, `flush`, `close`): a `run` argument writes into a child
 * writer for the subdirectory `run` (see {@link SummaryWriter.run}).
 *
 * @example
 * const writer = new SummaryWriter({logDir: 'runs/exp1'});
 * writer.scalar('loss', 0.25, 1);
 * writer.histogram('weights', kernel, 1);   // a tensor (not disposed) or numbers
 * await writer.close();
 *
 * @example
 * // A browser: collect the bytes, offer them as a download.
 * const chunks: Uint8Array[] = [];
 * const writer = new SummaryWriter({sink: (bytes) => void chunks.push(bytes.slice())});
 */
export class SummaryWriter implements Logger {
  /** The `Logger` name. */
  readonly name = 'tensorboard';
  /** The directory of this writer's event file, or null with a sink. */
  readonly logDir: string | null;
  /** This writer's run below the root writer (`''` for the root). */
  readonly runName: string;
  readonly #sink: EventSink | null;
  readonly #flushSeconds: number;
  readonly #suffix: string;
  readonly #createdSecs: number;
  #counter: number;
  #fileName: string | null = null;
  #file: FileHandle | null = null;
  #pending: Uint8Array[] = [];
  #chain: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setInterval> | null = null;
  #failure: unknown = null;
  #closed = false;
  #sessionStarted = false;
  /** Whether a summary was written or `open()` called: only then is a file created. */
  #used = false;
  readonly #children = new Map<string, SummaryWriter>();

  /**
   * @throws ConfigError for an unknown option, neither or both of `logDir`
   *   and `sink`, or a `flushSeconds` that is not a number > 0. A `logDir`
   *   that cannot be created fails at the first flush (or at `open()`).
   */
  constructor(options: SummaryWriterOptions) {
    checkOptions(WHO, options, KEYS);
    const {logDir, sink} = options ?? {};
    checkLogDirOrSink(WHO, logDir, sink, "new SummaryWriter({logDir: 'runs/exp1'})");
    const flushSeconds = options.flushSeconds ?? 5;
    if (typeof flushSeconds !== 'number' || !(flushSeconds > 0)) {
      throw new ConfigError(
        `${WHO}: flushSeconds must be a number > 0 (Infinity: flush only on flush() and close()); got ${describeValue(flushSeconds)}.`,
      );
    }
    const suffix = options.filenameSuffix ?? '';
    if (typeof suffix !== 'string' || /[\\/]/.test(suffix)) {
      throw new ConfigError(
        `${WHO}: filenameSuffix must be a string without path separators (such as '.v2'); got ${describeValue(suffix)}.`,
      );
    }
    this.logDir = logDir ?? null;
    this.#sink = sink ?? null;
    this.#flushSeconds = flushSeconds;
    this.#suffix = suffix;
    const runName = options.runName ?? '';
    if (typeof runName !== 'string') throw new ConfigError(`${WHO}: runName must be a string; got ${describeValue(runName)}.`);
    this.runName = runName;
    const now = Date.now() / 1000;
    this.#createdSecs = Math.floor(now);
    this.#counter = fileCounter++;
    this.#pending.push(frameRecord(encodeEvent({wallTime: now, what: {case: 'fileVersion', value: 'brain.Event:2'}})));
    if (Number.isFinite(flushSeconds)) {
      const timer = setInterval(() => {
        if (this.#pending.length > 0) this.flush().catch(() => undefined);
      }, flushSeconds * 1000);
      (timer as {unref?: () => void}).unref?.();
      this.#timer = timer;
    }
  }

  /** The event file's name; null until the file is opened (the first flush) when writing to a directory. */
  get fileName(): string | null {
    return this.#fileName ?? (this.#sink ? this.#name('localhost', 0) : null);
  }

  /** The event file's path (`logDir/fileName`), or null with a sink or before the first flush. */
  get path(): string | null {
    return this.logDir === null || this.#fileName === null ? null : `${this.logDir.replace(/[\\/]+$/, '')}/${this.#fileName}`;
  }

  #name(host: string, pid: number): string {
    return `events.out.tfevents.${String(this.#createdSecs).padStart(10, '0')}.${host}.${pid}.${this.#counter}${this.#suffix}`;
  }

  /**
   * Creates the directory and the event file now and writes the file
   * version record (otherwise done by the first flush), so a `logDir` that
   * cannot be created fails here. Returns this writer.
   * @throws ConfigError when the directory or the file cannot be created.
   */
  async open(): Promise<this> {
    this.#used = true;
    await this.flush();
    return this;
  }

  /**
   * The writer of the run `name` below this one: a directory
   * `logDir/name` with its own event file (a sink receives its bytes with
   * `file.run` set). Created on first use, flushed and closed with this
   * writer; the same writer for the same name.
   * @throws ConfigError for an empty name or one with `..`; StateError after `close()`.
   */
  run(name: string): SummaryWriter {
    this.#assertOpen('run');
    if (typeof name !== 'string' || name.length === 0 || name.split(/[\\/]/).includes('..')) {
      throw new ConfigError(`${WHO}.run: name must be a non-empty relative directory name ('validation'); got ${describeValue(name)}.`);
    }
    let child = this.#children.get(name);
    if (!child) {
      const run = this.runName === '' ? name : `${this.runName}/${name}`;
      const common = {flushSeconds: this.#flushSeconds, filenameSuffix: this.#suffix};
      child = this.#sink
        ? new SummaryWriter({...common, sink: this.#sink, runName: run})
        : new SummaryWriter({...common, logDir: joinPath(this.logDir!, name), runName: run});
      this.#children.set(name, child);
    }
    return child;
  }

  #assertOpen(what: string): void {
    if (this.#closed) throw new StateError(`${WHO}.${what}: the writer is closed; create a new SummaryWriter to write more.`);
  }

  /** Appends one event holding `values` at `step` to the buffer. */
  #write(what: string, step: bigint, values: SummaryValueInit[]): void {
    this.#assertOpen(what);
    const event = encodeEvent({wallTime: Date.now() / 1000, step, what: {case: 'summary', value: {value: values}}});
    this.#used = true;
    this.#pending.push(frameRecord(event));
  }

  /**
   * A scalar at `step` (float32 as TensorBoard stores scalars; NaN and
   * ±Infinity are written as such).
   * @throws ConfigError for an empty tag or a step that is not an integer;
   *   DataError when `value` is not a number.
   */
  scalar(tag: string, value: number, step: number): void {
    checkTag(`${WHO}.scalar`, tag);
    if (typeof value !== 'number') {
      throw new DataError(
        `${WHO}.scalar('${tag}'): expected a number; got ${describeValue(value)}. Read a tensor back first (await t.data()).`,
      );
    }
    this.#write('scalar', checkStep(`${WHO}.scalar`, step), [scalarValue(tag, value)]);
  }

  /**
   * Several scalars at the same `step`, in one event.
   * @throws as {@link SummaryWriter.scalar}.
   */
  scalars(values: Readonly<Record<string, number>>, step: number): void {
    const s = checkStep(`${WHO}.scalars`, step);
    const out: SummaryValueInit[] = [];
    for (const [tag, value] of Object.entries(values ?? {})) {
      checkTag(`${WHO}.scalars`, tag);
      if (typeof value !== 'number') throw new DataError(`${WHO}.scalars: '${tag}' must be a number; got ${describeValue(value)}.`);
      out.push(scalarValue(tag, value));
    }
    if (out.length > 0) this.#write('scalars', s, out);
  }

  /**
   * A histogram of `values` (any shape, flattened) at `step`, with
   * `buckets` equal-width buckets (default 30) as TensorBoard's
   * `histogram` summary computes them; non-finite values are left out. A
   * tensor is read back synchronously (pass `await t.data()` to avoid
   * blocking) and not disposed.
   * @throws ConfigError for an empty tag, a bad step or a `buckets` that is
   *   not a positive integer; DataError when `values` are not numbers.
   */
  histogram(tag: string, values: tf.Tensor | ArrayLike<number>, step: number, options: {readonly buckets?: number} = {}): void {
    const who = `${WHO}.histogram`;
    checkTag(who, tag);
    checkOptions(who, options, ['buckets']);
    const buckets = options.buckets ?? DEFAULT_BUCKET_COUNT;
    if (typeof buckets !== 'number' || !Number.isInteger(buckets) || buckets < 1) {
      throw new ConfigError(`${who}: buckets must be an integer >= 1; got ${describeValue(buckets)}.`);
    }
    const s = checkStep(who, step);
    this.#write('histogram', s, [histogramValue(tag, histogramBuckets(numbersOf(`${who}('${tag}')`, values), buckets))]);
  }

  /**
   * Images at `step`: a tensor `[h, w, c]` or `[n, h, w, c]` (`c` = 1, 2, 3
   * or 4), float32 in [0, 1] or int32 in 0..255, encoded as PNG; at most
   * `maxOutputs` (default 3, as `tf.summary.image`) of a batch are kept.
   * Read back synchronously; not disposed.
   * @throws ConfigError for an empty tag, a bad step, a bad `maxOutputs` or
   *   a non-tensor; ShapeError for a wrong rank or channel count; DTypeError
   *   for other dtypes.
   */
  image(tag: string, images: tf.Tensor, step: number, options: {readonly maxOutputs?: number} = {}): void {
    const who = `${WHO}.image`;
    checkTag(who, tag);
    checkOptions(who, options, ['maxOutputs']);
    const maxOutputs = options.maxOutputs ?? 3;
    if (typeof maxOutputs !== 'number' || !Number.isInteger(maxOutputs) || maxOutputs < 1) {
      throw new ConfigError(`${who}: maxOutputs must be an integer >= 1; got ${describeValue(maxOutputs)}.`);
    }
    const s = checkStep(who, step);
    const {width, height, pngs} = encodeImages(`${who}('${tag}')`, images, maxOutputs);
    this.#write('image', s, [imageValue(tag, width, height, pngs)]);
  }

  /**
   * The model's layer graph for the Graphs dashboard: an event whose
   * `graph_def` is the `GraphDef` of {@link modelGraphDef} (one node per
   * layer, `op` its class, `input` its inbound layers; a `Placeholder` per
   * model input), or a `GraphDef` given as is. TensorBoard shows one graph
   * per run (the last one written).
   * @throws ConfigError when `model` is neither a model nor a `GraphDef`;
   *   StateError after `close()`.
   */
  graph(model: GraphModel | MessageInit<GraphDef>, step = 0): void {
    const who = `${WHO}.graph`;
    const s = checkStep(who, step);
    this.#assertOpen('graph');
    const graphDef = isGraphDef(model) ? model : modelGraphDef(model as GraphModel);
    const event = encodeEvent({
      wallTime: Date.now() / 1000,
      step: s,
      what: {case: 'graphDef', value: encodeMessage(graphDef, writeGraphDef)},
    });
    this.#used = true;
    this.#pending.push(frameRecord(event));
  }

  /**
   * Markdown text at `step` (the Text dashboard renders it; GitHub-style
   * tables and fenced code included).
   * @throws ConfigError for an empty tag, a bad step or a non-string.
   */
  text(tag: string, markdown: string, step: number): void {
    const who = `${WHO}.text`;
    checkTag(who, tag);
    if (typeof markdown !== 'string') throw new ConfigError(`${who}('${tag}'): expected a string; got ${describeValue(markdown)}.`);
    this.#write('text', checkStep(who, step), [textValue(tag, markdown)]);
  }

  /**
   * Starts an hparams session in this run: its hparam values (the HParams
   * dashboard's columns) as `_hparams_/session_start_info`. With `metrics`
   * (scalar tags of this run, such as `'epoch_loss'`, or `{group, tag}` for
   * a tag of the sub-run `group`, such as `{group: 'validation', tag:
   * 'epoch_accuracy'}` beside a `tensorBoard` callback writing into this
   * directory), an `_hparams_/experiment` summary in the same run also
   * declares the hparams and those metrics; without it TensorBoard lists
   * every scalar tag of the session's runs. `close()` ends the session
   * (`_hparams_/session_end_info`) with its status.
   * @throws ConfigError when a value is not a number, string or boolean,
   *   or a metric is not a non-empty string.
   */
  hparams(
    values: Readonly<Record<string, HParamValue>>,
    options: {readonly metrics?: readonly HParamMetric[]; readonly groupName?: string} = {},
  ): void {
    const who = `${WHO}.hparams`;
    checkOptions(who, options, ['metrics', 'groupName']);
    if (values === null || typeof values !== 'object')
      throw new ConfigError(`${who}: expected an object of hparam values ({lr: 0.01}); got ${describeValue(values)}.`);
    for (const [k, v] of Object.entries(values)) {
      if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') {
        throw new ConfigError(
          `${who}: '${k}' must be a number, string or boolean; got ${describeValue(v)}. Turn it into a string (JSON.stringify).`,
        );
      }
    }
    const metrics = options.metrics ?? [];
    const okMetric = (m: unknown) =>
      (typeof m === 'string' && m.length > 0) ||
      (typeof m === 'object' &&
        m !== null &&
        typeof (m as {tag?: unknown}).tag === 'string' &&
        (m as {tag: string}).tag.length > 0 &&
        typeof (m as {group?: unknown}).group === 'string');
    if (!Array.isArray(metrics) || !metrics.every(okMetric)) {
      throw new ConfigError(
        `${who}: metrics must be a list of scalar tags (['epoch_loss']) or {group, tag} ({group: 'validation', tag: 'epoch_loss'}); got ${describeValue(metrics)}.`,
      );
    }
    const now = Date.now() / 1000;
    const out: SummaryValueInit[] = [];
    if (metrics.length > 0) out.push(experimentValue(values, metrics, now));
    out.push(sessionStartValue(values, {groupName: options.groupName, startTimeSecs: now}));
    this.#write('hparams', 0n, out);
    this.#sessionStarted = true;
  }

  /**
   * Ends the hparams session started by {@link SummaryWriter.hparams} with
   * `status` (`close()` does it too). Does nothing without a session.
   */
  endSession(status: SessionStatus = 'success'): void {
    if (!this.#sessionStarted) return;
    this.#write('endSession', 0n, [sessionEndValue(status, Date.now() / 1000)]);
    this.#sessionStarted = false;
  }

  /** `Logger`: each metric as a scalar at `step`, in the run `run` (a child writer) if given. */
  logMetrics(metrics: Readonly<Record<string, number>>, step: number, run?: string): void {
    (run ? this.run(run) : this).scalars(metrics, step);
  }

  /**
   * `Logger`: starts an hparams session with `params` (numbers, strings and
   * booleans as they are, other JSON as text) and writes `metrics` as
   * scalars at step 0, declared as the session's metrics.
   */
  logHyperparams(params: Readonly<Record<string, Json>>, metrics?: Readonly<Record<string, number>>): void {
    const values = Object.fromEntries(
      Object.entries(params).map(([k, v]) => [
        k,
        typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : JSON.stringify(v),
      ]),
    );
    this.hparams(values, {metrics: Object.keys(metrics ?? {})});
    if (metrics) this.scalars(metrics, 0);
  }

  /** `Logger`: a histogram of `values` (read back without blocking, not disposed). */
  async logHistogram(tag: string, values: tf.Tensor, step: number, run?: string): Promise<void> {
    const data = isTensor(values) ? ((await values.data()) as ArrayLike<number>) : values;
    (run ? this.run(run) : this).histogram(tag, data, step);
  }

  /**
   * Writes what is buffered (here and in child runs), opening the file
   * first if needed. Resolves when the bytes are written (or handed to the
   * sink).
   * @throws ConfigError when the directory or the file cannot be created;
   *   the file system's error when a write fails.
   */
  async flush(): Promise<void> {
    const own = this.#enqueue();
    await Promise.all([own, ...[...this.#children.values()].map((c) => c.flush())]);
  }

  #enqueue(): Promise<void> {
    const next = this.#chain.then(() => this.#drain());
    this.#chain = next.catch((error: unknown) => {
      this.#failure ??= error;
    });
    return next;
  }

  async #drain(): Promise<void> {
    if (this.#failure !== null) throw this.#failure;
    // A writer that only hosts child runs creates no file of its own (no empty run in TensorBoard).
    if (!this.#used) return;
    if (this.#pending.length === 0 && (this.#sink || this.#file)) return;
    const chunks = this.#pending;
    this.#pending = [];
    const total = chunks.reduce((n, c) => n + c.length, 0);
    const bytes = chunks.length === 1 ? chunks[0]! : new Uint8Array(total);
    if (chunks.length > 1) {
      let o = 0;
      for (const c of chunks) {
        bytes.set(c, o);
        o += c.length;
      }
    }
    if (this.#sink) {
      if (total > 0) await this.#sink(bytes, {run: this.runName, fileName: this.fileName!});
      return;
    }
    this.#file ??= await this.#openFile();
    if (total > 0) await this.#file.write(bytes);
  }

  async #openFile(): Promise<FileHandle> {
    const {fs, hostname} = await loadNode();
    const dir = this.logDir!;
    try {
      await fs.mkdir(dir, {recursive: true});
    } catch (cause) {
      throw new ConfigError(
        `${WHO}: cannot create the log directory '${dir}' (${(cause as Error).message}). Pass a logDir in a writable place, or a sink.`,
        {cause},
      );
    }
    const pid = typeof process === 'object' ? process.pid : 0;
    for (;;) {
      const name = this.#name(hostname, pid);
      try {
        const handle = await fs.open(`${dir.replace(/[\\/]+$/, '')}/${name}`, 'ax');
        this.#fileName = name;
        return handle;
      } catch (cause) {
        if ((cause as {code?: string}).code === 'EEXIST') {
          // Another writer of this name (a process with the same pid on a shared disk): take a new number.
          this.#counter = fileCounter++;
          continue;
        }
        throw new ConfigError(
          `${WHO}: cannot create an event file in '${dir}' (${(cause as Error).message}). Pass a logDir in a writable place, or a sink.`,
          {
            cause,
          },
        );
      }
    }
  }

  /**
   * Ends an hparams session (with `status`: `'success'` → SUCCESS,
   * `'failed'` → FAILURE, `'aborted'` → UNKNOWN; default success), flushes,
   * stops the timer and closes the file, here and in every child run.
   * Later writes throw a `StateError`; closing twice does nothing.
   * @throws as {@link SummaryWriter.flush}.
   */
  async close(status: 'success' | 'failed' | 'aborted' = 'success'): Promise<void> {
    if (this.#closed) return;
    this.endSession(status === 'success' ? 'success' : status === 'failed' ? 'failure' : 'unknown');
    this.#closed = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    try {
      await Promise.all([this.#enqueue(), ...[...this.#children.values()].map((c) => c.close(status))]);
    } finally {
      const file = this.#file;
      this.#file = null;
      await file?.close();
    }
  }
}
