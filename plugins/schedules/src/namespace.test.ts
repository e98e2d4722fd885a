// The namespace reaches every public factory of the package, under its plain name, as the very
// same function the flat export names.
import {describe, expect, expectTypeOf, it} from 'vitest';
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

describe('schedules namespace', () => {
  it('is frozen', () => {
    for (const ns of Object.values(namespaces)) expect(Object.isFrozen(ns)).toBe(true);
  });

  it('reaches every value export of the package (and nothing else)', () => {
    const flat = Object.entries(api).filter(([name]) => !(name in namespaces) && !notFactories.includes(name));
    const members = new Set(Object.values(namespaces).flatMap((ns) => Object.values(ns) as unknown[]));
    expect(flat.filter(([, value]) => !members.has(value)).map(([name]) => name)).toEqual([]);
    const flatValues = new Set(flat.map(([, value]) => value));
    const strays = Object.entries(namespaces).flatMap(([nsName, ns]) =>
      Object.entries(ns)
        .filter(([, value]) => !flatValues.has(value))
        .map(([name]) => `${nsName}.${name}`),
    );
    expect(strays).toEqual([]);
    for (const name of notFactories) expect(name in api).toBe(true);
  });

  it('keeps plain names: a member is the flat export of the same name unless renamed', () => {
    for (const [nsName, ns] of Object.entries(namespaces)) {
      for (const [name, value] of Object.entries(ns)) {
        const flatName = Object.entries(renamed).find(([, v]) => v === value)?.[0] ?? name;
        expect(value, `${nsName}.${name}`).toBe((api as Record<string, unknown>)[flatName]);
      }
    }
  });

  it('is typed as the flat exports', () => {
    expect(schedules.constant).toBe(api.constantSchedule);
    expect(schedules.cosineDecay).toBe(api.cosineDecay);
    expectTypeOf(schedules.constant).toEqualTypeOf(api.constantSchedule);
    expect(schedules.constant).toBe(api.constantSchedule);
  });
});
