// The versioned export document (format 'c-interview-session', version 1), as zod schemas. An
// import is parsed with these first; the checks that relate fields to each other live in import.ts.
import { z } from 'zod';
import { CONSOLE_EVENT_TEXT } from '../../../common/console.ts';
import { HINT_CHARS } from '../../../common/practice.ts';
import { LIMITS } from '../../../common/protocol.ts';
import { CRITERIA, EXPORT_FORMAT, EXPORT_VERSION, SCORECARD_TEXT_CHARS } from '../../../common/review.ts';
import { cleanNameField } from '../sessions/name-field.ts';

export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
const MAX_UPDATES = 200_000;
const MAX_RUNS = 2_000;
const MAX_EVENTS = 20_000;
const MAX_NOTES = 2_000;
const TEXT = 64 * 1024;

const time = z.number().int().min(0).max(8.64e15);
const id = z.string().min(1).max(100);
const rating = z.number().int().min(1).max(4).nullable();

const fault = z.strictObject({
  kind: z.enum([
    'undefined_behavior',
    'null_dereference',
    'signed_overflow',
    'divide_by_zero',
    'out_of_bounds',
    'stack_overflow',
    'abort',
    'assertion_failed',
    'memory_exhausted',
    'trap',
  ]),
  message: z.string().max(1_000),
  function: z.string().max(200).optional(),
  line: z.number().int().min(0).optional(),
});

const caseResult = z.strictObject({
  name: z.string().max(200),
  visible: z.boolean(),
  status: z.enum(['pass', 'fail', 'compile_error', 'runtime_error', 'timeout', 'memory_limit', 'output_limit']),
  timeMs: z.number().min(0).optional(),
  fault: fault.optional(),
  detail: z
    .strictObject({
      input: z.string().max(TEXT).optional(),
      expected: z.string().max(TEXT),
      actual: z.string().max(TEXT),
      diff: z.string().max(4 * TEXT),
      stderr: z.string().max(TEXT),
    })
    .optional(),
});

const gradeResult = z.strictObject({
  status: z.enum(['ok', 'compile_error', 'rejected']),
  passed: z.number().int().min(0),
  total: z.number().int().min(0),
  cases: z.array(caseResult).max(500),
  diagnostics: z
    .array(z.strictObject({ line: z.number().int().min(0), column: z.number().int().min(0), severity: z.enum(['error', 'warning', 'note']), message: z.string().max(4_000) }))
    .max(500),
  compilerOutput: z.string().max(TEXT),
  error: z.string().max(4_000).optional(),
  timings: z.strictObject({ compileMs: z.number().min(0), runMs: z.number().min(0) }),
});

/** Timeline events; a console run keeps longer text (the start of its stdin, stdout and stderr), a hint its text. */
const eventData = (chars: number) => z.record(z.string().max(40), z.union([z.string().max(chars), z.number(), z.boolean(), z.null()]));
const event = z.discriminatedUnion('type', [
  z.strictObject({
    at: time,
    type: z.enum(['start', 'add', 'end', 'deadline', 'warning', 'join', 'leave', 'paste', 'focus_lost', 'focus_back', 'call']),
    participantId: id.nullable(),
    data: eventData(200),
  }),
  z.strictObject({ at: time, type: z.literal('console'), participantId: id.nullable(), data: eventData(CONSOLE_EVENT_TEXT) }),
  z.strictObject({ at: time, type: z.literal('hint'), participantId: id.nullable(), data: eventData(HINT_CHARS) }),
  z.strictObject({ at: time, type: z.literal('chat'), participantId: id.nullable(), data: eventData(2 * LIMITS.chatChars) }), // code points, at most two UTF-16 units each
]);

export const ExportSchema = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: time,
  /** The exporting server's address, shown as the import's source (absent in older exports). */
  exportedFrom: z.string().trim().min(1).max(300).optional(),
  session: z.strictObject({
    mode: z.enum(['interview', 'practice']),
    exercise: z.strictObject({ slug: z.string().min(1).max(100), title: z.string().max(200) }),
    // The rules of a new session's names (a name is cleaned as it would have been stored).
    candidateName: cleanNameField('The candidate name', LIMITS.candidateNameChars),
    status: z.literal('ended'),
    createdAt: time,
    durationMs: z
      .number()
      .int()
      .min(LIMITS.minSessionMinutes * 60_000)
      .max(24 * 3_600_000),
    startedAt: time.nullable(),
    deadline: time.nullable(),
    endedAt: time,
  }),
  participants: z
    .array(z.strictObject({ id, role: z.enum(['mentor', 'candidate', 'observer']), name: cleanNameField('A participant name', LIMITS.participantNameChars), firstSeen: time }))
    .max(1_000),
  updates: z
    .array(z.strictObject({ id: z.number().int().min(1), at: time, participantId: id.nullable(), bytes: z.base64().max(4 * LIMITS.docSyncBytes) }))
    .min(1)
    .max(MAX_UPDATES),
  runs: z
    .array(
      z.strictObject({
        id,
        at: time,
        requestedAt: time,
        kind: z.enum(['manual', 'final']),
        participantId: id.nullable(),
        updateId: z.number().int().min(1).nullable(),
        source: z.string().max(TEXT).nullable(),
        result: gradeResult,
      }),
    )
    .max(MAX_RUNS),
  events: z.array(event).max(MAX_EVENTS),
  notes: z.array(z.strictObject({ id, at: time, participantId: id.nullable(), text: z.string().min(1).max(LIMITS.noteChars) })).max(MAX_NOTES),
  scorecard: z
    .strictObject({
      overall: rating,
      criteria: z.strictObject(Object.fromEntries(CRITERIA.map((c) => [c, rating])) as Record<(typeof CRITERIA)[number], typeof rating>),
      text: z.string().max(SCORECARD_TEXT_CHARS),
      updatedAt: time,
      by: cleanNameField('The scorecard author', LIMITS.participantNameChars),
    })
    .nullable(),
});

export type SessionExport = z.infer<typeof ExportSchema>;

export const ScorecardBody = z.strictObject({
  overall: rating,
  criteria: z.strictObject(Object.fromEntries(CRITERIA.map((c) => [c, rating])) as Record<(typeof CRITERIA)[number], typeof rating>),
  text: z.string().max(SCORECARD_TEXT_CHARS),
});

export const TestMomentBody = z.strictObject({ updateId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) });
