import type {TestProject} from 'vitest/node';
import {ensurePythonEnv} from './python-env';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The virtualenv's python, with interop/requirements.txt installed. */
    python: string;
  }
}

/** Runs once per `vitest run`: prepares the virtualenv (or fails the run). */
export default function setup(project: TestProject): void {
  project.provide('python', ensurePythonEnv({log: (line) => console.log(line)}));
}
