import {ConfigError} from '@trellis/core';
import {catchError} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {resolveLrFinderOptions, type LrFinderOptions} from './options';

const resolve = (options: LrFinderOptions | undefined) => resolveLrFinderOptions('lrFinder', options);

describe('lrFinder options', () => {
  it("defaults are fastai's lr_find and fit's (steepest is the suggestion)", () => {
    expect(resolve(undefined)).toEqual({
      minLr: 1e-7,
      maxLr: 10,
      numSteps: 100,
      batchSize: 32,
      shuffle: true,
      smoothing: 0.98,
      divergenceFactor: 4,
      skipStart: 10,
      skipEnd: 5,
      suggest: 'steepest',
    });
    expect(resolve({numSteps: 39}).skipStart).toBe(3);
    expect(resolve({divergenceFactor: Number.POSITIVE_INFINITY, smoothing: 0, shuffle: 'batch'})).toMatchObject({
      divergenceFactor: Number.POSITIVE_INFINITY,
      smoothing: 0,
      shuffle: 'batch',
    });
  });

  it.each<[string, LrFinderOptions, RegExp]>([
    ['minLr 0', {minLr: 0}, /minLr must be a finite number > 0; got 0/],
    ['minLr negative', {minLr: -1e-3}, /minLr must be a finite number > 0/],
    ['minLr NaN', {minLr: Number.NaN}, /minLr must be a finite number > 0; got NaN/],
    ['maxLr equal to minLr', {minLr: 1e-3, maxLr: 1e-3}, /maxLr must be greater than minLr .*got minLr 0.001 and maxLr 0.001/],
    ['maxLr below minLr', {minLr: 1, maxLr: 0.1}, /maxLr must be greater than minLr/],
    ['maxLr infinite', {maxLr: Number.POSITIVE_INFINITY}, /maxLr must be a finite number > 0/],
    ['numSteps 1', {numSteps: 1}, /numSteps must be an integer >= 2; got 1/],
    ['numSteps fractional', {numSteps: 10.5}, /numSteps must be an integer >= 2/],
    ['batchSize 0', {batchSize: 0}, /batchSize must be an integer >= 1/],
    ['smoothing 1', {smoothing: 1}, /smoothing must be a finite number in \[0, 1\); got 1/],
    ['divergenceFactor 1', {divergenceFactor: 1}, /divergenceFactor must be a number > 1 .*got 1/],
    ['divergenceFactor NaN', {divergenceFactor: Number.NaN}, /divergenceFactor must be a number > 1/],
    ['skipEnd negative', {skipEnd: -1}, /skipEnd must be an integer >= 0/],
    ['skipStart fractional', {skipStart: 0.5}, /skipStart must be an integer >= 0/],
    ['suggest unknown', {suggest: 'valley' as never}, /suggest must be 'steepest' or 'minimumDividedBy10'; got 'valley'/],
    ['shuffle unknown', {shuffle: 'yes' as never}, /shuffle must be true, false or 'batch'/],
    ['an unknown option', {min_lr: 1e-5} as never, /does not know the option 'min_lr' \(did you mean 'minLr'\?\)/],
  ])('%s is a ConfigError', (_, options, message) => {
    const error = catchError(() => resolve(options));
    expect(ConfigError.is(error)).toBe(true);
    expect(error.message).toMatch(message);
  });
});
