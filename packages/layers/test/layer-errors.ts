/**
 * The error checks shared by the layer tests (not exported): the errors of
 * `build` and `call` for shapes a layer cannot take, and before `build`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ShapeError, StateError, type Layer} from '@trellis/core';
import {catchError} from '@trellis/testing';
import {expect} from 'vitest';
import {callContext, createBuildContext} from './testing';

/**
 * Checks that calling the built `layer` (in training when `training`) on
 * zeros of shape `input` throws a ShapeError whose message matches `message`.
 */
export function expectCallRefusesShape(layer: Layer, input: number[], training: boolean, message: RegExp): void {
  const x = tf.zeros(input);
  const error = catchError(() => layer.call(x, callContext(training)));
  expect(ShapeError.is(error)).toBe(true);
  expect((error as Error).message).toMatch(message);
  x.dispose();
}

/** The shapes {@link expectBuildAndCallErrors} tries. */
type ErrorShapes = {
  /** An input shape `build` refuses with a ShapeError saying `message`. */
  readonly refused: readonly number[];
  readonly message: string;
  /** The shape `layer` is then built for. */
  readonly builtFor: readonly number[];
  /** A batch shape (`[batch, ...]`) that calls of both layers refuse. */
  readonly input: readonly number[];
};

/**
 * Checks the errors of a layer's `build` and `call`: building `layer` for
 * `refused` throws a ShapeError saying `message`; calling `unbuilt` (never
 * built) on zeros of shape `input` throws a StateError; after building
 * `layer` for `builtFor`, calling it on that input throws a ShapeError.
 */
export function expectBuildAndCallErrors(layer: Layer, unbuilt: Layer, {refused, message, builtFor, input}: ErrorShapes): void {
  expect(() => layer.build(refused as number[], createBuildContext())).toThrow(ShapeError);
  expect(() => layer.build(refused as number[], createBuildContext())).toThrow(message);
  const x = tf.zeros(input as number[]);
  expect(() => unbuilt.call(x, callContext(false))).toThrow(StateError);
  layer.build(builtFor as number[], createBuildContext());
  expect(() => layer.call(x, callContext(false))).toThrow(ShapeError);
  x.dispose();
}

/**
 * The {@link expectBuildAndCallErrors} shapes of a layer taking images
 * `[height, width, channels]`, of kind `kind` and named `name`: it refuses
 * `[4, 4]` at build, and once built for `[4, 4, 3]` a call on `[1, 4, 4, 2]`.
 */
export function imageShapeErrors(kind: string, name: string): ErrorShapes {
  return {
    refused: [4, 4],
    message: `${kind} layer '${name}' expects inputs of shape [batch, height, width, channels]`,
    builtFor: [4, 4, 3],
    input: [1, 4, 4, 2],
  };
}
