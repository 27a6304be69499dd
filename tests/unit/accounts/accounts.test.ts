// The account roles of the one policy, password hashing and rules, API tokens and sign-ins
// (AccountService on the memory store, with a manual clock), and the sign-in attempt limits.
import { describe, expect, it } from 'vitest';
import { accountMay, type AccountAction, type AccountRole, type Relation } from '../../../common/policy.ts';
import { WindowLimits } from '../../../server/src/sliding-window.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../../../server/src/accounts/passwords.ts';
import { AccountService, LOGIN_DAYS } from '../../../server/src/accounts/service.ts';
import type { Clock } from '../../../server/src/sessions/timer.ts';
import { MemoryStore } from '../../../server/src/store/memory.ts';

/** For each action and role, the relations to the interview that allow it. */
const TABLE: Record<AccountAction, Record<AccountRole, Relation[]>> = {
  'interview:create': { admin: ['owner', 'shared', 'none'], mentor: ['owner', 'shared', 'none'] },
  'interview:read': { admin: ['owner', 'shared', 'none'], mentor: ['owner', 'shared'] },
  'interview:act': { admin: ['owner', 'shared', 'none'], mentor: ['owner', 'shared'] },
  'interview:delete': { admin: ['owner', 'shared', 'none'], mentor: ['owner'] },
  'interview:share': { admin: ['owner', 'shared', 'none'], mentor: ['owner'] },
  'interview:reassign': { admin: ['owner', 'shared', 'none'], mentor: [] },
  'accounts:manage': { admin: ['none'], mentor: [] },
  'audit:read': { admin: ['none'], mentor: [] },
  'settings:write': { admin: ['none'], mentor: [] },
};

describe('account roles in the policy', () => {
  it('allows exactly the table', () => {
    for (const [action, roles] of Object.entries(TABLE) as [AccountAction, Record<AccountRole, Relation[]>][]) {
      for (const [role, allowed] of Object.entries(roles) as [AccountRole, Relation[]][]) {
        for (const relation of ['owner', 'shared', 'none'] as const) {
          expect(accountMay(role, action, relation), `${role} ${action} ${relation}`).toBe(allowed.includes(relation));
        }
      }
    }
  });
});

describe('passwords', () => {
  it('refuses short, overlong and common passwords', () => {
    expect(passwordProblem('short')).toMatch(/at least 10/);
    expect(passwordProblem('x'.repeat(201))).toMatch(/at most 200/);
    expect(passwordProblem('Password123')).toMatch(/common/);
    expect(passwordProblem('aaaaaaaaaaaa')).toMatch(/common/);
    expect(passwordProblem('correct horse battery')).toBeNull();
  });

  it('hashes with argon2id, salted, and verifies only the right password', async () => {
    const [a, b] = await Promise.all([hashPassword('correct horse battery'), hashPassword('correct horse battery')]);
    expect(a).toMatch(/^\$argon2id\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(a, 'correct horse batterY')).toBe(false);
    expect(await verifyPassword(undefined, 'correct horse battery')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });
});

describe('sign-in attempt limits', () => {
  it('counts failures in a sliding window and tells how long to wait', () => {
    let now = 0;
    const limits = new WindowLimits(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limits.waitS('k')).toBe(0);
      limits.record('k');
      now += 10_000;
    }
    expect(limits.waitS('k')).toBe(30);
    expect(limits.waitS('other')).toBe(0);
    now = 60_001;
    expect(limits.waitS('k')).toBe(0);
    limits.record('k');
    limits.clear('k');
    expect(limits.waitS('k')).toBe(0);
  });
});

describe('AccountService', () => {
  const setup = async () => {
    let now = 1_000_000;
    const clock = { now: () => now, setTimeout, clearTimeout } as unknown as Clock;
    const store = new MemoryStore();
    const accounts = new AccountService({ store, clock, mentorKey: 'the-mentor-key-0123456789' });
    const admin = await accounts.acceptInvite((await accounts.setupLink())!, 'Ada', 'ada@example.org', 'a long admin password', '::1');
    return { accounts, store, admin, advance: (ms: number) => (now += ms) };
  };

  it('takes MENTOR_KEY as an admin, API tokens as their account until revoked or disabled', async () => {
    const { accounts, admin } = await setup();
    expect(await accounts.fromBearer('the-mentor-key-0123456789')).toEqual({ kind: 'key', role: 'admin' });
    expect(await accounts.fromBearer('the-mentor-key-012345678')).toBeUndefined();
    const p = (await accounts.fromBearer('the-mentor-key-0123456789'))!;
    const invite = await accounts.invite(p, 'mentor', null);
    const bob = await accounts.acceptInvite(invite.token, 'Bob', 'bob@example.org', 'a long mentor password', '::1');
    const login = await accounts.login('BOB@example.org', 'a long mentor password', '::1');
    const bobP = (await accounts.fromCookie(login.cookie))!;
    const { id, token } = await accounts.createToken(bobP, 'script', '::1');
    expect(await accounts.fromBearer(token)).toMatchObject({ kind: 'account', role: 'mentor', via: 'token', account: { id: bob.id } });
    await accounts.revokeToken(bobP, id, '::1');
    expect(await accounts.fromBearer(token)).toBeUndefined();
    const second = await accounts.createToken(bobP, 'again', '::1');
    await accounts.setDisabled(p, bob.id, true, '::1');
    expect(await accounts.fromBearer(second.token)).toBeUndefined();
    expect(await accounts.fromCookie(login.cookie)).toBeUndefined();
    expect(admin.role).toBe('admin');
  });

  it('ends a sign-in when it expires; its CSRF token is tied to it', async () => {
    const { accounts, advance } = await setup();
    const a = await accounts.login('ada@example.org', 'a long admin password', '::1');
    const b = await accounts.login('ada@example.org', 'a long admin password', '::1');
    const pa = (await accounts.fromCookie(a.cookie))!;
    const pb = (await accounts.fromCookie(b.cookie))!;
    expect(pa.kind === 'account' && pb.kind === 'account' && accounts.csrfOf(pa.loginHash!) !== accounts.csrfOf(pb.loginHash!)).toBe(true);
    advance(LOGIN_DAYS * 86_400_000 - 1);
    expect(await accounts.fromCookie(a.cookie)).toBeDefined();
    advance(1);
    expect(await accounts.fromCookie(a.cookie)).toBeUndefined();
  });
});
