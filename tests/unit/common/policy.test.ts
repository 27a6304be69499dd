// The one policy: who may do what, in which mode and status. The server enforces exactly this
// table (tests/integration/roles.test.ts and review.test.ts try it over the wire).
import { describe, expect, it } from 'vitest';
import { denial, may, mayEver, seesHidden, type Action, type PolicyRole } from '../../../common/policy.ts';
import type { SessionStatus } from '../../../common/protocol.ts';

const W = 'waiting',
  L = 'live',
  E = 'ended';
/** Interview: for each action and role, the statuses in which it is allowed. */
const INTERVIEW: Record<Action, Partial<Record<PolicyRole, SessionStatus[]>>> = {
  'doc:read': { mentor: [W, L, E], candidate: [W, L, E], observer: [W, L, E] },
  'doc:write': { mentor: [W, L], candidate: [L] },
  awareness: { mentor: [W, L, E], candidate: [W, L, E], observer: [W, L, E] },
  run: { mentor: [W, L], candidate: [L] },
  console: { mentor: [W, L], candidate: [L] },
  'timer:start': { mentor: [W, L] },
  'timer:add': { mentor: [W, L] },
  'timer:end': { mentor: [W, L] },
  note: { mentor: [W, L, E] },
  chat: { mentor: [W, L, E], candidate: [W, L, E] },
  call: { mentor: [W, L, E], candidate: [W, L, E] },
  signal: { candidate: [L] },
  review: { mentor: [E], review: [E] },
  'review:test': { mentor: [E], review: [E] },
  scorecard: { mentor: [E] },
  'see:hidden': { mentor: [W, L, E], review: [W, L, E] },
  hint: {},
  learn: {},
  guide: { mentor: [W, L, E] },
};

const ROLES: PolicyRole[] = ['mentor', 'candidate', 'observer', 'review'];
const STATUSES: SessionStatus[] = [W, L, E];

describe('interview policy', () => {
  it('allows exactly the table', () => {
    for (const [action, byRole] of Object.entries(INTERVIEW) as [Action, Partial<Record<PolicyRole, SessionStatus[]>>][]) {
      for (const role of ROLES) {
        for (const status of STATUSES) {
          const expected = (byRole[role] ?? []).includes(status);
          expect(may('interview', role, status, action), `${role} ${action} while ${status}`).toBe(expected);
        }
      }
    }
  });

  it('answers a wrong role with forbidden before looking at the status', () => {
    expect(denial('interview', 'observer', 'live', 'doc:write')?.code).toBe('forbidden');
    expect(denial('interview', 'candidate', 'ended', 'note')?.code).toBe('forbidden');
    expect(denial('interview', 'review', 'live', 'doc:read')?.code).toBe('forbidden');
  });

  it('names the status when the role is right but the moment is not', () => {
    expect(denial('interview', 'candidate', 'waiting', 'doc:write')?.code).toBe('conflict');
    expect(denial('interview', 'candidate', 'ended', 'run')?.code).toBe('session_ended');
    expect(denial('interview', 'review', 'live', 'review')?.code).toBe('conflict');
    expect(mayEver('interview', 'review', 'review')).toBe(true);
    expect(mayEver('interview', 'observer', 'run')).toBe(false);
  });
});

describe('practice policy', () => {
  it('lets the student run their own clock and review their attempt, with nobody else in the room', () => {
    expect(may('practice', 'candidate', 'waiting', 'timer:start')).toBe(true);
    expect(may('practice', 'candidate', 'live', 'timer:end')).toBe(true);
    expect(may('practice', 'candidate', 'live', 'timer:add')).toBe(false);
    expect(may('practice', 'observer', 'live', 'doc:read')).toBe(false);
    expect(may('practice', 'candidate', 'live', 'doc:write')).toBe(true);
    expect(may('practice', 'candidate', 'live', 'console')).toBe(true);
    expect(may('practice', 'candidate', 'ended', 'console')).toBe(false);
    expect(mayEver('practice', 'mentor', 'console')).toBe(false);
    expect(may('practice', 'candidate', 'ended', 'review')).toBe(true);
    expect(may('practice', 'candidate', 'live', 'signal')).toBe(false);
    for (const status of STATUSES) expect(may('practice', 'candidate', status, 'chat'), `practice chat while ${status}`).toBe(false);
    for (const role of ROLES) expect(mayEver('practice', role, 'call'), `practice call for ${role}`).toBe(false);
    expect(may('practice', 'mentor', 'live', 'doc:write')).toBe(false);
    expect(may('practice', 'mentor', 'ended', 'scorecard')).toBe(false);
  });

  it('gives hints only while the clock of the student runs, and the lessons of an attempt once it is submitted', () => {
    for (const role of ROLES) {
      for (const status of STATUSES) {
        expect(may('practice', role, status, 'hint'), `${role} hint while ${status}`).toBe(role === 'candidate' && status === L);
        expect(may('practice', role, status, 'learn'), `${role} learn while ${status}`).toBe(role === 'candidate' && status === E);
      }
    }
    expect(denial('practice', 'candidate', 'waiting', 'hint')?.code).toBe('conflict');
    expect(denial('practice', 'candidate', 'ended', 'hint')?.code).toBe('session_ended');
    expect(denial('interview', 'candidate', 'live', 'hint')?.code).toBe('forbidden');
  });

  it('shows what hidden cases produced to nobody: neither the student nor the attempt review link gets it', () => {
    for (const role of ROLES) {
      expect(seesHidden('practice', role), role).toBe(false);
      for (const status of STATUSES) expect(may('practice', role, status, 'see:hidden')).toBe(false);
    }
    expect(ROLES.filter((role) => seesHidden('interview', role))).toEqual(['mentor', 'review']);
  });

  it("gives nobody the interviewer's guide: there is no interviewer", () => {
    for (const role of ROLES) expect(mayEver('practice', role, 'guide'), role).toBe(false);
  });
});
