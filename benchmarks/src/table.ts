/**
 * The results table: ms per step, throughput, and speed-ups against the two
 * references of the same model and backend.
 * @module
 */
import {CONTENDERS, MODELS} from './configs';
import type {WorkerFailure, WorkerResult} from './result';

/** One table row (also what the JSON report lists). */
export type Row = {
  readonly id: string;
  readonly model: string;
  readonly backend: string;
  readonly contender: string;
  readonly msPerStep: number | null;
  readonly samplesPerSecond: number | null;
  /** tfjs-layers `fit` ms/step ÷ this ms/step (> 1: faster than tfjs-layers). */
  readonly vsTfjsLayersFit: number | null;
  /** Hand-written stock loop ms/step ÷ this ms/step (> 1: faster than the loop). */
  readonly vsStockLoop: number | null;
  readonly peakRssMB: number | null;
  /** MNIST images the worker held (fit: one epoch's worth; loops: all 60,000). */
  readonly images: number | null;
  readonly error?: string;
};

/** Builds the rows, in the order the results come, with ratios within each model and backend. */
export function toRows(results: readonly (WorkerResult | WorkerFailure)[]): Row[] {
  const measured = results.filter((r): r is WorkerResult => 'msPerStep' in r);
  const reference = (r: WorkerResult, contender: WorkerResult['contender']) =>
    measured.find((o) => o.model === r.model && o.backend === r.backend && o.contender === contender)?.msPerStep ?? null;
  return results.map((r): Row => {
    const [modelId = '', backend = '', contender = ''] = r.id.split('/');
    const base = {
      id: r.id,
      model: MODELS[modelId as 'A' | 'B']?.label ?? modelId,
      backend,
      contender: CONTENDERS[contender as WorkerResult['contender']] ?? contender,
    };
    if (!('msPerStep' in r)) {
      return {
        ...base,
        msPerStep: null,
        samplesPerSecond: null,
        vsTfjsLayersFit: null,
        vsStockLoop: null,
        peakRssMB: null,
        images: null,
        error: r.error,
      };
    }
    const layers = reference(r, 'tfjs-layers-fit');
    const loop = reference(r, 'loop-stock');
    return {
      ...base,
      msPerStep: r.msPerStep,
      samplesPerSecond: r.samplesPerSecond,
      vsTfjsLayersFit: layers === null ? null : layers / r.msPerStep,
      vsStockLoop: loop === null ? null : loop / r.msPerStep,
      peakRssMB: r.peakRssMB,
      images: r.images,
    };
  });
}

const HEADERS = [
  'model',
  'backend',
  'contender',
  'ms/step',
  'samples/s',
  'vs tfjs-layers fit',
  'vs stock loop',
  'peak RSS',
  'images held',
] as const;
const RIGHT = new Set<number>([3, 4, 5, 6, 7, 8]);

function fixed(v: number | null, digits: number, suffix = ''): string {
  return v === null ? '–' : `${v.toFixed(digits)}${suffix}`;
}

function thousands(v: number | null): string {
  return v === null ? '–' : Math.round(v).toLocaleString('en-US');
}

function cells(row: Row): string[] {
  if (row.error !== undefined) return [row.model, row.backend, row.contender, 'failed', '', '', '', '', ''];
  return [
    row.model,
    row.backend,
    row.contender,
    fixed(row.msPerStep, row.msPerStep !== null && row.msPerStep < 10 ? 2 : 1),
    thousands(row.samplesPerSecond),
    fixed(row.vsTfjsLayersFit, 2, '×'),
    fixed(row.vsStockLoop, 2, '×'),
    fixed(row.peakRssMB, 0, ' MB'),
    thousands(row.images),
  ];
}

/** The table as aligned plain text, for the terminal. */
export function formatText(rows: readonly Row[]): string {
  const body = rows.map(cells);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...body.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((s, i) => (RIGHT.has(i) ? s.padStart(widths[i]!) : s.padEnd(widths[i]!))).join('  ');
  const out = [line(HEADERS), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  for (const row of rows) if (row.error !== undefined) out.push(`${row.id} failed: ${row.error}`);
  return out.join('\n');
}

/** The table as Markdown, for the README. */
export function formatMarkdown(rows: readonly Row[]): string {
  const out = [
    `| ${HEADERS.join(' | ')} |`,
    `|${HEADERS.map((_, i) => (RIGHT.has(i) ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${cells(r).join(' | ')} |`),
  ];
  return out.join('\n');
}
