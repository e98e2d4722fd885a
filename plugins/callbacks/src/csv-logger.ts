import {
  ConfigError,
  checkBoolean,
  checkOptions,
  describe,
  importNodeBuiltins,
  optionKeys,
  writeFileAtomic,
  type Callback,
  type FitContext,
  type Json,
  type NodeFs,
} from '@trellis/core';
import {checkFunction, stateObject} from './monitor';
import {pythonFloat} from './output';

/** Options of {@link csvLogger}: exactly one of `path` and `sink`. */
export type CsvLoggerOptions = {
  /** A file to write (Node only). */
  readonly path?: string;
  /** Receives each row as text, without a line end (anywhere, browsers included). */
  readonly sink?: (line: string) => void;
  /** The field separator; default `','`. */
  readonly separator?: string;
  /** Add to an existing file (no header when it is not empty) instead of replacing it; default false. */
  readonly append?: boolean;
};

/** The JSON config of `trellis/csvLogger`: a file only (a sink is a function). */
export type CsvLoggerConfig = {readonly path: string; readonly separator?: string; readonly append?: boolean};

const KEYS = optionKeys<CsvLoggerOptions>({path: true, sink: true, separator: true, append: true});
const WHO = 'csvLogger';

const NO_NODE = `${WHO}: path needs Node's file system, which is not available here; pass sink: (line) => ... instead.`;

/**
 * Writes one CSV row per epoch: Keras' `CSVLogger`, column for column. The
 * columns are `epoch` (from 0), then the first epoch's log keys sorted, plus
 * a `val_` twin of each when there was no validation key (filled with `NA`,
 * as a key missing in a later epoch is). Values are written as Python writes
 * floats (`0.25`, `1.0`, `1e-05`, `nan`), fields are quoted as Python's
 * `csv` module does, and a file's lines end with `\r\n` (its `excel`
 * dialect).
 *
 * With `path` (Node) the file is replaced at fit start (or, with `append`,
 * kept, and the header written only when it is empty) and rewritten whole
 * after each epoch through a temporary file flushed to disk and renamed
 * over it (core's `writeFileAtomic`), so a crash never leaves a
 * half-written row. `node:fs` is loaded only then (a dynamic
 * import), so the package runs in browsers, where `sink` receives the rows
 * instead; with a sink the header is sent at the first epoch of each fit,
 * or only once in the callback's life with `append`.
 *
 * `saveState()` keeps the columns, so a resumed run (`append: true`) writes
 * the same ones.
 *
 * @example
 * csvLogger({path: 'training.csv'})
 * csvLogger({sink: (line) => rows.push(line)})
 *
 * @throws ConfigError for an unknown option, neither or both of `path` and
 *   `sink`, or a separator that is not one character other than a quote or
 *   a line break.
 */
export function csvLogger(
  options: CsvLoggerOptions,
): Callback & {readonly spec?: {readonly id: 'trellis/csvLogger'; readonly config: CsvLoggerConfig}} {
  checkOptions(WHO, options, KEYS);
  const {path, sink} = options ?? {};
  if ((path === undefined) === (sink === undefined)) {
    throw new ConfigError(
      `${WHO} needs exactly one of path (a file, in Node) and sink (a function receiving each row); got ` +
        `${path === undefined ? 'neither' : 'both'}. For example csvLogger({path: 'log.csv'}).`,
    );
  }
  if (path !== undefined && (typeof path !== 'string' || path.length === 0)) {
    throw new ConfigError(`${WHO}: path must be a non-empty file path; got ${describe(path)}.`);
  }
  checkFunction(WHO, 'sink', sink, '(line: string) => void');
  const separator = options.separator ?? ',';
  if (typeof separator !== 'string' || separator.length !== 1 || separator === '"' || separator === '\n' || separator === '\r') {
    throw new ConfigError(
      `${WHO}: separator must be one character other than '"' or a line break; got ${describe(separator)}. For example separator: ';'.`,
    );
  }
  const append = checkBoolean(WHO, 'append', options.append ?? false);

  let keys: string[] | null = null;
  let resumed = false;
  let sentHeader = false;
  let writeHeader = true;
  let content = '';
  let fs: NodeFs | null = null;

  const field = (text: string): string =>
    text.includes(separator) || text.includes('"') || text.includes('\n') || text.includes('\r') ? `"${text.replace(/"/g, '""')}"` : text;
  const row = (fields: readonly string[]) => fields.map(field).join(separator);

  const emit = async (lines: readonly string[]): Promise<void> => {
    if (sink) {
      for (const line of lines) sink(line);
      return;
    }
    content += lines.map((l) => `${l}\r\n`).join('');
    await writeFileAtomic(path!, content, {unavailable: NO_NODE});
  };

  const callback = {
    name: WHO,
    ...(path === undefined ? {} : {spec: {id: 'trellis/csvLogger' as const, config: {path, separator, append}}}),
    async onFitStart() {
      if (resumed) resumed = false;
      else keys = null;
      if (sink) {
        writeHeader = !(append && sentHeader);
        return;
      }
      fs ??= (await importNodeBuiltins(NO_NODE)).fs;
      content = append ? await readIfExists(fs, path!) : '';
      writeHeader = content.split(/\r?\n/, 1)[0]!.length === 0;
      if (!append) await writeFileAtomic(path!, '', {unavailable: NO_NODE});
    },
    async onEpochEnd(context: FitContext) {
      const logs = await context.readLogs();
      if (keys === null) {
        keys = Object.keys(logs).sort();
        if (keys.length > 0 && !keys.some((k) => k.startsWith('val_'))) keys.push(...keys.map((k) => `val_${k}`));
      }
      const lines: string[] = [];
      if (writeHeader) {
        lines.push(row(['epoch', ...keys]));
        writeHeader = false;
        sentHeader = true;
      }
      lines.push(row([String(context.epoch), ...keys.map((k) => (k in logs ? pythonFloat(logs[k]!) : 'NA'))]));
      await emit(lines);
    },
    saveState(): Json {
      return {keys};
    },
    loadState(state: Json) {
      const s = stateObject(WHO, state, ['keys']);
      const k = s.keys;
      if (k !== null && !(Array.isArray(k) && k.every((x) => typeof x === 'string'))) {
        throw new ConfigError(`${WHO}.loadState: keys must be null or a list of column names; got ${describe(k)}.`);
      }
      keys = k === null ? null : [...(k as string[])];
      resumed = true;
      if (keys !== null) sentHeader = true;
    },
  };
  return callback as Callback & {readonly spec?: {readonly id: 'trellis/csvLogger'; readonly config: CsvLoggerConfig}};
}

async function readIfExists(fs: NodeFs, path: string): Promise<string> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as {code?: string}).code === 'ENOENT') return '';
    throw error;
  }
}
