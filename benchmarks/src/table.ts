/**
 * The results table: ms per step, throughput, and speed ratios to Keras, to
 * tfjs-layers `fit` and to the hand-written stock loop of the same model.
 * @module
 */
import {CONFIGS, CONTENDERS, MODELS, type BackendName, type ModelId, type SelectorName} from './configs';
import {isMeasured, type WorkerFailure, type WorkerResult} from './result';

/** A row's outcome: measured, or why there is no time. */
export type RowStatus = 'measured' | WorkerFailure['status'];

/** One table row (also what the JSON report lists). */
export type Row = {
  readonly id: string;
  /** The `--contenders` name of the row's contender (e.g. `trellis-native`). */
  readonly selector: SelectorName | null;
  readonly model: string;
  readonly backend: string;
  readonly contender: string;
  readonly status: RowStatus;
  readonly msPerStep: number | null;
  readonly samplesPerSecond: number | null;
  /** Keras' ms/step ÷ this ms/step, same model (> 1: faster than Keras). */
  readonly vsKeras: number | null;
  /**
   * tfjs-layers `fit`'s ms/step ÷ this ms/step, same model (> 1: faster than
   * tfjs-layers). The reference is tfjs-layers on the same backend for cpu
   * rows, on wasm for all others (its fastest CPU backend).
   */
  readonly vsTfjsLayersFit: number | null;
  /** Hand-written stock loop ms/step ÷ this ms/step, same model and backend (> 1: faster than the loop). */
  readonly vsStockLoop: number | null;
  readonly peakRssMB: number | null;
  /** Training images the process held (fit: one epoch's worth; loops: all 60,000). */
  readonly images: number | null;
  /** What computed, when it says more than the backend (the WebGPU adapter, libtensorflow, Keras and JAX versions). */
  readonly device?: string;
  /** Why there is no time (`status` other than `measured`). */
  readonly error?: string;
};

/** How the backends are named in the table. */
const BACKEND_LABELS: Readonly<Record<BackendName, string>> = {
  wasm: 'wasm',
  cpu: 'cpu',
  tensorflow: 'native (tfjs-node)',
  webgpu: 'webgpu',
  jax: 'JAX, CPU',
};

type Parsed = {model: ModelId; backend: BackendName; contender: WorkerResult['contender']};

function parseId(id: string): Parsed | null {
  const config = CONFIGS.find((c) => c.id === id);
  return config ? {model: config.model, backend: config.backend, contender: config.contender} : null;
}

/**
 * Builds the rows, in the order the results come, with the ratios of each
 * measured row to the references of its model (a reference that was not
 * measured gives a null ratio).
 */
export function toRows(results: readonly (WorkerResult | WorkerFailure)[]): Row[] {
  const measured = results.filter(isMeasured);
  const find = (model: ModelId, backend: BackendName, contender: WorkerResult['contender']) =>
    measured.find((o) => o.model === model && o.backend === backend && o.contender === contender)?.msPerStep ?? null;
  return results.map((r): Row => {
    const parsed = parseId(r.id);
    const config = CONFIGS.find((c) => c.id === r.id);
    const software = isMeasured(r) && r.software === true;
    const base = {
      id: r.id,
      selector: config?.selector ?? null,
      model: parsed ? MODELS[parsed.model].label : r.id,
      backend: parsed ? `${BACKEND_LABELS[parsed.backend]}${software ? ' (software)' : ''}` : '',
      contender: parsed ? CONTENDERS[parsed.contender] : '',
    };
    if (!isMeasured(r) || !parsed) {
      return {
        ...base,
        status: isMeasured(r) ? 'failed' : r.status,
        msPerStep: null,
        samplesPerSecond: null,
        vsKeras: null,
        vsTfjsLayersFit: null,
        vsStockLoop: null,
        peakRssMB: null,
        images: null,
        error: isMeasured(r) ? `unknown configuration ${r.id}` : r.error,
      };
    }
    const ratio = (reference: number | null) => (reference === null ? null : reference / r.msPerStep);
    const layersBackend = parsed.backend === 'cpu' ? 'cpu' : 'wasm';
    return {
      ...base,
      status: 'measured',
      msPerStep: r.msPerStep,
      samplesPerSecond: r.samplesPerSecond,
      vsKeras: ratio(find(parsed.model, 'jax', 'keras-fit')),
      vsTfjsLayersFit: ratio(find(parsed.model, layersBackend, 'tfjs-layers-fit')),
      vsStockLoop: parsed.backend === 'wasm' || parsed.backend === 'cpu' ? ratio(find(parsed.model, parsed.backend, 'loop-stock')) : null,
      peakRssMB: r.peakRssMB,
      images: r.images,
      ...(r.device !== undefined ? {device: r.device} : {}),
    };
  });
}

const HEADERS = [
  'model',
  'backend',
  'contender',
  'ms/step',
  'samples/s',
  'vs Keras',
  'vs tfjs-layers fit',
  'vs stock loop',
  'peak RSS',
  'images held',
] as const;
const RIGHT = new Set<number>([3, 4, 5, 6, 7, 8, 9]);

function fixed(v: number | null, digits: number, suffix = ''): string {
  return v === null ? '–' : `${v.toFixed(digits)}${suffix}`;
}

function thousands(v: number | null): string {
  return v === null ? '–' : Math.round(v).toLocaleString('en-US');
}

/** Milliseconds with 3 significant digits at most (1,234 / 87.2 / 1.92 / 0.43). */
export function formatMs(ms: number): string {
  if (ms >= 1000) return Math.round(ms).toLocaleString('en-US');
  return ms.toFixed(ms < 10 ? 2 : ms < 100 ? 1 : 0);
}

/**
 * A speed ratio (reference ms ÷ this ms) in words: `7.62× faster`,
 * `7.90× slower`, `1.00×` within half a percent, `–` when unknown.
 */
export function formatRatio(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio) || ratio <= 0) return '–';
  if (Math.abs(ratio - 1) < 0.005) return '1.00×';
  return ratio > 1 ? `${ratio.toFixed(2)}× faster` : `${(1 / ratio).toFixed(2)}× slower`;
}

function cells(row: Row): string[] {
  if (row.status !== 'measured') return [row.model, row.backend, row.contender, row.status, '', '', '', '', '', ''];
  return [
    row.model,
    row.backend,
    row.contender,
    row.msPerStep === null ? '–' : formatMs(row.msPerStep),
    thousands(row.samplesPerSecond),
    formatRatio(row.vsKeras),
    formatRatio(row.vsTfjsLayersFit),
    formatRatio(row.vsStockLoop),
    fixed(row.peakRssMB, 0, ' MB'),
    thousands(row.images),
  ];
}

/** One line per row without a time, and per device worth naming: what the table cells cannot say. */
export function formatNotes(rows: readonly Row[]): string[] {
  const notes: string[] = [];
  const devices = new Map<string, string>();
  for (const row of rows) if (row.device !== undefined) devices.set(row.backend, row.device);
  for (const [backend, device] of devices) notes.push(`${backend}: ${device}`);
  for (const row of rows) if (row.error !== undefined) notes.push(`${row.id} ${row.status}: ${row.error.split('\n')[0]}`);
  return notes;
}

/** The table as aligned plain text, for the terminal, then the notes. */
export function formatText(rows: readonly Row[]): string {
  const body = rows.map(cells);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...body.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) =>
    c
      .map((s, i) => (RIGHT.has(i) ? s.padStart(widths[i]!) : s.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(HEADERS), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line), ...formatNotes(rows)].join('\n');
}

/** The table as Markdown, for the README (the notes go below it: {@link formatNotes}). */
export function formatMarkdown(rows: readonly Row[]): string {
  const out = [
    `| ${HEADERS.join(' | ')} |`,
    `|${HEADERS.map((_, i) => (RIGHT.has(i) ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${cells(r).join(' | ')} |`),
  ];
  return out.join('\n');
}
