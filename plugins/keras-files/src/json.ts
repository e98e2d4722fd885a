/**
 * JSON as Python's `json` module writes it: the bare tokens `NaN`, `Infinity` and `-Infinity`
 * are numbers. Parsing never evaluates anything.
 * @module
 */
import {KerasFileError} from './errors';

/** A JSON value. Numbers may be `NaN` or ±`Infinity`, as Python's `json` allows. */
export type Json = null | boolean | number | string | Json[] | {[key: string]: Json};

const MARK = '\u0000trellis-keras-files:';
const TOKENS: Record<string, number> = {NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY};

/** Parses `text` as JSON (with Python's non-finite tokens); a {@link KerasFileError} names `file` and `part` on failure. */
export function parseJson(text: string, file: string, part: string): Json {
  let source = text;
  let marked = false;
  if (/NaN|Infinity/.test(text) && !text.includes(MARK)) {
    // Replace bare NaN / Infinity / -Infinity outside strings by marker strings.
    let out = '';
    let i = 0;
    let inString = false;
    while (i < text.length) {
      const ch = text[i]!;
      if (inString) {
        out += ch;
        if (ch === '\\') {
          out += text[i + 1] ?? '';
          i += 2;
          continue;
        }
        if (ch === '"') inString = false;
        i++;
        continue;
      }
      if (ch === '"') {
        inString = true;
        out += ch;
        i++;
        continue;
      }
      const token = text.startsWith('-Infinity', i)
        ? '-Infinity'
        : text.startsWith('Infinity', i)
          ? 'Infinity'
          : text.startsWith('NaN', i)
            ? 'NaN'
            : undefined;
      if (token !== undefined) {
        out += JSON.stringify(MARK + token);
        marked = true;
        i += token.length;
        continue;
      }
      out += ch;
      i++;
    }
    source = out;
  }
  try {
    return JSON.parse(
      source,
      marked
        ? (_key, value: unknown) => (typeof value === 'string' && value.startsWith(MARK) ? TOKENS[value.slice(MARK.length)] : value)
        : undefined,
    ) as Json;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new KerasFileError(file, part, 'invalid', `not valid JSON (${detail})`, {cause: error});
  }
}

/** Writes `value` as JSON, with `NaN` / `Infinity` / `-Infinity` as Python's `json` writes them. */
export function stringifyJson(value: Json): string {
  let marked = false;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      marked = true;
      return MARK + (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');
    }
    return v;
  });
  if (text === undefined) throw new TypeError('value is not JSON-serializable');
  if (!marked) return text;
  return text.replace(/"\\u0000trellis-keras-files:(NaN|-?Infinity)"/g, '$1');
}

/** Whether `value` is a plain JSON object (not an array or null). */
export function isJsonObject(value: Json | undefined): value is {[key: string]: Json} {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
