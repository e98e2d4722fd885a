/**
 * The window options of the 2-D convolutions as their factories take them,
 * their spec config, and the spatial output shape they give (internal).
 * @module
 */
import type {Shape} from '@trellis/core';
import {checkBuildShape} from './common';
import {checkSpatialRank, windowOutputShape, type ConvWindow, type DataFormat, type Padding} from './conv-common';

/** The window options of a 2-D convolution; tuples are `[height, width]` or one integer for both. */
export type ConvWindow2dOptions = {
  /** Window `[height, width]`, or one integer for both. */
  readonly kernelSize: number | readonly [number, number];
  /** Default 1. */
  readonly strides?: number | readonly [number, number];
  /** Default `'valid'`. */
  readonly padding?: Padding;
  readonly dataFormat?: DataFormat;
  /** Default 1. */
  readonly dilationRate?: number | readonly [number, number];
};

/** The names of the window options, in the order the convolutions list them (after `filters`). */
export const CONV_WINDOW_KEYS = ['kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate'] as const;

/** The window part of a convolution's spec config: the resolved window, tuples as arrays. */
export type ConvWindowConfig = ConvWindow;

/** The {@link ConvWindowConfig} of a resolved `window` (fresh arrays). */
export function convWindowConfig(window: ConvWindow): ConvWindowConfig {
  return {
    kernelSize: [...window.kernelSize],
    strides: [...window.strides],
    padding: window.padding,
    dataFormat: window.dataFormat,
    dilationRate: [...window.dilationRate],
  };
}

/**
 * The spatial output shape of a convolution over `rank` axes built for
 * `inputShape` (without the batch), after checking it against the layer's
 * `declared` input shape and its rank.
 * @throws ShapeError for an input of another rank, another shape than the declared one, or smaller than the (dilated) window with `'valid'` padding.
 */
export function convOutputSpatial(
  label: string,
  inputShape: Shape,
  declared: Shape | undefined,
  window: ConvWindow,
  rank: number,
): number[] {
  checkBuildShape(label, inputShape, declared);
  checkSpatialRank(label, inputShape, rank);
  return windowOutputShape(label, inputShape, window.kernelSize, window.strides, window.padding, window.dilationRate);
}
