// A training process killed with SIGKILL at random moments (mid-step and mid-write included) and
// restarted each time ends with the weights of an uninterrupted run, bit for bit on cpu, and the
// backup on disk is readable after every kill. Each start builds the model from the same seed, as a
// restarted script would; a run that finds a backup takes its weights from there. Runs the built packages (turbo builds them before
// this package's tests). TRELLIS_KILL_POINTS sets the number of kills (default 5; the resume
// check script uses 20).
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, expect, it} from 'vitest';
import {randomGenerator} from '@trellis/testing';

const child = fileURLToPath(new URL('../test/resume-child.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'trellis-kill-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
const KILLS = Number(process.env.TRELLIS_KILL_POINTS ?? 5);

/** Runs the child; kills it after `killAfterMs` when given. Resolves with the exit code (null: killed) and the time it ran. */
function run(
  backupDir: string,
  outFile: string,
  seed: number,
  killAfterMs?: number,
): Promise<{code: number | null; ms: number; stderr: string}> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const proc = spawn(process.execPath, [child, backupDir, outFile, String(seed)], {stdio: ['ignore', 'ignore', 'pipe']});
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = killAfterMs === undefined ? null : setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      resolve({code, ms: performance.now() - started, stderr});
    });
  });
}

/** The backup folder's latest checkpoint is complete: its header parses and its blob has the bytes it declares. */
function expectReadableBackup(backupDir: string): void {
  if (!existsSync(join(backupDir, 'latest'))) return;
  const name = readFileSync(join(backupDir, 'latest'), 'utf8').trim();
  const header = JSON.parse(readFileSync(join(backupDir, name, 'header.json'), 'utf8')) as {bytes: number};
  expect(readFileSync(join(backupDir, name, 'tensors.bin')).byteLength).toBe(header.bytes);
}

it(`a run killed ${KILLS} times at random moments and restarted ends with the uninterrupted weights, bit for bit`, async () => {
  const reference = await run('-', join(dir, 'reference.json'), 5);
  expect(reference.code, reference.stderr).toBe(0);
  const backupDir = join(dir, 'backup');
  const out = join(dir, 'resumed.json');
  const random = randomGenerator(2026);
  // Startup (loading tfjs) takes part of a run; kills land anywhere from the first steps to the last.
  const kills: number[] = [];
  for (let i = 0; i < KILLS; i++) {
    const at = reference.ms * (0.35 + 0.65 * random());
    const {code, stderr} = await run(backupDir, out, 5, at);
    expect(code === null || code === 0, stderr).toBe(true);
    kills.push(Math.round(at));
    expectReadableBackup(backupDir);
    if (code === 0) break;
  }
  if (!existsSync(out)) {
    const last = await run(backupDir, out, 5);
    expect(last.code, last.stderr).toBe(0);
  }
  expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')));
  console.log(`killed at ${kills.join(', ')} ms of a ${Math.round(reference.ms)} ms run`);
}, 300_000);
