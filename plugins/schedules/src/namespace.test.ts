// The namespace reaches every public factory of the package, under its plain name, as the very
// same function the flat export names.
import {describe, expect, expectTypeOf, it} from 'vitest';
import {describeNamespaces} from '@trellis/testing';
import * as api from './index';
import {schedules} from './index';

const namespaces = {schedules} as const;
// Value exports that are not factories: the schedulePoints helper and the plugin.
const notFactories: readonly string[] = [
  'schedulePoints',
  'schedulesPlugin',
];
// Flat names bent to dodge clashes -> their plain namespace member.
const renamed: Record<string, unknown> = {
  constantSchedule: schedules.constant,
};

describeNamespaces(api, namespaces, {notFactories, renamed});

describe('schedules namespace', () => {
  it('is typed as the flat exports', () => {
    expect(schedules.constant).toBe(api.constantSchedule);
    expect(schedules.cosineDecay).toBe(api.cosineDecay);
    expectTypeOf(schedules.constant).toEqualTypeOf(api.constantSchedule);
    expect(schedules.constant).toBe(api.constantSchedule);
  });
});
