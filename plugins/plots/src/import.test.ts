// The package in Node (as in a Web Worker): importing it reads no `document`, and the drawing
// factories, given no element, throw a ConfigError that points to logFeed.
import {afterEach, describe, expect, it, vi} from 'vitest';

afterEach(() => {
  delete (globalThis as {document?: unknown}).document;
});

describe('@trellis/plots without a DOM', () => {
  it('imports (uPlot included) without reading document', async () => {
    const reads: string[] = [];
    Object.defineProperty(globalThis, 'document', {
      configurable: true,
      get() {
        reads.push(new Error().stack ?? '');
        return undefined;
      },
    });
    vi.resetModules();
    const api = await import('./index');
    expect(Object.keys(api).length).toBeGreaterThan(5);
    expect(reads).toEqual([]);
  });

  it('refuses to draw without an element, saying to send the logs with logFeed', async () => {
    const api = await import('./index');
    const calls: [string, () => unknown][] = [
      ['liveLossPlot', () => api.liveLossPlot({container: undefined as never})],
      ['liveLossPlot', () => api.liveLossPlot(undefined as never)],
      ['liveLossChart', () => api.liveLossChart(null as never)],
      ['gradientNormChart', () => api.gradientNormChart('#plots' as never)],
      ['gradientNormPlot', () => api.gradientNormPlot({container: {} as never, monitor: {records: []}})],
      ['confusionMatrixPlot', () => api.confusionMatrixPlot(undefined as never, [[1]])],
    ];
    for (const [who, call] of calls) {
      expect(call, who).toThrow(
        expect.objectContaining({
          name: 'ConfigError',
          message: expect.stringMatching(new RegExp(`^${who}: container must be a DOM element.*There is no DOM here .*logFeed`)),
        }),
      );
    }
    expect(() => api.gradientNormChart('#plots' as never)).toThrow(/Pass the element, not its selector/);
  });

  it('checks the options before the container, so a bad option is named first', async () => {
    const api = await import('./index');
    expect(() => api.liveLossPlot({container: undefined as never, every: -1})).toThrow(/liveLossPlot: every must be a finite number >= 0/);
    expect(() => api.liveLossChart(undefined as never, {metrics: ['val_loss']})).toThrow(
      /liveLossChart: metrics lists 'val_loss'; list 'loss' instead/,
    );
    expect(() => api.liveLossChart(undefined as never, {metrics: 'loss' as never})).toThrow(/metrics must be an array of metric names/);
    expect(() => api.gradientNormChart(undefined as never, {statistic: 'norm' as never})).toThrow(
      /statistic must be one of 'gradNorm', 'gradRms', 'weightNorm', 'updateRatio'/,
    );
    expect(() => api.gradientNormPlot({container: undefined as never, monitor: [] as never})).toThrow(
      /monitor must be the gradientMonitor\(\) callback/,
    );
    expect(() => api.confusionMatrixPlot(undefined as never, [[1, 2]])).toThrow(expect.objectContaining({name: 'ShapeError'}));
    expect(() => api.confusionMatrixPlot(undefined as never, [[1]], {labels: ['a', 'b']})).toThrow(/labels must be 1 strings/);
    expect(() => api.confusionMatrixPlot(undefined as never, [[1]], {normalize: 'rows' as never})).toThrow(
      /normalize must be 'true', 'pred', 'all' or null/,
    );
    expect(() => api.confusionMatrixPlot(undefined as never, [[1]], {cellSize: 2})).toThrow(
      /cellSize must be a finite number in \[8, 200\]/,
    );
  });
});
