// The role matrix for socket events, as data. HTTP mentor routes check the mentor key instead.
import type { Role } from '../../../common/protocol.ts';

export type Action = 'doc:read' | 'doc:write' | 'awareness' | 'run' | 'timer' | 'note';

export const PERMISSIONS: Readonly<Record<Action, readonly Role[]>> = Object.freeze({
  'doc:read': ['mentor', 'candidate', 'observer'],
  'doc:write': ['mentor', 'candidate'],
  awareness: ['mentor', 'candidate', 'observer'],
  run: ['mentor', 'candidate'],
  timer: ['mentor'],
  note: ['mentor'],
});

export function may(role: Role, action: Action): boolean {
  return PERMISSIONS[action].includes(role);
}
