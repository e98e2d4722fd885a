import {writeFile} from 'node:fs/promises';
import type {Options} from 'tsup';
import {libraryConfig} from '../../tsup.shared';
import cli from './tsup.cli.config';

// The declarations of `trellis/chained-ops`: tfjs-core's own, which add the methods to `Tensor` (a
// declaration bundler drops a side-effect import, so they are written as they are).
const chainedOpsTypes = `// Adds tfjs-core's chained methods (x.slice(...), x.add(y), ...) to Tensor's type.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
export {};
`;

// `index`: the package; `chained-ops`: the side-effect module (imported by the index, and on its own by scoped-package users), built as @trellis/core's gradient
// registration is (tfjs-core's extensionless modules inlined for Node, kept as imports for bundlers), one file each.
const chainedOps = libraryConfig({entry: {'chained-ops': 'src/chained-ops.ts'}, inlineTfjsInternals: true, modules: false, dts: false}).map(
  (options: Options, i): Options =>
    i === 0
      ? {
          ...options,
          onSuccess: async () => {
            await Promise.all(['d.ts', 'd.cts'].map((ext) => writeFile(`dist/chained-ops.${ext}`, chainedOpsTypes)));
          },
        }
      : options,
);

// The index imports `trellis/chained-ops` by name: it stays that import, resolved to the entry built above.
export default [...libraryConfig({external: ['trellis/chained-ops']}), ...chainedOps, cli];
