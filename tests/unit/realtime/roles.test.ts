import { describe, expect, it } from 'vitest';
import { may } from '../../../server/src/realtime/roles.ts';

describe('role matrix', () => {
  it('matches the design', () => {
    const table = {
      mentor: { 'doc:read': true, 'doc:write': true, awareness: true, run: true, timer: true, note: true },
      candidate: { 'doc:read': true, 'doc:write': true, awareness: true, run: true, timer: false, note: false },
      observer: { 'doc:read': true, 'doc:write': false, awareness: true, run: false, timer: false, note: false },
    } as const;
    for (const [role, actions] of Object.entries(table)) {
      for (const [action, allowed] of Object.entries(actions)) {
        expect(may(role as keyof typeof table, action as keyof typeof actions), `${role} ${action}`).toBe(allowed);
      }
    }
  });
});
