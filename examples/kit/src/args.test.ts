import {afterEach, describe, expect, it, vi} from 'vitest';
import {choice, flag, integer, parseExampleArgs, text} from './index';

const options = {
  backend: choice(['wasm', 'cpu']),
  epochs: integer({default: 5, min: 1}),
  samples: integer({min: 10}),
  seed: integer({default: 42}),
  directory: text({placeholder: 'DIR', help: 'keep the trials in DIR'}),
  steer: flag('stop early on val_loss'),
};

/** Runs the parser with process.exit and the console captured: the values, or the exit status and what was printed. */
function run(argv: string[]) {
  const printed: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => void printed.push(line));
  vi.spyOn(process, 'exit').mockImplementation((code) => {
    throw Object.assign(new Error('exit'), {code});
  });
  try {
    return {values: parseExampleArgs('pnpm demo', options, argv), printed};
  } catch (error) {
    return {exit: (error as {code?: number}).code, printed};
  }
}

afterEach(() => vi.restoreAllMocks());

describe('parseExampleArgs', () => {
  it('gives the defaults: the first choice, default integers, undefined where there is none, flags off', () => {
    expect(run([]).values).toEqual({backend: 'wasm', epochs: 5, samples: undefined, seed: 42, directory: undefined, steer: false});
  });

  it('reads every kind of option', () => {
    const {values} = run(['--backend', 'cpu', '--epochs', '2', '--samples', '1000', '--seed=-3', '--directory', 'runs', '--steer']);
    expect(values).toEqual({backend: 'cpu', epochs: 2, samples: 1000, seed: -3, directory: 'runs', steer: true});
  });

  it('prints the usage and the help lines for --help and -h, and exits with 0', () => {
    for (const argv of [['--help'], ['-h']]) {
      const {exit, printed} = run(argv);
      expect(exit).toBe(0);
      expect(printed.join('\n')).toBe(
        'Usage: pnpm demo [--backend wasm|cpu] [--epochs N >= 1] [--samples N >= 10] [--seed N] [--directory DIR] [--steer]\n' +
          '  --directory  keep the trials in DIR\n' +
          '  --steer  stop early on val_loss',
      );
    }
  });

  it.each([
    [['--backend', 'gpu'], "--backend must be one of wasm, cpu; got 'gpu'."],
    [['--epochs', '0'], "--epochs must be an integer of at least 1; got '0'."],
    [['--epochs', '1.5'], "--epochs must be an integer of at least 1; got '1.5'."],
    [['--samples', 'many'], "--samples must be an integer of at least 10; got 'many'."],
    [['--seed', 'x'], "--seed must be an integer; got 'x'."],
  ])('refuses %j: says what it expected and what came, prints the usage, exits with 2', (argv, message) => {
    const {exit, printed} = run(argv);
    expect(exit).toBe(2);
    expect(printed[0]).toMatch(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\nUsage: pnpm demo `));
  });

  it('refuses an unknown option with exit status 2', () => {
    const {exit, printed} = run(['--bakend', 'cpu']);
    expect(exit).toBe(2);
    expect(printed[0]).toContain("Unknown option '--bakend'");
  });
});
