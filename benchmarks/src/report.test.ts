// The report's pieces on made-up results: selection of configurations, rows
// and ratios, text and Markdown tables, the SVG chart, the .npy writer. Nothing
// is timed.
import {mkdtempSync, readFileSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {chartedRows, escapeXml, renderChart} from './chart';
import {CONFIGS, FULL_TIMING, MODELS, SELECTORS} from './configs';
import {npyBytes} from './npy';
import {chartLines, writeReport, type Report} from './report';
import type {WorkerFailure, WorkerResult} from './result';
import {isFullSelection, selectConfigs} from './select';
import {formatMarkdown, formatMs, formatNotes, formatRatio, formatText, toRows} from './table';

/** A measured result of configuration `id` at `ms` per step. */
function measured(id: string, ms: number, extra: Partial<WorkerResult> = {}): WorkerResult {
  const config = CONFIGS.find((c) => c.id === id);
  if (!config) throw new Error(`no configuration ${id}`);
  return {
    id,
    model: config.model,
    backend: config.backend,
    contender: config.contender,
    kernels: 'stock',
    msPerStep: ms,
    samplesPerSecond: (MODELS[config.model].batchSize * 1000) / ms,
    windows: [{ms: ms * 100, steps: 100, msPerStep: ms}],
    batchSize: MODELS[config.model].batchSize,
    samplesPerEpoch: 12_800,
    chunkSteps: null,
    warmupMsPerStep: ms,
    finalLoss: 0.5,
    tensorGrowth: 0,
    images: 12_800,
    peakRssMB: 300,
    seconds: 10,
    ...extra,
  };
}

const RESULTS: (WorkerResult | WorkerFailure)[] = [
  measured('A/jax/keras-fit', 2, {kernels: 'xla', tensorGrowth: null, device: 'Keras 3.15.1, JAX 0.10.2'}),
  measured('A/wasm/trellis-fit', 16),
  measured('A/tensorflow/trellis-fit', 4),
  measured('A/webgpu/trellis-fit', 400, {software: true, device: 'mesa software llvmpipe'}),
  measured('A/wasm/tfjs-layers-fit', 128),
  measured('A/wasm/loop-stock', 64),
  measured('B/cpu/trellis-fit', 30),
  measured('B/cpu/tfjs-layers-fit', 60),
  {id: 'C/jax/keras-fit', status: 'unavailable', error: 'no interop virtualenv'},
  measured('C/wasm/trellis-fit', 87),
  {id: 'C/wasm/tfjs-layers-fit', status: 'cannot train', error: 'no Conv2DBackpropFilter kernel on the stock wasm backend'},
  {id: 'C/webgpu/trellis-fit', status: 'unavailable', error: 'no WebGPU adapter'},
];

describe('selectConfigs', () => {
  it('runs every configuration by default', () => {
    expect(selectConfigs({})).toEqual(CONFIGS);
    expect(isFullSelection({})).toBe(true);
  });

  it('selects by model name or id and by contender name', () => {
    const run = selectConfigs({models: 'mlp, C', contenders: 'trellis-wasm,keras'});
    expect(run.map((c) => c.id)).toEqual(['A/jax/keras-fit', 'A/wasm/trellis-fit', 'C/jax/keras-fit', 'C/wasm/trellis-fit']);
    expect(isFullSelection({models: 'mlp'})).toBe(false);
    expect(selectConfigs({models: 'fashion-cnn', contenders: 'trellis-webgpu'}).map((c) => c.id)).toEqual(['D/webgpu/trellis-fit']);
  });

  it('filters by --only text', () => {
    expect(selectConfigs({only: '/cpu/'}).map((c) => c.id)).toEqual(['B/cpu/trellis-fit', 'B/cpu/tfjs-layers-fit', 'B/cpu/loop-stock']);
  });

  it('rejects unknown names and empty selections, saying what is known', () => {
    expect(() => selectConfigs({models: 'resnet'})).toThrow(
      /unknown model 'resnet'; known: mlp \(A\), tiny \(B\), cnn \(C\), fashion-cnn \(D\)/,
    );
    expect(() => selectConfigs({contenders: 'pytorch'})).toThrow(/unknown contender 'pytorch'; known: keras, trellis-wasm/);
    expect(() => selectConfigs({models: 'cnn', contenders: 'loop-stock-wasm'})).toThrow(/matches no configuration/);
  });

  it('gives every configuration a selector that maps back to its backend and contender', () => {
    for (const c of CONFIGS) expect(SELECTORS[c.selector]).toEqual({backend: c.backend, contender: c.contender});
    expect(new Set(CONFIGS.map((c) => c.id)).size).toBe(CONFIGS.length);
  });
});

describe('toRows', () => {
  const rows = toRows(RESULTS);
  const row = (id: string) => rows.find((r) => r.id === id)!;

  it('divides the reference time by the row time (> 1: faster than the reference)', () => {
    expect(row('A/wasm/trellis-fit').vsKeras).toBe(2 / 16);
    expect(row('A/wasm/trellis-fit').vsTfjsLayersFit).toBe(128 / 16);
    expect(row('A/wasm/trellis-fit').vsStockLoop).toBe(64 / 16);
    expect(row('A/tensorflow/trellis-fit').vsKeras).toBe(0.5);
    expect(row('A/jax/keras-fit').vsKeras).toBe(1);
  });

  it('compares native, webgpu and Keras rows with tfjs-layers on wasm, and cpu rows with tfjs-layers on cpu', () => {
    expect(row('A/tensorflow/trellis-fit').vsTfjsLayersFit).toBe(32);
    expect(row('A/webgpu/trellis-fit').vsTfjsLayersFit).toBe(128 / 400);
    expect(row('A/jax/keras-fit').vsTfjsLayersFit).toBe(64);
    expect(row('B/cpu/trellis-fit').vsTfjsLayersFit).toBe(2);
    // No stock loop on the native backend; no Keras for model B in these results.
    expect(row('A/tensorflow/trellis-fit').vsStockLoop).toBeNull();
    expect(row('B/cpu/trellis-fit').vsKeras).toBeNull();
  });

  it('leaves the ratios empty when the reference has no time', () => {
    expect(row('C/wasm/trellis-fit').vsKeras).toBeNull();
    expect(row('C/wasm/trellis-fit').vsTfjsLayersFit).toBeNull();
  });

  it('keeps the status and reason of rows without a time, and marks software adapters', () => {
    expect(row('C/wasm/tfjs-layers-fit')).toMatchObject({
      status: 'cannot train',
      msPerStep: null,
      error: expect.stringMatching(/Conv2DBackpropFilter/),
    });
    expect(row('C/jax/keras-fit').status).toBe('unavailable');
    expect(row('A/webgpu/trellis-fit').backend).toBe('webgpu (software)');
    expect(row('A/tensorflow/trellis-fit').backend).toBe('native (tfjs-node)');
    expect(row('A/wasm/trellis-fit').selector).toBe('trellis-wasm');
  });
});

describe('formatting', () => {
  it('says ratios in words', () => {
    expect(formatRatio(7.619)).toBe('7.62× faster');
    expect(formatRatio(1 / 7.9)).toBe('7.90× slower');
    expect(formatRatio(1.004)).toBe('1.00×');
    expect(formatRatio(null)).toBe('–');
  });

  it('prints milliseconds with three significant digits at most', () => {
    expect([formatMs(0.4321), formatMs(1.918), formatMs(87.24), formatMs(127.7), formatMs(10_966.9)]).toEqual([
      '0.43',
      '1.92',
      '87.2',
      '128',
      '10,967',
    ]);
  });

  it('puts the status in the ms/step column of a row without a time, and the reasons under the table', () => {
    const text = formatText(toRows(RESULTS));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(
      /^model +backend +contender +ms\/step +samples\/s +vs Keras +vs tfjs-layers fit +vs stock loop +peak RSS +images held$/,
    );
    expect(lines.find((l) => l.includes('CNN') && l.includes('tfjs-layers fit'))).toMatch(/cannot train$/);
    expect(lines.find((l) => l.startsWith('MLP') && l.includes('wasm ') && l.includes('Trellis fit'))).toMatch(
      /16\.0 +8,000 +8\.00× slower +8\.00× faster +4\.00× faster +300 MB +12,800$/,
    );
    expect(formatNotes(toRows(RESULTS))).toEqual([
      'JAX, CPU: Keras 3.15.1, JAX 0.10.2',
      'webgpu (software): mesa software llvmpipe',
      'C/jax/keras-fit unavailable: no interop virtualenv',
      'C/wasm/tfjs-layers-fit cannot train: no Conv2DBackpropFilter kernel on the stock wasm backend',
      'C/webgpu/trellis-fit unavailable: no WebGPU adapter',
    ]);
  });

  it('writes a Markdown table with one line per row and right-aligned numbers', () => {
    const md = formatMarkdown(toRows(RESULTS)).split('\n');
    expect(md).toHaveLength(2 + RESULTS.length);
    expect(md[1]).toBe('|---|---|---|---:|---:|---:|---:|---:|---:|---:|');
    expect(md[3]).toBe(
      '| MLP 784-512-128-10 | wasm | Trellis fit | 16.0 | 8,000 | 8.00× slower | 8.00× faster | 4.00× faster | 300 MB | 12,800 |',
    );
  });
});

describe('renderChart', () => {
  const rows = toRows(RESULTS);
  const svg = renderChart(rows, {title: 'Step time', lines: ['a & b <c>', 'second line']});

  it('is one SVG document with a bar per measured fit row and the status of the others', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    // The loop is not charted; everything else is.
    expect(chartedRows(rows).map((r) => r.id)).not.toContain('A/wasm/loop-stock');
    const bars = svg.match(/<rect x="300" /g) ?? [];
    expect(bars).toHaveLength(8);
    expect(svg).toContain('>cannot train</text>');
    expect(svg.match(/>unavailable<\/text>/g)).toHaveLength(2);
    expect(svg).toContain('>a &amp; b &lt;c&gt;</text>');
    expect(svg).toContain('>second line</text>');
  });

  it('draws bar lengths on a log scale over whole decades, with tick labels', () => {
    // Times from 2 ms to 400 ms: decades 1 ms … 1 s over 520 px, 173.3 px each.
    const width = (ms: number) => (Math.log10(ms) / 3) * 520;
    const bar = (label: string) => {
      const at = svg.indexOf(`>${label}</text>`);
      const match = /<rect x="300" y="\d+" width="([\d.]+)"/.exec(svg.slice(at));
      return Number(match?.[1]);
    };
    expect(bar('Keras 3 fit · JAX, CPU')).toBeCloseTo(width(2), 1);
    expect(bar('Trellis fit · webgpu (software)')).toBeCloseTo(width(400), 1);
    for (const tick of ['1 ms', '10 ms', '100 ms', '1 s']) expect(svg).toContain(`>${tick}</text>`);
    expect(svg).not.toContain('>10 s</text>');
  });

  it('labels each JavaScript bar with its time and its ratio to Keras', () => {
    expect(svg).toContain('>16.0 ms · 8.00× slower than Keras</text>');
    expect(svg).toContain('>4.00 ms · 2.00× slower than Keras</text>');
    expect(svg).toContain('>2.00 ms</text>');
  });

  it('escapes text', () => {
    expect(escapeXml(`a<b & "c">`)).toBe('a&lt;b &amp; &quot;c&quot;&gt;');
  });
});

describe('writeReport', () => {
  const rows = toRows(RESULTS);
  const report: Report = {
    date: '2026-12-07T18:00:00.000Z',
    command: 'pnpm bench --models mlp',
    machine: {cpu: 'AMD EPYC', vCPUs: 2, node: 'v20.20.2', tfjsCore: '4.22.0', loadAverage: 0.12},
    timing: FULL_TIMING,
    quick: false,
    selection: {models: 'mlp'},
    seconds: 60,
    rows,
    markdown: formatMarkdown(rows),
    notes: formatNotes(rows),
    results: RESULTS,
  };

  it('heads the chart with the date, machine and load, the settings, and the command', () => {
    expect(chartLines(report)).toEqual([
      '2026-12-07 · AMD EPYC, 2 vCPU · Node 20.20.2 · tfjs 4.22.0 · 1-minute load 0.12 at the start',
      'Adam 0.001 · batch 128 (mlp, tiny), 64 (cnn, fashion-cnn) · median of 3 window(s) of ≥ 2 s',
      'pnpm bench --models mlp',
    ]);
  });

  it('writes the JSON report and its chart beside it, leaving no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    try {
      writeReport(join(dir, 'latest.json'), report);
      expect(JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
      const svg = readFileSync(join(dir, 'latest.svg'), 'utf8');
      expect(svg).toContain('>pnpm bench --models mlp</text>');
      expect(svg).toContain('>Training step time: Trellis, tfjs-layers and Keras 3</text>');
      expect(readdirSync(dir).sort()).toEqual(['latest.json', 'latest.svg']);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});

describe('npyBytes', () => {
  it('writes a version 1.0 header padded to 64 bytes, then the data', () => {
    const bytes = npyBytes(Uint8Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    const headerLength = bytes[8]! | (bytes[9]! << 8);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
    expect([...bytes.subarray(0, 8)]).toEqual([0x93, 78, 85, 77, 80, 89, 1, 0]);
    expect((10 + headerLength) % 64).toBe(0);
    expect(header).toMatch(/^\{'descr': '\|u1', 'fortran_order': False, 'shape': \(2, 3\), \} +\n$/);
    expect([...bytes.subarray(10 + headerLength)]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('writes a one-element shape tuple with its comma, and refuses a wrong length', () => {
    const bytes = npyBytes(new Uint8Array(3), [3]);
    expect(new TextDecoder().decode(bytes)).toContain("'shape': (3,)");
    expect(() => npyBytes(new Uint8Array(5), [2, 3])).toThrow(/5 values for shape \[2, 3\] \(6\)/);
  });
});
