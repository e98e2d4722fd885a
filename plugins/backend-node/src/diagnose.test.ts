// diagnose() on real child processes: packages absent, fake packages whose
// addon is broken, crashes, hangs or finds a GPU, and (with the native addon
// built) the real @tensorflow/tfjs-node.
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {version_core} from '@tensorflow/tfjs-core';
import {ConfigError} from '@trellis/core';
import {afterAll, describe, expect, it} from 'vitest';
import {describeNative} from '../test/native';
import {CUDA_LIBRARIES, diagnose} from './index';

const root = mkdtempSync(join(tmpdir(), 'trellis-diagnose-'));
afterAll(() => rmSync(root, {recursive: true, force: true}));

/** An app folder holding fake tfjs-node packages: `{name: [version, index.js source]}`. */
function app(packages: Record<string, [version: string, source: string]>, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(root, 'app-'));
  for (const [name, [version, source]] of Object.entries(packages)) {
    const pkg = join(dir, 'node_modules', name);
    mkdirSync(pkg, {recursive: true});
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({name, version, main: 'index.js'}));
    writeFileSync(join(pkg, 'index.js'), source);
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(join(pkg, file, '..'), {recursive: true});
      writeFileSync(join(pkg, file), content);
    }
  }
  return dir;
}

/** A fake package that loads: the API the probe uses, a backend that may see a GPU, and TensorFlow-style log lines. */
const loads = (gpu: boolean, log = '') => `
if (${JSON.stringify(log)}) process.stderr.write(${JSON.stringify(log)});
const t = {dataSync: () => [2, 3]};
const backend = {binding: {TF_Version: '2.9.1'}, isUsingGpuDevice: ${gpu}};
module.exports = {engine: () => ({findBackend: (n) => (n === 'tensorflow' ? backend : null)}), tidy: (f) => f(), add: () => t, tensor1d: () => t};
`;

const CPU = '@tensorflow/tfjs-node';
const GPU = '@tensorflow/tfjs-node-gpu';

describe('diagnose()', () => {
  it('with neither package: both not installed, nothing usable, one problem saying what to install', async () => {
    const d = await diagnose({from: app({})});
    expect(d.packages.map((p) => [p.name, p.installed])).toEqual([
      [GPU, false],
      [CPU, false],
    ]);
    expect(d.usable).toBeNull();
    expect(d.problems).toEqual([expect.stringMatching(/^Neither @tensorflow\/tfjs-node-gpu nor @tensorflow\/tfjs-node is installed/)]);
    expect(d.tfjsCore).toBe(version_core);
    expect(d.cuda.libraries.map((l) => l.name)).toEqual([...CUDA_LIBRARIES]);
    expect(d.text).toContain(`${CPU.padEnd(26)} not installed`);
    expect(d.text).toContain("nodeBackend({gpu: 'auto'}) would use: nothing");
  });

  it('a broken addon (not a shared library): reported with the loader error, the caller unharmed', async () => {
    const d = await diagnose({
      from: app(
        {[CPU]: [version_core, "require('./lib/napi-v8/tfjs_binding.node');"]},
        {'lib/napi-v8/tfjs_binding.node': 'not a shared library, '.repeat(20)},
      ),
    });
    const cpu = d.packages.find((p) => p.name === CPU)!;
    expect(cpu).toMatchObject({installed: true, version: version_core, matchesTfjsCore: true, addon: {loads: false, gpuDevice: false}});
    expect(cpu.addon?.error).toMatch(/tfjs_binding\.node: invalid ELF header/);
    expect(d.usable).toBeNull();
    expect(d.problems).toEqual([expect.stringMatching(/@tensorflow\/tfjs-node .* native addon does not load: .*invalid ELF header/)]);
    expect(d.text).toMatch(/addon does not load: .*invalid ELF header/);
  });

  it('an addon that crashes the process (abort) or hangs: the probe process dies, not the caller', async () => {
    const crash = await diagnose({from: app({[CPU]: [version_core, 'process.abort();']})});
    expect(crash.packages[1]?.addon).toMatchObject({
      loads: false,
      error: expect.stringMatching(/^the probe process was killed by SIGABRT/),
    });
    const hang = await diagnose({from: app({[CPU]: [version_core, 'for (;;) {}']}), timeoutMs: 1500});
    expect(hang.packages[1]?.addon?.error).toMatch(/^the probe process did not finish within 1500 ms/);
  });

  it('a package of another version than tfjs-core is a problem even when it loads', async () => {
    const d = await diagnose({from: app({[CPU]: ['4.20.0', loads(false)]})});
    expect(d.packages[1]).toMatchObject({version: '4.20.0', matchesTfjsCore: false, addon: {loads: true, tensorflowVersion: '2.9.1'}});
    expect(d.usable).toBeNull();
    expect(d.problems).toEqual([
      expect.stringContaining(`@tensorflow/tfjs-node 4.20.0 does not match @tensorflow/tfjs-core ${version_core}`),
    ]);
    expect(d.text).toContain(`4.20.0 (≠ tfjs-core ${version_core})`);
  });

  it('the GPU package without CUDA: the loader error and the CUDA advice; the CPU package is used', async () => {
    const d = await diagnose({
      from: app({
        [GPU]: [version_core, "throw new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory');"],
        [CPU]: [version_core, loads(false)],
      }),
    });
    expect(d.packages[0]?.addon).toMatchObject({loads: false, error: expect.stringContaining('libcudart.so.11.0')});
    expect(d.usable).toBe(CPU);
    expect(d.problems).toEqual([expect.stringMatching(/tfjs-node-gpu .* does not load: libcudart\.so\.11\.0.*CUDA 11\.2 and cuDNN 8\.1/)]);
  });

  it('the GPU package with a device: the devices TensorFlow logged, and the GPU package is usable', async () => {
    const log =
      'I0000 gpu_device.cc:2019] Created device /job:localhost/replica:0/task:0/device:GPU:0 with 14626 MB memory:  -> device: 0, name: Tesla T4, pci bus id: 0000:00:04.0, compute capability: 7.5\n';
    const d = await diagnose({from: app({[GPU]: [version_core, loads(true, log)]})});
    expect(d.packages[0]?.addon).toMatchObject({
      loads: true,
      gpuDevice: true,
      devices: [
        '/job:localhost/replica:0/task:0/device:GPU:0 (device: 0, name: Tesla T4, pci bus id: 0000:00:04.0, compute capability: 7.5, 14626 MB)',
        'CPU',
      ],
    });
    expect(d.packages[0]?.addon?.log).toEqual([expect.stringContaining('Created device')]);
    expect(d.usable).toBe(GPU);
    expect(d.problems).toEqual([]);
  });

  it('the GPU package that loads but sees no GPU is a problem', async () => {
    const d = await diagnose({from: app({[GPU]: [version_core, loads(false)]})});
    expect(d.usable).toBeNull();
    expect(d.problems).toEqual([expect.stringMatching(/loads, but TensorFlow found no GPU device to use/)]);
  });

  it('refuses unknown options', async () => {
    const error = await diagnose({form: '/app'} as never).catch((e: unknown) => e);
    expect(ConfigError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/'form' \(did you mean 'from'\?\)/);
  });
});

describeNative('diagnose() with the real @tensorflow/tfjs-node', () => {
  it('reports the package, its libtensorflow and the CPU device, and no problem', async () => {
    const d = await diagnose();
    expect(d.packages.find((p) => p.name === CPU)).toMatchObject({
      installed: true,
      version: version_core,
      matchesTfjsCore: true,
      addon: {loads: true, tensorflowVersion: expect.stringMatching(/^2\.\d+\.\d+/), gpuDevice: false, devices: ['CPU']},
    });
    expect(d.usable).toBe(CPU);
    expect(d.problems).toEqual([]);
    expect(d.text).toMatch(/@tensorflow\/tfjs-node\s+4\.22\.0, .*\n\s+addon loads, libtensorflow 2\.\d+\.\d+, devices: CPU/);
    console.log(d.text);
  });
});
