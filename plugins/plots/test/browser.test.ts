// The charts in a real browser: Debian's Chromium driven by playwright-core (never a downloaded
// browser). esbuild bundles test/browser/page.ts and worker.ts; a static server on 127.0.0.1
// serves them; the test reads the charts back from the DOM and the canvases.
//
// Without /usr/bin/chromium (`bash scripts/install-chromium.sh`) this file is skipped with a warning, as the
// native backend's tests are; TRELLIS_BROWSER=required (set by .ci/run, which installs Chromium first) makes
// a missing browser a failure.
import {existsSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {fileURLToPath} from 'node:url';
import {build, type Metafile} from 'esbuild';
import {chromium, type Browser, type Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {GradientCurves, LossCurve} from '../src/index';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const optional = process.env.TRELLIS_BROWSER !== 'required';
if (!available && optional) {
  console.warn(`[@trellis/plots] skipping the browser tests: no Chromium at ${CHROMIUM} (bash scripts/install-chromium.sh).`);
}
const here = fileURLToPath(new URL('./browser/', import.meta.url));

type Run = {
  history: Record<string, number[]>;
  curves: LossCurve[];
  gradientCurves: GradientCurves;
  records: number;
};
type Result = {
  error?: string;
  page: Run & {tensors: number[]; leaked: number; matrix: number[][]};
  worker: Run;
  lifecycle: Record<string, unknown>;
};

const HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>plots</title></head><body>
<div id="losses"></div><div id="gradients"></div><div id="confusion"></div>
<div id="worker-losses"></div><div id="worker-gradients"></div><div id="again"></div><div id="lifecycle"></div>
<script type="module" src="/page.js"></script></body></html>`;

async function bundle(entry: string): Promise<{code: string; metafile: Metafile}> {
  const out = await build({
    entryPoints: [`${here}${entry}`],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@trellis/source'],
    metafile: true,
    logLevel: 'silent',
  });
  return {code: out.outputFiles[0]!.text, metafile: out.metafile};
}

function serve(files: Record<string, string>): Promise<Server> {
  const server = createServer((request, response) => {
    const path = request.url === '/' ? '/index.html' : (request.url ?? '');
    const body = files[path];
    if (path === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    if (body === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {'content-type': path.endsWith('.html') ? 'text/html' : 'text/javascript'}).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe.skipIf(!available && optional)('the charts in Chromium', () => {
  let browser: Browser | undefined;
  let server: Server | undefined;
  let page: Page;
  let result: Result;
  let workerInputs: string[];
  const problems: string[] = [];

  beforeAll(async () => {
    if (!available) {
      throw new Error(
        `No Chromium at ${CHROMIUM}, and TRELLIS_BROWSER=required: install Debian's package (bash scripts/install-chromium.sh).`,
      );
    }
    const [pageBundle, workerBundle] = await Promise.all([bundle('page.ts'), bundle('worker.ts')]);
    // The sources that put code into the worker's bundle (the metafile's inputs list every file read).
    const output = Object.values(workerBundle.metafile.outputs)[0]!;
    workerInputs = Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path);
    server = await serve({'/index.html': HTML, '/page.js': pageBundle.code, '/worker.js': workerBundle.code});
    browser = await chromium.launch({executablePath: CHROMIUM, headless: true, args: ['--no-sandbox']});
    page = await browser.newPage({viewport: {width: 1280, height: 1400}});
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => (window as unknown as {plotsResult?: unknown}).plotsResult !== undefined, undefined, {
      timeout: 120_000,
    });
    if (process.env.PLOTS_SCREENSHOT) await page.screenshot({path: process.env.PLOTS_SCREENSHOT, fullPage: true});
    result = (await page.evaluate(() => (window as unknown as {plotsResult: unknown}).plotsResult)) as Result;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  it('trains in the page and in the worker without an error', () => {
    expect(result.error).toBeUndefined();
    expect(problems).toEqual([]);
  });

  it('draws one chart per metric with the fit’s logs at each epoch end, training and validation', async () => {
    const figures = await page.$$eval('#losses figure.trellis-plot', (els) =>
      els.map((f) => ({
        metric: f.getAttribute('data-metric'),
        points: Number(f.getAttribute('data-points')),
        caption: f.querySelector('figcaption')?.textContent,
        label: f.querySelector('[role="img"]')?.getAttribute('aria-label'),
        legend: Array.from(f.querySelectorAll('.u-legend .u-series th')).map((th) => th.textContent),
      })),
    );
    expect(figures.map((f) => f.metric)).toEqual(['loss', 'accuracy']);
    const {history, curves} = result.page;
    for (const [i, curve] of curves.entries()) {
      const f = figures[i]!;
      expect(f.caption).toBe(curve.metric);
      expect(f.legend).toEqual(['epoch', 'training', 'validation']);
      expect(f.label).toMatch(
        new RegExp(`^${curve.metric} by epoch, \\d+ points up to epoch ${EPOCHS_DRAWN}\\. Training: .* Validation: `),
      );
      // Every epoch end is drawn at e + 1 with History's values; mid-epoch points in between.
      const atEpochs = [1, 2, 3, 4].map((x) => curve.x.indexOf(x));
      expect(atEpochs.every((i) => i >= 0)).toBe(true);
      expect(atEpochs.map((i) => curve.training[i])).toEqual(history[curve.metric]);
      expect(atEpochs.map((i) => curve.validation[i])).toEqual(history[`val_${curve.metric}`]);
      expect(curve.x.length).toBeGreaterThan(EPOCHS_DRAWN * 2);
      const drawn = [...curve.training, ...curve.validation].filter((v) => v !== null).length;
      expect(f.points).toBe(drawn);
    }
  });

  it('paints the training and validation curves on the canvas', async () => {
    const colours = await page.$$eval('#losses figure.trellis-plot canvas', (canvases) =>
      canvases.map((c) => {
        const canvas = c as HTMLCanvasElement;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        const count = (r: number, g: number, b: number) => {
          let n = 0;
          for (let i = 0; i < data.length; i += 4) if (data[i] === r && data[i + 1] === g && data[i + 2] === b && data[i + 3] === 255) n++;
          return n;
        };
        return {training: count(0x1f, 0x77, 0xb4), validation: count(0xff, 0x7f, 0x0e)};
      }),
    );
    expect(colours.length).toBe(2);
    for (const c of colours) {
      expect(c.training).toBeGreaterThan(50);
      expect(c.validation).toBeGreaterThan(20);
    }
  });

  it('draws the gradient norms of every inspected step, one line per layer', async () => {
    const {gradientCurves, records} = result.page;
    expect(records).toBe(10); // steps 0, 5, ..., 45 of 48
    expect(gradientCurves.x).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45]);
    expect(gradientCurves.layers.map((l) => l.layer)).toEqual(['dense', 'dense_1']);
    for (const l of gradientCurves.layers) expect(l.values.every((v) => v !== null && v > 0)).toBe(true);
    const figure = await page.$eval('#gradients figure.trellis-plot', (f) => ({
      metric: f.getAttribute('data-metric'),
      points: Number(f.getAttribute('data-points')),
      caption: f.querySelector('figcaption')?.textContent,
      label: f.querySelector('[role="img"]')?.getAttribute('aria-label'),
      legend: Array.from(f.querySelectorAll('.u-legend .u-series th')).map((th) => th.textContent),
    }));
    expect(figure).toMatchObject({metric: 'gradNorm', points: 20, caption: 'Gradient norm per layer'});
    expect(figure.legend).toEqual(['step', 'dense', 'dense_1']);
    expect(figure.label).toMatch(
      /^Gradient norm per layer, 2 layers, 10 inspected steps up to step 45\. At step 45: dense \S+, dense_1 \S+\./,
    );
  });

  it('draws the confusion matrix as an accessible heat map with the counts', async () => {
    const {matrix} = result.page;
    const svg = await page.$eval('#confusion svg', (s) => ({
      role: s.getAttribute('role'),
      title: s.querySelector('title')?.textContent,
      desc: s.querySelector('desc')?.textContent,
      cells: Array.from(s.querySelectorAll('g.cell')).map((g) => ({
        row: Number(g.getAttribute('data-row')),
        col: Number(g.getAttribute('data-col')),
        text: g.querySelector('text')?.textContent,
        fill: g.querySelector('rect')?.getAttribute('fill'),
      })),
      ticks: Array.from(s.querySelectorAll('text.tick')).map((t) => t.textContent),
    }));
    expect(svg.role).toBe('img');
    expect(svg.title).toBe('Training set');
    const total = matrix.flat().reduce((a, b) => a + b, 0);
    const diagonal = matrix.reduce((a, row, i) => a + row[i]!, 0);
    expect(total).toBe(120);
    expect(svg.desc).toContain(`${diagonal} of 120 samples`);
    expect(svg.cells.map((c) => [c.row, c.col, Number(c.text)])).toEqual(matrix.flatMap((row, i) => row.map((v, j) => [i, j, v])));
    const max = Math.max(...matrix.flat());
    for (const c of svg.cells) if (matrix[c.row]![c.col] === max) expect(c.fill).toBe('#08306b');
    expect(svg.ticks).toEqual(['left', 'middle', 'right', 'left', 'middle', 'right']);
    // The model learns the three clusters.
    expect(diagonal / total).toBeGreaterThan(0.9);
  });

  it('leaves the tensor count flat across the epochs of a fit with the plots, and across a second fit', () => {
    const {tensors, leaked} = result.page;
    expect(tensors.length).toBe(EPOCHS_DRAWN);
    expect(new Set(tensors).size).toBe(1);
    expect(leaked).toBe(0);
  });

  it('draws a worker’s fit from its messages, as the same fit in the page', async () => {
    const {worker, page: inPage} = result;
    expect(worker.history).toEqual(inPage.history);
    expect(worker.curves.map((c) => c.metric)).toEqual(['loss', 'accuracy']);
    for (const curve of worker.curves) {
      const atEpochs = [1, 2, 3, 4].map((x) => curve.training[curve.x.indexOf(x)]);
      expect(atEpochs).toEqual(worker.history[curve.metric]);
    }
    expect(worker.records).toBe(10);
    expect(worker.gradientCurves.x).toEqual(inPage.gradientCurves.x);
    const points = await page.$$eval('#worker-losses figure, #worker-gradients figure', (els) =>
      els.map((f) => [f.getAttribute('data-metric'), Number(f.getAttribute('data-points'))]),
    );
    expect(points.map(([metric]) => metric)).toEqual(['loss', 'accuracy', 'gradRms']);
    for (const [, n] of points) expect(n).toBeGreaterThan(0);
  });

  it('merges pushes within every ms into one draw, and flushes, clears and destroys', () => {
    expect(result.lifecycle).toEqual({
      // The first push is drawn at once; the next four wait for the time (or a flush).
      throttled: [2],
      flushed: [10],
      cleared: 0,
      afterFitEnd: [1],
      badPush: 'ConfigError',
      removed: 0,
      pushAfterDestroy: 'StateError',
      updated: ['5', '0', '0', '7'],
      wrongSize: 'ShapeError',
      left: 0,
    });
  });

  it('bundles no chart code into the worker, and adds the style sheet once', async () => {
    expect(workerInputs.some((p) => p.endsWith('src/log-feed.ts'))).toBe(true);
    expect(workerInputs.filter((p) => p.includes('uplot') || p.includes('line-chart') || p.includes('confusion'))).toEqual([]);
    expect(await page.$$eval('style[data-trellis-plots]', (s) => s.length)).toBe(1);
  });
});

/** The epochs of the fits (fixture.ts): the last epoch end is drawn at x = 4. */
const EPOCHS_DRAWN = 4;
