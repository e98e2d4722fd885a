/**
 * `node dist/run.js [--quick] [--only <substring>]` (or `pnpm bench` at the
 * repository root): every configuration in its own worker process, one after
 * the other, then the table and a JSON report.
 * @module
 */
import {spawn} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import {parseArgs} from 'node:util';
import {fileURLToPath} from 'node:url';
import {CONFIGS, CONTENDERS, FULL_TIMING, MODELS, QUICK_TIMING, type BenchConfig, type Timing} from './configs';
import {RESULT_PREFIX, type WorkerFailure, type WorkerResult} from './result';
import {formatMarkdown, formatText, toRows} from './table';

const USAGE = `Usage: node dist/run.js [--quick] [--only <substring>]
  --quick             1 window of 1 s per configuration (smoke test), written to results/partial.json
  --only <substring>  run the configurations whose id or label contains it, e.g. "A/", "/cpu/", "loop"
Configurations: ${CONFIGS.map((c) => c.id).join(', ')}`;

/** A worker that runs longer than this is stuck. */
const WORKER_TIMEOUT_MS = 15 * 60 * 1000;

function runWorker(config: BenchConfig, timing: Timing): Promise<WorkerResult | WorkerFailure> {
  const worker = fileURLToPath(new URL('./worker.js', import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', worker, config.id, JSON.stringify(timing)], {stdio: ['ignore', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      // The worker's own progress lines are indented; library banners are kept for failures only.
      for (const line of chunk.split('\n')) if (line.startsWith('  ')) console.log(line);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), WORKER_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line) {
        resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as WorkerResult);
        return;
      }
      const lastLines = stderr.trim().split('\n').slice(-15).join('\n');
      const why = signal ? `killed by ${signal}` : `exit code ${code}`;
      resolve({id: config.id, error: `${why}${lastLines ? `: ${lastLines}` : ''}`});
    });
  });
}

function machine() {
  const require = createRequire(import.meta.url);
  const version = (name: string) => {
    try {
      return (require(`${name}/package.json`) as {version: string}).version;
    } catch {
      return null;
    }
  };
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    vCPUs: cpus.length,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.arch()}`,
    node: process.version,
    /** 1-minute load average when the run started: above ≈ 0.5 other work shares the cores and skews the timings. */
    loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
    tfjsCore: version('@tensorflow/tfjs-core'),
    tfjsBackendWasm: version('@tensorflow/tfjs-backend-wasm'),
    tfjsLayers: version('@tensorflow/tfjs-layers'),
  };
}

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {
      quick: {type: 'boolean', default: false},
      only: {type: 'string'},
      help: {type: 'boolean', short: 'h', default: false},
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const only = values.only;
  const selected = CONFIGS.filter(
    (c) => only === undefined || c.id.includes(only) || CONTENDERS[c.contender].includes(only) || MODELS[c.model].label.includes(only),
  );
  if (selected.length === 0) {
    console.error(`--only '${only}' matches no configuration.\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const timing = values.quick ? QUICK_TIMING : FULL_TIMING;
  const info = machine();
  console.log(
    `Trellis benchmarks · real MNIST · batch ${timing.batchSize} · Adam ${timing.learningRate} · ` +
      `${timing.windows} window(s) of ≥ ${timing.windowMs / 1000} s, median · one process per configuration`,
  );
  console.log(`${info.cpu} · ${info.vCPUs} vCPU · Node ${info.node} · tfjs-core ${info.tfjsCore} · load ${info.loadAverage}\n`);
  if (info.loadAverage > 0.5) {
    console.log(`warning: the 1-minute load average is ${info.loadAverage}; other processes will skew the timings.\n`);
  }

  const started = performance.now();
  const results: (WorkerResult | WorkerFailure)[] = [];
  for (const config of selected) {
    console.log(`${config.id}`);
    const result = await runWorker(config, timing);
    results.push(result);
    if ('msPerStep' in result) {
      const spread = result.windows.map((w) => w.msPerStep.toFixed(2)).join(', ');
      console.log(
        `  ${result.msPerStep.toFixed(2)} ms/step (windows ${spread}) · final loss ${result.finalLoss.toFixed(3)} · ` +
          `tensors +${result.tensorGrowth} · peak RSS ${result.peakRssMB.toFixed(0)} MB · ${result.seconds.toFixed(1)} s`,
      );
    } else {
      console.log(`  FAILED: ${result.error.split('\n')[0]}`);
    }
  }

  const rows = toRows(results);
  console.log(`\n${formatText(rows)}\n`);
  console.log('ratios: the reference ms/step ÷ this ms/step, same model and backend (> 1 = faster than the reference)');
  console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);

  const partial = values.quick || only !== undefined;
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  const file = `${dir}${partial ? 'partial.json' : 'latest.json'}`;
  mkdirSync(dir, {recursive: true});
  const report = {
    date: new Date().toISOString(),
    machine: info,
    timing,
    quick: values.quick,
    only: only ?? null,
    rows,
    markdown: formatMarkdown(rows),
    results,
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`results written to ${file}`);
  if (results.some((r) => !('msPerStep' in r))) process.exitCode = 1;
}

await main();
