// The `trellis` command: built by tsup (tsup.cli.config.ts, as `pnpm build`
// does) and run as `npx trellis` runs it (bin/trellis.js), plus its argument
// handling in-process.
import {execFile, execFileSync} from 'node:child_process';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {beforeAll, describe, expect, it} from 'vitest';
import {runCli} from './cli-run';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(packageDir, 'bin', 'trellis.js');

beforeAll(() => {
  const tsup = join(dirname(createRequire(import.meta.url).resolve('tsup/package.json')), 'dist', 'cli-default.js');
  execFileSync(process.execPath, [tsup, '--config', 'tsup.cli.config.ts', '--silent'], {cwd: packageDir, stdio: 'pipe'});
}, 120_000);

/** Runs the built command; resolves to its exit code and output. */
function trellis(...args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {cwd: packageDir, timeout: 240_000, env: {...process.env, TF_CPP_MIN_LOG_LEVEL: '2'}},
      (error, stdout, stderr) => resolve({code: error ? Number((error as {code?: number}).code ?? 1) : 0, stdout, stderr}),
    );
  });
}

describe('npx trellis doctor', () => {
  it("prints the choice of useBackend('auto') with the reason for each skipped backend, and each package's diagnosis", {
    timeout: 300_000,
  }, async () => {
    const [text, json] = await Promise.all([trellis('doctor'), trellis('doctor', '--json')]);
    expect(text.code, text.stderr).toBe(0);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as {
      choice: {chosen: string; backend: string; skipped: {name: string; reason: string}[]};
      packages: {name: string; installed: boolean; text: string}[];
    };
    const order = ['node-gpu', 'webgpu', 'node', 'wasm', 'cpu'];
    const {chosen, backend, skipped} = report.choice;
    // Every candidate before the chosen one is skipped, in order, each with a reason.
    expect(skipped.map((s) => s.name)).toEqual(order.slice(0, order.indexOf(chosen)));
    for (const s of skipped) expect(s.reason.length).toBeGreaterThan(5);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(/^Trellis doctor: Node \d+\.\d+\.\d+, \w+ \w+, @tensorflow\/tfjs-core 4\.22\.0$/);
    expect(lines).toContain("useBackend('auto') chooses:");
    expect(lines.some((l) => l.startsWith(`Backend: ${chosen} (tfjs '${backend}'`))).toBe(true);
    for (const s of skipped) expect(lines).toContain(`  skipped ${s.name}: ${s.reason}`);
    expect(report.packages.map((p) => p.name)).toEqual(['@trellis/backend-node', '@trellis/backend-webgpu']);
    // Both are installed in this workspace: their own diagnose() reports are printed.
    expect(text.stdout).toContain('@trellis/backend-node diagnosis: Node');
    expect(text.stdout).toContain("nodeBackend({gpu: 'auto'}) would use:");
    expect(text.stdout).toContain('@trellis/backend-webgpu diagnosis:');
  });

  it('refuses an unknown command or argument with the usage and exit code 2', async () => {
    const unknown = await trellis('doctr');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("trellis: unknown command 'doctr'.");
    expect(unknown.stderr).toContain('Usage: trellis <command>');
  });
});

describe('runCli', () => {
  const run = async (...args: string[]) => {
    let out = '';
    let err = '';
    const code = await runCli(args, {out: (t) => (out += t), err: (t) => (err += t)});
    return {code, out, err};
  };

  it('prints the usage for help (exit 0) and for no command (exit 2, on stderr)', async () => {
    expect(await run('help')).toEqual({code: 0, out: expect.stringContaining('doctor [--json]'), err: ''});
    expect(await run('--help')).toMatchObject({code: 0});
    expect(await run()).toEqual({code: 2, out: '', err: expect.stringContaining('Usage: trellis <command>')});
  });

  it('refuses arguments doctor does not take', async () => {
    expect(await run('doctor', '--verbose')).toEqual({
      code: 2,
      out: '',
      err: "trellis doctor: unknown argument '--verbose' (it takes only --json).\n",
    });
  });
});
