import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, checkOptions, describe, withSpec, type Initializer, optionKeys} from '@trellis/core';
import {checkNumber} from './checks';

/** Config of {@link constant}. */
export type ConstantConfig = {
  /** The value of every element (Keras default 0). */
  readonly value?: number;
};

const KEYS = optionKeys<ConstantConfig>({value: true});
const USAGE = 'constant(0.5) or constant({value: 0.5})';

/**
 * A constant: `w = value` (Keras `Constant`, default `value = 0`). Called as in Keras, `constant(0.5)`,
 * or with options, `constant({value: 0.5})`.
 *
 * @returns an initializer whose tensors (any shape, the given dtype; int32 truncates like a cast)
 *   belong to the caller.
 * @throws ConfigError for a value that is not a finite number, an unknown option or more than one argument.
 */
export function constant(value?: number): Initializer<{value: number}>;
export function constant(config?: ConstantConfig): Initializer<{value: number}>;
export function constant(...args: unknown[]): Initializer<{value: number}> {
  const given = readValue(args);
  const value = checkNumber('constant', 'value', given === undefined ? 0 : given, false, USAGE);
  return withSpec({id: 'trellis/constant', config: {value}}, (shape: readonly number[], dtype: tf.DataType) =>
    tf.fill([...shape], dtype === 'int32' ? Math.trunc(value) : value, dtype),
  );
}

/** The value given positionally or as the `value` option (unchecked), `undefined` for none. */
function readValue(args: readonly unknown[]): unknown {
  const given = [...args];
  while (given.length > 0 && given[given.length - 1] === undefined) given.pop();
  if (given.length > 1) {
    throw new ConfigError(
      `constant takes one number (value) or one options object; got ${given.length} arguments: ` +
        `${given.map((a) => describe(a)).join(', ')}. Call it as ${USAGE}.`,
    );
  }
  const [first] = given;
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) return checkOptions('constant', first, KEYS).value;
  return first;
}
