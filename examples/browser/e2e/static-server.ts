/**
 * A static file server on 127.0.0.1 (a random free port) for the built page:
 * what any static host does, with the content types browsers insist on
 * (`application/wasm` for WebAssembly streaming compilation).
 */
import {createReadStream} from 'node:fs';
import {stat} from 'node:fs/promises';
import {createServer, type Server} from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** A running server: its base URL (ending in `/`) and how to stop it. */
export type StaticServer = {readonly url: string; close(): Promise<void>};

/** Serves the files under `root` (GET and HEAD; `/` is `index.html`; nothing outside `root`). */
export async function serveStatic(root: string): Promise<StaticServer> {
  const base = path.resolve(root);
  const server: Server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = path.resolve(base, `.${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`);
    const refuse = (code: number) => {
      response.writeHead(code, {'Content-Type': 'text/plain'});
      response.end(`${code}\n`);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    if (file !== base && !file.startsWith(base + path.sep)) return refuse(403);
    stat(file).then(
      (info) => {
        if (!info.isFile()) return refuse(404);
        response.writeHead(200, {
          'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
          'Content-Length': info.size,
          'Cache-Control': 'no-cache',
        });
        if (request.method === 'HEAD') return response.end();
        createReadStream(file).pipe(response);
      },
      () => refuse(404),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The static server has no TCP address.');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
