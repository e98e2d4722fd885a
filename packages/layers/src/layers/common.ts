/**
 * Checks shared by the layer factories (internal).
 * @module
 */
import {ConfigError, ShapeError, StateError, describe, type Json, type Serializable, type Shape} from '@trellis/core';

/** A spec as a JSON value (core's `Spec` is an interface, which `Json` does not admit). */
export type SpecJson = {readonly id: string; readonly config: Json};

/** Copies a spec into a plain JSON value. */
export function specJson(object: Serializable): SpecJson {
  return {id: object.spec.id, config: object.spec.config};
}

/** Formats a shape for messages: `[784]`, `[28, 28, 1]`. */
export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

/** How a layer is named in messages: `dense 'dense_1'`. */
export function layerLabel(kind: string, name: string): string {
  return name ? `${kind} layer '${name}'` : `${kind} layer (unnamed)`;
}

/** Validates `name` (Keras forbids `/`, which separates layer and weight names). */
export function checkName(kind: string, name: unknown): string {
  if (name === undefined) return '';
  if (typeof name !== 'string' || name.includes('/')) {
    throw new ConfigError(
      `${kind}: name must be a string without '/' (it prefixes weight names such as 'dense/kernel'); ` + `got ${describe(name)}.`,
    );
  }
  return name;
}

/** Validates a declared `inputShape` (positive integers, without the batch dimension). */
export function checkInputShape(kind: string, shape: unknown): Shape | undefined {
  if (shape === undefined || shape === null) return undefined;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ConfigError(
      `${kind}: inputShape must be an array of positive integers without the batch dimension ` +
        `(e.g. [784]); got ${Array.isArray(shape) ? formatShape(shape as number[]) : describe(shape)}.`,
    );
  }
  return Object.freeze([...(shape as number[])]);
}

/** The error of a layer with weights `label` called before `build`: it says how to build it. */
export function notBuiltError(label: string): StateError {
  return new StateError(`${label} was called before it was built; add it to a model, or call build(inputShape, context) first.`);
}

/** Checks the shape `build` receives: positive integers, and the declared `inputShape` if any. */
export function checkBuildShape(label: string, shape: Shape, declared: Shape | undefined): void {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ShapeError(
      `${label} was built with input shape ${Array.isArray(shape) ? formatShape(shape) : describe(shape)}; ` +
        'expected positive integers without the batch dimension.',
    );
  }
  if (declared && (declared.length !== shape.length || declared.some((d, i) => d !== shape[i]))) {
    throw new ShapeError(
      `${label} declares inputShape ${formatShape(declared)} but was built with ${formatShape(shape)}. ` +
        'Fix the inputShape option or the data.',
    );
  }
}

/** Throws unless `input` has shape `[batch, ...expected]`. */
export function checkCallShape(label: string, inputShape: readonly number[], expected: Shape): void {
  const ok = inputShape.length === expected.length + 1 && expected.every((d, i) => inputShape[i + 1] === d);
  if (!ok) {
    throw new ShapeError(
      `${label} expects input of shape [batch, ${expected.join(', ')}] (it was built for ${formatShape(expected)}); ` +
        `got ${formatShape(inputShape)}.`,
    );
  }
}
