/**
 * `node --expose-gc --min-semi-space-size=8 --max-semi-space-size=8 dist/memory-soak.js
 * [--backend wasm|cpu] [--epochs N]` (or `pnpm memory` at the repository
 * root): trains a small model with Trellis' `fit` for 100 epochs and checks
 * that neither the tensor count nor the process' RSS grows. Exits with 1 when
 * the tensor count changes after epoch 1 or RSS grows more than 5 MB after
 * epoch 10, with 2 on bad arguments.
 *
 * The semi-space flags fix the size of V8's young generation. Left to itself,
 * V8 doubles it (16 → 32 MB) at some epoch of its choosing, a step in RSS
 * that is no leak but would exceed the limit.
 * @module
 */
import {parseArgs} from 'node:util';
import {DEFAULT_SOAK_SETTINGS, runSoak, type SoakSettings} from './soak-run';
import {DEFAULT_SOAK_LIMITS, formatSoak, judgeSoak} from './soak-verdict';

/** The node flags the soak needs for a meaningful RSS reading. */
const NODE_FLAGS = ['--expose-gc', '--min-semi-space-size=8', '--max-semi-space-size=8'] as const;

const USAGE = `Usage: node ${NODE_FLAGS.join(' ')} dist/memory-soak.js [--backend wasm|cpu] [--epochs N]
  --backend  the backend createTrellis activates (default wasm)
  --epochs   epochs to train, more than ${DEFAULT_SOAK_LIMITS.rssBaselineEpoch} (default ${DEFAULT_SOAK_SETTINGS.epochs})`;

/** The settings from the command line, or an error message. */
function parseSettings(argv: readonly string[]): SoakSettings | string {
  const {values} = parseArgs({
    args: [...argv],
    options: {
      backend: {type: 'string', default: DEFAULT_SOAK_SETTINGS.backend},
      epochs: {type: 'string', default: String(DEFAULT_SOAK_SETTINGS.epochs)},
    },
  });
  const backend = values.backend;
  if (backend !== 'wasm' && backend !== 'cpu') return `--backend must be wasm or cpu; got '${backend}'.`;
  const epochs = Number(values.epochs);
  if (!Number.isInteger(epochs) || epochs <= DEFAULT_SOAK_LIMITS.rssBaselineEpoch) {
    return `--epochs must be an integer above ${DEFAULT_SOAK_LIMITS.rssBaselineEpoch}; got '${values.epochs}'.`;
  }
  return {...DEFAULT_SOAK_SETTINGS, backend, epochs};
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  let settings: SoakSettings | string;
  try {
    settings = parseSettings(process.argv.slice(2));
  } catch (error) {
    settings = (error as Error).message;
  }
  if (typeof settings === 'string') {
    console.error(`${settings}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  console.log(
    `Trellis memory soak · ${settings.backend} · ${settings.epochs} epochs · ${settings.samples} samples, batch ${settings.batchSize}, ` +
      `validationSplit ${settings.validationSplit} · dense 20→32 relu → dropout → 3 softmax, Adam · Node ${process.version}`,
  );
  const flags = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)];
  const missing = NODE_FLAGS.filter((flag) => !flags.includes(flag));
  if (missing.length > 0) console.log(`warning: node runs without ${missing.join(' ')}; RSS readings will be noisy`);
  const started = performance.now();
  const run = await runSoak(settings, (s) => {
    if (s.epoch === 1 || s.epoch % 10 === 0) {
      console.log(`  epoch ${String(s.epoch).padStart(3)}: numTensors ${s.numTensors}, RSS ${(s.rssBytes / 2 ** 20).toFixed(1)} MB`);
    }
  });
  const logs = Object.entries(run.lastLogs)
    .map(([key, value]) => `${key} ${value.toFixed(4)}`)
    .join(', ');
  console.log(`last epoch: ${logs} · ${((performance.now() - started) / 1000).toFixed(1)} s on ${run.backend}`);
  const verdict = judgeSoak(run.samples, DEFAULT_SOAK_LIMITS);
  for (const line of formatSoak(verdict)) console.log(line);
  if (!verdict.passed) process.exitCode = 1;
}

await main();
