import {describe, expect, it, vi} from 'vitest';
import {BackendError} from './errors';
import {peerPackageLoader} from './peer-package';

type Picked = {setPaths(): void; Backend: new () => object};

const setPaths = () => {};
class Backend {}

describe('peerPackageLoader', () => {
  it('imports once and resolves to the picked exports, from the module or its default', async () => {
    for (const module of [{setPaths, Backend}, {default: {setPaths, Backend}}, {setPaths, default: {Backend}}]) {
      const load = vi.fn(async () => module);
      const loadPackage = peerPackageLoader<Picked>('@acme/tfjs-backend-x', load, ['setPaths', 'Backend']);
      const first = loadPackage();
      expect(loadPackage()).toBe(first);
      await expect(first).resolves.toEqual({setPaths, Backend});
      await loadPackage();
      expect(load).toHaveBeenCalledTimes(1);
    }
  });

  it('resolves to an empty object when nothing is picked', async () => {
    const loadPackage = peerPackageLoader('@acme/tfjs-backend-x', async () => ({something: 1}));
    await expect(loadPackage()).resolves.toEqual({});
  });

  it('turns a failed import into a BackendError that says what to install, and retries it next time', async () => {
    const cause = new Error("Cannot find package '@acme/tfjs-backend-x'");
    const load = vi.fn<() => Promise<unknown>>().mockRejectedValueOnce(cause).mockResolvedValueOnce({setPaths});
    const loadPackage = peerPackageLoader<Pick<Picked, 'setPaths'>>('@acme/tfjs-backend-x', load, ['setPaths']);
    const error = await loadPackage().catch((e: unknown) => e);
    expect(BackendError.is(error)).toBe(true);
    expect((error as Error).message).toBe(
      "@acme/tfjs-backend-x could not be imported (Cannot find package '@acme/tfjs-backend-x'). " +
        'Install it next to @tensorflow/tfjs-core: npm install @acme/tfjs-backend-x@^4.22.0.',
    );
    expect((error as Error).cause).toBe(cause);
    await expect(loadPackage()).resolves.toEqual({setPaths});
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('describes a rejection that is not an Error by its string', async () => {
    const loadPackage = peerPackageLoader('@acme/tfjs-backend-x', () => Promise.reject('offline'));
    await expect(loadPackage()).rejects.toThrow('@acme/tfjs-backend-x could not be imported (offline).');
  });

  it('refuses a package without a picked function, naming the version it expects, without retrying', async () => {
    const load = vi.fn(async () => ({setPaths: 'not a function', default: {}}));
    const loadPackage = peerPackageLoader<Picked>('@acme/tfjs-backend-x', load, ['setPaths']);
    const error = await loadPackage().catch((e: unknown) => e);
    expect(BackendError.is(error)).toBe(true);
    expect((error as Error).message).toBe('@acme/tfjs-backend-x loaded but exports no setPaths: expected version ^4.22.0.');
    await expect(loadPackage()).rejects.toBe(error);
    expect(load).toHaveBeenCalledTimes(1);
  });
});
