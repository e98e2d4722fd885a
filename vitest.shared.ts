import {defineProject} from 'vitest/config';

const sourceConditions = ['@trellis/source', 'module', 'node', 'import', 'default'];

/**
 * The vitest project every workspace package uses: tests read workspace
 * packages from their sources (the `@trellis/source` export condition), so
 * `vitest run` needs no build. tfjs-core's gradient side-effect modules are
 * extensionless ESM; the SSR dep optimizer pre-bundles them once.
 */
export function trellisProject(name: string, extra: {testTimeout?: number} = {}) {
  return defineProject({
    resolve: {conditions: sourceConditions},
    ssr: {resolve: {conditions: sourceConditions, externalConditions: ['node']}},
    test: {
      name,
      environment: 'node',
      testTimeout: extra.testTimeout ?? 60_000,
      hookTimeout: 120_000,
      deps: {
        optimizer: {
          ssr: {
            enabled: true,
            include: ['@tensorflow/tfjs-core/dist/register_all_gradients.js'],
          },
        },
      },
    },
  });
}
