/**
 * The built page (dist/) in Debian's Chromium, driven by playwright-core:
 * train one epoch in the worker on the wasm backend, check the live charts,
 * the test accuracy, the confusion matrix, the misclassified digits, a click
 * answered during training, a drawn digit, saving to IndexedDB and loading
 * after a reload, the download and loading the files back; then train on
 * webgpu (Chromium's WebGPU, `--enable-unsafe-webgpu`: SwiftShader, its
 * software adapter, on a machine without a GPU); no console error and no
 * unhandled rejection on the way. A screenshot goes to artifacts/.
 *
 * Needs /usr/bin/chromium (`bash scripts/install-chromium.sh`) and a built
 * page (`pnpm test:browser` at the repository root does both builds).
 */
import {existsSync} from 'node:fs';
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {chromium, type Browser, type Page} from 'playwright-core';
import {afterAll, beforeEach, describe, expect, it} from 'vitest';
import {serveStatic, type StaticServer} from './static-server';

const CHROMIUM = '/usr/bin/chromium';
const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
const artifacts = path.join(here, '..', 'artifacts');

let server: StaticServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

/** Waits until the page says it is in `state` (`document.body.dataset.state`), failing early on an error. */
async function waitForState(state: string, timeout = 60_000): Promise<void> {
  await page.waitForFunction((wanted) => document.body.dataset.state === wanted, state, {timeout});
}

const text = (selector: string) => page.locator(selector).innerText();
const probe = () => page.locator('#probe').getAttribute('data-probabilities');
const accuracy = async () => Number(await page.locator('#test-accuracy').getAttribute('data-value'));
/** `tf.memory().numTensors` in the worker, as the page last heard it. */
const tensors = async () => Number(await page.locator('#memory').getAttribute('data-tensors'));
/** The worker's tensor count once a model is trained: only its weights and optimizer state. */
let trainedTensors = 0;

/** Opens (or reloads) the page and waits for its data. */
async function open(): Promise<void> {
  await page.goto(server.url);
  await waitForState('ready');
}

/** Starts the server and Chromium; a missing browser or build is a failure (of every test), never a skip. */
async function start(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium with 'bash scripts/install-chromium.sh' (as root).`);
  }
  if (!existsSync(path.join(dist, 'index.html'))) {
    throw new Error(`${dist}/index.html is missing: build the page first ('pnpm test:browser' at the root builds it).`);
  }
  server = await serveStatic(dist);
  // WebGPU is behind a flag on Linux; without a GPU Chromium gives SwiftShader's software adapter.
  browser = await chromium.launch({executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--enable-unsafe-webgpu']});
  const context = await browser.newContext({viewport: {width: 1200, height: 1000}, acceptDownloads: true});
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  // Chromium reports unhandled rejections of the page and of its worker as page errors (above); the page's are
  // also logged as console errors by this listener.
  await context.addInitScript(() => {
    addEventListener('unhandledrejection', (event) => console.error(`unhandled rejection: ${String(event.reason)}`));
  });
  await open();
}

let started: Promise<void> | undefined;
beforeEach(async () => {
  started ??= start();
  await started;
});

afterAll(async () => {
  if (page) {
    await mkdir(artifacts, {recursive: true});
    await page.screenshot({path: path.join(artifacts, 'browser-example.png'), fullPage: true});
  }
  await browser?.close();
  await server?.close();
});

describe('the MNIST page in Chromium', () => {
  it('loads the shipped digits from its own origin', async () => {
    expect(await text('#status')).toMatch(/10,000 training and 2,000 test digits/);
  });

  it('trains one epoch on wasm in a worker, answering a click meanwhile within 200 ms', async () => {
    await page.selectOption('#backend', 'wasm');
    await page.selectOption('#optimizer', 'adam');
    await page.fill('#learning-rate', '0.002');
    await page.fill('#epochs', '1');
    await page.fill('#batch-size', '32');
    await page.fill('#samples', '10000');
    await page.click('#train');
    // Wait for the first progress report: the worker is in the middle of the epoch.
    await page.waitForFunction(() => {
      const value = document.querySelector('progress')!.value;
      return document.body.dataset.state === 'training' && value > 0;
    });
    await page.locator('#pause').scrollIntoViewIfNeeded();
    const box = (await page.locator('#pause').boundingBox())!;
    const clicked = performance.now();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction(() => document.body.dataset.state === 'paused', null, {polling: 'raf', timeout: 5_000});
    const answered = performance.now() - clicked;
    const progressWhenPaused = await page.locator('#progress').evaluate((p: HTMLProgressElement) => p.value);
    console.log(`click answered in ${answered.toFixed(0)} ms, at ${(progressWhenPaused * 100).toFixed(1)}% of the epoch`);
    expect(progressWhenPaused).toBeLessThan(1);
    expect(answered).toBeLessThan(200);
    await page.click('#pause'); // Resume
    await waitForState('trained', 90_000);
    expect(await text('#progress-text')).toMatch(/^done in/);
    trainedTensors = await tensors();
    console.log(`the worker holds ${trainedTensors} tensors`);
    // 3 dense layers × (kernel, bias), and Adam's two moments of each.
    expect(trainedTensors).toBeGreaterThanOrEqual(18);
  });

  it('drew the loss, accuracy and gradient curves while training', async () => {
    const points = await page.evaluate(() =>
      Object.fromEntries(
        Array.from(document.querySelectorAll<HTMLElement>('#charts figure.trellis-plot')).map((figure) => [
          `${figure.closest('[id]')!.id}:${figure.dataset.metric}`,
          Number(figure.dataset.points),
        ]),
      ),
    );
    console.log('chart points', points);
    // Running logs every 150 ms and the epoch's end (training and validation curves); gradient norms every 10 steps
    // of the epoch's 282 for each of the 3 layers.
    expect(points['loss-plots:loss']).toBeGreaterThanOrEqual(3);
    expect(points['loss-plots:accuracy']).toBeGreaterThanOrEqual(3);
    expect(points['gradient-plot:gradNorm']).toBeGreaterThanOrEqual(3 * 20);
  });

  it('reaches 90% test accuracy and shows the confusion matrix and the misclassified digits', async () => {
    const testAccuracy = await accuracy();
    console.log(`test accuracy ${(testAccuracy * 100).toFixed(2)}%`);
    expect(testAccuracy).toBeGreaterThanOrEqual(0.9);
    // The heat map's cells: <g class="cell" data-row data-col data-value>.
    const matrix = await page.evaluate(() => {
      const rows = Array.from({length: 10}, () => new Array<number>(10).fill(Number.NaN));
      for (const cell of Array.from(document.querySelectorAll<SVGGElement>('#confusion-plot svg g.cell'))) {
        rows[Number(cell.dataset.row)]![Number(cell.dataset.col)] = Number(cell.dataset.value);
      }
      return rows;
    });
    expect(matrix.flat().every(Number.isInteger)).toBe(true);
    const total = matrix.flat().reduce((a, b) => a + b, 0);
    const correct = matrix.reduce((sum, row, i) => sum + row[i]!, 0);
    expect(total).toBe(2000);
    expect(correct / total).toBeCloseTo(testAccuracy, 6);
    expect(await page.locator('#mistakes figure').count()).toBe(Math.min(40, total - correct));
    // Mid-training state for the record: the curves, the heat map, the mistakes.
    await mkdir(artifacts, {recursive: true});
    await page.screenshot({path: path.join(artifacts, 'trained.png'), fullPage: true});
  });

  it('classifies a digit drawn on the pad', async () => {
    await page.locator('#pad').scrollIntoViewIfNeeded();
    const pad = (await page.locator('#pad').boundingBox())!;
    // A vertical stroke: a one.
    await page.mouse.move(pad.x + pad.width / 2, pad.y + pad.height * 0.15);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(pad.x + pad.width / 2, pad.y + pad.height * (0.15 + 0.07 * i));
    await page.mouse.up();
    await page.waitForFunction(() => document.getElementById('guess')!.dataset.digit !== undefined);
    expect(await page.locator('#guess').getAttribute('data-digit')).toBe('1');
    expect(await page.locator('#bars li').count()).toBe(10);
    expect(await tensors()).toBe(trainedTensors);
  });

  it('saves to IndexedDB and, after a reload, loads a model that predicts the same', async () => {
    const before = await probe();
    const accuracyBefore = await accuracy();
    expect(JSON.parse(before!)).toHaveLength(12);
    await page.click('#save');
    await page.waitForFunction(() => document.getElementById('status')!.textContent!.startsWith('Saved to indexeddb://'));
    await waitForState('trained');
    await open();
    expect(await probe()).toBe('');
    await page.click('#load');
    await waitForState('trained');
    expect(await text('#status')).toMatch(/loaded from indexeddb:\/\/trellis-mnist on wasm/);
    expect(await probe()).toBe(before);
    expect(await accuracy()).toBe(accuracyBefore);
    expect(await tensors()).toBe(trainedTensors);
  });

  it('downloads the model and loads the two files back', async () => {
    const before = await probe();
    const downloads: string[] = [];
    const saved = new Promise<void>((resolve) => {
      page.on('download', async (download) => {
        const file = path.join(artifacts, download.suggestedFilename());
        await mkdir(artifacts, {recursive: true});
        await download.saveAs(file);
        downloads.push(file);
        if (downloads.length === 2) resolve();
      });
    });
    await page.click('#download');
    await saved;
    expect(downloads.map((file) => path.basename(file)).sort()).toEqual(['trellis-mnist.json', 'trellis-mnist.weights.bin']);
    await open();
    await page.setInputFiles('#files', downloads);
    await waitForState('trained');
    expect(await text('#status')).toMatch(/loaded from trellis-mnist.json \+ trellis-mnist.weights.bin/);
    expect(await probe()).toBe(before);
    expect(await tensors()).toBe(trainedTensors);
  });

  it('trains on webgpu in the worker too, to the accuracy of wasm', {timeout: 360_000}, async () => {
    await page.waitForFunction(
      () => document.querySelector<HTMLOptionElement>('#backend option[value="webgpu"]')?.disabled === false,
      null,
      {
        timeout: 10_000,
      },
    );
    await page.selectOption('#backend', 'webgpu');
    await page.fill('#learning-rate', '0.004');
    await page.fill('#epochs', '1');
    await page.fill('#batch-size', '64');
    await page.fill('#samples', '10000');
    await page.click('#train');
    await page.waitForFunction(() => document.body.dataset.state === 'training', null, {timeout: 60_000});
    expect(await text('#status')).toMatch(/ on webgpu: /);
    await waitForState('trained', 300_000);
    const testAccuracy = await accuracy();
    console.log(`webgpu: test accuracy ${(testAccuracy * 100).toFixed(2)}%, ${await text('#progress-text')}`);
    expect(testAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('logged no console error, page error, failed request or unhandled rejection', () => {
    expect(problems).toEqual([]);
  });
});
