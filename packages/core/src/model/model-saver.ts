/**
 * The function behind `model.save(url)`: core has no file formats, so the
 * package that writes models (`@trellis/serializers`, whose plugin the
 * default assembly `createTrellis()` sets up) installs it here.
 * @module
 */
import {StateError} from '../errors';
import type {AnyModel} from './model';

/**
 * Saves `model` (architecture, weights, compile config and optimizer state)
 * to `url`, as `saveModel(model, url, options)` of `@trellis/serializers`.
 */
export type ModelSaver = (model: AnyModel, url: string, options?: Readonly<Record<string, unknown>>) => Promise<void>;

const SAVER_KEY = Symbol.for('@trellis/core/model-saver@1');

function slot(): {saver: ModelSaver | undefined} {
  const g = globalThis as Record<symbol, {saver: ModelSaver | undefined} | undefined>;
  return (g[SAVER_KEY] ??= {saver: undefined});
}

/**
 * Installs the function `model.save(url, options)` calls (process-wide, shared
 * by every copy of `@trellis/core`); `undefined` removes it.
 * @returns the function installed before, to put back
 */
export function setModelSaver(saver: ModelSaver | undefined): ModelSaver | undefined {
  const s = slot();
  const previous = s.saver;
  s.saver = saver;
  return previous;
}

/**
 * The installed saver.
 * @throws StateError when none is installed, saying how to get one
 */
export function modelSaver(): ModelSaver {
  const saver = slot().saver;
  if (saver === undefined) {
    throw new StateError(
      "model.save(url) needs a model file format, and none is set up: call createTrellis() (the default assembly sets up @trellis/serializers), register serializersPlugin of '@trellis/serializers', or call its saveModel(model, url) directly.",
    );
  }
  return saver;
}
