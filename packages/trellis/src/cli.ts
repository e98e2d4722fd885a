/**
 * The `trellis` command (`npx trellis doctor`), built by tsup into
 * `dist/cli.js`; `bin/trellis.js` runs it.
 * @module
 */
import {runCli} from './cli-run';

process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
