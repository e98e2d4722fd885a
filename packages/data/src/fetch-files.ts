/**
 * Reading a data set's files from a base URL with `fetch` (browsers, and Node
 * 18+), shared by the loaders that take a `url` option (internal).
 * @module
 */
import {ConfigError, DataError} from '@trellis/core';

/**
 * The `fetch` a loader calls (default: the global one): a URL in, a response
 * with `ok`, `status` and `arrayBuffer()` out. Pass your own to add
 * credentials, to read from a cache, or to serve bytes you already hold.
 */
export type FetchLike = (url: string) => Promise<{readonly ok: boolean; readonly status: number; arrayBuffer(): Promise<ArrayBuffer>}>;

/** What {@link fetchReader} needs: who reads, from where, with what, and what the messages say. */
export type FetchSource = {
  readonly who: string;
  /** The base URL; the files are fetched from `<url>/<file name>` (trailing slashes are dropped). */
  readonly url: string;
  readonly fetch: FetchLike | undefined;
  /** What is expected at a file's address, for the HTTP error (`'the binary file'`). */
  readonly expected: string;
  /** What to pass instead when there is no global fetch (`'path to a local folder'`). */
  readonly instead: string;
};

/**
 * A function reading one file by name as bytes.
 * @throws ConfigError now when there is no `fetch` to use.
 */
export function fetchReader(source: FetchSource): (name: string) => Promise<Uint8Array> {
  const {who, expected} = source;
  const base = source.url.replace(/\/+$/, '');
  const get = source.fetch ?? (globalThis as {fetch?: FetchLike}).fetch;
  if (typeof get !== 'function') {
    throw new ConfigError(`${who}: there is no global fetch here to read ${base}; pass fetch, or ${source.instead}.`);
  }
  return async (name) => {
    const address = `${base}/${name}`;
    let response: Awaited<ReturnType<FetchLike>>;
    try {
      response = await get(address);
    } catch (cause) {
      throw new DataError(
        `${who}: cannot fetch ${address} (${(cause as Error)?.message ?? String(cause)}). Check the url and the network.`,
        {
          cause,
        },
      );
    }
    if (!response.ok) {
      throw new DataError(`${who}: fetching ${address} answered HTTP ${response.status}; expected ${expected} there. Check the url.`);
    }
    return new Uint8Array(await response.arrayBuffer());
  };
}
