/**
 * Runs one measuring process (a Node worker or the Keras script) and reads
 * its result line.
 * @module
 */
import {spawn} from 'node:child_process';
import {RESULT_PREFIX} from './result';

/** A measuring process that runs longer than this is stuck. */
const CHILD_TIMEOUT_MS = 15 * 60 * 1000;

/** What a child printed as its result, or why there is none. */
export type ChildOutcome = {readonly ok: true; readonly value: Record<string, unknown>} | {readonly ok: false; readonly error: string};

/**
 * Spawns `command args`, echoes the child's indented stderr lines (its
 * progress; library banners are kept for failures only), and resolves with
 * the JSON after {@link RESULT_PREFIX} on stdout when it exits with 0, or
 * with the exit status and the last stderr lines otherwise. Never rejects.
 */
export function runChild(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'pipe'], ...(env ? {env} : {})});
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      for (const line of chunk.split('\n')) if (line.startsWith('  ')) console.log(line);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ok: false, error: `cannot start ${command}: ${error.message}`});
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line) {
        resolve({ok: true, value: JSON.parse(line.slice(RESULT_PREFIX.length)) as Record<string, unknown>});
        return;
      }
      const lastLines = stderr.trim().split('\n').slice(-15).join('\n');
      const why = signal ? `killed by ${signal}` : `exit code ${code}`;
      resolve({ok: false, error: `${why}${lastLines ? `: ${lastLines}` : ''}`});
    });
  });
}
