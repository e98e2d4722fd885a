/**
 * Where callbacks print: an injected function, or the console.
 * @module
 */

/** Receives one message (without a trailing newline). */
export type Print = (message: string) => void;

/** `print` for messages and warnings, or the console's `log` and `warn`. */
export function printers(print: Print | undefined): {readonly info: Print; readonly warn: Print} {
  if (print) return {info: print, warn: print};
  return {info: (m) => console.log(m), warn: (m) => console.warn(m)};
}

/**
 * Python's `repr` of a float, as Keras prints and writes it: `0.1`, `1.0`,
 * `1e-05`, `1.5e+16`, `nan`, `inf`.
 */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const fraction = digits.slice(exponent + 1);
    return `${sign}${whole}.${fraction || '0'}`;
  }
  const shortMantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${shortMantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}
