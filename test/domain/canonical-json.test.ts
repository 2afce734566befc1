import { describe, expect, it } from 'vitest';
import { canonical } from '../../src/domain/canonical-json.js';

describe('canonical JSON', () => {
  it('orders the keys of every object, nested ones and those inside arrays too', () => {
    expect(canonical({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('makes bodies that differ only in key order equal, and keeps array order significant', () => {
    const phone = {
      id: 'a1',
      start: '2026-03-01T08:00:00+01:00',
      triggers: ['stress', 'sleep'],
      intensityLevel: 'mild',
    };
    const server = {
      intensityLevel: 'mild',
      triggers: ['stress', 'sleep'],
      start: '2026-03-01T08:00:00+01:00',
      id: 'a1',
    };
    expect(canonical(phone)).toBe(canonical(server));
    expect(canonical({ ...phone, triggers: ['sleep', 'stress'] })).not.toBe(canonical(server));
  });

  it('leaves out undefined fields, as a body sent over JSON does', () => {
    expect(canonical({ a: 1, end: undefined })).toBe(canonical({ a: 1 }));
  });

  it('writes a missing value (a deletion in the outbox) as null', () => {
    expect(canonical(null)).toBe('null');
    expect(canonical(undefined)).toBe('null');
  });
});
