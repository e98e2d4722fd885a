/**
 * Loading a tfjs-node package in a child process, so that a failing or
 * crashing native addon (a missing CUDA library, a broken libtensorflow) can
 * never take the caller down.
 * @module
 */

/** What the child process found when it loaded the package. */
export type AddonProbe = {
  /** The package loaded and ran an op on the `tensorflow` backend. */
  readonly loads: boolean;
  /** Why it did not load (the error, or how the child process died). */
  readonly error?: string;
  /** The libtensorflow version the addon reports (`TF_Version`). */
  readonly tensorflowVersion?: string;
  /** TensorFlow placed ops on a GPU (`isUsingGpuDevice`; always false with the CPU package). */
  readonly gpuDevice: boolean;
  /** The devices TensorFlow created, from its log (`/device:GPU:0 (Tesla T4, 14626 MB)`), and `CPU`. */
  readonly devices: readonly string[];
  /** TensorFlow's log lines about libraries and devices (CUDA, cuDNN, dlerror…). */
  readonly log: readonly string[];
};

const MARKER = '@@trellis-backend-node-probe@@';

// Plain CommonJS, run with `node -e`: loads the package folder given as argv[1].
const PROBE_SCRIPT = `
const report = (r) => process.stdout.write('\\n${MARKER}' + JSON.stringify(r) + '\\n');
try {
  const tf = require(process.argv[1]);
  const backend = tf.engine().findBackend('tensorflow');
  if (!backend) throw new Error('the package registered no tensorflow backend');
  tf.tidy(() => tf.add(tf.tensor1d([1, 2]), 1).dataSync());
  report({loads: true, tensorflowVersion: String(backend.binding && backend.binding.TF_Version), gpuDevice: backend.isUsingGpuDevice === true});
} catch (e) {
  report({loads: false, error: String((e && e.message) || e)});
}
`;

/** TensorFlow's "Created device …" log line. */
const CREATED_DEVICE = /Created device (\S+) with (\d+) MB memory:?\s*(?:->\s*)?(.*)$/;
/** Log lines worth reporting: library loading, CUDA, cuDNN, devices. */
const NOTABLE = /dlerror|dynamic library|shared object|cuda|cudnn|cublas|gpu|device/i;

/**
 * Loads the package in `dir` in a child Node process (same Node binary, same
 * environment plus TensorFlow's info logging) and reports what happened. Never
 * throws for a load failure or a crash of the child: `loads` is then false.
 *
 * @param dir - the package folder (`…/node_modules/@tensorflow/tfjs-node`).
 * @param timeoutMs - the child is killed after this long (default 120 s).
 */
export async function probeAddon(dir: string, timeoutMs = 120_000): Promise<AddonProbe> {
  const {spawn} = await import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', PROBE_SCRIPT, dir], {
      cwd: dir,
      env: {...process.env, TF_CPP_MIN_LOG_LEVEL: '0'},
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let timedOut = false;
    let done = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const finish = (exit: string | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const lines = stderr.split('\n').map((l) => l.trim());
      const devices = lines.flatMap((line) => {
        const m = CREATED_DEVICE.exec(line);
        return m ? [`${m[1]} (${m[3]?.trim() || 'no name'}, ${m[2]} MB)`] : [];
      });
      const log = lines.filter((l) => l && NOTABLE.test(l)).slice(0, 20);
      const reported = stdout.split('\n').find((l) => l.startsWith(MARKER));
      if (reported) {
        const r = JSON.parse(reported.slice(MARKER.length)) as {
          loads: boolean;
          error?: string;
          tensorflowVersion?: string;
          gpuDevice?: boolean;
        };
        resolve({
          loads: r.loads,
          ...(r.error === undefined ? {} : {error: r.error}),
          ...(r.tensorflowVersion === undefined ? {} : {tensorflowVersion: r.tensorflowVersion}),
          gpuDevice: r.gpuDevice === true,
          devices: r.loads ? [...devices, 'CPU'] : devices,
          log,
        });
        return;
      }
      const tail = lines.filter(Boolean).slice(-3).join(' | ');
      resolve({
        loads: false,
        error: `${exit ?? 'the probe process ended without a report'}${tail ? `: ${tail}` : ''}`,
        gpuDevice: false,
        devices,
        log,
      });
    };
    child.on('error', (error) => finish(`the probe process could not start (${error.message})`));
    child.on('close', (code, signal) =>
      finish(
        timedOut
          ? `the probe process did not finish within ${timeoutMs} ms`
          : signal
            ? `the probe process was killed by ${signal}`
            : code === 0
              ? undefined
              : `the probe process exited with code ${code}`,
      ),
    );
  });
}
