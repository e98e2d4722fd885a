import {parseArgs} from 'node:util';

/** `--name one|two`: one of `values`, the first by default. */
type ChoiceSpec<T extends string> = {readonly kind: 'choice'; readonly values: readonly T[]; readonly help?: string};
/** `--name N`: an integer of at least `min` (default: any integer); absent without a default. */
type IntegerSpec<D extends number | undefined> = {
  readonly kind: 'integer';
  readonly default: D;
  readonly min?: number;
  readonly help?: string;
};
/** `--name TEXT`: any text; absent without a default. */
type TextSpec<D extends string | undefined> = {
  readonly kind: 'text';
  readonly default: D;
  readonly placeholder: string;
  readonly help?: string;
};
/** `--name`: a switch, false unless given. */
type FlagSpec = {readonly kind: 'flag'; readonly help?: string};

/** One option of {@link parseExampleArgs}: made by {@link choice}, {@link integer}, {@link text} or {@link flag}. */
export type OptionSpec = ChoiceSpec<string> | IntegerSpec<number | undefined> | TextSpec<string | undefined> | FlagSpec;

/** The parsed values of a set of options: choices as their union, integers as numbers, texts as strings, flags as booleans. */
export type ExampleArgs<O extends Record<string, OptionSpec>> = {
  -readonly [K in keyof O]: O[K] extends ChoiceSpec<infer T>
    ? T
    : O[K] extends IntegerSpec<infer D>
      ? number | (D extends number ? never : undefined)
      : O[K] extends TextSpec<infer D>
        ? string | (D extends string ? never : undefined)
        : boolean;
};

/** `--name a|b|c`, default the first value. */
export function choice<const T extends string>(values: readonly T[], help?: string): ChoiceSpec<T> {
  return {kind: 'choice', values, ...(help === undefined ? {} : {help})};
}

/** `--name N`, an integer of at least `min`; `default` absent: the value may be `undefined`. */
export function integer<D extends number | undefined = undefined>(options: {
  readonly default?: D;
  readonly min?: number;
  readonly help?: string;
}): IntegerSpec<D> {
  return {kind: 'integer', ...options, default: options.default as D};
}

/** `--name TEXT` (`placeholder` names it in the usage line, e.g. `DIR`); `default` absent: the value may be `undefined`. */
export function text<D extends string | undefined = undefined>(options: {
  readonly placeholder: string;
  readonly default?: D;
  readonly help?: string;
}): TextSpec<D> {
  return {kind: 'text', ...options, default: options.default as D};
}

/** `--name`, a switch. */
export function flag(help?: string): FlagSpec {
  return {kind: 'flag', ...(help === undefined ? {} : {help})};
}

function usageOf(name: string, spec: OptionSpec): string {
  switch (spec.kind) {
    case 'choice':
      return `[--${name} ${spec.values.join('|')}]`;
    case 'integer':
      return `[--${name} N${spec.min === undefined ? '' : ` >= ${spec.min}`}]`;
    case 'text':
      return `[--${name} ${spec.placeholder}]`;
    case 'flag':
      return `[--${name}]`;
  }
}

/**
 * Parses `process.argv` (or `argv`) against `options`: `-h`/`--help` prints
 * `Usage: <command> [--option …]…` and the options' help lines, then exits
 * with status 0; an unknown option or a value outside its choices or range
 * prints what was expected and what came, then the usage, and exits with
 * status 2. Integers are read with `Number` and must be whole.
 *
 * @example
 * const args = parseExampleArgs('pnpm fashion', {
 *   backend: choice(['wasm', 'cpu']),
 *   epochs: integer({default: 5, min: 1}),
 *   samples: integer({min: 10}),
 * });
 * args.backend; // 'wasm' | 'cpu'
 * args.samples; // number | undefined
 */
export function parseExampleArgs<const O extends Record<string, OptionSpec>>(
  command: string,
  options: O,
  argv: readonly string[] = process.argv.slice(2),
): ExampleArgs<O> {
  const usage = [
    `Usage: ${command} ${Object.entries(options)
      .map(([name, spec]) => usageOf(name, spec))
      .join(' ')}`,
    ...Object.entries(options).flatMap(([name, spec]) => (spec.help === undefined ? [] : [`  --${name}  ${spec.help}`])),
  ].join('\n');
  const fail = (message: string): never => {
    console.error(`${message}\n${usage}`);
    process.exit(2);
  };
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(
          Object.entries(options).map(([name, spec]) => [name, {type: spec.kind === 'flag' ? 'boolean' : 'string'} as const]),
        ),
        help: {type: 'boolean', short: 'h'},
      },
    });
    values = parsed.values;
  } catch (error) {
    return fail((error as Error).message);
  }
  if (values.help === true) {
    console.log(usage);
    process.exit(0);
  }
  const result: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(options)) {
    const given = values[name];
    if (spec.kind === 'flag') {
      result[name] = given === true;
    } else if (spec.kind === 'choice') {
      const value = (given as string | undefined) ?? spec.values[0];
      if (!spec.values.includes(value!)) fail(`--${name} must be one of ${spec.values.join(', ')}; got '${value}'.`);
      result[name] = value;
    } else if (spec.kind === 'text') {
      result[name] = (given as string | undefined) ?? spec.default;
    } else if (given === undefined) {
      result[name] = spec.default;
    } else {
      const value = Number(given);
      if (!Number.isInteger(value) || (spec.min !== undefined && value < spec.min)) {
        fail(`--${name} must be an integer${spec.min === undefined ? '' : ` of at least ${spec.min}`}; got '${given}'.`);
      }
      result[name] = value;
    }
  }
  return result as ExampleArgs<O>;
}
