/**
 * The `trellis` command's logic: parses the arguments and runs the command,
 * writing through `io` (so it runs in tests without a process).
 * @module
 */
import {diagnoseBackends, type BackendsDiagnosis} from './diagnose-backends';

/** Where the command writes. */
export type CliIo = {readonly out: (text: string) => void; readonly err: (text: string) => void};

const USAGE = `Usage: trellis <command>

Commands:
  doctor [--json]   which backends work here: the one useBackend('auto') chooses, why each faster one
                    was skipped, and the diagnosis of @trellis/backend-node and @trellis/backend-webgpu
  help              this text
`;

/**
 * Runs `trellis <args>`; resolves to the exit code: 0 done, 1 no backend
 * works (doctor), 2 a usage error.
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    (command === undefined ? io.err : io.out)(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'doctor') {
    io.err(`trellis: unknown command '${command}'.\n\n${USAGE}`);
    return 2;
  }
  const unknown = rest.filter((arg) => arg !== '--json');
  if (unknown.length > 0) {
    io.err(`trellis doctor: unknown argument '${unknown[0]}' (it takes only --json).\n`);
    return 2;
  }
  const diagnosis = await diagnoseBackends();
  io.out(rest.includes('--json') ? `${JSON.stringify(asJson(diagnosis), null, 2)}\n` : `${diagnosis.text}\n`);
  return diagnosis.choice ? 0 : 1;
}

/** The diagnosis as plain data (errors become their reasons). */
function asJson(d: BackendsDiagnosis) {
  const choice = d.choice && {
    chosen: d.choice.chosen,
    backend: d.choice.backend,
    ...(d.choice.detail ? {detail: d.choice.detail} : {}),
    skipped: d.choice.skipped.map(({name, reason}) => ({name, reason})),
  };
  return {choice, ...(d.problem ? {problem: d.problem} : {}), packages: d.packages};
}
