/**
 * `backends.diagnose()`, what `npx trellis doctor` prints: the choice
 * `'auto'` makes here, and each optional backend package's own diagnosis.
 * @module
 */
import {version_core} from '@tensorflow/tfjs-core';
import {chooseBackend, type BackendChoice} from '@trellis/core';
import {backendCandidates, type BackendCandidatesOptions, type OptionalBackendPackage} from './backend-candidates';

/** Options of {@link diagnoseBackends}: those of `backends.candidates`. */
export type BackendsDiagnoseOptions = BackendCandidatesOptions;

/** One optional backend package, as its own `diagnose()` sees this machine. */
export type BackendPackageDiagnosis = {
  readonly name: OptionalBackendPackage;
  readonly installed: boolean;
  /** Its `diagnose()` text (which packages, which addon or adapter, what is missing), or why there is none. */
  readonly text: string;
};

/** The report of {@link diagnoseBackends}. */
export type BackendsDiagnosis = {
  /** What `useBackend('auto')` chooses here, with the reason for each faster backend skipped; null when none works. */
  readonly choice: BackendChoice | null;
  /** Why no backend works, when `choice` is null. */
  readonly problem?: string;
  readonly packages: readonly BackendPackageDiagnosis[];
  /** The whole report as text. */
  readonly text: string;
};

const PACKAGES: readonly OptionalBackendPackage[] = ['@trellis/backend-node', '@trellis/backend-webgpu'];
const importByName = (name: OptionalBackendPackage): Promise<unknown> => import(/* webpackIgnore: true */ /* @vite-ignore */ name);

/**
 * Diagnoses the backends on this machine: runs the `diagnose()` of
 * `@trellis/backend-node` (which loads tfjs-node's addons in child processes,
 * so a broken one cannot crash this process) and of
 * `@trellis/backend-webgpu` when they are installed, then makes the choice
 * `useBackend('auto')` makes (which leaves the chosen backend active). Never
 * throws for what it finds.
 *
 * @param options - see {@link BackendsDiagnoseOptions}.
 */
export async function diagnoseBackends(options: BackendsDiagnoseOptions = {}): Promise<BackendsDiagnosis> {
  const candidates = backendCandidates(options);
  const load = options.import ?? importByName;
  const packages: BackendPackageDiagnosis[] = [];
  for (const name of PACKAGES) packages.push(await diagnosePackage(name, load));
  let choice: BackendChoice | null = null;
  let problem: string | undefined;
  try {
    choice = await chooseBackend(candidates, {print: false});
  } catch (error) {
    problem = String((error as Error)?.message ?? error);
  }
  const runtime = (globalThis as {process?: NodeJS.Process}).process;
  const lines = [
    `Trellis doctor: ${runtime ? `Node ${runtime.versions.node}, ${runtime.platform} ${runtime.arch}, ` : ''}@tensorflow/tfjs-core ${version_core}`,
    '',
    "useBackend('auto') chooses:",
    choice ? choice.text : `nothing: ${problem}`,
    ...packages.flatMap((p) => ['', p.text]),
  ];
  return {choice, ...(problem === undefined ? {} : {problem}), packages, text: lines.join('\n')};
}

/** The package's own `diagnose()` text, or why it could not run. */
async function diagnosePackage(
  name: OptionalBackendPackage,
  load: (name: OptionalBackendPackage) => Promise<unknown>,
): Promise<BackendPackageDiagnosis> {
  let module: {diagnose?: unknown; default?: {diagnose?: unknown}};
  try {
    module = (await load(name)) as typeof module;
  } catch (error) {
    const message = String((error as Error)?.message ?? error);
    const missing =
      /MODULE_NOT_FOUND/.test(String((error as {code?: unknown})?.code ?? '')) || /Cannot find (package|module)/.test(message);
    if (missing && message.includes(name)) return {name, installed: false, text: `${name}: not installed`};
    return {name, installed: true, text: `${name}: failed to load: ${message.split('\n')[0]}`};
  }
  const diagnose = (typeof module?.diagnose === 'function' ? module.diagnose : module?.default?.diagnose) as
    | (() => Promise<{text: string}>)
    | undefined;
  if (typeof diagnose !== 'function') return {name, installed: true, text: `${name}: exports no diagnose()`};
  try {
    return {name, installed: true, text: (await diagnose()).text};
  } catch (error) {
    return {name, installed: true, text: `${name}: diagnose() failed: ${String((error as Error)?.message ?? error)}`};
  }
}
