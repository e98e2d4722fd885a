/**
 * The results as an SVG bar chart (plain SVG text): ms per training step of
 * every `fit` contender, grouped by model, on a log scale.
 * @module
 */
import type {SelectorName} from './configs';
import {formatMs, formatRatio, type Row} from './table';

/** Text of the chart's heading. */
export type ChartText = {
  readonly title: string;
  /** Lines under the title: date, machine, command. */
  readonly lines?: readonly string[];
};

/** Bar colours per contender; the loops are not charted (they are the table's floor, not products). */
const COLORS: Partial<Record<SelectorName, string>> = {
  keras: '#d95f02',
  'trellis-wasm': '#1b9e77',
  'trellis-native': '#0b5d44',
  'trellis-webgpu': '#66c2a5',
  'trellis-cpu': '#a6d9c4',
  'tfjs-layers-wasm': '#7570b3',
  'tfjs-layers-cpu': '#b3b0d9',
};

const WIDTH = 1040;
const LABEL_X = 12;
const BAR_X = 300;
const BAR_WIDTH = 520;
const ROW = 20;
const BAR = 14;
const GROUP_HEADER = 24;
const GROUP_GAP = 10;
/** Space above the first group: the title, then 16 px per line of text. */
const HEAD = 44;
const BOTTOM = 34;

/** Escapes text for SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A tick label: `0.1 ms`, `10 ms`, `1 s`. */
function tickLabel(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

/** The rows the chart shows: every contender with a colour (not the hand-written loops). */
export function chartedRows(rows: readonly Row[]): Row[] {
  return rows.filter((r) => r.selector !== null && COLORS[r.selector] !== undefined);
}

/**
 * The chart as SVG text: one group per model (in the rows' order), one bar
 * per charted row, its length the log of ms/step (shorter is faster),
 * labelled with the time and, for the JavaScript contenders, the ratio to
 * Keras. A row without a time shows its status instead of a bar.
 */
export function renderChart(rows: readonly Row[], text: ChartText): string {
  const charted = chartedRows(rows);
  const models = [...new Set(charted.map((r) => r.model))];
  const times = charted.flatMap((r) => (r.msPerStep !== null && r.msPerStep > 0 ? [r.msPerStep] : []));
  // Whole decades around the times (1 ms to 10 ms when there are none).
  const loExp = Math.floor(Math.log10(Math.min(...times, 1)));
  const hiExp = Math.max(loExp + 1, Math.ceil(Math.log10(Math.max(...times, 10))));
  const x = (ms: number) => BAR_X + ((Math.log10(ms) - loExp) / (hiExp - loExp)) * BAR_WIDTH;

  const lines = text.lines ?? [];
  const TOP = HEAD + 16 * lines.length;
  const height = TOP + models.length * (GROUP_HEADER + GROUP_GAP) + charted.length * ROW + BOTTOM;
  const plotBottom = height - BOTTOM;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${LABEL_X}" y="22" font-size="15" font-weight="bold">${escapeXml(text.title)}</text>`,
  ];
  lines.forEach((line, i) => out.push(`<text x="${LABEL_X}" y="${40 + 16 * i}" fill="#555555">${escapeXml(line)}</text>`));
  for (let exp = loExp; exp <= hiExp; exp++) {
    const tick = Number((10 ** exp).toPrecision(1));
    const tx = x(tick).toFixed(1);
    out.push(
      `<line x1="${tx}" y1="${TOP - 6}" x2="${tx}" y2="${plotBottom}" stroke="#dddddd"/>`,
      `<text x="${tx}" y="${plotBottom + 16}" text-anchor="middle" fill="#555555">${tickLabel(tick)}</text>`,
    );
  }
  out.push(
    `<text x="${BAR_X + BAR_WIDTH / 2}" y="${plotBottom + 30}" text-anchor="middle" fill="#555555">ms per training step (log scale; shorter is faster)</text>`,
  );

  let y = TOP;
  for (const model of models) {
    out.push(`<text x="${LABEL_X}" y="${y + 16}" font-weight="bold">${escapeXml(model)}</text>`);
    y += GROUP_HEADER;
    for (const row of charted.filter((r) => r.model === model)) {
      const label = `${row.contender} · ${row.backend}`;
      out.push(`<text x="${LABEL_X + 10}" y="${y + BAR - 2}">${escapeXml(label)}</text>`);
      if (row.msPerStep === null) {
        out.push(`<text x="${BAR_X + 4}" y="${y + BAR - 2}" fill="#888888" font-style="italic">${escapeXml(row.status)}</text>`);
      } else {
        const end = Math.max(BAR_X + 1, x(row.msPerStep));
        const vsKeras = row.selector !== 'keras' && row.vsKeras !== null ? ` · ${formatRatio(row.vsKeras)} than Keras` : '';
        const value = `${formatMs(row.msPerStep)} ms${vsKeras}`.replace('1.00× than Keras', 'as fast as Keras');
        out.push(
          `<rect x="${BAR_X}" y="${y}" width="${(end - BAR_X).toFixed(1)}" height="${BAR}" fill="${COLORS[row.selector!]}"/>`,
          `<text x="${(end + 5).toFixed(1)}" y="${y + BAR - 2}">${escapeXml(value)}</text>`,
        );
      }
      y += ROW;
    }
    y += GROUP_GAP;
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
