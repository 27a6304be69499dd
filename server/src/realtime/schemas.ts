// Payload validation for socket events. Binary payloads are checked by type and size; objects by
// strict zod schemas (unknown keys are refused rather than ignored).
import { z } from 'zod';
import { CALL_LIMITS } from '../../../common/call.ts';
import { CONSOLE_STDIN_BYTES } from '../../../common/console.ts';
import { LIMITS, type Result } from '../../../common/protocol.ts';
import { charCount, textProblem } from '../../../common/text-limits.ts';
import { fail, ok } from '../sessions/errors.ts';

export const TimerAddPayload = z.strictObject({
  minutes: z.number().int().min(1).max(LIMITS.maxAddMinutes),
});

export const NoteAddPayload = z.strictObject({
  text: z.string().superRefine((s, ctx) => {
    const problem = textProblem('A note', s, LIMITS.noteChars);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
});

export const ChatSendPayload = z.strictObject({
  text: z.string().superRefine((s, ctx) => {
    const problem = textProblem('A message', s, LIMITS.chatChars);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
});

export const SignalPayload = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('paste'), chars: z.number().int().min(1).max(10_000_000), lines: z.number().int().min(1).max(1_000_000) }),
  z.strictObject({ kind: z.literal('focus'), state: z.enum(['lost', 'back']), reason: z.enum(['blur', 'hidden']) }),
]);

export const CallMediaPayload = z.strictObject({ audio: z.boolean(), video: z.boolean() });

/** An offer/answer (its SDP's size is checked by the handler: a 'too_large' reply) or one ICE candidate. */
export const CallSignalPayload = z
  .strictObject({
    to: z.string().min(1).max(64),
    description: z.strictObject({ type: z.enum(['offer', 'answer', 'pranswer', 'rollback']), sdp: z.string().optional() }).optional(),
    candidate: z
      .strictObject({
        candidate: z.string().max(CALL_LIMITS.candidateChars).optional(),
        sdpMid: z.string().max(64).nullable().optional(),
        sdpMLineIndex: z.number().int().min(0).max(1_000).nullable().optional(),
        usernameFragment: z.string().max(256).nullable().optional(),
      })
      .nullable()
      .optional(),
  })
  .refine((s) => (s.description === undefined) !== (s.candidate === undefined), { message: 'a signal carries either a description or a candidate' });

/** stdin for a console run: any text; its size is checked by consoleStdin (a 'too_large' reply). */
export const ConsoleRunPayload = z.strictObject({ stdin: z.string() });

export function consoleStdin(payload: unknown): Result<string> {
  const p = parse(ConsoleRunPayload, payload);
  if (!p.ok) return p;
  const bytes = Buffer.byteLength(p.value.stdin, 'utf8');
  if (bytes > CONSOLE_STDIN_BYTES) return fail('too_large', `The console's stdin is ${bytes} bytes; at most ${CONSOLE_STDIN_BYTES / 1024} KiB may be sent.`);
  return ok(p.value.stdin);
}

/** The handshake `auth`; the token's exact shape is checked by the session service. */
export const HandshakeAuthSchema = z.object({
  token: z.string().max(200),
  // Empty is fine (the role's default name); too long is refused, not cut.
  name: z
    .string()
    .refine((s) => charCount(s.trim()) <= LIMITS.participantNameChars, {
      message: `Your name must be at most ${LIMITS.participantNameChars} characters.`,
    })
    .optional(),
});

/** socket.io delivers binary as Buffer (a Uint8Array) on Node. */
const Binary = z.instanceof(Uint8Array);

export function binary(value: unknown, maxBytes: number): Result<Uint8Array> {
  const r = Binary.safeParse(value);
  if (!r.success) return fail('bad_request', 'Expected a binary payload.');
  if (r.data.byteLength === 0) return fail('bad_request', 'Empty payload.');
  if (r.data.byteLength > maxBytes) return fail('too_large', `Payload over ${maxBytes} bytes.`);
  return ok(r.data);
}

export function parse<T>(schema: z.ZodType<T>, value: unknown): Result<T> {
  const r = schema.safeParse(value);
  if (r.success) return ok(r.data);
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return fail('bad_request', `Invalid payload: ${where}${issue?.message ?? 'unknown problem'}`);
}
