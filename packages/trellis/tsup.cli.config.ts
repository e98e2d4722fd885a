import type {Options} from 'tsup';

// The `trellis` command (`bin/trellis.js` imports it): one ESM file for Node, the packages it uses kept as
// imports. A config of its own so that the CLI test can build just this (tsup.config.ts includes it).
const cli: Options = {
  entry: {cli: 'src/cli.ts'},
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: false,
  dts: false,
};

export default cli;
