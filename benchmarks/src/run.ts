/**
 * `node dist/run.js [--quick] [--models …] [--contenders …] [--only …]` (or
 * `pnpm bench` at the repository root): every configuration in its own
 * process (a Node worker, or Python for Keras), one after the other, then the
 * table, a JSON report and an SVG chart.
 * @module
 */
import {mkdirSync, readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import {parseArgs} from 'node:util';
import {fileURLToPath} from 'node:url';
import {runChild} from './child';
import {CONFIGS, FULL_TIMING, MODELS, QUICK_TIMING, SELECTORS, timingFor, type BenchConfig, type Timing} from './configs';
import {PythonData, findKeras, runKeras} from './keras';
import {isMeasured, type WorkerFailure, type WorkerResult} from './result';
import {writeReport, type Report} from './report';
import {isFullSelection, selectConfigs} from './select';
import {formatMarkdown, formatNotes, formatText, toRows} from './table';

const USAGE = `Usage: node dist/run.js [--quick] [--models <list>] [--contenders <list>] [--only <text>] [--python <path>]
  --quick               1 window of 1 s per configuration (smoke test)
  --models <list>       comma-separated: ${Object.values(MODELS)
    .map((m) => m.name)
    .join(', ')} (default: all)
  --contenders <list>   comma-separated: ${Object.keys(SELECTORS).join(', ')} (default: all)
  --only <text>         configurations whose id, contender or model label contains the text, e.g. "A/", "/cpu/", "loop"
  --python <path>       the Python for Keras (default: the interop virtualenv, interop/.cache/venv)
  --render <report>     measure nothing: rebuild the tables and the chart (.svg beside it) of a saved JSON report
A full run writes results/latest.json and results/latest.svg; any other run results/partial.json and results/partial.svg.
Configurations: ${CONFIGS.map((c) => c.id).join(', ')}`;

/** Runs a JavaScript configuration in its own Node process (`dist/worker.js`). */
async function runWorker(config: BenchConfig, timing: Timing): Promise<WorkerResult | WorkerFailure> {
  const worker = fileURLToPath(new URL('./worker.js', import.meta.url));
  const outcome = await runChild(process.execPath, ['--expose-gc', worker, config.id, JSON.stringify(timing)]);
  if (!outcome.ok) return {id: config.id, status: 'failed', error: outcome.error};
  return outcome.value as WorkerResult | WorkerFailure;
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

function describe(result: WorkerResult | WorkerFailure): string {
  if (!isMeasured(result)) return `  ${result.status.toUpperCase()}: ${result.error.split('\n')[0]}`;
  const spread = result.windows.map((w) => w.msPerStep.toFixed(2)).join(', ');
  const tensors = result.tensorGrowth === null ? '' : ` · tensors +${result.tensorGrowth}`;
  return (
    `  ${result.msPerStep.toFixed(2)} ms/step (windows ${spread}) · final loss ${result.finalLoss.toFixed(3)}${tensors} · ` +
    `peak RSS ${result.peakRssMB.toFixed(0)} MB · ${result.seconds.toFixed(1)} s${result.device ? ` · ${result.device}` : ''}`
  );
}

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {
      quick: {type: 'boolean', default: false},
      models: {type: 'string'},
      contenders: {type: 'string'},
      only: {type: 'string'},
      python: {type: 'string'},
      render: {type: 'string'},
      help: {type: 'boolean', short: 'h', default: false},
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.render !== undefined) {
    // Rebuilds the rows, the tables and the chart of a saved report from its results (nothing is measured).
    const saved = JSON.parse(readFileSync(values.render, 'utf8')) as Report;
    const rows = toRows(saved.results);
    writeReport(values.render, {...saved, rows, markdown: formatMarkdown(rows), notes: formatNotes(rows)});
    console.log(`${formatText(rows)}\n\n${values.render} and its .svg rewritten`);
    return;
  }
  const selection = {
    ...(values.models !== undefined ? {models: values.models} : {}),
    ...(values.contenders !== undefined ? {contenders: values.contenders} : {}),
    ...(values.only !== undefined ? {only: values.only} : {}),
  };
  let selected: BenchConfig[];
  try {
    selected = selectConfigs(selection);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const timing = values.quick ? QUICK_TIMING : FULL_TIMING;
  const info = machine();
  console.log(
    `Trellis benchmarks · real MNIST and Fashion-MNIST · Adam ${timing.learningRate} · ` +
      `${timing.windows} window(s) of ≥ ${timing.windowMs / 1000} s, median · one process per configuration`,
  );
  console.log(`${info.cpu} · ${info.vCPUs} vCPU · Node ${info.node} · tfjs-core ${info.tfjsCore} · load ${info.loadAverage}\n`);
  if (info.loadAverage > 0.5) {
    console.log(`warning: the 1-minute load average is ${info.loadAverage}; other processes will skew the timings.\n`);
  }

  const keras = selected.some((c) => c.backend === 'jax') ? findKeras(values.python) : null;
  const pythonData = new PythonData();
  const started = performance.now();
  const results: (WorkerResult | WorkerFailure)[] = [];
  try {
    for (const config of selected) {
      const load = Math.round(os.loadavg()[0]! * 100) / 100;
      console.log(`${config.id} (load ${load})`);
      let result: WorkerResult | WorkerFailure;
      if (config.backend !== 'jax') result = await runWorker(config, timingFor(config, timing));
      else if (keras && 'python' in keras) result = await runKeras(config, MODELS[config.model], timing, keras.python, pythonData);
      else result = {id: config.id, status: 'unavailable', error: keras && 'unavailable' in keras ? keras.unavailable : 'no Python'};
      if (isMeasured(result)) result = {...result, loadAverage: load};
      results.push(result);
      console.log(describe(result));
    }
  } finally {
    pythonData.dispose();
  }

  const rows = toRows(results);
  const seconds = (performance.now() - started) / 1000;
  console.log(`\n${formatText(rows)}\n`);
  console.log('ratios: the reference ms/step ÷ this ms/step, same model (tfjs-layers: on wasm, or on cpu for cpu rows)');
  console.log(`total ${seconds.toFixed(0)} s`);

  const partial = values.quick || !isFullSelection(selection);
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  const name = partial ? 'partial' : 'latest';
  mkdirSync(dir, {recursive: true});
  const report: Report = {
    date: new Date().toISOString(),
    command: ['pnpm bench', ...process.argv.slice(2)].join(' '),
    machine: info,
    timing,
    quick: values.quick,
    selection,
    seconds,
    rows,
    markdown: formatMarkdown(rows),
    notes: formatNotes(rows),
    results,
  };
  writeReport(`${dir}${name}.json`, report);
  console.log(`results written to ${dir}${name}.json and ${name}.svg`);
  if (rows.some((r) => r.status === 'failed')) process.exitCode = 1;
}

await main();
