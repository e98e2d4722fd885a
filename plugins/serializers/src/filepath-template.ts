/**
 * Keras' checkpoint file path templates: `ckpt-{epoch:02d}-{val_loss:.4f}`.
 * @module
 */
import {ConfigError, describeValue} from '@trellis/core';

const FIELD = /\{([A-Za-z_][A-Za-z0-9_/]*)(?::([^}]*))?\}/g;

/** One number in Python's format mini-language, the subset checkpoint names use: `d`, `f`, `e`, `g`, with width, zero padding and precision. */
function formatNumber(value: number, spec: string, template: string): string {
  if (spec === '') return String(value);
  const m = /^(0)?(\d+)?(?:\.(\d+))?([dfeg%])?$/.exec(spec);
  if (!m)
    throw new ConfigError(
      `modelCheckpoint: the field format '${spec}' in '${template}' is not one of d, f, e, g with an optional width and precision (e.g. {epoch:02d}, {val_loss:.4f}).`,
    );
  const [, zero, width, precision, type] = m;
  let text: string;
  if (!Number.isFinite(value)) text = Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  else if (type === 'd') text = String(Math.trunc(value));
  else if (type === 'e') text = value.toExponential(precision === undefined ? 6 : Number(precision)).replace(/e([+-])(\d)$/, 'e$10$2');
  else if (type === 'g') text = String(Number(value.toPrecision(precision === undefined ? 6 : Math.max(1, Number(precision)))));
  else if (type === '%') text = `${(value * 100).toFixed(precision === undefined ? 6 : Number(precision))}%`;
  else text = value.toFixed(precision === undefined ? 6 : Number(precision));
  const w = width === undefined ? 0 : Number(width);
  if (text.length >= w) return text;
  if (zero && /^-?\d/.test(text)) return text.startsWith('-') ? `-${text.slice(1).padStart(w - 1, '0')}` : text.padStart(w, '0');
  return text.padStart(w, ' ');
}

/** The log keys a template names (besides `epoch`, `batch`). */
export function templateKeys(template: string): string[] {
  return [...template.matchAll(FIELD)].map((m) => m[1]!).filter((k) => k !== 'epoch' && k !== 'batch');
}

/**
 * Fills `template` as Keras' `ModelCheckpoint` does: `{epoch}` is the epoch
 * counted from 1, `{batch}` the batch from 1, other fields the logs.
 * @throws ConfigError naming the field when the logs lack it (listing the keys there are).
 */
export function fillTemplate(template: string, values: {epoch: number; batch?: number; logs: Readonly<Record<string, number>>}): string {
  return template.replace(FIELD, (_, key: string, spec: string | undefined) => {
    const value = key === 'epoch' ? values.epoch : key === 'batch' ? values.batch : values.logs[key];
    if (typeof value !== 'number') {
      throw new ConfigError(
        `modelCheckpoint: the file path '${template}' names {${key}}, which the logs do not have (they have ${Object.keys(values.logs).join(', ') || 'nothing'}). ` +
          'Use a logged key, e.g. {val_loss:.4f}.',
      );
    }
    return formatNumber(value, spec ?? '', template);
  });
}

/** Checks a template: a non-empty string whose fields all parse. */
export function checkTemplate(template: unknown): string {
  if (typeof template !== 'string' || template.trim() === '') {
    throw new ConfigError(
      `modelCheckpoint: filepath must be a path or URL, optionally with fields like {epoch:02d}; got ${describeValue(template)}.`,
    );
  }
  fillTemplate(template, {epoch: 1, batch: 1, logs: Object.fromEntries(templateKeys(template).map((k) => [k, 0]))});
  return template;
}
