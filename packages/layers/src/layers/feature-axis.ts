/**
 * The normalized axis of the normalization layers (internal).
 * @module
 */
import {ShapeError, type Shape} from '@trellis/core';
import {formatShape} from './common';

/**
 * Resolves a Keras `axis` (counted over the whole input, batch included;
 * negative from the end) for inputs `[batch, ...inputShape]` to a
 * non-negative index ≥ 1, or throws a `ShapeError` naming `label`.
 */
export function featureAxis(label: string, axis: number, inputShape: Shape): number {
  const rank = inputShape.length + 1;
  const resolved = axis < 0 ? axis + rank : axis;
  if (resolved < 1 || resolved >= rank) {
    throw new ShapeError(
      `${label} normalizes axis ${axis}, which is ${resolved === 0 ? 'the batch axis' : 'out of range'} for inputs ` +
        `[batch, ${inputShape.join(', ')}] (input shape ${formatShape(inputShape)}); choose an axis in ` +
        `[1, ${rank - 1}] or [-${rank - 1}, -1]${inputShape.length === 0 ? ', or give the data a feature axis' : ''}.`,
    );
  }
  return resolved;
}

/** The shape `[1, …, size at axis, …, 1]` of rank `rank` that broadcasts a per-feature vector. */
export function broadcastShape(rank: number, axis: number, size: number): number[] {
  return Array.from({length: rank}, (_, i) => (i === axis ? size : 1));
}
