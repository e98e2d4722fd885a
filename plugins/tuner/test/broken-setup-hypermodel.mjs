// A hypermodel module whose setup() throws in every worker, for src/parallel/parallel.test.ts.
export {buildModel} from './hypermodel.mjs';

export async function setup() {
  throw new Error('no backend for this worker');
}
