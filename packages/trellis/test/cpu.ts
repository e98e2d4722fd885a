// Shared by the tests of this package.
import {beforeAll} from 'vitest';
import {createTrellis} from '../src/index';

/** Sets Trellis up on the cpu backend (`createTrellis({backend: 'cpu'})`) before the tests of the calling file. */
export function onCpu(): void {
  beforeAll(async () => {
    await createTrellis({backend: 'cpu'});
  });
}
