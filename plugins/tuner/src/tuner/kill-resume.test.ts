// A search process killed with SIGKILL in the middle of a trial and started again finishes the
// search without running any finished trial again, with the best hyperparameters (and every score)
// of an uninterrupted search with the same seed. Runs the built packages (turbo builds this package
// before its tests).
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, expect, it} from 'vitest';

const child = fileURLToPath(new URL('../../test/search-child.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'trellis-tuner-kill-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const lines = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

/** Runs the child; with `killWhen`, polls its log and kills it (SIGKILL) once the log satisfies it. */
function run(
  project: string,
  log: string,
  out: string,
  killWhen?: (lines: string[]) => boolean,
): Promise<{code: number | null; stderr: string}> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, dir, project, log, out], {stdio: ['ignore', 'ignore', 'pipe']});
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = killWhen
      ? setInterval(() => {
          if (killWhen(lines(log))) proc.kill('SIGKILL');
        }, 5)
      : null;
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (timer) clearInterval(timer);
      resolve({code, stderr});
    });
  });
}

it('a search killed mid-trial and restarted runs no finished trial again and ends as an uninterrupted one', async () => {
  const log = join(dir, 'killed.log');
  const out = join(dir, 'killed.json');
  // The uninterrupted search runs beside the one killed once two trials have ended and the third has started.
  const [reference, killed] = await Promise.all([
    run('reference', join(dir, 'reference.log'), join(dir, 'reference.json')),
    run('killed', log, out, (l) => l.filter((s) => s.startsWith('end')).length >= 2 && l.at(-1)!.startsWith('start')),
  ]);
  expect(reference.code, reference.stderr).toBe(0);
  expect(killed.code, killed.stderr).toBeNull();
  const before = lines(log);
  const finishedBefore = before.filter((s) => s.startsWith('end')).map((s) => s.slice(4));
  const interrupted = before.at(-1)!.slice(6);
  expect(finishedBefore.length).toBeGreaterThanOrEqual(2);
  expect(existsSync(out)).toBe(false);

  const resumed = await run('killed', log, out);
  expect(resumed.code, resumed.stderr).toBe(0);
  const after = lines(log).slice(before.length);
  const startedAfter = after.filter((s) => s.startsWith('start')).map((s) => s.slice(6));
  console.log(`killed during trial ${interrupted} after ${finishedBefore.join(', ')} ended; the restart ran ${startedAfter.join(', ')}`);
  for (const id of finishedBefore) expect(startedAfter).not.toContain(id);
  expect(startedAfter[0]).toBe(interrupted);
  expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')));
}, 180_000);
