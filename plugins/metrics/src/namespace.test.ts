// The namespace reaches every public factory of the package, under its plain name, as the very
// same function the flat export names.
import {describe, expect, expectTypeOf, it} from 'vitest';
import {describeNamespaces} from '@trellis/testing';
import * as api from './index';
import {metrics} from './index';

const namespaces = {metrics} as const;
// Value exports that are not factories: the StreamingMetric class and the plugin.
const notFactories: readonly string[] = ['metricsPlugin', 'StreamingMetric', 'computeMetric', 'computeMetricAsync', 'crosstab'];
// Flat names bent to dodge clashes -> their plain namespace member.
const renamed: Record<string, unknown> = {};

describeNamespaces(api, namespaces, {notFactories, renamed});

describe('metrics namespace', () => {
  it('is typed as the flat exports', () => {
    expect(metrics.accuracy).toBe(api.accuracy);
    expect(metrics.binaryAccuracy).toBe(api.binaryAccuracy);
    expectTypeOf(metrics.accuracy).toEqualTypeOf(api.accuracy);
  });
});
