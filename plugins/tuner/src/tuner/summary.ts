/**
 * `resultsSummary`: Keras Tuner's header, then the best trials as a table (internal).
 * @module
 */
import {formatObjective, type Objective} from '../objective';
import type {HpValue, HyperParameter} from '../space/hyperparameter';
import type {Trial} from '../trial';

/** Keras Tuner's `format_value`: numbers to 5 significant digits, the rest as text. */
export function formatValue(value: HpValue | null | undefined): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    if (Number.isInteger(value) && Math.abs(value) < 1e6) return String(value);
    return String(Number(value.toPrecision(5)));
  }
  return String(value);
}

/** The summary text of the `trials` shown (already ranked). */
export function summaryText(options: {
  readonly location: string | null;
  readonly objective: Objective;
  readonly trials: readonly Trial[];
  readonly space: readonly HyperParameter[];
}): string {
  const {trials, space} = options;
  const names = [...new Set([...space.map((hp) => hp.name), ...trials.flatMap((t) => Object.keys(t.hyperparameters))])];
  const header = ['Trial', ...names, 'Score', 'Status'];
  const rows = trials.map((t) => [
    t.trialId,
    ...names.map((n) => formatValue(t.hyperparameters[n])),
    t.score === null ? '-' : formatValue(t.score),
    t.status === 'FAILED' && t.message ? `FAILED (${t.message.split('\n')[0]!.slice(0, 60)})` : t.status,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    'Results summary',
    `Results in ${options.location ?? '(memory)'}`,
    `Showing ${trials.length} best trials`,
    formatObjective(options.objective),
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}
