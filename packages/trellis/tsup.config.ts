import {writeFile} from 'node:fs/promises';
import type {Options} from 'tsup';
import {libraryConfig} from '../../tsup.shared';

// The declarations of `trellis/chained-ops`: tfjs-core's own, which add the methods to `Tensor` (a
// declaration bundler drops a side-effect import, so they are written as they are).
const chainedOpsTypes = `// Adds tfjs-core's chained methods (x.slice(...), x.add(y), ...) to Tensor's type.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
export {};
`;

// `index`: the package; `chained-ops`: the opt-in side-effect module, built as @trellis/core's gradient
// registration is (tfjs-core's extensionless modules inlined for Node, kept as imports for bundlers).
const chainedOps = [libraryConfig({entry: {'chained-ops': 'src/chained-ops.ts'}, inlineTfjsInternals: true})].flat().map(
  (options: Options, i): Options => ({
    ...options,
    dts: false,
    ...(i === 0
      ? {
          onSuccess: async () => {
            await Promise.all(['d.ts', 'd.cts'].map((ext) => writeFile(`dist/chained-ops.${ext}`, chainedOpsTypes)));
          },
        }
      : {}),
  }),
);

export default [libraryConfig(), ...chainedOps].flat();
