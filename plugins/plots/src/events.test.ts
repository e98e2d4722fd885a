// isPlotEvent: which messages are plot events, fields included; checkPlotEvent's error.
import {describe, expect, it} from 'vitest';
import {checkPlotEvent, isPlotEvent} from './events';

const good = [
  {kind: 'fitStart', epochs: 3, initialEpoch: 0, stepsPerEpoch: 10},
  {kind: 'fitStart', epochs: 3, initialEpoch: 1, stepsPerEpoch: Number.POSITIVE_INFINITY},
  {kind: 'batchEnd', epoch: 0, batch: 4, stepsPerEpoch: 10, logs: {loss: 0.5, batch_loss: 0.4}},
  {kind: 'epochEnd', epoch: 2, logs: {loss: 0.5, val_loss: Number.NaN}},
  {kind: 'epochEnd', epoch: 0, logs: {}},
  {kind: 'gradients', records: [{step: 0, layers: [{layer: 'dense', gradNorm: 0.1}]}]},
  {kind: 'gradients', records: []},
  {kind: 'fitEnd'},
];

const bad = [
  null,
  undefined,
  'epochEnd',
  [],
  {},
  {type: 'plot'},
  {kind: 'epochStart', epoch: 0},
  {kind: 'fitStart', epochs: 3, initialEpoch: -1, stepsPerEpoch: 10},
  {kind: 'fitStart', epochs: 3, initialEpoch: 0},
  {kind: 'batchEnd', epoch: 0, batch: 0.5, stepsPerEpoch: 10, logs: {}},
  {kind: 'batchEnd', epoch: 0, batch: 1, stepsPerEpoch: 10},
  {kind: 'epochEnd', epoch: 0, logs: {loss: '0.5'}},
  {kind: 'epochEnd', epoch: 0, logs: [1]},
  {kind: 'epochEnd', logs: {loss: 1}},
  {kind: 'gradients', records: [{step: 0, layers: [{layer: 'dense'}]}]},
  {kind: 'gradients', records: [{layers: []}]},
  {kind: 'gradients'},
];

describe('isPlotEvent', () => {
  it.each(good.map((e) => [JSON.stringify(e), e]))('accepts %s', (_, e) => {
    expect(isPlotEvent(e)).toBe(true);
  });
  it.each(bad.map((e) => [JSON.stringify(e) ?? String(e), e]))('refuses %s', (_, e) => {
    expect(isPlotEvent(e)).toBe(false);
  });
});

describe('checkPlotEvent', () => {
  it('returns an event and throws a ConfigError listing the kinds for anything else', () => {
    expect(checkPlotEvent('chart', good[0])).toBe(good[0]);
    expect(() => checkPlotEvent('chart', {type: 'plot'})).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        message: expect.stringMatching(/^chart\.push expects a PlotEvent .*fitStart, batchEnd, epochEnd, gradients, fitEnd.*isPlotEvent/),
      }),
    );
  });
});
