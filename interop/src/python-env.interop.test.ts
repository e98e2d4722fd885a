// The suite's setup fails loudly, with what to do, when Python is missing or
// pip cannot install the pins.
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {InteropSetupError, ensurePythonEnv, findPython} from './harness/python-env';

const scratch = mkdtempSync(join(tmpdir(), 'trellis-interop-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

function thrown(fn: () => unknown): InteropSetupError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InteropSetupError);
    return error as InteropSetupError;
  }
  throw new Error('expected an InteropSetupError, but nothing was thrown');
}

describe('interop setup', () => {
  it('names the missing interpreter and the fix', () => {
    const error = thrown(() => findPython({TRELLIS_PYTHON: join(scratch, 'no-python-here')}));
    expect(error.message).toMatch(/needs Python >= 3\.10/);
    expect(error.message).toMatch(/no-python-here: ENOENT/);
    expect(error.message).toMatch(/TRELLIS_PYTHON/);
  });

  it('reports a failed pip install with its output and leaves no stamp', () => {
    const requirements = join(scratch, 'requirements.txt');
    writeFileSync(requirements, 'trellis-interop-no-such-package==0.0.1\n');
    const venvDir = join(scratch, 'venv');
    const error = thrown(() => ensurePythonEnv({requirements, venvDir}));
    expect(error.message).toMatch(/pip install -r .*requirements\.txt failed \(exit code \d+\)/);
    expect(error.message).toMatch(/trellis-interop-no-such-package/);
    expect(error.message).toMatch(/Check the network access to PyPI/);
    expect(existsSync(join(venvDir, 'trellis-requirements.sha256'))).toBe(false);
  });
});
