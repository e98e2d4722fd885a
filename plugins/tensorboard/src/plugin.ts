import type {Plugin} from '@trellis/core';
import {tensorBoard, type TensorBoardOptions} from './callback';

/**
 * Registers the TensorBoard callback (kind `callback`, id
 * `trellis/tensorBoard`), built from its JSON config: a `logDir` and the
 * other options of {@link tensorBoard} (a `sink` is a function and cannot
 * come from JSON).
 */
export const tensorboardPlugin: Plugin = {
  name: '@trellis/tensorboard',
  specVersion: 1,
  setup(registry) {
    registry.register('callback', 'trellis/tensorBoard', (config: TensorBoardOptions) => tensorBoard(config ?? ({} as TensorBoardOptions)));
  },
};
