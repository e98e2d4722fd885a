/**
 * `model.summary()`: Keras' table of layers, output shapes and parameter
 * counts, as data and as text.
 * @module
 */
import type {Shape} from '../spec/layer';

/** One row of a {@link ModelSummary}. */
export type LayerSummary = {
  /** The layer's name in the model (`dense_1`). */
  readonly name: string;
  /** Its type as Keras would print it (`Dense`, `Conv2D`, `BatchNormalization`). */
  readonly type: string;
  /** Output shape with the batch dimension as `null`: `[null, 500]`. */
  readonly outputShape: readonly (number | null)[];
  /** Scalars in all its weights. */
  readonly params: number;
  /** Scalars in its trainable weights. */
  readonly trainableParams: number;
};

/** What `model.summary()` returns. */
export type ModelSummary = {
  readonly name: string;
  readonly layers: readonly LayerSummary[];
  readonly totalParams: number;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
  /** Bytes of all weights (float32: 4 per parameter). */
  readonly totalBytes: number;
  readonly trainableBytes: number;
  readonly nonTrainableBytes: number;
  /** The table as Keras 3 prints it, one string per line. */
  readonly lines: readonly string[];
};

/** What a model tells {@link summarize} about one layer. */
export type LayerFacts = {
  readonly name: string;
  readonly type: string;
  readonly outputShape: Shape;
  /**
   * The layer's inputs as Keras' "Connected to" column shows them
   * (`dense[0][0]`); given for the layers of a functional model that is not
   * a simple chain, which Keras prints with that fourth column.
   */
  readonly connectedTo?: readonly string[];
  readonly weights: readonly {readonly size: number; readonly trainable: boolean; readonly bytesPerElement: number}[];
};

/**
 * The Keras class name for a spec id: `trellis/conv2dTranspose` →
 * `Conv2DTranspose`, `trellis/maxPooling2d` → `MaxPooling2D`,
 * `acme/fancyBlock` → `FancyBlock`.
 */
export function layerTypeName(specId: string): string {
  const local = specId.slice(specId.indexOf('/') + 1);
  return (local.charAt(0).toUpperCase() + local.slice(1)).replace(/(\d)d(?=[A-Z]|$)/g, '$1D');
}

/**
 * Column widths of Keras 3's tables (content, without the one-space margins)
 * and alignments: the three-column table of sequential-like models, and the
 * four-column one with "Connected to" of other functional models. Keras lays
 * them out at 76 characters (an 80-column console) and rich shrinks the
 * columns of its positions evenly to fit.
 */
const LAYOUTS = {
  3: {widths: [31, 22, 13], right: [false, false, true]},
  4: {widths: [19, 17, 10, 17], right: [false, false, true, false]},
} as const;

type Layout = (typeof LAYOUTS)[3 | 4];

/** Builds the summary data and Keras' text table. */
export function summarize(modelName: string, layers: readonly LayerFacts[]): ModelSummary {
  const rows = layers.map((l): LayerSummary => {
    const params = l.weights.reduce((n, w) => n + w.size, 0);
    const trainableParams = l.weights.filter((w) => w.trainable).reduce((n, w) => n + w.size, 0);
    return {name: l.name, type: l.type, outputShape: [null, ...l.outputShape], params, trainableParams};
  });
  const all = layers.flatMap((l) => l.weights);
  const sum = (ws: typeof all, f: (w: (typeof all)[number]) => number) => ws.reduce((n, w) => n + f(w), 0);
  const trainable = all.filter((w) => w.trainable);
  const frozen = all.filter((w) => !w.trainable);
  const totals = {
    totalParams: sum(all, (w) => w.size),
    trainableParams: sum(trainable, (w) => w.size),
    nonTrainableParams: sum(frozen, (w) => w.size),
    totalBytes: sum(all, (w) => w.size * w.bytesPerElement),
    trainableBytes: sum(trainable, (w) => w.size * w.bytesPerElement),
    nonTrainableBytes: sum(frozen, (w) => w.size * w.bytesPerElement),
  };
  const connected = layers.some((l) => l.connectedTo !== undefined);
  const layout: Layout = LAYOUTS[connected ? 4 : 3];
  const header = ['Layer (type)', 'Output Shape', 'Param #', ...(connected ? ['Connected to'] : [])];
  const lines = [
    `Model: "${modelName}"`,
    rule(layout, '┏', '┳', '┓', '━'),
    ...tableRow(layout, header, '┃'),
    rule(layout, '┡', '╇', '┩', '━'),
    ...rows.flatMap((row, i) => {
      const cells = [`${row.name} (${row.type})`, formatShape(row.outputShape), row.params.toLocaleString('en-US')];
      if (connected) cells.push(layers[i]!.connectedTo?.length ? layers[i]!.connectedTo!.join(', ') : '-');
      return [...tableRow(layout, cells, '│'), i < rows.length - 1 ? rule(layout, '├', '┼', '┤', '─') : rule(layout, '└', '┴', '┘', '─')];
    }),
    ` Total params: ${totals.totalParams.toLocaleString('en-US')} (${readableSize(totals.totalBytes)})`,
    ` Trainable params: ${totals.trainableParams.toLocaleString('en-US')} (${readableSize(totals.trainableBytes)})`,
    ` Non-trainable params: ${totals.nonTrainableParams.toLocaleString('en-US')} (${readableSize(totals.nonTrainableBytes)})`,
  ];
  return {name: modelName, layers: rows, ...totals, lines};
}

function rule(layout: Layout, left: string, middle: string, right: string, bar: string): string {
  return left + layout.widths.map((w) => bar.repeat(w + 2)).join(middle) + right;
}

/** One table row, wrapped at spaces onto more lines when a cell is too wide (as Keras' rich table does). */
function tableRow(layout: Layout, cells: readonly string[], bar: string): string[] {
  const wrapped = cells.map((cell, i) => wrap(cell, layout.widths[i]!));
  const height = Math.max(...wrapped.map((w) => w.length));
  return Array.from({length: height}, (_, line) => {
    const parts = wrapped.map((w, i) => {
      const text = w[line] ?? '';
      return layout.right[i] ? text.padStart(layout.widths[i]!) : text.padEnd(layout.widths[i]!);
    });
    return `${bar} ${parts.join(` ${bar} `)} ${bar}`;
  });
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  lines.push(current);
  // A word longer than the column is cut with an ellipsis, as rich does.
  return lines.map((line) => (line.length <= width ? line : `${line.slice(0, width - 1)}…`));
}

function formatShape(shape: readonly (number | null)[]): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${dims.join(', ')})`;
}

/** Keras' `readable_memory_size`: 1024-based units with two decimals. */
function readableSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)} ${units[unit]}`;
}
