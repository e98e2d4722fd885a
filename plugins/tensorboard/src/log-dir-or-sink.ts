/**
 * The `logDir`/`sink` choice of `SummaryWriter` and `tensorBoard`.
 * @module
 */
import {ConfigError, describeValue} from '@trellis/core';

/**
 * Checks that exactly one of `logDir` (a non-empty path) and `sink` (a
 * function) is given; `example` is a call that shows how.
 * @throws ConfigError naming `who` otherwise.
 */
export function checkLogDirOrSink(who: string, logDir: unknown, sink: unknown, example: string): void {
  if ((logDir === undefined) === (sink === undefined)) {
    throw new ConfigError(
      `${who} needs exactly one of logDir (a directory, in Node) and sink (a function receiving the bytes); got ` +
        `${logDir === undefined ? 'neither' : 'both'}. For example ${example}.`,
    );
  }
  if (logDir !== undefined && (typeof logDir !== 'string' || logDir.length === 0)) {
    throw new ConfigError(`${who}: logDir must be a non-empty directory path; got ${describeValue(logDir)}.`);
  }
  if (sink !== undefined && typeof sink !== 'function') {
    throw new ConfigError(`${who}: sink must be a function (bytes, file) => void; got ${describeValue(sink)}.`);
  }
}
