// The namespace reaches every public factory of the package, under its plain name, as the very
// same function the flat export names.
import {expect, expectTypeOf, it} from 'vitest';
import {describeNamespaces} from '@trellis/testing';
import * as api from './index';
import {metrics} from './index';

// Value exports that are not factories: the StreamingMetric class, the computing helpers and the plugin.
describeNamespaces(
  api,
  {metrics},
  {notFactories: ['metricsPlugin', 'StreamingMetric', 'computeMetric', 'computeMetricAsync', 'crosstab']},
  () => {
    it('is typed as the flat exports', () => {
      expect(metrics.accuracy).toBe(api.accuracy);
      expect(metrics.binaryAccuracy).toBe(api.binaryAccuracy);
      expectTypeOf(metrics.accuracy).toEqualTypeOf(api.accuracy);
    });
  },
);
