/**
 * The error thrown for a damaged, truncated, oversized or hostile Keras file.
 * @module
 */
import {FormatError, isTrellisError, type TrellisErrorOptions} from '@trellis/core';

/**
 * Why a file was refused:
 * - `truncated`: the file ends before a part it declares;
 * - `corrupt`: a part cannot be decoded (bad signature, checksum, HDF5 structure);
 * - `limit`: a declared size or count exceeds the {@link KerasFileLimits};
 * - `unsafe`: a path escapes its folder, or a link points elsewhere;
 * - `invalid`: the content decodes but is not what Keras writes (not JSON, missing group, wrong layout);
 * - `unsupported`: valid, but uses a feature this package does not read (ZIP64, encryption, big-endian data).
 */
export type KerasFileProblem = 'truncated' | 'corrupt' | 'limit' | 'unsafe' | 'invalid' | 'unsupported';

/**
 * A Keras file could not be read. A `FormatError` (code `'format'`): `FormatError.is(e)` and
 * `e instanceof FormatError` hold; `KerasFileError.is(e)` tells it apart from other format errors.
 * `file` names the file (`model.keras`, or the path given to a Node helper), `part` the part of it
 * (`zip central directory`, `config.json`, `model.weights.h5`, `model.weights.h5: /layers/dense/vars/0`).
 */
export class KerasFileError extends FormatError {
  /** The file that was being read. */
  readonly file: string;
  /** The part of the file where the problem is. */
  readonly part: string;
  /** The kind of problem. */
  readonly problem: KerasFileProblem;

  /**
   * @param file the file that was being read
   * @param part the part of the file where the problem is
   * @param problem the kind of problem
   * @param detail what is wrong, in words
   * @param options the underlying error, if any
   */
  constructor(file: string, part: string, problem: KerasFileProblem, detail: string, options: TrellisErrorOptions = {}) {
    super(`${file}, ${part}: ${detail}`, options);
    this.name = 'FormatError';
    this.file = file;
    this.part = part;
    this.problem = problem;
  }

  /** Whether `error` is a `KerasFileError` (from any copy of this package). */
  static override is(error: unknown): boolean {
    return (
      isTrellisError(error) &&
      error.code === 'format' &&
      typeof (error as Partial<KerasFileError>).part === 'string' &&
      typeof (error as Partial<KerasFileError>).problem === 'string'
    );
  }
}

/** Wraps a non-Trellis error as a `corrupt` {@link KerasFileError}; Trellis errors pass through. */
export function asFileError(error: unknown, file: string, part: string, problem: KerasFileProblem = 'corrupt'): Error {
  if (isTrellisError(error)) return error;
  return new KerasFileError(file, part, problem, summarize(error), {cause: error});
}

/** A one-line summary of an error (HDF5's diagnostic stack is reduced to its innermost message). */
export function summarize(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (text.includes('HDF5-DIAG')) {
    const lines = [...text.matchAll(/#\d+: .*? in ([\w]+)\(\): (.*)$/gm)].map((m) => `${m[2]} (${m[1]})`);
    const truncated = /truncated file[^\n]*/.exec(text);
    if (truncated) return truncated[0].trim();
    if (lines.length > 0) return `${lines[lines.length - 1]}; ${lines[0]}`;
  }
  const line = text.split('\n')[0]?.trim() ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}...` : line || 'unknown error';
}
