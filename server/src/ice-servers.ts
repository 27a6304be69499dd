// The call's STUN/TURN servers: ICE_SERVERS as configured, and TURN credentials minted per call
// member when TURN_SECRET is set. The minting follows the "REST API" scheme coturn checks with its
// `use-auth-secret` / `static-auth-secret` options: username = "<expiry, unix seconds>:<who>",
// credential = base64(HMAC-SHA1(secret, username)). The relay then accepts the pair until the
// expiry without any call to this server, and a leaked pair stops working by itself.
import crypto from 'node:crypto';
import { z } from 'zod';
import type { IceServer } from '../../common/call.ts';

/** How long minted TURN credentials stay valid: a long interview and its discussion, with margin. */
export const TURN_CREDENTIAL_TTL_S = 12 * 3600;

const urlsOf = (server: Pick<IceServer, 'urls'>): string[] => (typeof server.urls === 'string' ? [server.urls] : server.urls);
const isTurn = (server: Pick<IceServer, 'urls'>): boolean => urlsOf(server).some((u) => u.startsWith('turn'));

/** One STUN or TURN server as RTCIceServer takes it. */
const IceServerSchema = z
  .strictObject({
    urls: z.union([z.string(), z.array(z.string()).min(1).max(10)]),
    username: z.string().min(1).max(512).optional(),
    credential: z.string().min(1).max(512).optional(),
  })
  .superRefine((server, ctx) => {
    for (const url of urlsOf(server)) {
      if (!/^(stuns?|turns?):[^\s]+$/.test(url)) ctx.addIssue({ code: 'custom', message: `"${url}" is not a stun:, stuns:, turn: or turns: URL` });
    }
    if ((server.username === undefined) !== (server.credential === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give both a username and a credential, or neither (TURN_SECRET mints them)' });
    }
  });

/** ICE_SERVERS: a JSON array of RTCIceServer objects, e.g. [{"urls":"stun:stun.example.org:3478"}]. */
export const IceServersSchema = z.string().transform((text, ctx): IceServer[] => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'ICE_SERVERS must be JSON: an array of {"urls": ..., "username"?: ..., "credential"?: ...}' });
    return z.NEVER;
  }
  const parsed = z.array(IceServerSchema).max(10, 'ICE_SERVERS: at most 10 servers').safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` (at ${issue.path.join('.')})` : '';
  ctx.addIssue({ code: 'custom', message: `ICE_SERVERS: ${issue?.message ?? 'invalid'}${where}` });
  return z.NEVER;
});

/** A TURN entry without credentials needs TURN_SECRET to mint them; the message says which entry. */
export function checkTurnCredentials(servers: readonly IceServer[], turnSecret: string | undefined): string | null {
  const index = servers.findIndex((s) => isTurn(s) && s.username === undefined);
  if (index < 0 || turnSecret !== undefined) return null;
  return `ICE_SERVERS: a TURN server needs a username and a credential, or TURN_SECRET to mint them per call (at ${index})`;
}

export function turnCredential(secret: string, username: string): string {
  return crypto.createHmac('sha1', secret).update(username).digest('base64');
}

/**
 * The servers handed to one call member: configured credentials as they are; a TURN entry without
 * them gets a pair minted for `who` (a participant id), valid TURN_CREDENTIAL_TTL_S from `nowMs`.
 */
export function iceServersFor(servers: readonly IceServer[], turnSecret: string | undefined, who: string, nowMs: number): IceServer[] {
  return servers.map((server) => {
    if (!isTurn(server) || server.username !== undefined || turnSecret === undefined) return { ...server };
    const username = `${Math.floor(nowMs / 1000) + TURN_CREDENTIAL_TTL_S}:${who}`;
    return { ...server, username, credential: turnCredential(turnSecret, username) };
  });
}
