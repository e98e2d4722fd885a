// docs/coming-from-keras.md: every TypeScript snippet of the guide is a file of test/guide/ (in the guide's
// order, word for word, so `pnpm typecheck` compiles them), and each one runs here, in a scratch folder.
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';

const guidePath = fileURLToPath(new URL('../../../docs/coming-from-keras.md', import.meta.url));
const snippetDir = fileURLToPath(new URL('../test/guide/', import.meta.url));
const snippets = readdirSync(snippetDir)
  .filter((name) => name.endsWith('.ts'))
  .sort();

/** The ```ts blocks of a markdown text, in order. */
function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

it('every ```ts block of the guide is the matching file of test/guide/, word for word', () => {
  const blocks = tsBlocks(readFileSync(guidePath, 'utf8'));
  expect(blocks.length, `the guide has ${blocks.length} ts blocks; test/guide/ has ${snippets.length} files`).toBe(snippets.length);
  blocks.forEach((block, i) => {
    expect(block, `ts block ${i + 1} of docs/coming-from-keras.md differs from packages/trellis/test/guide/${snippets[i]}`).toBe(
      readFileSync(join(snippetDir, snippets[i]!), 'utf8'),
    );
  });
});

describe('each snippet runs', () => {
  const home = process.cwd();
  const scratch = mkdtempSync(join(tmpdir(), 'trellis-guide-'));
  beforeAll(() => {
    // A tiny CIFAR-10 in the binary format: two records per file (a label byte, then 3072 pixel bytes).
    const cifar = join(scratch, 'cifar-10-batches-bin');
    mkdirSync(cifar);
    const records = (seed: number) =>
      Uint8Array.from({length: 2 * 3073}, (_, i) => (i % 3073 === 0 ? (seed + i) % 10 : (i * 7 + seed) % 256));
    for (let b = 1; b <= 5; b++) writeFileSync(join(cifar, `data_batch_${b}.bin`), records(b));
    writeFileSync(join(cifar, 'test_batch.bin'), records(0));
    process.chdir(scratch); // the snippets write m.keras, logs/, ... where they run
    vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterAll(() => {
    vi.restoreAllMocks();
    process.chdir(home);
    rmSync(scratch, {recursive: true, force: true});
  });

  for (const name of snippets) {
    it(name, async () => {
      await import(/* @vite-ignore */ join(snippetDir, name));
    });
  }

  it('the snippets wrote what they say', () => {
    const written = readdirSync(scratch);
    for (const file of ['best.keras', 'logs', 'm.keras', 'm_tfjs', 'm.weights.h5']) expect(written).toContain(file);
    expect(readdirSync(join(scratch, 'm_tfjs'))).toContain('model.json');
  });
});
