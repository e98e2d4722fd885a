/**
 * The comparison as text: one column per optimizer, one row per epoch, then
 * the ranking.
 * @module
 */
import type {ContenderResult} from './compare-optimizers';

/** The results ordered by final training loss, lowest first (ties keep their order). */
export function rankByFinalLoss(results: readonly ContenderResult[]): ContenderResult[] {
  return [...results].sort((a, b) => finalLoss(a) - finalLoss(b));
}

/** The training loss of the last epoch (the initial loss when no epoch ran). */
export function finalLoss(result: ContenderResult): number {
  return result.losses.at(-1) ?? result.initialLoss;
}

/**
 * The table: row `0` is the loss of the initial weights, row `k` the
 * training loss of epoch k with the validation accuracy after it in
 * parentheses, and a last row with each run's time.
 */
export function formatTable(results: readonly ContenderResult[]): string[] {
  const epochs = Math.max(0, ...results.map((r) => r.losses.length));
  const cells = (row: (r: ContenderResult) => string) => results.map(row);
  const rows: [string, string[]][] = [
    ['epoch', cells((r) => r.name)],
    ['0', cells((r) => r.initialLoss.toFixed(4))],
  ];
  for (let e = 0; e < epochs; e++) {
    rows.push([String(e + 1), cells((r) => (e < r.losses.length ? `${r.losses[e]!.toFixed(4)} (${percent(r.valAccuracies[e])})` : '-'))]);
  }
  rows.push(['time', cells((r) => `${r.seconds.toFixed(1)} s`)]);
  const widths = results.map((_, i) => Math.max(...rows.map(([, c]) => c[i]!.length)));
  const first = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, c]) => [label.padEnd(first), ...c.map((cell, i) => cell.padStart(widths[i]!))].join('   ').trimEnd());
}

/** `ranking by final training loss: Adam 1e-3 0.0213 < RMSprop 1e-3 0.0301 < ...`. */
export function formatRanking(results: readonly ContenderResult[]): string {
  return `ranking by final training loss: ${rankByFinalLoss(results)
    .map((r) => `${r.name} ${finalLoss(r).toFixed(4)}`)
    .join(' < ')}`;
}

function percent(value: number | undefined): string {
  return value === undefined ? '-' : `${(value * 100).toFixed(1)}%`;
}
