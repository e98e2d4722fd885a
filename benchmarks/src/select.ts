/**
 * Which configurations a run measures: `--models`, `--contenders` and
 * `--only` of the command line.
 * @module
 */
import {CONFIGS, CONTENDERS, MODELS, SELECTORS, type BenchConfig, type ModelId, type SelectorName} from './configs';

/** The selection options as given on the command line (comma-separated lists). */
export type Selection = {
  /** Model names or ids, e.g. `mlp,cnn` or `A,C`; all when absent. */
  readonly models?: string;
  /** Contender names, e.g. `trellis-wasm,keras`; all when absent. */
  readonly contenders?: string;
  /** Keep configurations whose id, contender or model label contains this text. */
  readonly only?: string;
};

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * The configurations of `selection`, in run order.
 *
 * @throws Error naming the unknown model or contender and the known ones, or
 *   saying that nothing matches.
 */
export function selectConfigs(selection: Selection): BenchConfig[] {
  const specs = Object.values(MODELS);
  let models: Set<ModelId> | null = null;
  if (selection.models !== undefined) {
    models = new Set();
    for (const name of list(selection.models)) {
      const spec = specs.find((s) => s.name === name || s.id === name);
      if (!spec) throw new Error(`unknown model '${name}'; known: ${specs.map((s) => `${s.name} (${s.id})`).join(', ')}`);
      models.add(spec.id);
    }
  }
  let contenders: Set<SelectorName> | null = null;
  if (selection.contenders !== undefined) {
    contenders = new Set();
    for (const name of list(selection.contenders)) {
      if (!(name in SELECTORS)) throw new Error(`unknown contender '${name}'; known: ${Object.keys(SELECTORS).join(', ')}`);
      contenders.add(name as SelectorName);
    }
  }
  const only = selection.only;
  const selected = CONFIGS.filter(
    (c) =>
      (models === null || models.has(c.model)) &&
      (contenders === null || contenders.has(c.selector)) &&
      (only === undefined || c.id.includes(only) || CONTENDERS[c.contender].includes(only) || MODELS[c.model].label.includes(only)),
  );
  if (selected.length === 0) throw new Error('the selection matches no configuration');
  return selected;
}

/** True when the selection is the default (every configuration): only then does a run write `results/latest.*`. */
export function isFullSelection(selection: Selection): boolean {
  return selection.models === undefined && selection.contenders === undefined && selection.only === undefined;
}
