// Damaged checkpoints the fuzzing found (checkpoint-codec.fuzz.test.ts), each a DataError with no tensor left behind.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {DataError, type TrainingState} from '@trellis/core';
import {catchError} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {decodeCheckpoint, encodeCheckpoint} from './checkpoint-codec';

beforeAll(() => tf.setBackend('cpu'));

const training: TrainingState = {version: 1, epoch: 1, batch: 0, step: 3, data: {rng: 1, rows: {}}, callbacks: []};

/** A valid checkpoint's header (parsed) and blob: two weights and an optimizer slot. */
function valid(): {header: Record<string, any>; blob: Uint8Array} {
  const weights = {'dense/kernel': tf.ones([2, 2]), 'dense/bias': tf.zeros([2])};
  const slot = tf.fill([2, 2], 0.5);
  const {header, blob} = encodeCheckpoint({training, weights, optimizer: {step: 3, state: {mu: {'dense/kernel': slot}}}});
  tf.dispose([weights, slot] as tf.TensorContainer);
  return {header: JSON.parse(header), blob};
}

/** The error of decoding, after checking that no tensor was left behind. */
function decodeError(header: unknown, blob: Uint8Array, text = JSON.stringify(header)): Error {
  const before = tf.memory().numTensors;
  const error = catchError(() => decodeCheckpoint(text, blob, 'ckpt-1'));
  expect(tf.memory().numTensors).toBe(before);
  expect(error).toBeInstanceOf(DataError);
  expect((error as Error).message).toContain('ckpt-1');
  return error as Error;
}

describe('decodeCheckpoint on damaged checkpoints', () => {
  it('a tensor no weight or slot refers to is not made (it would be owned by nobody)', () => {
    const {header, blob} = valid();
    delete header.weights['dense/bias'];
    const before = tf.memory().numTensors;
    const checkpoint = decodeCheckpoint(JSON.stringify(header), blob, 'ckpt-1');
    expect(Object.keys(checkpoint.weights)).toEqual(['dense/kernel']);
    tf.dispose([checkpoint.weights, checkpoint.optimizer.state] as tf.TensorContainer);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a negative offset is refused', () => {
    const {header, blob} = valid();
    header.tensors[0].offset = -4;
    expect(decodeError(header, blob).message).toMatch(/tensor 0 .* does not fit its data/);
  });

  it('a tensor entry whose shape is not an array is refused', () => {
    const {header, blob} = valid();
    header.tensors[0].shape = null;
    expect(decodeError(header, blob).message).toMatch(/tensor 0 \(\{"shape":null/);
  });

  it('a header nested 100,000 deep is refused', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(decodeError(null, valid().blob, deep).message).toMatch(/not a trellis\/checkpoint/);
  });

  it('an optimizer state nested deeper than 64 levels is refused', () => {
    const {header, blob} = valid();
    const text = JSON.stringify(header).replace('"state":{', `"state":{"deep":${'['.repeat(100_000)}${']'.repeat(100_000)},`);
    expect(decodeError(null, blob, text).message).toMatch(/nested deeper than 64 levels/);
  });

  it('a missing training state is refused', () => {
    const {header, blob} = valid();
    delete header.training;
    expect(decodeError(header, blob).message).toMatch(/training state is undefined/);
  });
});
