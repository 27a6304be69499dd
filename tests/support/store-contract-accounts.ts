// The part of the Store contract about mentor accounts (server/src/store/accounts.ts): unique
// emails ignoring case, sign-ins and tokens by hash, single-use expiring invites, interview owners
// and shares, the audit log newest first with filters.
import { expect, it } from 'vitest';
import type { AccountRecord } from '../../server/src/store/accounts.ts';
import type { Store } from '../../server/src/store/types.ts';
import type { StoreFactory } from './store-contract-atomic.ts';
import { session, tokens } from './store-fixtures.ts';

export const account = (id: string, email: string, extra: Partial<AccountRecord> = {}): AccountRecord => ({
  id,
  name: `Name ${id}`,
  email,
  passwordHash: `hash-${id}`,
  role: 'mentor',
  createdAt: 1000 + id.charCodeAt(id.length - 1),
  disabledAt: null,
  ...extra,
});

export function registerAccountTests(factory: StoreFactory, current: () => Store, track: (s: Store) => Store): void {
  it('keeps accounts with emails unique ignoring case, and changes passwords and disabling', async () => {
    const a = current().accounts;
    expect(await a.countAccounts()).toBe(0);
    await a.createAccount(account('a1', 'Ada@Example.org', { role: 'admin' }));
    await a.createAccount(account('a2', 'bob@example.org'));
    await expect(a.createAccount(account('a3', 'ADA@example.ORG'))).rejects.toThrow(/unique|duplicate/i);
    expect(await a.countAccounts()).toBe(2);
    expect(await a.findAccountByEmail(' ada@EXAMPLE.org ')).toEqual(account('a1', 'Ada@Example.org', { role: 'admin' }));
    expect(await a.findAccountByEmail('nobody@example.org')).toBeUndefined();
    expect((await a.listAccounts()).map((x) => x.id)).toEqual(['a1', 'a2']);
    expect(await a.setPassword('a2', 'new-hash')).toBe(true);
    expect(await a.setDisabled('a2', 5000)).toBe(true);
    expect(await a.getAccount('a2')).toMatchObject({ passwordHash: 'new-hash', disabledAt: 5000 });
    expect(await a.setDisabled('a2', null)).toBe(true);
    expect((await a.getAccount('a2'))?.disabledAt).toBeNull();
    expect(await a.setDisabled('nope', 1)).toBe(false);
    expect(await a.getAccount('nope')).toBeUndefined();
  });

  it('keeps sign-ins by hash and drops all of an account but one', async () => {
    const a = current().accounts;
    await a.createAccount(account('l1', 'l1@example.org'));
    await a.createAccount(account('l2', 'l2@example.org'));
    for (const [hash, id] of [
      ['h1', 'l1'],
      ['h2', 'l1'],
      ['h3', 'l1'],
      ['h4', 'l2'],
    ] as const)
      await a.addLogin({ hash, accountId: id, createdAt: 1, expiresAt: 2 });
    await expect(a.addLogin({ hash: 'h5', accountId: 'ghost', createdAt: 1, expiresAt: 2 })).rejects.toThrow();
    expect(await a.findLogin('h1')).toEqual({ hash: 'h1', accountId: 'l1', createdAt: 1, expiresAt: 2 });
    await a.deleteLogin('h1');
    expect(await a.findLogin('h1')).toBeUndefined();
    await a.deleteLoginsOf('l1', 'h3');
    expect(await a.findLogin('h2')).toBeUndefined();
    expect(await a.findLogin('h3')).toBeDefined();
    await a.deleteLoginsOf('l1');
    expect(await a.findLogin('h3')).toBeUndefined();
    expect(await a.findLogin('h4')).toBeDefined();
  });

  it('keeps API tokens by hash; only their owner revokes them, once', async () => {
    const a = current().accounts;
    await a.createAccount(account('t1', 't1@example.org'));
    await a.createAccount(account('t2', 't2@example.org'));
    const token = { id: 'k1', hash: 'kh1', accountId: 't1', name: 'ci', createdAt: 10, lastUsedAt: null, revokedAt: null };
    await a.addApiToken(token);
    await a.addApiToken({ ...token, id: 'k2', hash: 'kh2', createdAt: 11 });
    await expect(a.addApiToken({ ...token, id: 'k3' })).rejects.toThrow(/unique|duplicate/i);
    expect(await a.findApiToken('kh1')).toEqual(token);
    await a.touchApiToken('k1', 20);
    expect((await a.findApiToken('kh1'))?.lastUsedAt).toBe(20);
    expect(await a.revokeApiToken('t2', 'k1', 30)).toBe(false);
    expect(await a.revokeApiToken('t1', 'k1', 30)).toBe(true);
    expect(await a.revokeApiToken('t1', 'k1', 31)).toBe(false);
    expect((await a.listApiTokens('t1')).map((t) => [t.id, t.revokedAt])).toEqual([
      ['k1', 30],
      ['k2', null],
    ]);
    expect(await a.listApiTokens('t2')).toEqual([]);
  });

  it('accepts an invite once, before it expires, giving the account its role; a taken email keeps it usable', async () => {
    const a = current().accounts;
    await a.createAccount(account('i0', 'taken@example.org'));
    const invite = { id: 'inv1', hash: 'ih1', role: 'admin' as const, createdBy: 'i0' as string | null, createdAt: 100, expiresAt: 200, usedAt: null };
    await a.addInvite(invite);
    await a.addInvite({ ...invite, id: 'inv2', hash: 'ih2', role: 'mentor', createdAt: 101 });
    expect(await a.acceptInvite('ih1', 150, account('i1', 'TAKEN@example.org'))).toEqual({ ok: false, reason: 'email_taken' });
    expect(await a.getAccount('i1')).toBeUndefined();
    expect(await a.acceptInvite('nope', 150, account('i1', 'new@example.org'))).toEqual({ ok: false, reason: 'invalid' });
    const accepted = await a.acceptInvite('ih1', 150, account('i1', 'new@example.org'));
    expect(accepted).toEqual({ ok: true, invite: { ...invite, usedAt: 150 } });
    expect((await a.getAccount('i1'))?.role).toBe('admin');
    expect(await a.acceptInvite('ih1', 151, account('i2', 'other@example.org'))).toEqual({ ok: false, reason: 'invalid' });
    expect(await a.acceptInvite('ih2', 200, account('i2', 'other@example.org'))).toEqual({ ok: false, reason: 'invalid' });
    expect(await a.getAccount('i2')).toBeUndefined();
    expect((await a.listInvites()).map((i) => [i.id, i.usedAt])).toEqual([
      ['inv2', null],
      ['inv1', 150],
    ]);
    // A second setup link (nobody's invite) makes no second first admin.
    await a.addInvite({ ...invite, id: 'inv3', hash: 'ih3', createdBy: null, createdAt: 102 });
    expect(await a.acceptInvite('ih3', 150, account('i3', 'third@example.org'))).toEqual({ ok: false, reason: 'invalid' });
    await a.addInvite({ ...invite, id: 'inv4', hash: 'ih4', createdBy: 'i1', createdAt: 103 });
    expect(await a.acceptInvite('ih4', 150, account('i4', 'fourth@example.org'))).toMatchObject({ ok: true });
  });

  it('makes one first admin when two setup links are used at once, from two nodes', async () => {
    const one = current();
    const two = factory.sibling ? track(await factory.sibling(one)) : one;
    const setup = (id: string) => ({ id, hash: `h-${id}`, role: 'admin' as const, createdBy: null, createdAt: 1, expiresAt: 10_000, usedAt: null });
    await one.accounts.addInvite(setup('s1'));
    await one.accounts.addInvite(setup('s2'));
    const results = await Promise.all([
      one.accounts.acceptInvite('h-s1', 5, account('f1', 'first@example.org')),
      two.accounts.acceptInvite('h-s2', 5, account('f2', 'second@example.org')),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await one.accounts.countAccounts()).toBe(1);
  });

  it('keeps interview owners and shares; the first admin claims the interviews nobody owns', async () => {
    const store = current();
    const a = store.accounts;
    await a.createAccount(account('o1', 'o1@example.org', { role: 'admin' }));
    await a.createAccount(account('o2', 'o2@example.org'));
    for (const id of ['s1', 's2', 's3']) await store.createSession(session(id), tokens(id), new Uint8Array([0]));
    await store.createSession(session('p1', 1000, { mode: 'practice', owner: 'browser' }), tokens('p1'), new Uint8Array([0]));
    await a.setOwner('s2', 'o2');
    expect(await a.claimUnowned('o1')).toBe(2);
    expect(await a.claimUnowned('o1')).toBe(0);
    expect(await a.ownerOf('s1')).toBe('o1');
    expect(await a.ownerOf('s2')).toBe('o2');
    expect(await a.ownerOf('p1')).toBeUndefined();
    await a.share('s1', 'o2');
    await a.share('s1', 'o2');
    expect(await a.sharedWith('s1')).toEqual(['o2']);
    expect([...(await a.accessibleSessions('o2'))].sort()).toEqual(['s1', 's2']);
    expect([...(await a.accessibleSessions('o1'))].sort()).toEqual(['s1', 's3']);
    expect(await a.unshare('s1', 'o2')).toBe(true);
    expect(await a.unshare('s1', 'o2')).toBe(false);
    await a.share('s3', 'o2');
    await a.forgetSession('s3');
    expect(await a.ownerOf('s3')).toBeUndefined();
    expect([...(await a.accessibleSessions('o2'))]).toEqual(['s2']);
  });

  it('keeps the audit log newest first, filtered and paged, and settings', async () => {
    const a = current().accounts;
    const entry = (at: number, action: string, actor: string | null, sessionId: string | null = null) => ({ at, actor, action, sessionId, detail: { n: at }, address: '10.0.0.1' });
    await a.addAudit(entry(1, 'session.create', 'u1', 's1'));
    await a.addAudit(entry(2, 'session.end', 'key', 's1'));
    await a.addAudit(entry(3, 'session.create', 'u2', 's2'));
    const all = await a.listAudit();
    expect(all.map((e) => e.at)).toEqual([3, 2, 1]);
    expect(all[2]).toMatchObject({ actor: 'u1', action: 'session.create', sessionId: 's1', detail: { n: 1 }, address: '10.0.0.1' });
    expect((await a.listAudit({ action: 'session.create' })).map((e) => e.at)).toEqual([3, 1]);
    expect((await a.listAudit({ actor: 'key' })).map((e) => e.at)).toEqual([2]);
    expect((await a.listAudit({ sessionId: 's1', limit: 1 })).map((e) => e.at)).toEqual([2]);
    expect((await a.listAudit({ before: all[1]!.id })).map((e) => e.at)).toEqual([1]);
    expect(await a.getSetting('retention')).toBeUndefined();
    await a.setSetting('retention', '30');
    await a.setSetting('retention', '7');
    expect(await a.getSetting('retention')).toBe('7');
  });
}
