/**
 * The JSON report of a run and the chart drawn from it, written side by side
 * (`results/latest.json` and `results/latest.svg`).
 * @module
 */
import {renameSync, writeFileSync} from 'node:fs';
import {renderChart} from './chart';
import {MODELS, type Timing} from './configs';
import type {WorkerFailure, WorkerResult} from './result';
import type {Selection} from './select';
import type {Row} from './table';

/** What `results/*.json` holds. */
export type Report = {
  /** When the run ended (ISO 8601). */
  readonly date: string;
  /** The command line, as `pnpm bench …`. */
  readonly command: string;
  readonly machine: {
    readonly cpu: string;
    readonly vCPUs: number;
    readonly node: string;
    readonly tfjsCore: string | null;
    /** 1-minute load average when the run started. */
    readonly loadAverage: number;
    readonly [key: string]: unknown;
  };
  readonly timing: Timing;
  readonly quick: boolean;
  readonly selection: Selection;
  /** Wall time of the run, s. */
  readonly seconds: number;
  readonly rows: readonly Row[];
  /** The table as Markdown. */
  readonly markdown: string;
  /** Lines that go under the table: devices, and why some rows have no time. */
  readonly notes: readonly string[];
  /** Every process' own result. */
  readonly results: readonly (WorkerResult | WorkerFailure)[];
};

/** The chart's heading lines: date, machine and load; the settings; the command. */
export function chartLines(report: Report): string[] {
  const {machine, timing} = report;
  const batches = new Map<number, string[]>();
  for (const m of Object.values(MODELS)) batches.set(m.batchSize, [...(batches.get(m.batchSize) ?? []), m.name]);
  const batch = [...batches].map(([size, names]) => `${size} (${names.join(', ')})`).join(', ');
  return [
    `${report.date.slice(0, 10)} · ${machine.cpu}, ${machine.vCPUs} vCPU · Node ${machine.node.replace(/^v/, '')} · ` +
      `tfjs ${machine.tfjsCore ?? '?'} · 1-minute load ${machine.loadAverage} at the start`,
    `Adam ${timing.learningRate} · batch ${batch} · median of ${timing.windows} window(s) of ≥ ${timing.windowMs / 1000} s`,
    report.command,
  ];
}

function writeAtomic(file: string, text: string): void {
  writeFileSync(`${file}.partial`, text);
  renameSync(`${file}.partial`, file);
}

/**
 * Writes `report` to `file` (a `.json` path) and its chart beside it
 * (`.svg`), each through a temporary file and a rename.
 */
export function writeReport(file: string, report: Report): void {
  writeAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
  const svg = renderChart(report.rows, {title: 'Training step time: Trellis, tfjs-layers and Keras 3', lines: chartLines(report)});
  writeAtomic(file.replace(/\.json$/, '.svg'), svg);
}
